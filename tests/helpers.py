"""Shared readers for the tests: domain, NLU files and held-out sets."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.settings import load_settings

LANGUAGES = load_settings().languages.supported
CORE_INTENTS = ("order_status", "return_item", "return_policy", "refund_status", "human_handoff", "out_of_scope")
_ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")


@cache
def domain() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def plain_text(example: str) -> str:
    """'[302-..](order_number) fehlt' -> '302-.. fehlt'."""
    return _ANNOTATION.sub(r"\1", example)


def annotated_entities(example: str) -> list[str]:
    return [entity for _, entity in _ANNOTATION.findall(example)]


@cache
def nlu_examples(path: Path) -> dict[str, list[str]]:
    """intent (or retrieval intent 'kindle/sync') -> raw examples of one Rasa NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        lines = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
        examples.setdefault(block["intent"], []).extend(lines)
    return examples


def training_file(language: str) -> Path:
    return PROJECT_ROOT / "data" / "nlu" / f"{language}.yml"


def held_out_file(language: str) -> Path:
    return PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml"
