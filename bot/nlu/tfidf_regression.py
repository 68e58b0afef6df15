"""A logistic regression on word and character TF-IDF features of a message's text.

IntentEnsemble's (bot/nlu/intent_ensemble.py) text classifier. Stored as plain JSON (the
vocabularies) and NumPy arrays: skops wrote the same ~130,000-term vocabularies as 120 MB of JSON
schema that took four seconds to load. Probabilities are computed here, as scikit-learn's
multinomial `predict_proba` does, but on a contiguous copy of the weights (scikit-learn
transposes 20 MB of coefficients on every call: 3 ms a message against 0.01).
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import hstack
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.text_folding import fold_text

_VOCABULARIES = "tfidf_vocabularies.json"
_WEIGHTS = "tfidf_regression.npz"
_WORD = re.compile(r"\w+")


def word_prefixes(text: str, length: int, folded: bool) -> str:
    """The text lower case (and without diacritics if `folded`) with every word cut to its first
    `length` letters: "siparişimi", "siparişim" and "siparişiniz" all read "sipar"."""
    text = fold_text(text) if folded else text.lower()
    return _WORD.sub(lambda word: word.group(0)[:length], text)


def _vectorizer(params: dict[str, Any], vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    if params.get("prefix"):
        preprocessor = partial(word_prefixes, length=params["prefix"], folded=bool(params.get("folded")))
    else:
        preprocessor = fold_text if params.get("folded") else None
    return TfidfVectorizer(analyzer=params["analyzer"], ngram_range=tuple(params["ngram_range"]),
                           min_df=params["min_df"], sublinear_tf=True, vocabulary=vocabulary,
                           preprocessor=preprocessor)


class TfidfRegression:
    def __init__(self, params: list[dict[str, Any]], vectorizers: list[TfidfVectorizer], weights: np.ndarray,
                 intercept: np.ndarray, classes: list[str]) -> None:
        self._params = params
        self._vectorizers = vectorizers
        self._weights = np.ascontiguousarray(weights)  # features x classes
        self._intercept = intercept
        self.classes = classes

    @staticmethod
    def feature_params(config: dict[str, Any]) -> list[dict[str, Any]]:
        """Word 1..n-grams and character (within words) 1..n-grams, from IntentEnsemble's config;
        with `fold_diacritics`, of the text without diacritics (customers type "zasilka" and
        "siparisim" as often as "zásilka" and "siparişim", and both should weigh the same); with
        `word_prefix_length`, also word 1..n-grams of the words cut to that many letters (a cheap
        stemmer for the endings of Turkish, Polish and Czech words)."""
        fold = bool(config.get("fold_diacritics"))
        params: list[dict[str, Any]] = [
            {"analyzer": "word", "ngram_range": [1, config["word_max_ngram"]], "min_df": 1, "folded": fold},
            {"analyzer": "char_wb", "ngram_range": [1, config["char_max_ngram"]], "min_df": config["char_min_df"],
             "folded": fold},
        ]
        if config.get("word_prefix_length"):
            params.append({"analyzer": "word", "ngram_range": [1, config["word_max_ngram"]], "min_df": 1,
                           "folded": fold, "prefix": int(config["word_prefix_length"])})
        return params

    @classmethod
    def fit(cls, texts: list[str], labels: list[str], config: dict[str, Any]) -> TfidfRegression:
        params = cls.feature_params(config)
        vectorizers = [_vectorizer(p) for p in params]
        features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
        regression = LogisticRegression(C=config["C"], max_iter=config["max_iter"], class_weight="balanced",
                                        random_state=config["random_state"]).fit(features, labels)
        if len(regression.classes_) < 3:
            raise ValueError("the TF-IDF regression needs at least three intents (multinomial)")
        return cls(params, vectorizers, regression.coef_.T, regression.intercept_,
                   [str(name) for name in regression.classes_])

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per class (`classes`), each row summing to 1."""
        features = hstack([v.transform(texts) for v in self._vectorizers]).tocsr()
        return softmax(features @ self._weights + self._intercept, axis=1)

    def save(self, directory: Path) -> None:
        vocabularies = [{term: int(index) for term, index in v.vocabulary_.items()} for v in self._vectorizers]
        (directory / _VOCABULARIES).write_text(
            json.dumps({"params": self._params, "vocabularies": vocabularies, "classes": self.classes},
                       ensure_ascii=False), encoding="utf-8")
        np.savez(directory / _WEIGHTS, weights=self._weights, intercept=self._intercept,
                 **{f"idf_{i}": v.idf_ for i, v in enumerate(self._vectorizers)})

    @classmethod
    def stored_in(cls, directory: Path) -> bool:
        return (directory / _VOCABULARIES).exists()

    @classmethod
    def load(cls, directory: Path) -> TfidfRegression:
        stored = json.loads((directory / _VOCABULARIES).read_text(encoding="utf-8"))
        arrays = np.load(directory / _WEIGHTS)
        vectorizers = []
        for i, (params, vocabulary) in enumerate(zip(stored["params"], stored["vocabularies"], strict=True)):
            vectorizer = _vectorizer(params, vocabulary)
            vectorizer.idf_ = arrays[f"idf_{i}"]
            vectorizers.append(vectorizer)
        return cls(stored["params"], vectorizers, arrays["weights"], arrays["intercept"], stored["classes"])
