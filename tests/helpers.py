"""Shared readers for the tests: domain, NLU files and held-out sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.nlu_files import intent_examples
from bot.settings import load_settings

LANGUAGES = load_settings().languages.supported
CORE_INTENTS = ("order_status", "return_item", "return_policy", "refund_status", "human_handoff", "out_of_scope")


@cache
def domain() -> dict[str, Any]:
    """The domain files under domain/, merged the way Rasa merges them (top-level keys joined)."""
    merged: dict[str, Any] = {}
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in part.items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


@cache
def nlu_examples(path: Path) -> dict[str, list[str]]:
    return intent_examples(path)


def training_file(language: str) -> Path:
    return PROJECT_ROOT / "data" / "nlu" / f"{language}.yml"


def held_out_file(language: str) -> Path:
    return PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml"


def styled_held_out_file(language: str) -> Path:
    """The second held-out set: another writer, a deliberately different style."""
    return PROJECT_ROOT / "tests" / "nlu_styled" / f"{language}.yml"


@cache
def responses_rendered_by_actions() -> frozenset[str]:
    """Responses of domain/orders.yml and domain/handoff.yml: actions and channels fill their {values}
    (bot/replies.py, bot/channels/conversations.py), not slots."""
    names: set[str] = set()
    for part in ("orders.yml", "handoff.yml"):
        names |= set(yaml.safe_load((PROJECT_ROOT / "domain" / part).read_text(encoding="utf-8"))["responses"])
    return frozenset(names)
