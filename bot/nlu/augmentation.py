"""NLU component: more training examples, written the way customers mistype, at training time.

Customers drop diacritics ("zasilka" for "zásilka", "siparisim" for "siparişim"), swap or miss a
letter and ignore capitals and punctuation. Each training example gets up to `copies_per_example`
variants, seeded so that training stays reproducible: without diacritics, with one typo in a word
of at least five letters, in lower case without punctuation. Examples with annotated entities are
left as they are (their character offsets would no longer match). At prediction time the
component does nothing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.text_folding import without_diacritics

_LONG_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def with_typo(text: str, rng: random.Random) -> str:
    """One letter swapped with its neighbour, dropped or doubled, in one longer word."""
    words = list(_LONG_WORD.finditer(text))
    if not words:
        return text
    word = rng.choice(words)
    letters = list(word.group())
    position = rng.randrange(1, len(letters) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        letters[position], letters[position + 1] = letters[position + 1], letters[position]
    elif kind == "drop":
        del letters[position]
    else:
        letters.insert(position, letters[position])
    return text[: word.start()] + "".join(letters) + text[word.end():]


def casual(text: str) -> str:
    """Lower case, no punctuation, single spaces."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def variants(text: str, rng: random.Random, copies: int) -> list[str]:
    """Up to `copies` distinct variants of `text`, none equal to it."""
    makers: list[Callable[[str], str]] = [without_diacritics, lambda t: with_typo(t, rng), casual]
    rng.shuffle(makers)
    found: list[str] = []
    for make in makers:
        variant = make(text)
        if variant.strip() and variant != text and variant not in found:
            found.append(variant)
        if len(found) == copies:
            break
    return found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TrainingAugmenter(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"copies_per_example": 1, "random_seed": 42}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TrainingAugmenter:
        return cls({**cls.get_default_config(), **config})

    def __init__(self, config: dict[str, Any]) -> None:
        self._copies = int(config["copies_per_example"])
        self._seed = int(config["random_seed"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        rng = random.Random(self._seed)
        seen = {example.get(TEXT) for example in training_data.training_examples}
        added: list[Message] = []
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if not example.get(INTENT) or not isinstance(text, str) or example.get(ENTITIES):
                continue
            for variant in variants(text, rng, self._copies):
                if variant in seen:
                    continue
                seen.add(variant)
                data = {TEXT: variant, INTENT: example.get(INTENT)}
                if example.get(INTENT_RESPONSE_KEY):
                    data[INTENT_RESPONSE_KEY] = example.get(INTENT_RESPONSE_KEY)
                added.append(Message(data=data))
        return training_data.merge(TrainingData(training_examples=added))

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
