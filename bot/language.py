"""Which language a conversation is in: detection, explicit requests and stickiness.

No detector is reliable on one- and two-word messages ("ok", "Hallo", "yes" typed by a Dutch
customer), so a message only changes an established conversation language when it is clearly
written in another language, or when the customer asks for another language. The channel's hint
(page or phone language) decides while the conversation has no language yet; without a hint the
first message's best guess does, whatever its length.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from bot.language_detectors import (
    Detector,
    ShopVocabularyModel,
    generic_detector,
    without_names_and_numbers,
)
from bot.settings import Settings
from bot.text_folding import fold_text

SHOP_VOCABULARY = "shop_vocabulary"
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_WORDS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

# Stems of language names, as customers write them in any of the six languages, after
# `fold_text` (lower case, no diacritics). "po polsku", "auf Englisch", "türkçe lütfen", ...
_LANGUAGE_NAME_STEMS: dict[str, tuple[str, ...]] = {
    "de": ("deutsch", "german", "niemieck", "almanca", "duits", "nemcin", "nemeck"),
    "en": ("english", "englisch", "engels", "angiel", "ingilizce", "anglick", "anglictin"),
    "nl": (
        "dutch", "niederland", "hollandisch", "nederlands", "niderlandz", "holendersk",
        "hollandaca", "felemenk", "nizozem", "holandsk", "holandstin",
    ),
    "pl": ("polish", "polnisch", "pools", "polsk", "lehce", "polstin"),
    "tr": ("turkish", "turkisch", "turks", "turecki", "turecku", "turkce", "turectin", "tureck"),
    "cs": ("czech", "tschechisch", "tsjechisch", "czesk", "cekce", "cestin", "cesk"),
}
def normalize_language_code(value: object, supported: tuple[str, ...]) -> str | None:
    """'pl', 'PL', 'pl-PL' or 'pl_PL' -> 'pl'; anything unsupported -> None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in supported else None


def requested_language(text: str) -> str | None:
    """The language a message names, if it names exactly one ("english please")."""
    words = re.findall(r"\w+", fold_text(text))
    named = {
        language
        for language, stems in _LANGUAGE_NAME_STEMS.items()
        if any(word.startswith(stem) for word in words for stem in stems)
    }
    return named.pop() if len(named) == 1 else None


@dataclass(frozen=True)
class Detection:
    """The best guess for one message's language, with what makes it trustworthy or not.

    `agrees` is False when langdetect and the vocabulary vote named different languages; the
    guess (the vote's) is then never used to switch a conversation.
    """

    language: str | None
    probability: float
    words: int
    letters: int
    agrees: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "probability": round(self.probability, 4),
            "words": self.words,
            "letters": self.letters,
            "agrees": self.agrees,
        }

    @classmethod
    def from_dict(cls, data: object) -> Detection | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                language=data.get("language"),
                probability=float(data.get("probability", 0.0)),
                words=int(data.get("words", 0)),
                letters=int(data.get("letters", 0)),
                agrees=bool(data.get("agrees", True)),
            )
        except (TypeError, ValueError):
            return None


class LanguageIdentifier:
    """The average of several detectors' probabilities (bot/language_detectors.py), computed on
    the message without product names, e-mail addresses and numbers, and without borrowed shop
    words when enough of the message's own words are left: "Rücksendung yapmak istiyorum" is
    Turkish, "return policy bei euch?" German."""

    def __init__(self, languages: tuple[str, ...], detectors: dict[str, Detector],
                 ignored_words: tuple[str, ...] = (), borrowed_words: tuple[str, ...] = (),
                 min_own_letters: int = 0, default_language: str | None = None,
                 default_language_margin: float = 0.0) -> None:
        if not detectors:
            raise ValueError("at least one language detector is needed")
        self._languages = languages
        self._detectors = detectors
        self._ignored_words = ignored_words
        self._borrowed_words = borrowed_words
        self._min_own_letters = min_own_letters
        self._default_index = languages.index(default_language) if default_language in languages else None
        self._default_margin = default_language_margin

    @classmethod
    def from_settings(cls, settings: Settings, detectors: dict[str, Detector]) -> LanguageIdentifier:
        rules = settings.language_detection
        return cls(settings.languages.supported, detectors, rules.ignored_words, rules.borrowed_words,
                   rules.min_own_letters, settings.languages.default, rules.default_language_margin)

    def detect(self, text: str) -> Detection:
        meaningful = without_names_and_numbers(text, self._ignored_words)
        if self._borrowed_words:
            own = without_names_and_numbers(meaningful, self._borrowed_words)
            if len(_LETTERS.findall(own)) >= self._min_own_letters:
                meaningful = own
        words = len(_WORDS.findall(meaningful))
        letters = len(_LETTERS.findall(meaningful))
        if letters == 0:
            return Detection(None, 0.0, words, letters)
        rows = [detector.probabilities(meaningful) for detector in self._detectors.values()]
        average = np.mean(rows, axis=0)
        best = int(np.argmax(average))
        home = self._default_index
        if home is not None and average[home] >= average[best] - self._default_margin:
            best = home  # a near tie goes to the shop's own language
        agrees = all(int(np.argmax(row)) == best for row in rows)
        # Rounded: Lingua's sums differ in the last bits between calls.
        return Detection(self._languages[best], round(float(average[best]), 6), words, letters, agrees)


