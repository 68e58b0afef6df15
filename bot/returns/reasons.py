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
CANCEL_PATTERNS_FILE = Path(__file__).with_name("cancel_patterns.yml")
_APOSTROPHES = str.maketrans("", "", "'’`´")


@cache
def load_patterns(path: Path) -> dict[str, dict[str, tuple[re.Pattern[str], ...]]]:
    """{key: {language: compiled patterns}} from a YAML file, each pattern anchored at a word start."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: {language: tuple(re.compile(rf"(?<!\w)(?:{pattern})") for pattern in patterns)
                  for language, patterns in by_language.items()}
            for key, by_language in raw.items()}


def folded_message(text: str) -> str:
    """Lower case, no diacritics or apostrophes, single spaces: what the patterns are written for."""
    return " ".join(fold_text(text).translate(_APOSTROPHES).split())


def is_answer_candidate(text: str, language: str) -> bool:
    """False for a question ("is it too late to return?") or a message that calls the return off
    ("I don't want to return it after all"): those are left to the dialogue, never read as answers."""
    folded = folded_message(text)
    if "?" in folded:
        return False
    cancelling = load_patterns(CANCEL_PATTERNS_FILE)["cancel"].get(language, ())
    return not any(pattern.search(folded) for pattern in cancelling)


def reason_from_text(text: str, language: str, reasons: tuple[str, ...] | list[str]) -> str | None:
    """The configured reason the message gives, or None; the longest match wins when several do."""
    if not is_answer_candidate(text, language):
        return None
    folded = folded_message(text)
    best: tuple[int, str] | None = None
    for reason in reasons:
        for pattern in load_patterns(PATTERNS_FILE).get(reason, {}).get(language, ()):
            for match in pattern.finditer(folded):
                length = match.end() - match.start()
                if best is None or length > best[0]:
                    best = (length, reason)
    return best[1] if best else None
