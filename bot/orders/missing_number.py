"""Recognises a customer who has no order number at hand, so the lookup can help instead of ending."""

from __future__ import annotations

import re
from pathlib import Path

from bot.returns.reasons import folded_message, load_patterns

MISSING_NUMBER_PATTERNS_FILE = Path(__file__).with_name("missing_number_patterns.yml")
_DIGIT = re.compile(r"\d")


def says_order_number_is_missing(text: str, language: str, asked: bool = False) -> bool:
    """"I don't have the order number", "where do I find it?", and, when the bot has just `asked`
    for the number, a short "I don't know". Never a message with digits in it (that is an attempt
    at the number, answered with the format hint)."""
    if _DIGIT.search(text):
        return False
    patterns = load_patterns(MISSING_NUMBER_PATTERNS_FILE)
    keys = ("missing_number", "missing_when_asked") if asked else ("missing_number",)
    folded = folded_message(text)
    return any(pattern.search(folded) for key in keys for pattern in patterns[key].get(language, ()))
