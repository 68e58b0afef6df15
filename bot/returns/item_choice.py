"""Which item the customer means when they type instead of pressing a button in the return form:
"all of them" in their language, or a word that names exactly one of the offered items' titles."""

from __future__ import annotations

import re
from pathlib import Path

from bot.returns.reasons import folded_message, is_answer_candidate, load_patterns

PATTERNS_FILE = Path(__file__).with_name("item_patterns.yml")
ALL_ITEMS = "all"
_MIN_WORD = 4  # shorter title words ("M", "set", "of") name nothing
# Title words that describe rather than name an item (titles are written in English).
_NOT_NAMES = frozenset({"with", "without", "from", "size", "pack", "black", "white", "navy", "blue", "grey", "gray",
                        "green", "pink", "silver", "gold", "edition", "womens", "mens", "kids", "large", "small"})
_NEGATION = re.compile(r"(?<!\w)(nicht|nein|not|niet|nee|nie|ne|degil|hayir)(?!\w)")


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", folded_message(text))
            if len(word) >= _MIN_WORD and not word.isdigit() and word not in _NOT_NAMES}


def chosen_item(text: str, language: str, items: list[tuple[str, str]]) -> str | None:
    """ALL_ITEMS, the id of the one item (id, title) whose title the message names, or None.
    "not all of them", questions and messages that call the return off choose nothing."""
    if not is_answer_candidate(text, language):
        return None
    folded = folded_message(text)
    if _NEGATION.search(folded) is None and any(
            pattern.search(folded) for pattern in load_patterns(PATTERNS_FILE)["all_items"].get(language, ())):
        return ALL_ITEMS
    said = _words(text)
    titles = {item_id: _words(title) for item_id, title in items}
    named = [item_id for item_id, words in titles.items()
             if said & (words - set().union(*(other for key, other in titles.items() if key != item_id)))]
    return named[0] if len(named) == 1 else None