def language_identifier(settings: Settings, shop_vocabulary: ShopVocabularyModel | None) -> LanguageIdentifier:
    """The identifier settings.yml asks for; `shop_vocabulary` is the model's trained one, if any."""
    rules = settings.language_detection
    languages = settings.languages.supported
    detectors: dict[str, Detector] = {}
    for name in rules.detectors:
        if name == SHOP_VOCABULARY:
            if shop_vocabulary is not None:
                detectors[name] = shop_vocabulary
        else:
            detectors[name] = _shared_generic_detector(name, languages, rules.seed)
    return LanguageIdentifier.from_settings(settings, detectors)


_generic_lock = threading.Lock()
_generic: dict[tuple[str, tuple[str, ...], int], Detector] = {}


def _shared_generic_detector(name: str, languages: tuple[str, ...], seed: int) -> Detector:
    """One instance per process: the models take memory and time to load."""
    key = (name, languages, seed)
    with _generic_lock:
        if key not in _generic:
            _generic[key] = generic_detector(name, languages, seed)
        return _generic[key]


def is_clear(detection: Detection | None, settings: Settings) -> bool:
    """Whether a detection is strong enough to set or switch the conversation language."""
    rules = settings.language_detection
    return (
        detection is not None
        and detection.agrees
        and detection.language in settings.languages.supported
        and detection.words >= rules.min_words
        and detection.letters >= rules.min_letters
        and detection.probability >= rules.min_probability
    )


def choose_language(
    *,
    current: str | None,
    hint: str | None,
    detection: Detection | None,
    requested: str | None,
    settings: Settings,
) -> str:
    """The conversation language after one customer message.

    Order: an explicit request for a language; a clear message in another language; the
    language the conversation already has; the channel's hint; on a first message, the
    detector's best guess however short the message (a guess beats a fixed default); the
    shop's default language (a first message without letters).
    """
    supported = settings.languages.supported
    if requested in supported:
        return requested
    if is_clear(detection, settings):
        return detection.language  # type: ignore[union-attr]
    if current in supported:
        return current
    if hint in supported:
        return hint
    if detection is not None and detection.language in supported:
        return detection.language
    return settings.languages.default


# A request like "english please" counts on its own only when the message is this short;
# longer messages must also be classified as change_language.
_SHORT_LANGUAGE_REQUEST_WORDS = 3
CHANGE_LANGUAGE_INTENT = "change_language"
LANGUAGE_NAME_ENTITY = "language_name"


def hinted_language(metadata: object, supported: tuple[str, ...]) -> str | None:
    """The language a channel put into the message's metadata (page or phone language)."""
    if not isinstance(metadata, dict):
        return None
    return normalize_language_code(metadata.get("language"), supported)


def _picked_language(entities: object, supported: tuple[str, ...]) -> str | None:
    """The language a language_name entity of a button payload names, if supported."""
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, dict) and entity.get("entity") == LANGUAGE_NAME_ENTITY:
            return normalize_language_code(entity.get("value"), supported)
    return None


def language_after_message(current: object, parse_data: dict, settings: Settings) -> str:
    """The conversation language after one customer message, from its NLU parse data (text,
    intent, entities, metadata and the `language_detection` of bot/nlu/language_detector.py).

    Button payloads ("/order_status") are no evidence of a language, except the widget's
    language picker: /change_language{"language_name": "pl"}.
    """
    supported = settings.languages.supported
    text = parse_data.get("text") or ""
    intent = (parse_data.get("intent") or {}).get("name")
    is_button = isinstance(text, str) and text.startswith("/")
    detection = None if is_button else Detection.from_dict(parse_data.get("language_detection"))
    requested = None
    if is_button:
        if intent == CHANGE_LANGUAGE_INTENT:
            requested = _picked_language(parse_data.get("entities"), supported)
    elif intent == CHANGE_LANGUAGE_INTENT or len(str(text).split()) <= _SHORT_LANGUAGE_REQUEST_WORDS:
        requested = requested_language(str(text))
    return choose_language(
        current=normalize_language_code(current, supported),
        hint=hinted_language(parse_data.get("metadata"), supported),
        detection=detection,
        requested=requested,
        settings=settings,
    )
