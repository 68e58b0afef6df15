"""Returns of a verified order: pick the items and a reason, then the label and the QR code."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import _language
from actions.orders import apologise_and_offer_agent
from actions.rendering import send
from bot.formatting import long_date, money, short_datetime
from bot.orders.lookup import OrderStoreUnavailable, verified_order
from bot.orders.views import SHOP_TIMEZONE, local_day
from bot.replies import Button, Phrase, Reply
from bot.returns.item_choice import ALL_ITEMS, chosen_item
from bot.returns.links import label_url, link_secret, qr_url, sign_return
from bot.returns.reasons import reason_from_text
from bot.returns.service import ReturnNotPossible, create_return, dropoff_deadline, eligibility
from bot.settings import load_settings

logger = logging.getLogger(__name__)

PUBLIC_URL_ENV = "PUBLIC_BASE_URL"


def public_base_url() -> str:
    """Where customers reach the bot's port (links in answers); the launcher sets it."""
    return os.environ.get(PUBLIC_URL_ENV, "http://localhost:5005").rstrip("/")


def _returnable(tracker: Tracker):
    """The verified order and its returnable items (re-read: another conversation may have returned some)."""
    number = tracker.get_slot("verified_order")
    order = verified_order(number) if number else None
    if order is None:
        return None, []
    today = local_day(datetime.now(UTC))
    return order, [item for item in eligibility(order, today, load_settings()) if item.returnable]


# Typed text with these intents asks for something else (a person, an article, another language):
# the form leaves it to the dialogue's rules even when it mentions a reason ("this takes too long").
NOT_AN_ANSWER_INTENTS = frozenset({"human_handoff", "frustration", "faq", "kindle", "change_language", "bot_challenge",
                                   "greet", "goodbye", "refund_status"})


# A one-word reply to the form's question ("wszystkie", "beide") is tried as an answer even when
# the model read it as a greeting or farewell ("wszystkie" is close to "to wszystko" = that's all);
# a real "hallo" or "tschüss" names no item and no reason, so the dialogue still gets it.
ONE_WORD_ANSWER_INTENTS = frozenset({"greet", "goodbye"})


def _may_be_an_answer(tracker: Tracker, text: str) -> bool:
    """Typed text (not a button) whose intent does not ask for something else."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if not text or text.startswith("/"):
        return False
    if intent in ONE_WORD_ANSWER_INTENTS and len(text.split()) == 1:
        return True
    return intent not in NOT_AN_ANSWER_INTENTS


class ValidateReturnForm(FormValidationAction):
    def name(self) -> str:
        return "validate_return_form"

    async def extract_return_item(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: dict[str, Any]) -> dict[str, Any]:
        """An item typed instead of pressing a button ("the jacket", "alle", "oba")."""
        text = (tracker.latest_message or {}).get("text") or ""
        if tracker.get_slot("requested_slot") != "return_item" or not _may_be_an_answer(tracker, text):
            return {}
        try:
            _, items = _returnable(tracker)
        except OrderStoreUnavailable:
            return {}
        choice = chosen_item(text, _language(tracker, load_settings()),
                             [(str(item.item_id), item.title) for item in items])
        return {"return_item": choice} if choice else {}

    async def validate_return_item(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: dict[str, Any]) -> dict[str, Any]:
        try:
            _, items = _returnable(tracker)
        except OrderStoreUnavailable:
            return {"return_item": None}
        ids = {str(item.item_id) for item in items}
        return {"return_item": value if value == ALL_ITEMS or value in ids else None}

    async def extract_return_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> dict[str, Any]:
        """A reason typed instead of pressing a button ("too small", "kam kaputt an")."""
        text = (tracker.latest_message or {}).get("text") or ""
        if tracker.get_slot("requested_slot") != "return_reason" or not _may_be_an_answer(tracker, text):
            return {}
        settings = load_settings()
        reason = reason_from_text(text, _language(tracker, settings), settings.returns.reasons)
        return {"return_reason": reason} if reason else {}

    async def validate_return_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        return {"return_reason": value if value in load_settings().returns.reasons else None}


class ActionAskReturnItem(Action):
    """The returnable items as buttons, each with its last return day, plus 'all of them'."""

    def name(self) -> str:
        return "action_ask_return_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        language = _language(tracker, load_settings())
        try:
            order, items = _returnable(tracker)
        except OrderStoreUnavailable:
            logger.exception("returnable items for %s", tracker.sender_id)
            return [*apologise_and_offer_agent(dispatcher, domain, language), FollowupAction("action_deactivate_loop")]
        buttons = tuple(
            Button(Phrase("utter_return_item_button",
                          {"title": item.title, "deadline": long_date(item.deadline, language)}),
                   f'/inform{{"return_item":"{item.item_id}"}}')
            for item in items
        )
        if len(items) > 1:
            buttons += (Button(Phrase("utter_return_all_items"), f'/inform{{"return_item":"{ALL_ITEMS}"}}'),)
        send(dispatcher, domain, language,
             Reply("utter_return_choose_items", {"order_number": order.number if order else ""}, buttons))
        return []


class ActionAskReturnReason(Action):
    def name(self) -> str:
        return "action_ask_return_reason"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        settings = load_settings()
        buttons = tuple(
            Button(Phrase(f"utter_return_reason_{reason}"), f'/inform{{"return_reason":"{reason}"}}')
            for reason in settings.returns.reasons
        )
        send(dispatcher, domain, _language(tracker, settings), Reply("utter_ask_return_reason", buttons=buttons))
        return []


class ActionCreateReturn(Action):
    """Registers the return and sends the signed label link and the QR code for label-free drop-off."""

    def name(self) -> str:
        return "action_create_return"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        settings = load_settings()
        language = _language(tracker, settings)
        cleared = [SlotSet("return_item", None), SlotSet("return_reason", None)]
        now = datetime.now(UTC)
        try:
            order, items = _returnable(tracker)
            if order is None:
                raise ReturnNotPossible("no verified order in this conversation")
            chosen = tracker.get_slot("return_item")
            ids = [item.item_id for item in items if chosen in (ALL_ITEMS, str(item.item_id))]
            created = create_return(
                order=order, item_ids=ids, reason=tracker.get_slot("return_reason") or "",
                conversation_id=tracker.sender_id, settings=settings, now=now, today=local_day(now),
            )
        except (OrderStoreUnavailable, ReturnNotPossible) as error:
            logger.warning("return for %s not created: %s", tracker.sender_id, error)
            return [*cleared, *apologise_and_offer_agent(dispatcher, domain, language, "utter_return_failed")]
        token = sign_return(created.number, link_secret())
        base = public_base_url()
        expiry = now.timestamp() + settings.returns.label_link_valid_hours * 3600
        carrier = settings.carriers[created.carrier].name if created.carrier in settings.carriers else created.carrier
        send(dispatcher, domain, language, Reply("utter_return_created", {
            "return_number": created.number,
            "items": ", ".join(created.item_titles),
            "label_url": label_url(base, token),
            "link_expiry": short_datetime(datetime.fromtimestamp(expiry, UTC), language, SHOP_TIMEZONE),
            "carrier": carrier,
            "dropoff_deadline": long_date(dropoff_deadline(created, settings), language),
            "refund_amount": money(created.refund_amount, language),
            "refund_days": str(settings.returns.refund_days),
        }), Reply("utter_return_qr", {"carrier": carrier}, image=qr_url(base, token)))
        return cleared
