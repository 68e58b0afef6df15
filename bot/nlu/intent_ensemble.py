"""NLU component: DIET's intent ranking averaged with a logistic regression's.

Placed after DIETClassifier (with `ranking_length: 0`, so DIET ranks every intent). It trains
scikit-learn's logistic regression and replaces `intent` and `intent_ranking` by the weighted
mean of both probabilities. Two classifiers in a Rasa pipeline otherwise overwrite each other;
averaging keeps both opinions, and the linear model's probabilities are less often a confident
1.0 on messages unlike the training data.

The regression reads either its own TF-IDF features (`regression_features: tfidf`, the default:
word 1-2-grams, character 1-5-grams and, with `word_prefix_length`, word 1-2-grams of the words
cut to that many letters, all of the masked tokens, bot/nlu/tfidf_regression.py) or the
pipeline's sparse sentence features (`pipeline`: raw counts, as DIET sees them). TF-IDF scales a
long message like a short one and weighs rare, telling words up; on both held-out sets it beat
the raw counts (README, "Intent classification").
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import LogisticRegression

from bot.nlu.tfidf_regression import TfidfRegression

logger = logging.getLogger(__name__)
_MODEL_FILE = "logistic_regression.skops"
_RANKING_LENGTH = 10


def sentence_features(messages: list[Message]) -> csr_matrix:
    """Each message's sentence-level sparse (and dense, if any) features, one row each."""
    rows = []
    for message in messages:
        sparse = message.get_sparse_features(TEXT)[1]
        dense = message.get_dense_features(TEXT)[1]
        parts = [csr_matrix(sparse.features)] if sparse else []
        if dense:
            parts.append(csr_matrix(dense.features))
        rows.append(hstack(parts) if parts else csr_matrix((1, 0)))
    return vstack(rows).tocsr()


def token_text(message: Message) -> str:
    """The message's tokens joined by spaces: order numbers, e-mails ... are their placeholders
    (bot/nlu/masking_tokenizer.py), so an address's letters weigh as little here as in DIET."""
    return " ".join(token.text for token in message.get(TOKENS_NAMES[TEXT]) or [])


def counts_regression(config: dict[str, Any]) -> LogisticRegression:
    return LogisticRegression(C=config["C"], max_iter=config["max_iter"], class_weight="balanced",
                              random_state=config["random_state"])


def combined_ranking(diet: list[dict[str, Any]], classes: list[str], probabilities: np.ndarray,
                     diet_weight: float) -> list[dict[str, Any]]:
    """Weighted mean of DIET's confidences and the regression's, best first."""
    scores = dict.fromkeys(classes, 0.0)
    for item in diet:
        scores[item["name"]] = diet_weight * float(item["confidence"])
    for name, probability in zip(classes, probabilities, strict=True):
        scores[name] = scores.get(name, 0.0) + (1.0 - diet_weight) * float(probability)
    return [{"name": name, "confidence": score}
            for name, score in sorted(scores.items(), key=lambda item: -item[1])]


def diet_share(words: int, config: dict[str, Any]) -> float:
    """DIET's share of the averaged confidence for a message of `words` words.

    A message of one or two words ("ok", "nein danke", "merhaba") gives the regression few
    n-grams to go on, so `short_message_words` or fewer words take `short_message_diet_weight`
    instead of `diet_weight`.
    """
    if words <= config["short_message_words"]:
        return float(config["short_message_diet_weight"])
    return float(config["diet_weight"])


def ensemble_ranking(diet: list[dict[str, Any]], classes: list[str], probabilities: np.ndarray, words: int,
                     config: dict[str, Any]) -> list[dict[str, Any]]:
    """The ranking IntentEnsemble gives a message of `words` words (the one place it averages, so
    that bot/evaluation.py can record and replay it)."""
    return combined_ranking(diet, classes, probabilities, diet_share(words, config))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentEnsemble(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"diet_weight": 0.5, "short_message_words": 0, "short_message_diet_weight": 0.5,
                "regression_features": "tfidf", "C": 100.0, "max_iter": 1000,
                "word_max_ngram": 2, "char_max_ngram": 5, "char_min_df": 2, "fold_diacritics": False,
                "word_prefix_length": 0, "random_state": 42}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentEnsemble:
        return cls({**cls.get_default_config(), **config}, model_storage, resource, None)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> IntentEnsemble:
        import skops.io as sio

        with model_storage.read_from(resource) as directory:
            if TfidfRegression.stored_in(directory):
                model: TfidfRegression | LogisticRegression = TfidfRegression.load(directory)
            else:
                path = directory / _MODEL_FILE
                model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        return cls({**cls.get_default_config(), **config}, model_storage, resource, model)

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: TfidfRegression | LogisticRegression | None) -> None:
        if config["regression_features"] not in ("tfidf", "pipeline"):
            raise ValueError("regression_features must be 'tfidf' or 'pipeline', "
                             f"not {config['regression_features']!r}")
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    def train(self, training_data: TrainingData) -> Resource:
        import skops.io as sio

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = [e.get(INTENT) for e in examples]
        with self._model_storage.write_to(self._resource) as directory:
            if self._config["regression_features"] == "tfidf":
                self._model = TfidfRegression.fit([token_text(e) for e in examples], labels, self._config)
                self._model.save(directory)
            else:
                self._model = counts_regression(self._config).fit(sentence_features(examples), labels)
                sio.dump(self._model, directory / _MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        # The stored model decides, not the config: a model trained before the TF-IDF features
        # (a bare regression on the pipeline's counts) keeps working with this code.
        reads_text = isinstance(self._model, TfidfRegression)
        classes = self._model.classes if reads_text else [str(name) for name in self._model.classes_]
        for message in messages:
            text = token_text(message)
            if reads_text:
                if not text:
                    continue  # no words (an empty message): DIET's ranking stays
                row = self._model.probabilities([text])[0]
            else:
                features = sentence_features([message])
                if features.shape[1] != self._model.n_features_in_:
                    continue  # no text features (an empty message): DIET's ranking stays
                row = self._model.predict_proba(features)[0]
            ranking = ensemble_ranking(message.get(INTENT_RANKING_KEY) or [], classes, row, len(text.split()),
                                       self._config)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:_RANKING_LENGTH], add_to_output=True)
        return messages
