"""The help knowledge base: one YAML file per article under data/knowledge/, six languages each.

An article's id is its retrieval intent (`kindle/sync`, `faq/prime`): the ResponseSelector picks
it, and the domain response `utter_<id>` (generated into domain/help.yml) carries its text.
Texts may hold {placeholders} that the bot fills from settings.yml (bot/answers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
LABELS_FILE = "labels.yml"
RETRIEVAL_INTENTS = ("kindle", "faq")
# Intents an article may offer as a button after its answer; each has an utter_topic_<intent> title.
OFFERABLE_TOPICS = ("human_handoff", "return_item")


class KnowledgeBaseError(ValueError):
    """An article file is incomplete or malformed; the message names the file and the gap."""


@dataclass(frozen=True)
class ArticleText:
    title: str
    answer: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    id: str  # the retrieval intent, e.g. "kindle/sync"
    link_path: str  # the help page's path, filled into settings.help.article_url
    texts: dict[str, ArticleText]
    # Topics offered as buttons beside "did this help?" (OFFERABLE_TOPICS): the contact article offers
    # a person (there is no hotline to call instead), the e-book refund article the return flow (for a
    # customer who meant to send back the Kindle itself).
    offers: tuple[str, ...] = ()

    @property
    def response_name(self) -> str:
        return f"utter_{self.id}"

    def link(self, language: str, url_template: str) -> str:
        return url_template.format(language=language, article=self.link_path)


@dataclass(frozen=True)
class KnowledgeBase:
    articles: dict[str, Article]
    labels: dict[str, dict[str, str]]  # label name -> language -> text

    def label(self, name: str, language: str) -> str:
        return self.labels[name][language]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where} is missing or empty")
    return value.strip()


def _offered_topics(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or any(topic not in OFFERABLE_TOPICS for topic in value) \
            or len(set(value)) != len(value):
        raise KnowledgeBaseError(f"{where} must be a list of distinct topics out of {', '.join(OFFERABLE_TOPICS)}")
    return tuple(value)


def _article_text(raw: Any, where: str) -> ArticleText:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where} is missing")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise KnowledgeBaseError(f"{where}: steps must be a non-empty list")
    return ArticleText(
        title=_text(raw.get("title"), f"{where}: title"),
        answer=_text(raw.get("answer"), f"{where}: answer"),
        steps=tuple(_text(step, f"{where}: step {number}") for number, step in enumerate(steps, 1)),
    )


def parse_article(raw: Any, path: Path, languages: tuple[str, ...]) -> Article:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{path}: not a YAML mapping")
    article_id = _text(raw.get("id"), f"{path}: id")
    group, _, topic = article_id.partition("/")
    if group not in RETRIEVAL_INTENTS or not topic:
        raise KnowledgeBaseError(f"{path}: id {article_id!r} must be kindle/<topic> or faq/<topic>")
    expected = f"{group}/{topic}"
    if path.parent.name != group or path.stem != topic:
        raise KnowledgeBaseError(f"{path}: article {expected} belongs in {group}/{topic}.yml")
    return Article(
        id=article_id,
        link_path=str(raw.get("link") or article_id),
        texts={language: _article_text(raw.get(language), f"{path}: {language}") for language in languages},
        offers=_offered_topics(raw.get("offers", []), f"{path}: offers"),
    )


def load_knowledge_base(languages: tuple[str, ...], directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Every article and label under `directory`; raises KnowledgeBaseError on any gap."""
    articles: dict[str, Article] = {}
    for path in sorted(directory.glob("*/*.yml")):
        article = parse_article(yaml.safe_load(path.read_text(encoding="utf-8")), path, languages)
        articles[article.id] = article
    if not articles:
        raise KnowledgeBaseError(f"no articles under {directory}")
    raw_labels = yaml.safe_load((directory / LABELS_FILE).read_text(encoding="utf-8")) or {}
    labels = {
        name: {language: _text((texts or {}).get(language), f"{LABELS_FILE}: {name}.{language}")
               for language in languages}
        for name, texts in raw_labels.items()
    }
    return KnowledgeBase(articles=articles, labels=labels)


@cache
def knowledge_base() -> KnowledgeBase:
    """The project's knowledge base for the languages of settings.yml (read once per process)."""
    from bot.settings import load_settings

    return load_knowledge_base(load_settings().languages.supported)


def render_article(article: Article, language: str, knowledge: KnowledgeBase, url_template: str) -> str:
    """The chat text of an article: title, short answer, numbered steps and the help-page link."""
    text = article.texts[language]
    steps = "\n".join(f"{number}. {step}" for number, step in enumerate(text.steps, 1))
    more = knowledge.label("more_info", language)
    # Single line breaks: Rasa's output channels split a text into several messages at blank lines.
    return f"{text.title}\n{text.answer}\n{steps}\n{more} {article.link(language, url_template)}"


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """'{opens_at}' -> '06:00' for the values given; other braces stay as they are."""
    return text.format_map(_KeepUnknown(values))
