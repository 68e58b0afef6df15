"""Handing over to people: the queue place and honest wait, a callback instead, back to the bot,
and the rating at the end. The rules live in bot/handoff/ and settings.yml."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.actions import HANDOFF_REASON_SLOT, _language
from actions.rendering import send
from bot.answers import answer_variables
from bot.formatting import clock_in_zone
from bot.handoff.callbacks import CALLBACK, asks_for_a_call_back, normalize_phone, request_callback
from bot.handoff.queue import (
    HandoffUnavailable,
    QueueState,
    leave_queue,
    open_handoff,
    topic_from_events,
    transcript_from_events,
)
from bot.handoff.ratings import add_comment, store_rating
from bot.replies import Button, Phrase, Reply
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

BACK_TO_BOT = Button(Phrase("utter_button_back_to_bot"), "/cancel_handoff")
ADD_COMMENT = Button(Phrase("utter_button_add_comment"), "/add_rating_comment")


def _timezone(tracker: Tracker) -> str | None:
    """The customer's time zone when the channel sent one (metadata.timezone, e.g. Europe/Warsaw)."""
    for source in ((tracker.latest_message or {}).get("metadata"), tracker.get_slot("session_started_metadata")):
        if isinstance(source, dict) and isinstance(source.get("timezone"), str):
            return source["timezone"]
    return None


def _opening(state_time: datetime, tracker: Tracker, language: str, settings: Settings) -> str:
    return clock_in_zone(state_time, _timezone(tracker), language, settings.service_hours.timezone)


def queue_reply(state: QueueState, tracker: Tracker, language: str, settings: Settings) -> Reply:
    """What the customer hears after handing over: queue place and wait, or when people are back."""
    if not state.in_service_hours:
        values = {**answer_variables(settings, language),
                  "opening": _opening(state.next_opening, tracker, language, settings)}
        return Reply("utter_handoff_after_hours", values, (CALLBACK, BACK_TO_BOT))
    if state.wait_minutes is None:
        return Reply("utter_handoff_no_agent_online", {}, (CALLBACK, BACK_TO_BOT))
    return Reply("utter_handoff_queued", {"position": str(state.position), "wait_minutes": str(state.wait_minutes)},
                 (CALLBACK, BACK_TO_BOT))


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                    order_number: str | None, domain: dict[str, Any]) -> list[EventType]:
    """Puts the conversation in the agents' queue and tells the customer where they stand."""
    settings = load_settings()
    language = _language(tracker, settings)
    done = [SlotSet(HANDOFF_REASON_SLOT, None), SlotSet("handoff_offered", False)]
    try:
        state = await asyncio.to_thread(
            open_handoff,
            conversation_id=tracker.sender_id, language=language, reason=reason,
            transcript=transcript_from_events(tracker.events), settings=settings,
            topic=topic_from_events(tracker.events), order_number=order_number,
        )
    except HandoffUnavailable:
        dispatcher.utter_message(response="utter_handoff_failed")
        return done
    logger.info("handoff %s queued for %s (%s)", state.request_id, tracker.sender_id, reason)
    send(dispatcher, domain, language, queue_reply(state, tracker, language, settings))
    return done


class ActionHandoff(Action):
    """Hands over for the reason a flow set (handoff_reason), else for `default_reason`; a customer
    who asked to be called back gets the callback form instead of the chat queue."""

    default_reason = "customer_request"

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if asks_for_a_call_back(text, _language(tracker, load_settings())):
            return [SlotSet(HANDOFF_REASON_SLOT, None), FollowupAction("action_request_callback")]
        return await hand_over(
            dispatcher, tracker,
            reason=tracker.get_slot(HANDOFF_REASON_SLOT) or self.default_reason,
            order_number=tracker.get_slot("order_number") or tracker.get_slot("verified_order"),
            domain=domain,
        )


class ActionHandoffFrustration(ActionHandoff):
    """The customer is annoyed with the bot: an apology, then a person (reason frustration)."""

    default_reason = "frustration"

    def name(self) -> str:
        return "action_handoff_frustration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_frustration_apology")
        return await super().run(dispatcher, tracker, domain)


