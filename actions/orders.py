"""Order lookup: the form that collects number and proof, and the answer from the order database."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import HANDOFF_REASON_SLOT, _language
from actions.handoff import ActionHandoff, hand_over
from actions.rendering import handoff_button, send, topic_buttons
from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY
from bot.formatting import long_date
from bot.orders.customer_token import token_secret, verified_customer_id
from bot.orders.lookup import (
    OrderStoreUnavailable,
    customer_order,
    find_verified_order,
    recent_orders,
)
from bot.orders.missing_number import says_order_number_is_missing
from bot.orders.status import CONNECT_AGENT, NO_THANKS, order_status
from bot.orders.views import OrderView, local_day
from bot.patterns import EMAIL, POSTCODES
from bot.replies import Reply
from bot.returns.service import eligibility, refund_replies, refusal_reply
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

PURPOSES = {"order_status": "status", "return_item": "return", "refund_status": "refund"}
CUSTOMER_TOKEN_KEY = "customer_token"
# Something that looks like an attempt at an order number (digits), but did not parse as one.
_DIGITS = re.compile(r"\d[\d\s-]{3,}")
LOOKUP_SLOTS = ("order_number", "order_verifier")


def _metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _now() -> datetime:
    return datetime.now(UTC)


def _customer_id(tracker: Tracker) -> int | None:
    value = tracker.get_slot("customer_id")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def offer_agent(reason: str) -> list[EventType]:
    """The bot has offered a person: 'yes' or the button starts a handoff with this reason."""
    return [SlotSet("handoff_offered", True), SlotSet(HANDOFF_REASON_SLOT, reason)]


def apologise_and_offer_agent(dispatcher: CollectingDispatcher, domain: dict[str, Any], language: str,
                              response: str = "utter_lookup_unavailable") -> list[EventType]:
    """A flow failed (database down, return not created): say so, and offer a person."""
    send(dispatcher, domain, language, Reply(response, buttons=(CONNECT_AGENT, NO_THANKS)))
    return offer_agent("flow_failure")


class ActionAskOrderTopic(Action):
    """"I need help with my order": asks what about, with the order topics as buttons (settings.yml
    orders.general_question_topics) and a person for anything else; guessing would be worse."""

    def name(self) -> str:
        return "action_ask_order_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        buttons = [*topic_buttons(domain, settings.orders.general_question_topics, language),
                   handoff_button(domain, language)]
        dispatcher.utter_message(response="utter_ask_order_topic", buttons=buttons)
        return []


class ActionStartOrderLookup(Action):
    """Remembers what the customer wants (status, return, refund) and who they are (signed token)."""

    def name(self) -> str:
        return "action_start_order_lookup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        events: list[EventType] = [
            SlotSet("lookup_purpose", PURPOSES.get(intent, tracker.get_slot("lookup_purpose") or "status")),
            SlotSet("return_item", None),
            SlotSet("return_reason", None),
            SlotSet("handoff_offered", False),
        ]
        metadata = _metadata(tracker)
        # The app channel verified the customer's token itself and passes only the id; channels
        # drop this key from what clients send.
        channel_verified = metadata.get(VERIFIED_CUSTOMER_KEY)
        customer = channel_verified if isinstance(channel_verified, int) else verified_customer_id(
            metadata.get(CUSTOMER_TOKEN_KEY), token_secret())
        # Only this message's proof counts: a conversation id reached some other way must not
        # inherit a customer verified earlier.
        events.append(SlotSet("customer_id", str(customer) if customer is not None else None))
        return events


class ValidateOrderLookupForm(FormValidationAction):
    """Checks each value as it comes; a malformed number or proof gets a hint about the format."""

    def name(self) -> str:
        return "validate_order_lookup_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        if tracker.get_slot("customer_id"):
            return ["order_number"]  # a signed-in customer proves nothing more
        return domain_slots

    async def extract_order_verifier(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        """A reply to the proof question that is neither an e-mail nor a postcode gets the format hint."""
        if tracker.get_slot("requested_slot") != "order_verifier" or tracker.get_slot("order_verifier"):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        looks_like_proof = "@" in text or any(ch.isdigit() for ch in text)
        if looks_like_proof and not EMAIL.search(text) and not any(p.search(text) for p in POSTCODES):
            dispatcher.utter_message(response="utter_verifier_format")
            return {"order_verifier": None}
        return {}

    async def extract_order_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "order_number" or tracker.get_slot("order_number"):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        if _DIGITS.search(text) and not text.startswith("/"):
            dispatcher.utter_message(response="utter_order_number_format")
            return {"order_number": None}
        if says_order_number_is_missing(text, _language(tracker, load_settings()), asked=True):
            return {"order_number": None}  # the form stays; action_ask_order_number helps them find it
        return {}


class ActionAskOrderNumber(Action):
    """Asks for the order number; a signed-in customer picks one of their recent orders instead."""

    def name(self) -> str:
        return "action_ask_order_number"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        customer = _customer_id(tracker)
        if customer is None:
            text = (tracker.latest_message or {}).get("text") or ""
            asked = tracker.get_slot("requested_slot") == "order_number"
            if says_order_number_is_missing(text, language, asked=asked):
                dispatcher.utter_message(response="utter_order_number_missing",
                                         buttons=[handoff_button(domain, language)])
            else:
                dispatcher.utter_message(response="utter_ask_order_number")
            return []
        try:
            orders = recent_orders(customer, settings.orders, _now())
        except OrderStoreUnavailable:
            logger.exception("recent orders of customer %s", customer)
            return [*apologise_and_offer_agent(dispatcher, domain, language), FollowupAction("action_deactivate_loop")]
        if not orders:
            dispatcher.utter_message(response="utter_no_recent_orders")
            return []
        dispatcher.utter_message(
            response="utter_choose_order",
            buttons=[
                {"title": f"{long_date(order.placed_on, language)}: {order.first_title}"[:60],
                 "payload": f'/inform{{"order_number":"{order.number}"}}'}
                for order in orders
            ],
        )
        return []


def _answer(order: OrderView, purpose: str, language: str, settings: Settings,
            dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[EventType]:
    """What the verified customer asked for: status, the returnable items, or refunds."""
    today = local_day(_now())
    if order.status == "cancelled":
        purpose = "status"  # nothing to send back: say it was cancelled and where the money goes
    if purpose == "refund":
        send(dispatcher, domain, language, *refund_replies(order, language, settings))
        return []
    if purpose == "return":
        return _offer_return(order, today, language, settings, dispatcher, domain)
    report = order_status(order, today, language, settings)
    send(dispatcher, domain, language, *report.replies)
    return offer_agent("overdue_parcel") if report.offers_agent else []


def _offer_return(order: OrderView, today, language: str, settings: Settings,
                  dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[EventType]:
    items = eligibility(order, today, settings)
    refused = [item for item in items if not item.returnable]
    send(dispatcher, domain, language, *(refusal_reply(item, language) for item in refused))
    if any(item.returnable for item in items):
        return [FollowupAction("return_form")]
    send(dispatcher, domain, language, Reply("utter_return_nothing_returnable", {"order_number": order.number}))
    if any(item.exception_possible for item in refused):
        send(dispatcher, domain, language,
             Reply("utter_return_exception_offer", buttons=(CONNECT_AGENT, NO_THANKS)))
        return offer_agent("flow_failure")
    return []


class ActionAnswerOrderRequest(Action):
    """Runs when the lookup form is complete: verifies ownership, then answers from the database."""

    def name(self) -> str:
        return "action_answer_order_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        number = tracker.get_slot("order_number") or ""
        purpose = tracker.get_slot("lookup_purpose") or "status"
        customer = _customer_id(tracker)
        try:
            if customer is not None:
                order = customer_order(number, customer)
                outcome = "found" if order else "not_found"
                retry = 0
            else:
                result = find_verified_order(
                    order_number=number,
                    verifier=tracker.get_slot("order_verifier") or "",
                    conversation_id=tracker.sender_id,
                    client=_metadata(tracker).get(CLIENT_ADDRESS_KEY),
                    rules=settings.orders,
                    now=_now(),
                )
                order, outcome, retry = result.order, result.outcome, result.retry_minutes
        except OrderStoreUnavailable:
            logger.exception("order lookup for %s failed", tracker.sender_id)
            return apologise_and_offer_agent(dispatcher, domain, language)
        cleared = [SlotSet(name, None) for name in LOOKUP_SLOTS]
        if outcome == "found":
            return [SlotSet("verified_order", order.number),
                    *_answer(order, purpose, language, settings, dispatcher, domain)]
        if outcome == "locked":
            dispatcher.utter_message(response="utter_lookup_locked")
            return [*cleared, *await hand_over(dispatcher, tracker, reason="lockout", order_number=number,
                                                 domain=domain)]
        if outcome == "rate_limited":
            send(dispatcher, domain, language, Reply("utter_lookup_rate_limited", {"retry_minutes": str(retry)}))
            return cleared
        # No new form here: it would read the same message's entities again and count a second miss.
        # The answer asks for both again; the next message with a number starts a new lookup.
        dispatcher.utter_message(response="utter_order_not_found")
        return cleared


class ActionAcceptOffer(ActionHandoff):
    """'Yes' to an offered person: the handoff for the reason the offer was made (e.g. flow_failure)."""

    default_reason = "flow_failure"

    def name(self) -> str:
        return "action_accept_offer"


class ActionDeclineOffer(Action):
    """'No thanks' to an offered person: the offer is withdrawn and the bot goes on."""

    def name(self) -> str:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_how_can_help")
        return [SlotSet("handoff_offered", False), SlotSet(HANDOFF_REASON_SLOT, None)]
