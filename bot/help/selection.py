"""Which article a parsed message asks for: a button's `article` entity or the ResponseSelector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ARTICLE_ENTITY = "article"
# The whole certainty of a button the customer clicked.
CLICKED = 1.0


@dataclass(frozen=True)
class ArticleChoice:
    article_id: str | None
    confidence: float


def _clicked_article(parse_data: dict[str, Any], known: set[str]) -> str | None:
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == ARTICLE_ENTITY and entity.get("value") in known:
            return str(entity["value"])
    return None


def chosen_article(parse_data: dict[str, Any], known: set[str]) -> ArticleChoice:
    """The article and how sure the bot is of it.

    The FallbackClassifier only sees the intent (`kindle`), so the sub-topic's own confidence
    decides here. Only articles of the predicted intent's group count: with `faq` predicted, a
    Kindle article at the top of the ranking is not the answer.
    """
    clicked = _clicked_article(parse_data, known)
    if clicked:
        return ArticleChoice(clicked, CLICKED)
    group = ((parse_data.get("intent") or {}).get("name") or "").split("/")[0]
    selector = (parse_data.get("response_selector") or {}).get("default") or {}
    ranking = selector.get("ranking") or []
    for candidate in ranking:
        key = candidate.get("intent_response_key") or ""
        if key in known and key.split("/")[0] == group:
            return ArticleChoice(key, float(candidate.get("confidence") or 0.0))
    return ArticleChoice(None, 0.0)


def article_button_payload(article_id: str) -> str:
    """A button that answers with the article whatever the classifier would say."""
    group = article_id.split("/")[0]
    return f'/{group}{{"{ARTICLE_ENTITY}":"{article_id}"}}'


@dataclass(frozen=True)
class HelpDecision:
    answer: str | None  # the article to answer with, or None
    offered: tuple[str, ...]  # otherwise the articles offered as buttons (may be empty)


def decide(choice: ArticleChoice, min_confidence: float, suggestions: list[str], limit: int) -> HelpDecision:
    """Answer when sure enough; else offer the search's suggestions, the classifier's guess first."""
    if choice.article_id and choice.confidence >= min_confidence:
        return HelpDecision(choice.article_id, ())
    offered = list(suggestions)
    if choice.article_id and choice.article_id not in offered:
        offered = [choice.article_id, *offered]
    return HelpDecision(None, tuple(offered[:limit]))
