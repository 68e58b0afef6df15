"""Which article a parsed message asks for: a button's `article` entity or the ResponseSelector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the search loads numpy and models; the selection itself needs neither
    from bot.help.search import SearchHit
    from bot.settings import HelpSettings

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


def decide(choice: ArticleChoice, hits: list[SearchHit], rules: HelpSettings) -> HelpDecision:
    """Answer or offer, from the classifier's choice and the search's hits (best first, unfiltered).

    The classifier answers when it is sure; below that the search can confirm its guess (same
    top article) or, when it is very sure itself, answer on its own. Otherwise the classifier's
    guess and the search's good hits are offered as buttons; with no good hit, nothing is.
    """
    if choice.article_id and choice.confidence >= rules.min_article_confidence:
        return HelpDecision(choice.article_id, ())
    good = [hit for hit in hits if hit.score >= rules.search.min_score]
    if good and good[0].article_id == choice.article_id:
        return HelpDecision(choice.article_id, ())
    if good and good[0].score >= rules.search.answer_min_score:
        return HelpDecision(good[0].article_id, ())
    if not good:
        # Neither is sure of anything (keyboard mashing often lands here): no article to offer.
        return HelpDecision(None, ())
    offered = [hit.article_id for hit in good]
    if choice.article_id and choice.article_id not in offered:
        offered = [choice.article_id, *offered]
    return HelpDecision(None, tuple(offered[: rules.search.results]))


def out_of_scope_suggestions(hits: list[SearchHit], rules: HelpSettings) -> list[str]:
    """Articles worth offering after all for a message the classifier found out of scope: only
    when the search's best hit is far above the usual bar (help questions in unusual words are
    sometimes taken for out of scope; out-of-scope questions rarely score that high)."""
    if not hits or hits[0].score < rules.search.out_of_scope_min_score:
        return []
    return [hit.article_id for hit in hits if hit.score >= rules.search.min_score][: rules.search.results]
