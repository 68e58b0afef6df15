"""Checking real answers against the served OpenAPI document (its schemas as JSON Schema)."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema


def _as_json_schema(node: Any, spec: dict[str, Any]) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: $refs inlined, `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [_as_json_schema(item, spec) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _as_json_schema(target, spec)
    schema = {key: _as_json_schema(value, spec) for key, value in node.items() if key not in ("nullable", "example")}
    if node.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    answer = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in answer:
        answer = _as_json_schema(answer, spec)
    return _as_json_schema(copy.deepcopy(answer["content"]["application/json"]["schema"]), spec)


def assert_matches(spec: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    jsonschema.validate(body, response_schema(spec, path, method, status))
