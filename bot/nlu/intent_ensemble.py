"""NLU component: DIET's intent ranking averaged with a logistic regression's.

Placed after DIETClassifier (with `ranking_length: 0`, so DIET ranks every intent). It trains
scikit-learn's logistic regression on the same sparse sentence features and replaces `intent`
and `intent_ranking` by the weighted mean of both probabilities. Two classifiers in a Rasa
pipeline otherwise overwrite each other; averaging keeps both opinions, and the linear model's
probabilities are less often a confident 1.0 on messages unlike the training data.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import LogisticRegression

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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentEnsemble(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"diet_weight": 0.5, "max_iter": 300, "C": 1.0, "random_state": 42}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentEnsemble:
        return cls({**cls.get_default_config(), **config}, model_storage, resource, None)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> IntentEnsemble:
        import skops.io as sio

        with model_storage.read_from(resource) as directory:
            path = directory / _MODEL_FILE
            model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        return cls({**cls.get_default_config(), **config}, model_storage, resource, model)

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LogisticRegression | None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    def train(self, training_data: TrainingData) -> Resource:
        import skops.io as sio

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        model = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"],
                                   class_weight="balanced", random_state=self._config["random_state"])
        model.fit(sentence_features(examples), [e.get(INTENT) for e in examples])
        self._model = model
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(model, directory / _MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        classes = [str(name) for name in self._model.classes_]
        for message in messages:
            features = sentence_features([message])
            if features.shape[1] != self._model.n_features_in_:
                continue  # no text features (an empty message): DIET's ranking stays
            row = self._model.predict_proba(features)[0]
            ranking = combined_ranking(message.get(INTENT_RANKING_KEY) or [], classes, row,
                                       float(self._config["diet_weight"]))
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:_RANKING_LENGTH], add_to_output=True)
        return messages
