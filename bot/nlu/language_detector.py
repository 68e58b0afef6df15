"""NLU component: the language of every message, as the `language_detection` property.

The detectors settings.yml names (bot/language_detectors.py), averaged; the shop-vocabulary
detector is learnt at training time from data/nlu/<lang>.yml and the help articles' texts and
stored in the model. The component only annotates;
whether a message changes the conversation's language is decided with the conversation's history
by the LanguagePolicy (bot/nlu/language_policy.py, rules in bot/language.py).
"""

from __future__ import annotations

import re
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
from bot.help.articles import knowledge_base
from bot.language import language_identifier
from bot.language_detectors import ShopVocabularyModel, without_names_and_numbers
from bot.nlu_files import read_examples
from bot.settings import load_settings

LANGUAGE_DETECTION = "language_detection"
_PLACEHOLDER = re.compile(r"\{\w+\}")


def shop_texts(directory: Path, languages: tuple[str, ...], ignored_words: tuple[str, ...]) -> dict[str, list[str]]:
    """Per language: the training examples of <directory>/<lang>.yml and the help articles' texts,
    without the names and numbers that detection ignores too."""
    articles = knowledge_base().articles.values()
    texts: dict[str, list[str]] = {}
    for language in languages:
        examples = [example.text for example in read_examples(directory / f"{language}.yml", language)]
        written = [
            _PLACEHOLDER.sub(" ", line)
            for article in articles
            for line in (article.texts[language].title, article.texts[language].answer, *article.texts[language].steps)
        ]
        texts[language] = [cleaned for text in examples + written
                           if (cleaned := without_names_and_numbers(text, ignored_words))]
    return texts


# Registered as a featurizer so that it runs, in pipeline order, on training data too: the
# lemma tokenizer (the benchmark's alternative to whitespace tokens) needs the language of every example.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # One training file per language, named <lang>.yml, relative to the project root.
        # `vocabulary_words`: the shop vocabulary reads whole words beside character n-grams
        # (ShopVocabularyModel.train). Being config, it is part of Rasa's cache key for this
        # component: Rasa fingerprints this class's source, not bot/language_detectors.py.
        return {"vocabulary_dir": "data/nlu", "vocabulary_words": True}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource, None)

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
            vocabulary = ShopVocabularyModel.load(Path(directory))
        return cls(config, model_storage, resource, vocabulary)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: ShopVocabularyModel | None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._settings = load_settings()
        self._identifier = language_identifier(self._settings, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        directory = PROJECT_ROOT / self._config["vocabulary_dir"]
        rules = self._settings.language_detection
        vocabulary = ShopVocabularyModel.train(
            shop_texts(directory, self._settings.languages.supported, rules.ignored_words),
            words=bool(self._config["vocabulary_words"]),
        )
        self._identifier = language_identifier(self._settings, vocabulary)
        with self._model_storage.write_to(self._resource) as model_dir:
            vocabulary.save(Path(model_dir))
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
