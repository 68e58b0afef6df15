"""NLU component: a DIETClassifier that averages its intent ranking with the DIETs before it.

Two DIETClassifiers in one pipeline overwrite each other's `intent_ranking`. Listing this class
several times (each with its own `random_seed`) instead leaves the mean of all their rankings, so
the seeds' disagreements even out: one retraining of a single DIET moves a language's held-out
accuracy by a point or two. Needs `ranking_length: 0` (every intent ranked) in each of them, and
`entity_recognition: false`: the entities of several DIETs would be listed twice.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

# How many DIETs the message's ranking already averages (not part of the parse output).
_AVERAGED_COUNT = "averaged_diet_count"


def averaged_ranking(earlier: list[dict[str, Any]], count: int,
                     latest: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mean of `count` earlier rankings (given as their mean) and one more, best first."""
    scores = {item["name"]: count * float(item["confidence"]) for item in earlier}
    for item in latest:
        scores[item["name"]] = scores.get(item["name"], 0.0) + float(item["confidence"])
    return [{"name": name, "confidence": score / (count + 1)}
            for name, score in sorted(scores.items(), key=lambda pair: -pair[1])]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AveragingDIETClassifier(DIETClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        earlier = [(message.get(INTENT_RANKING_KEY), message.get(_AVERAGED_COUNT) or 0)
                   for message in messages]
        super().process(messages)
        for message, (ranking, count) in zip(messages, earlier, strict=True):
            latest = message.get(INTENT_RANKING_KEY)
            if not latest:
                continue  # no prediction of its own (an empty message): the earlier one stays
            if ranking and count:
                latest = averaged_ranking(ranking, count, latest)
                message.set(INTENT, latest[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, latest, add_to_output=True)
            message.set(_AVERAGED_COUNT, count + 1)
        return messages
