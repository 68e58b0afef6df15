"""Which language a conversation is in: detection, explicit requests and stickiness.

langdetect is unreliable on one- and two-word messages ("ok", "Hallo", an order number), so a
message only changes an established conversation language when it is clearly written in another
language, or when the customer asks for another language. The channel's hint (page or phone
language) decides only while the conversation has no language yet.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.lang_profile import LangProfile

from bot.settings import Settings

_PROFILE_DIR = Path(langdetect.__file__).resolve().parent / "profiles"
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
# Letters that Unicode decomposition does not reduce to a base letter.
_EXTRA_FOLDS = str.maketrans({"ı": "i", "ł": "l", "ß": "ss", "ø": "o", "đ": "d"})


def fold_text(text: str) -> str:
    """Lower case without diacritics, so 'Čeština' and 'cestina' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA_FOLDS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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


class VocabularyVote:
    """Which language's training examples use a message's words.

    langdetect confuses German, Dutch and English on short sentences ("paketbote hat nicht
    geklingelt" -> nl). The shop's own vocabulary per language is a strong second opinion: each
    known word votes for the languages that use it, split evenly among them.
    """

    def __init__(self, languages_of_word: dict[str, list[str]]) -> None:
        self._languages_of_word = languages_of_word

    @classmethod
    def from_examples(cls, examples: dict[str, list[str]]) -> VocabularyVote:
        """`examples`: language -> texts written in it."""
        languages_of_word: dict[str, set[str]] = {}
        for language, texts in examples.items():
            for text in texts:
                for word in _WORDS.findall(fold_text(text)):
                    languages_of_word.setdefault(word, set()).add(language)
        return cls({word: sorted(languages) for word, languages in languages_of_word.items()})

    def as_dict(self) -> dict[str, list[str]]:
        return self._languages_of_word

    def winner(self, text: str, min_score: float, margin: float) -> str | None:
        """The language with the most votes, if it has at least `min_score` and leads by `margin`x."""
        scores: dict[str, float] = {}
        for word in _WORDS.findall(fold_text(text)):
            languages = self._languages_of_word.get(word, [])
            for language in languages:
                scores[language] = scores.get(language, 0.0) + 1 / len(languages)
        ranked = sorted(scores.values(), reverse=True)
        if not ranked or ranked[0] < min_score or (len(ranked) > 1 and ranked[0] < margin * ranked[1]):
            return None
        return max(scores, key=scores.__getitem__)


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
    """langdetect restricted to the shop's languages and seeded, so results repeat, with an
    optional vocabulary vote as a second opinion."""

    def __init__(
        self,
        languages: tuple[str, ...],
        seed: int,
        vote: VocabularyVote | None = None,
        vote_min_score: float = 1.0,
        vote_margin: float = 1.5,
    ) -> None:
        self._vote = vote
        self._vote_min_score = vote_min_score
        self._vote_margin = vote_margin
        self._factory = DetectorFactory()
        for index, language in enumerate(languages):
            profile_path = _PROFILE_DIR / language
            with profile_path.open(encoding="utf-8") as handle:
                profile = LangProfile(**json.load(handle))
            self._factory.add_profile(profile, index, len(languages))
        self._factory.set_seed(seed)
        # A detector is created per call, but the factory's tables are shared: guard them.
        self._lock = threading.Lock()

    def detect(self, text: str) -> Detection:
        words = len(_WORDS.findall(text))
        letters = len(_LETTERS.findall(text))
        if letters == 0:
            return Detection(None, 0.0, words, letters)
        with self._lock:
            detector = self._factory.create()
            detector.append(text)
            try:
                best = detector.get_probabilities()[0]
                guess, probability = best.lang, float(best.prob)
            except (LangDetectException, IndexError):
                guess, probability = None, 0.0
        voted = self._vote.winner(text, self._vote_min_score, self._vote_margin) if self._vote else None
        if voted is None or voted == guess:
            return Detection(guess, probability, words, letters)
        return Detection(voted, probability, words, letters, agrees=False)


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
    language the conversation already has; the channel's hint; a confident guess on a first
    short message; the shop's default language.
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
    if (
        detection is not None
        and detection.language in supported
        and detection.probability >= settings.language_detection.min_probability
        and detection.letters >= settings.language_detection.min_letters
    ):
        return detection.language
    return settings.languages.default
