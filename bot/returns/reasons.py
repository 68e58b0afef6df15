"""The reason for a return, read from what the customer typed ("zu klein", "it arrived broken").

The return form offers the reasons as buttons; customers often type instead. The patterns per
reason and language are in reason_patterns.yml; a message that matches none leaves the form to
the dialogue rules (a question, "stop", ...), as before.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.language import fold_text

PATTERNS_FILE = Path(__file__).with_name("reason_patterns.yml")
_APOSTROPHES = str.maketrans("", "", "'’`´")


@cache
def reason_patterns(path: Path = PATTERNS_FILE) -> dict[str, dict[str, tuple[re.Pattern[str], ...]]]:
    """{reason: {language: compiled patterns}}, each anchored at a word start."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {reason: {language: tuple(re.compile(rf"(?<!\w)(?:{pattern})") for pattern in patterns)
                     for language, patterns in by_language.items()}
            for reason, by_language in raw.items()}


def reason_from_text(text: str, language: str, reasons: tuple[str, ...] | list[str]) -> str | None:
    """The configured reason the message gives, or None; the longest match wins when several do."""
    folded = " ".join(fold_text(text).translate(_APOSTROPHES).split())
    best: tuple[int, str] | None = None
    for reason in reasons:
        for pattern in reason_patterns().get(reason, {}).get(language, ()):
            for match in pattern.finditer(folded):
                length = match.end() - match.start()
                if best is None or length > best[0]:
                    best = (length, reason)
    return best[1] if best else None
