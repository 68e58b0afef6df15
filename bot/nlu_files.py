"""Reading Rasa NLU YAML files (training data and held-out sets) outside of Rasa."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

_ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str  # base intent: kindle/sync counts as kindle
    language: str


def plain_text(example: str) -> str:
    """'[302-..](order_number) fehlt' -> '302-.. fehlt' (also for the {"entity": ...} form)."""
    return _ANNOTATION.sub(lambda m: m.group(1) or m.group(3), example)


def annotated_entities(example: str) -> list[str]:
    names = []
    for match in _ANNOTATION.finditer(example):
        if match.group(2):
            names.append(match.group(2))
        else:
            names.extend(re.findall(r'"entity":\s*"(\w+)"', match.group(0)))
    return names


def intent_examples(path: Path) -> dict[str, list[str]]:
    """intent (or retrieval intent 'kindle/sync') -> raw, annotated examples of one NLU file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        if "intent" in block:
            lines = (line.strip() for line in block["examples"].splitlines())
            examples.setdefault(block["intent"], []).extend(line[2:].strip() for line in lines if line.startswith("- "))
    return examples


def read_examples(path: Path, language: str) -> list[Example]:
    """Plain-text examples of one NLU file, labelled with their base intent and `language`."""
    return [
        Example(plain_text(raw), intent.split("/")[0], language)
        for intent, raws in intent_examples(path).items()
        for raw in raws
    ]
