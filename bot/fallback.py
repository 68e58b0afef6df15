"""Low NLU confidence: which topics to offer, and when to stop asking and offer a person."""

from __future__ import annotations

from typing import Any

from bot.handoff.callbacks import CALLBACK
from bot.orders.status import CONNECT_AGENT, NO_THANKS
from bot.replies import Reply

LOW_CONFIDENCE_INTENT = "nlu_fallback"
# Turns the bot could not help with: unclear messages and those it declined as out of scope
# (keyboard mashing is often classified out of scope, and is no less a failed turn).
FAILED_TURN_INTENTS = (LOW_CONFIDENCE_INTENT, "out_of_scope")
# Topics that have a button label (utter_topic_<intent>) in the domain (domain/*.yml).
OFFERED_TOPICS = ("order_status", "return_item", "return_policy", "refund_status")
HANDOFF_TOPIC = "human_handoff"
# Stores "Did this help?" answers; after a "no" it offers other articles and a person.
NOT_HELPED_ACTION = "action_article_feedback"


def consecutive_failed_turns(events: list[dict[str, Any]]) -> int:
    """How many of the latest non-empty customer messages in a row were unclear or out of scope."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        text = event.get("text")
        if isinstance(text, str) and not text.strip():
            continue  # an empty message is no failed attempt to say something
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in FAILED_TURN_INTENTS:
            break
        count += 1
    return count


def person_offer(response: str) -> Reply:
    """After failed turns the customer chooses: a person in the chat, a call back, or go on with
    the bot (DESIGN.md: the handoff starts only when the customer accepts)."""
    return Reply(response, buttons=(CONNECT_AGENT, CALLBACK, NO_THANKS))


def likely_topics(intent_ranking: list[dict[str, Any]], limit: int) -> list[str]:
    """The most likely offered topics, best first; the handoff button comes on top of these."""
    ranked = [item.get("name") for item in intent_ranking]
    return [name for name in ranked if name in OFFERED_TOPICS][:limit]


def follows_unhelpful_article(events: list[dict[str, Any]]) -> bool:
    """The bot's last action before the latest message was the answer to "this did not help"
    (the customer has just said an article failed them, so a further failure goes to a person)."""
    seen_latest_message = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_latest_message:
                return False
            seen_latest_message = True
            continue
        if seen_latest_message and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == NOT_HELPED_ACTION
    return False
