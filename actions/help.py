"""Help articles: answer with one, ask whether it helped, offer the search's closest articles."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import HANDOFF_REASON_SLOT, _language, withdrawn_offer
from actions.rendering import handoff_button, topic_buttons
from bot.fallback import HANDOFF_TOPIC
from bot.help.articles import knowledge_base
from bot.help.feedback import FeedbackUnavailable, record_article_feedback
from bot.help.search import SearchHit, help_search, warm_up_in_background
from bot.help.selection import article_button_payload, chosen_article, decide
from bot.orders.missing_number import says_order_number_is_missing
from bot.responses import response_text
from bot.settings import load_settings

logger = logging.getLogger(__name__)

ARTICLE_SHOWN_SLOT = "article_shown"
ARTICLE_QUESTION_SLOT = "article_question"

warm_up_in_background()


def search_hits(text: str, language: str, exclude: tuple[str, ...] = (),
                needed_score: float | None = None) -> list[SearchHit]:
    """The search's best articles for `text`, unfiltered; none when the search is unavailable, or
    when none can reach `needed_score`."""
    if not text or text.startswith("/"):
        return []
    try:
        return help_search().search(text, language, exclude=exclude, needed_score=needed_score)
    except Exception:  # noqa: BLE001 - a broken search must not break the conversation
        logger.exception("help search failed; offering no articles")
        return []


def article_suggestions(text: str, language: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Ids of the articles worth offering for `text` ("Did you mean ...?")."""
    min_score = load_settings().help.search.min_score
    return [hit.article_id for hit in search_hits(text, language, exclude) if hit.score >= min_score]


def article_buttons(article_ids: list[str], language: str) -> list[dict[str, str]]:
    articles = knowledge_base().articles
    return [{"title": articles[article_id].texts[language].title, "payload": article_button_payload(article_id)}
            for article_id in article_ids]


def choice_buttons(article_ids: list[str], domain: dict[str, Any], language: str) -> list[dict[str, str]]:
    """The offered articles, then the topics they offer after their answer (a customer who meant a
    Kindle device sees "return an item" beside the e-book refund article), then a person."""
    articles = knowledge_base().articles
    topics = [topic for topic in dict.fromkeys(t for a in article_ids for t in articles[a].offers)
              if topic != HANDOFF_TOPIC]
    return [*article_buttons(article_ids, language), *topic_buttons(domain, topics, language),
            handoff_button(domain, language)]



class ActionAnswerArticle(Action):
    """Answers kindle/faq with the chosen article when sure enough, else offers the closest ones."""

    def name(self) -> str:
        return "action_answer_article"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if says_order_number_is_missing(text, language):
            # "Where do I find my order number?" reads like the invoices article but is answered
            # by the order lookup's help: where the number is, or a person who finds the order.
            dispatcher.utter_message(response="utter_order_number_missing", buttons=[handoff_button(domain, language)])
            return [*withdrawn_offer(tracker), SlotSet(ARTICLE_SHOWN_SLOT, None)]
        articles = knowledge_base().articles
        choice = chosen_article(message, set(articles))
        sure = choice.confidence >= settings.help.min_article_confidence
        decision = decide(choice, [] if sure else search_hits(text, language), settings.help)
        if decision.answer is None:
            dispatcher.utter_message(
                response="utter_did_you_mean" if decision.offered else "utter_ask_rephrase",
                buttons=choice_buttons(list(decision.offered), domain, language),
            )
            return [*withdrawn_offer(tracker), SlotSet(ARTICLE_SHOWN_SLOT, None)]
        article = articles[decision.answer]
        dispatcher.utter_message(response=article.response_name)
        dispatcher.utter_message(
            response="utter_ask_article_helped",
            buttons=[
                {"title": response_text(domain, "utter_button_article_helped", language), "payload": "/affirm"},
                {"title": response_text(domain, "utter_button_article_not_helped", language), "payload": "/deny"},
                *topic_buttons(domain, list(article.offers), language),
            ],
        )
        events: list[EventType] = [*withdrawn_offer(tracker), SlotSet(ARTICLE_SHOWN_SLOT, article.id)]
        if not text.startswith("/"):
            events.append(SlotSet(ARTICLE_QUESTION_SLOT, text))
        return events


class ActionArticleFeedback(Action):
    """Stores whether the article helped; when not, offers other articles and a person.

    "Forget it" (stop) in answer to "did this help?" counts as not helped, but the customer asked
    the bot to stop, so nothing more is offered.
    """

    def name(self) -> str:
        return "action_article_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        article_id = tracker.get_slot(ARTICLE_SHOWN_SLOT)
        if not article_id:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        # "thanks!" after an article says it helped as clearly as "yes".
        helped = intent in ("affirm", "thank")
        try:
            record_article_feedback(conversation_id=tracker.sender_id, article_id=article_id,
                                    language=language, helped=helped)
        except FeedbackUnavailable:
            pass  # logged there; the customer still gets an answer
        done: list[EventType] = [SlotSet(ARTICLE_SHOWN_SLOT, None)]
        if helped:
            dispatcher.utter_message(response="utter_article_helped")
            return done
        if intent == "stop":
            dispatcher.utter_message(response="utter_lookup_cancelled")
            return done
        others = article_suggestions(tracker.get_slot(ARTICLE_QUESTION_SLOT) or "", language,
                                     exclude=(article_id,))
        dispatcher.utter_message(
            response="utter_article_not_helped" if others else "utter_article_not_helped_no_alternatives",
            buttons=choice_buttons(others, domain, language),
        )
        return [*done, SlotSet(HANDOFF_REASON_SLOT, "article_not_helpful")]
