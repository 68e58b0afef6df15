"""NLU component: langdetect's guess for every message, as the `language_detection` property.

It only annotates. Whether the guess changes the conversation's language is decided with the
conversation's history in `action_detect_language` (see bot/language.py).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import shared_identifier
from bot.settings import load_settings

LANGUAGE_DETECTION = "language_detection"


# Registered as a featurizer so that it runs, in pipeline order, on training data too: the
# lemma tokenizer after it needs the language of every example.
@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class LanguageDetector(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def __init__(self) -> None:
        self._identifier = shared_identifier(load_settings())

    def _annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            detection = self._identifier.detect(text)
            message.set(LANGUAGE_DETECTION, detection.as_dict(), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._annotate(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message)
        return messages
