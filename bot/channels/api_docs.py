"""The app channel's contract: GET /openapi.json (OpenAPI 3, from static/app/openapi.yaml) and a
readable page of it at GET /webhooks/app/docs (rendered here; nothing from a CDN)."""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

SPEC_PATH = Path(__file__).parent / "static" / "app" / "openapi.yaml"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@cache
def openapi_spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    reference = node.get("$ref")
    if not reference:
        return node
    target: Any = spec
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _examples(content: dict[str, Any]) -> list[tuple[str, Any]]:
    media = content.get("application/json") or {}
    if "example" in media:
        return [("example", media["example"])]
    return [(name, example.get("value")) for name, example in (media.get("examples") or {}).items()]


def docs_html(spec: dict[str, Any]) -> str:
    """The specification as a plain, readable HTML page."""
    info = spec["info"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(info['title'])}</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
        "pre{background:#f4f6f8;padding:.7rem;overflow-x:auto;border-radius:6px}code{font-size:.9em}"
        "h2{border-top:1px solid #d5dae1;padding-top:1rem}.method{font-weight:700;color:#0b5cad}</style></head><body>",
        f"<h1>{html.escape(info['title'])} <small>v{html.escape(str(info['version']))}</small></h1>",
        "<p><a href='/openapi.json'>OpenAPI 3 document (JSON)</a></p>",
        "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in info.get("description", "").split("\n\n")),
    ]
    for path, operations in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            parts.append(f"<h2><span class='method'>{method.upper()}</span> <code>{html.escape(path)}</code></h2>")
            parts.append(f"<p>{html.escape(operation.get('summary', ''))}</p>")
            for parameter in operation.get("parameters", []):
                required = "required" if parameter.get("required") else "optional"
                parts.append(f"<p><code>{html.escape(parameter['name'])}</code> ({parameter['in']}, {required}): "
                             f"{html.escape(parameter.get('description', ''))}</p>")
            body = operation.get("requestBody")
            if body:
                for name, example in _examples(body["content"]):
                    parts.append(f"<h3>Request: {html.escape(name)}</h3><pre>"
                                 f"{html.escape(json.dumps(example, indent=2, ensure_ascii=False))}</pre>")
            for status, answer in operation.get("responses", {}).items():
                answer = _resolve(spec, answer)
                parts.append(f"<h3>{html.escape(status)}: {html.escape(answer.get('description', ''))}</h3>")
                for name, example in _examples(answer.get("content", {})):
                    parts.append(f"<p>{html.escape(name)}</p><pre>"
                                 f"{html.escape(json.dumps(example, indent=2, ensure_ascii=False))}</pre>")
    parts.append("</body></html>")
    return "".join(parts)


class OpenApiInput(InputChannel):
    """GET /openapi.json."""

    @classmethod
    def name(cls) -> str:
        return "openapi"

    def url_prefix(self) -> str:
        return "/openapi.json"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = Blueprint("openapi")

        @routes.route("", methods=["GET"])
        async def specification(request: Request) -> HTTPResponse:
            return response.json(openapi_spec(), headers={"Cache-Control": "no-cache"})

        return routes
