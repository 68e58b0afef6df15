"""Reading the six-language responses of the domain (domain/*.yml) (each variation has a language condition)."""

from __future__ import annotations

from typing import Any


def language_of_variation(variation: dict[str, Any]) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return condition.get("value")
    return None


def response_text(domain: dict[str, Any], name: str, language: str) -> str | None:
    """The text of response `name` in `language`, or None when it is missing."""
    for variation in domain.get("responses", {}).get(name, []):
        if language_of_variation(variation) == language:
            return variation.get("text")
    return None
