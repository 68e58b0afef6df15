"""NLU component: order numbers, e-mails, phone numbers and postcodes by pattern (bot/patterns.py)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.patterns import find_entities


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class PatternEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PatternEntityExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            entities = [
                {
                    "entity": found.entity,
                    "start": found.start,
                    "end": found.end,
                    "value": found.value,
                    "confidence_entity": 1.0,
                }
                for found in find_entities(text)
            ]
            entities = self.add_extractor_name(entities)
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
