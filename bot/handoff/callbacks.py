"""Callback requests: a validated phone number (E.164) and when to call, during service hours
within about a minute only when the queue makes that true, outside them at the next opening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import phonenumbers
from sqlalchemy import func, select, update

from bot.handoff.models import CallbackRequest, HandoffRequest
from bot.handoff.queue import ACTIVE, agents_online, expected_wait_minutes
from bot.handoff.service_hours import is_open, next_opening
from bot.replies import Button, Phrase
from bot.returns.reasons import folded_message, load_patterns
from bot.settings import Settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope

MAX_PHONE_INPUT_CHARS = 40
CALLBACK_PATTERNS_FILE = Path(__file__).with_name("callback_patterns.yml")
# Offered wherever the customer may choose a call instead of waiting in the chat.
CALLBACK = Button(Phrase("utter_button_callback"), "/request_callback")


def asks_for_a_call_back(text: str, language: str) -> bool:
    """The customer wants to be called back ("bitte rufen Sie mich zurück"), not to chat with a person."""
    folded = folded_message(text)
    patterns = load_patterns(CALLBACK_PATTERNS_FILE)["callback"].get(language, ())
    return any(pattern.search(folded) for pattern in patterns)


@dataclass(frozen=True)
class CallbackTicket:
    id: int
    phone_e164: str
    call_after: datetime  # in the shop's time zone
    in_service_hours: bool
    wait_minutes: int | None  # None: nobody online now; the team calls when someone is


def normalize_phone(text: str, regions: str | tuple[str, ...]) -> str | None:
    """'0151 2345 6789' -> '+4915123456789': a number without a country code is read as the first
    of `regions` where it is valid; None when it is no valid phone number."""
    if not text or len(text) > MAX_PHONE_INPUT_CHARS:
        return None
    for region in (regions,) if isinstance(regions, str) else regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def request_callback(*, conversation_id: str, language: str, phone_e164: str, settings: Settings,
                     now: datetime | None = None, database_url: str | None = None) -> CallbackTicket:
    """Stores the request; a waiting chat handoff of the conversation turns into this callback."""
    now = now or datetime.now(UTC)
    open_now = is_open(now, settings.service_hours)
    call_after = next_opening(now, settings.service_hours)
    with session_scope(database_url) as session:
        handoff = session.scalars(
            select(HandoffRequest)
            .where(HandoffRequest.conversation_id == conversation_id, HandoffRequest.status.in_(ACTIVE))
            .order_by(HandoffRequest.id.desc())
        ).first()
        if handoff is not None and handoff.status == "waiting":
            handoff.status = "callback"
            handoff.closed_at = now
        # Calls already due and chats still waiting come first; claimed chats keep agents busy.
        ahead = session.scalar(select(func.count()).select_from(CallbackRequest).where(
            CallbackRequest.status == "open", CallbackRequest.call_after <= now)) or 0
        ahead += session.scalar(select(func.count()).select_from(HandoffRequest).where(
            HandoffRequest.status == "waiting")) or 0
        busy = session.scalar(select(func.count()).select_from(HandoffRequest).where(
            HandoffRequest.status == "claimed")) or 0
        row = CallbackRequest(
            conversation_id=conversation_id, handoff_request_id=handoff.id if handoff else None,
            language=language, phone_e164=phone_e164, call_after=call_after.astimezone(UTC), status="open",
            created_at=now,
        )
        session.add(row)
        session.flush()
        online = agents_online(session, now, settings)
        wait = expected_wait_minutes(int(ahead) + 1, online, int(busy), settings) if open_now else None
        return CallbackTicket(int(row.id), phone_e164, call_after, open_now, wait)


def callbacks(status: str | None = "open", database_url: str | None = None) -> list[dict[str, Any]]:
    with session_scope(database_url) as session:
        query = select(CallbackRequest)
        if status:
            query = query.where(CallbackRequest.status == status)
        rows = session.scalars(query.order_by(CallbackRequest.call_after.asc(), CallbackRequest.id.asc()).limit(500))
        return [
            {"id": int(row.id), "conversation_id": row.conversation_id, "language": row.language,
             "phone": row.phone_e164, "call_after": as_utc(row.call_after).isoformat(), "status": row.status,
             "created_at": as_utc(row.created_at).isoformat(),
             "done_at": as_utc(row.done_at).isoformat() if row.done_at else None}
            for row in rows
        ]


def mark_done(callback_id: int, agent_id: int, now: datetime | None = None,
              database_url: str | None = None) -> bool:
    with session_scope(database_url) as session:
        changed = session.execute(
            update(CallbackRequest).where(CallbackRequest.id == callback_id, CallbackRequest.status == "open")
            .values(status="done", done_by=agent_id, done_at=now or datetime.now(UTC))
            .execution_options(synchronize_session=False)
        ).rowcount
        return bool(changed)
