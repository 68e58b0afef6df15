"""NLU component: the language of every message, as the `language_detection` property.

langdetect (six languages, seeded) plus a vote of the shop's vocabulary per language, learnt at
training time from data/nlu/<lang>.yml and stored in the model. The component only annotates;
whether a message changes the conversation's language is decided with the conversation's history
in `action_detect_language` (bot/language.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import PROJECT_ROOT
from bot.language import LanguageIdentifier, VocabularyVote
from bot.nlu_files import read_examples
from bot.settings import load_settings

LANGUAGE_DETECTION = "language_detection"
VOCABULARY_FILE = "vocabulary.json"


# Registered as a featurizer so that it runs, in pipeline order, on training data too: the
# lemma tokenizer (the benchmark's alternative to whitespace tokens) needs the language of every example.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # One training file per language, named <lang>.yml, relative to the project root.
        return {"vocabulary_dir": "data/nlu"}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource, VocabularyVote({}))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, VocabularyVote(vocabulary))

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, vote: VocabularyVote
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._settings = load_settings()
        self._use(vote)

    def _use(self, vote: VocabularyVote) -> None:
        rules = self._settings.language_detection
        self._vote = vote
        self._identifier = LanguageIdentifier(
            self._settings.languages.supported, rules.seed, vote, rules.vocabulary_min_score, rules.vocabulary_margin
        )

    def train(self, training_data: TrainingData) -> Resource:
        directory = PROJECT_ROOT / self._config["vocabulary_dir"]
        examples = {
            language: [example.text for example in read_examples(directory / f"{language}.yml", language)]
            for language in self._settings.languages.supported
            if (directory / f"{language}.yml").exists()
        }
        self._use(VocabularyVote.from_examples(examples))
        with self._model_storage.write_to(self._resource) as model_dir:
            Path(model_dir, VOCABULARY_FILE).write_text(json.dumps(self._vote.as_dict()), encoding="utf-8")
        return self._resource

    def _annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            message.set(LANGUAGE_DETECTION, self._identifier.detect(text).as_dict(), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._annotate(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message)
        return messages
