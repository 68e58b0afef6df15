"""Low NLU confidence and out-of-scope messages: offer the closest help articles (or likely topics),
then, after two failed turns in a row, a person (in the chat or by a call back), which the customer
may decline."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import HANDOFF_REASON_SLOT, _language, withdrawn_offer
from actions.help import article_suggestions, choice_buttons, search_hits
from actions.orders import offer_agent
from actions.rendering import handoff_button, send, topic_buttons
from bot.fallback import consecutive_failed_turns, follows_unhelpful_article, likely_topics, person_offer
from bot.help.selection import out_of_scope_suggestions
from bot.settings import Settings, load_settings


def failed_again(tracker: Tracker, settings: Settings) -> bool:
    """This message, not a blank one, makes `max_consecutive_failed_turns` failed turns in a row."""
    text = (tracker.latest_message or {}).get("text") or ""
    return bool(text.strip()) and \
        consecutive_failed_turns(tracker.events) >= settings.fallback.max_consecutive_failed_turns


def offer_a_person(dispatcher: CollectingDispatcher, domain: dict[str, Any], language: str,
                   response: str) -> list[EventType]:
    send(dispatcher, domain, language, person_offer(response))
    return offer_agent("failed_turns")


class ActionLowConfidence(Action):
    """Offers the search's closest articles ("Did you mean ...?") or the likely topics as buttons,
    always with a person; after another failed turn it offers a person (or a call back) instead,
    and hands over at once only when an article the customer said did not help came just before."""

    def name(self) -> str:
        return "action_low_confidence"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        message = tracker.latest_message or {}
        blank = not (message.get("text") or "").strip()
        if not blank and tracker.get_slot(HANDOFF_REASON_SLOT) == "article_not_helpful" \
                and follows_unhelpful_article(tracker.events):
            return [FollowupAction("action_handoff")]  # an article failed, and now this: a person
        language = _language(tracker, settings)
        if failed_again(tracker, settings):
            return offer_a_person(dispatcher, domain, language, "utter_unclear_offer_agent")
        articles = article_suggestions(message.get("text") or "", language)
        if articles:
            dispatcher.utter_message(
                response="utter_did_you_mean",
                buttons=choice_buttons(articles, domain, language),
            )
            return []
        topics = likely_topics(message.get("intent_ranking") or [], settings.fallback.rephrase_buttons)
        buttons = topic_buttons(domain, topics, language)
        dispatcher.utter_message(response="utter_ask_rephrase", buttons=[*buttons, handoff_button(domain, language)])
        return []


class ActionOutOfScope(Action):
    """Says what the bot is for; when the search finds a help article that fits very well, offers
    it anyway (a help question in unusual words can look out of scope to the classifier). After
    another failed turn (out of scope or unclear) it offers a person, which the customer may decline."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        text = (tracker.latest_message or {}).get("text") or ""
        hits = search_hits(text, language, needed_score=settings.help.search.out_of_scope_min_score)
        articles = out_of_scope_suggestions(hits, settings.help)
        if articles:
            dispatcher.utter_message(
                response="utter_out_of_scope_did_you_mean",
                buttons=choice_buttons(articles, domain, language),
            )
            return withdrawn_offer(tracker)
        if failed_again(tracker, settings):
            return offer_a_person(dispatcher, domain, language, "utter_out_of_scope_offer_agent")
        dispatcher.utter_message(response="utter_out_of_scope")
        return withdrawn_offer(tracker)
