"""NLU component: language-aware tokens with lemmas, from spaCy's blank pipelines.

Each message is split by `spacy.blank(lang)` for the language the LanguageDetector guessed, and
every token gets a lemma from the lookup tables of spacy-lookups-data (CountVectorsFeaturizer uses
lemmas by default). No pretrained pipeline is needed. Polish has only part-of-speech tables there;
without a tagger we ask them in turn (nouns first).
"""

from __future__ import annotations

import threading
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from spacy.lookups import Table, load_lookups

from bot.nlu.language_detector import LANGUAGE_DETECTION
from bot.settings import load_settings

_POLISH_TABLES = (
    "lemma_lookup_noun", "lemma_lookup_verb", "lemma_lookup_adj", "lemma_lookup_adv",
    "lemma_lookup_pron", "lemma_lookup_num", "lemma_lookup_adp", "lemma_lookup_aux",
    "lemma_lookup_part",
)


class LemmaLookup:
    """Word -> lemma from one or more spaCy lookup tables (the first table that knows it wins).

    spaCy's tables are keyed by string hashes, so they are queried through `Table.get`.
    """

    def __init__(self, tables: list[Table]) -> None:
        self._tables = tables

    def __bool__(self) -> bool:
        return any(len(table) for table in self._tables)

    def lemma(self, word: str) -> str | None:
        for table in self._tables:
            for form in (word, word.lower()):
                found = table.get(form)
                if found:
                    return found
        return None


def load_lemma_table(language: str) -> LemmaLookup:
    """The lemma lookup of spacy-lookups-data for one language (empty when it has none)."""
    names = list(_POLISH_TABLES) if language == "pl" else ["lemma_lookup"]
    lookups = load_lookups(language, names, strict=False)
    return LemmaLookup([lookups.get_table(name) for name in names if lookups.has_table(name)])


class _LanguageTools:
    """Tokenizers and lemma tables, loaded once per language on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizers: dict[str, Any] = {}
        self._lemmas: dict[str, LemmaLookup] = {}

    def get(self, language: str) -> tuple[Any, LemmaLookup]:
        with self._lock:
            if language not in self._tokenizers:
                self._tokenizers[language] = spacy.blank(language).tokenizer
                self._lemmas[language] = load_lemma_table(language)
            return self._tokenizers[language], self._lemmas[language]


_TOOLS = _LanguageTools()


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class LemmaTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LemmaTokenizer:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        settings = load_settings()
        self._supported = settings.languages.supported
        self._default = settings.languages.default

    def _language_of(self, message: Message) -> str:
        detection = message.get(LANGUAGE_DETECTION) or {}
        language = detection.get("language")
        return language if language in self._supported else self._default

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokenizer, lemmas = _TOOLS.get(self._language_of(message))
        tokens = []
        for word in tokenizer(text):
            if word.is_punct or word.is_space:
                continue
            lemma = lemmas.lemma(word.text) or word.lower_
            tokens.append(Token(word.text, word.idx, lemma=lemma.lower()))
        if not tokens:
            tokens = [Token(text, 0, lemma=text.lower())]
        return self._apply_token_pattern(tokens)
