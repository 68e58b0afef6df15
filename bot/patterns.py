"""Order numbers, e-mail addresses, phone numbers and postcodes found in free text.

Patterns run in a fixed order and each match masks its span, so a 17-digit order number is never
also read as a phone number. Values are normalised (order numbers always as 302-4519273-8812345).
Duckling has no Czech rules, so this is plain regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

ORDER_NUMBER = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{7})[\s-]?(\d{7})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Starts with +, 00 or 0; 9 to 15 digits with spaces, dashes, slashes or brackets between.
PHONE = re.compile(r"(?<![\w+])(?:\+|0)[\d\s/()-]{7,22}\d(?!\d)")
POSTCODES = (
    re.compile(r"(?<![\d-])\d{5}(?![\d-])"),  # DE, TR
    re.compile(r"(?<!\d)\d{2}-\d{3}(?!\d)"),  # PL
    re.compile(r"(?<!\d)\d{4} ?[A-Za-z]{2}(?![\w])"),  # NL
    re.compile(r"(?<!\d)\d{3} \d{2}(?!\d)"),  # CZ
)


@dataclass(frozen=True)
class Found:
    entity: str
    start: int
    end: int
    text: str
    value: str


def normalize_order_number(text: str) -> str | None:
    """'302 4519273 8812345' or '30245192738812345' -> '302-4519273-8812345'."""
    match = ORDER_NUMBER.fullmatch(text.strip())
    return "-".join(match.groups()) if match else None


def _phone_value(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if not 9 <= len(digits) <= 15:
        return None
    return ("+" if text.startswith("+") else "") + digits


def _postcode_value(text: str) -> str:
    return text.upper()


_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], str | None]], ...] = (
    ("email", EMAIL, str.lower),
    ("order_number", ORDER_NUMBER, normalize_order_number),
    ("phone_number", PHONE, _phone_value),
    *(("postcode", pattern, _postcode_value) for pattern in POSTCODES),
)


def find_entities(text: str) -> list[Found]:
    """All entities in `text`, in reading order, without overlaps."""
    masked = text
    found: list[Found] = []
    for entity, pattern, to_value in _RULES:
        for match in pattern.finditer(masked):
            value = to_value(match.group(0))
            if value is None:
                continue
            start, end = match.span()
            found.append(Found(entity, start, end, text[start:end], value))
            masked = masked[:start] + "\0" * (end - start) + masked[end:]
    return sorted(found, key=lambda item: item.start)
