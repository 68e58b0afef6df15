"""Text without diacritics, the way many customers type it ("zasilka", "siparisim", "Strasse")."""

from __future__ import annotations

import unicodedata

# Letters that Unicode decomposition does not reduce to a base letter.
_EXTRA_FOLDS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "đ": "d"})


def without_diacritics(text: str) -> str:
    """The text with its letters' diacritics removed, case kept: "Zásilka" -> "Zasilka"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold_text(text: str) -> str:
    """Lower case without diacritics, so 'Čeština' and 'cestina' compare equal."""
    return without_diacritics(text.lower())