class ActionRequestCallback(Action):
    """The customer prefers a call: the chat request leaves the queue; the form asks the number."""

    def name(self) -> str:
        return "action_request_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            await asyncio.to_thread(leave_queue, tracker.sender_id, "callback")
        except SQLAlchemyError:
            logger.exception("could not take %s out of the queue", tracker.sender_id)
        # A person offered before (two failed turns) is answered by this choice.
        return [SlotSet("callback_phone", None), SlotSet("handoff_offered", False)]


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    async def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        settings = load_settings()
        if not value or str(value).startswith("/"):
            return {"callback_phone": None}  # nothing typed yet, or a button: the form asks
        phone = normalize_phone(str(value or ""), settings.handoff.regions_for(tracker.get_slot("language")))
        if phone is None:
            dispatcher.utter_message(response="utter_callback_invalid_phone")
            return {"callback_phone": None}
        return {"callback_phone": phone}


class ActionStoreCallback(Action):
    """Stores the callback and says honestly when the call comes."""

    def name(self) -> str:
        return "action_store_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        phone = tracker.get_slot("callback_phone")
        if not phone:
            return []
        try:
            ticket = await asyncio.to_thread(request_callback, conversation_id=tracker.sender_id,
                                             language=language, phone_e164=phone, settings=settings)
        except SQLAlchemyError:
            logger.exception("callback for %s could not be stored", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet("callback_phone", None)]
        values = {"phone": ticket.phone_e164}
        if not ticket.in_service_hours:
            values["opening"] = _opening(ticket.call_after, tracker, language, settings)
            reply = Reply("utter_callback_at_opening", values)
        elif ticket.wait_minutes is None:
            reply = Reply("utter_callback_when_free", values)
        elif ticket.wait_minutes <= settings.handoff.callback_promise_minutes:
            reply = Reply("utter_callback_soon", values)
        else:
            reply = Reply("utter_callback_in_minutes", {**values, "wait_minutes": str(ticket.wait_minutes)})
        send(dispatcher, domain, language, reply)
        return [SlotSet("callback_phone", None)]


class ActionCancelHandoff(Action):
    """The customer would rather go on with the bot: a request nobody has claimed leaves the queue."""

    def name(self) -> str:
        return "action_cancel_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            await asyncio.to_thread(leave_queue, tracker.sender_id, "cancelled")
        except SQLAlchemyError:
            logger.exception("could not take %s out of the queue", tracker.sender_id)
        dispatcher.utter_message(response="utter_handoff_cancelled")
        return []


class ActionStoreRating(Action):
    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        raw = str(tracker.get_slot("rating") or "").strip()
        if raw not in {"1", "2", "3", "4", "5"}:
            dispatcher.utter_message(response="utter_ask_rating")
            return [SlotSet("rating", None)]
        try:
            rating_id = await asyncio.to_thread(store_rating, conversation_id=tracker.sender_id, score=int(raw),
                                                language=language, topic=topic_from_events(tracker.events))
        except SQLAlchemyError:
            logger.exception("rating of %s could not be stored", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet("rating", None)]
        send(dispatcher, domain, language, Reply("utter_rating_thanks", {}, (ADD_COMMENT,)))
        return [SlotSet("rating", None), SlotSet("rating_id", str(rating_id))]


class ActionStoreRatingComment(Action):
    def name(self) -> str:
        return "action_store_rating_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        comment = tracker.get_slot("rating_comment")
        rating_id = tracker.get_slot("rating_id")
        if comment and rating_id and str(rating_id).isdigit():
            try:
                await asyncio.to_thread(add_comment, int(rating_id), str(comment))
            except SQLAlchemyError:
                logger.exception("rating comment of %s could not be stored", tracker.sender_id)
                dispatcher.utter_message(response="utter_handoff_failed")
                return [SlotSet("rating_comment", None)]
        dispatcher.utter_message(response="utter_rating_comment_thanks")
        return [SlotSet("rating_comment", None), SlotSet("rating_id", None)]


