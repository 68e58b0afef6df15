"""The help search on the packaged all-MiniLM-L6-v2 model and BM25, over the real articles."""

from __future__ import annotations

import numpy as np
import pytest

from bot.help.articles import knowledge_base
from bot.help.search import (
    HelpSearch,
    SentenceTransformerEncoder,
    article_documents,
    lexical_tokens,
    resolve_model_path,
)
from bot.settings import load_settings
from bot.text_folding import fold_text
from tests.helpers import LANGUAGES

SETTINGS = load_settings().help.search


class CountingEncoder:
    """The real encoder, counting the texts it was asked to encode."""

    def __init__(self, encoder: SentenceTransformerEncoder) -> None:
        self.inner = encoder
        self.name = encoder.name
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def encoder() -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(resolve_model_path("packaged"))


@pytest.fixture(scope="module")
def documents():
    return article_documents(knowledge_base(), LANGUAGES)


@pytest.fixture(scope="module")
def search(encoder, documents, tmp_path_factory) -> HelpSearch:
    return HelpSearch(documents, encoder, SETTINGS, cache_dir=tmp_path_factory.mktemp("help-index"))


def test_the_packaged_model_is_a_local_folder_and_a_wrong_path_is_refused(monkeypatch, tmp_path):
    assert (resolve_model_path("packaged") / "config.json").exists()
    monkeypatch.setenv("HELP_EMBEDDING_MODEL", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="HELP_EMBEDDING_MODEL"):
        resolve_model_path("packaged")


def test_words_are_folded_so_missing_accents_still_match():
    assert fold_text("Nabíjení ŁADOWANIE şarj ışık Größe") == "nabijeni ladowanie sarj isik grosse"
    assert lexical_tokens("Kindle się nie ładuje", 5) == lexical_tokens("kindle sie nie laduje", 5)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_articles_own_title_finds_it_first_in_every_language(search, language):
    misses = []
    for article in knowledge_base().articles.values():
        hits = search.search(article.texts[language].title, language, limit=1)
        if hits[0].article_id != article.id:
            misses.append((article.id, hits[0].article_id))
    assert len(misses) <= 2, misses


@pytest.mark.parametrize("language", ["pl", "cs", "tr", "de"])
def test_titles_typed_without_accents_still_find_their_article(search, language):
    found = 0
    articles = list(knowledge_base().articles.values())
    for article in articles:
        plain = fold_text(article.texts[language].title)
        found += search.search(plain, language, limit=3, semantic_weight=0.0)[0].article_id == article.id
    assert found >= len(articles) - 3


def test_the_semantic_part_finds_english_paraphrases_without_shared_words(search):
    hits = search.search("the reader is stuck on one picture and ignores every button", "en",
                         limit=3, semantic_weight=1.0)
    assert "kindle/frozen_device" in [hit.article_id for hit in hits]
    lexical_only = search.search("the reader is stuck on one picture and ignores every button", "en",
                                 limit=1, semantic_weight=0.0)
    assert hits[0].semantic > lexical_only[0].semantic


def test_gibberish_gets_no_suggestions_and_unknown_words_do_not_crash(search):
    assert search.suggestions("qzxv wkkj plmf", "de") == []
    assert search.search("zzzz", "pl", limit=2)[0].lexical == 0.0


def test_excluded_articles_are_not_suggested(search):
    question = "mein Kindle lädt nicht mehr, der Akku bleibt leer"
    first = search.search(question, "de", limit=1)[0].article_id
    assert first not in [hit.article_id for hit in search.search(question, "de", exclude=(first,))]


def test_scores_are_between_zero_and_one_and_sorted(search):
    hits = search.search("Wie kündige ich Prime?", "de", limit=5)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= hit.score <= 1.0 and 0.0 <= hit.semantic <= 1.0 and 0.0 <= hit.lexical < 1.0
               for hit in hits)


def test_article_embeddings_are_computed_once_and_then_read_from_the_cache(encoder, documents, tmp_path):
    first = CountingEncoder(encoder)
    HelpSearch(documents, first, SETTINGS, cache_dir=tmp_path)
    assert first.encoded > 1000
    second = CountingEncoder(encoder)
    again = HelpSearch(documents, second, SETTINGS, cache_dir=tmp_path)
    assert second.encoded == 0
    again.search("kindle wifi", "en")
    assert second.encoded == 1  # only the question


def test_without_an_encoder_the_search_is_lexical(documents):
    lexical = HelpSearch(documents, None, SETTINGS, cache_dir=None)
    hits = lexical.search("Lastschrift Bankkonto hinzufügen IBAN", "de", limit=1)
    assert hits[0].article_id == "faq/direct_debit"
    assert hits[0].semantic == 0.0


def test_a_needed_score_no_article_can_reach_skips_the_embedding(encoder, documents, tmp_path):
    counting = CountingEncoder(encoder)
    search = HelpSearch(documents, counting, SETTINGS, cache_dir=tmp_path)
    counting.encoded = 0
    needed = SETTINGS.out_of_scope_min_score
    assert search.search("wie hoch ist die zugspitze", "de", needed_score=needed) == []
    assert counting.encoded == 0
    question = "Lastschrift Bankkonto hinzufügen IBAN"
    with_bar = search.search(question, "de", needed_score=needed)
    assert counting.encoded == 1
    assert with_bar == search.search(question, "de")  # a reachable bar changes nothing
