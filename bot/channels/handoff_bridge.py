"""Where the customer channels meet the agents.

- `HandoffGate` wraps a channel's `on_new_message`: while a conversation waits for or is owned by
  a person, the customer's message is written into the tracker for the agent (no NLU, no bot
  answer: this also covers `/restart` and a new session, which Rasa's pause lets through) and
  the customer gets a short acknowledgement in their language, never an empty reply.
- The outbox worker writes messages to customers outside a reply (bot/handoff/outbox.py) into
  the conversations' trackers and pushes them to open widget sessions; it runs in the Rasa server
  and catches up after a restart.
- `outbox_messages` answers GET .../messages?sender=..&since=<cursor> for REST-style clients.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.conversations import append_events, append_outbox_message, domain_text
from bot.formatting import clock_in_zone
from bot.handoff.desk import deliver_due, desk_target
from bot.handoff.outbox import OutboxEntry, mark_in_tracker, not_in_tracker, since
from bot.handoff.queue import HandoffView, active_handoff, leave_queue
from bot.handoff.service_hours import next_opening
from bot.handoff.shortcuts import (
    FRUSTRATION_PAYLOAD,
    TYPED_TEXT_KEY,
    RepetitionMemory,
    asks_for_rating,
    rating_payload,
    typed_rating,
)
from bot.settings import load_settings

logger = logging.getLogger(__name__)

# The largest cursor a database integer holds (a larger `since` is a malformed request, not a 500).
MAX_CURSOR = 2**63 - 1
# Buttons a waiting customer may still press, and the queue state they leave for: the gate takes
# the request out of the queue itself, so a claim that comes first wins and the button then goes
# to the agent like any other message (the bot never speaks in a claimed conversation).
LEAVING_PAYLOADS = {"/request_callback": "callback", "/cancel_handoff": "cancelled"}
MAX_SENDER_CHARS = 255


def acknowledgement(app: Sanic, handoff: HandoffView, metadata: dict[str, Any] | None) -> str:
    """What the customer is told when a message goes to the people instead of the bot."""
    language = handoff.language
    if handoff.status == "claimed":
        return domain_text(app, "utter_handoff_message_to_agent", language, agent_name=handoff.agent_name or "")
    if handoff.kind == "callback":
        settings = load_settings()
        opening = next_opening(datetime.now(UTC), settings.service_hours)
        zone = (metadata or {}).get("timezone")
        return domain_text(app, "utter_handoff_message_saved", language,
                           opening=clock_in_zone(opening, zone, language))
    return domain_text(app, "utter_handoff_message_waiting", language)


class HandoffGate:
    def __init__(self) -> None:
        self.app: Sanic | None = None
        self.repetition = RepetitionMemory(load_settings().handoff.repeated_messages_for_frustration)

    def attach(self, routes: Blueprint) -> None:
        @routes.listener("after_server_start")
        async def remember_app(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            self.app = app
            start_outbox_worker(app)

    def wrap(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
        async def handle(message: UserMessage) -> None:
            if not await self._held_by_people(message):
                await self._apply_shortcuts(message)
                await on_new_message(message)

        return handle

    async def _apply_shortcuts(self, message: UserMessage) -> None:
        """A typed rating after the rating question becomes the rating button; the same message
        repeated several times in a row becomes the frustration intent (bot/handoff/shortcuts.py)."""
        text = message.text or ""
        score = typed_rating(text)
        if score is not None and await self._rating_was_asked(message.sender_id):
            message.text = rating_payload(score)
        elif message.sender_id and self.repetition.repeated(message.sender_id, text):
            message.text = FRUSTRATION_PAYLOAD
        else:
            return
        # The transcripts show what the customer wrote, not the payload it stands for.
        message.metadata = {**(message.metadata or {}), TYPED_TEXT_KEY: text}

    async def _rating_was_asked(self, conversation_id: str | None) -> bool:
        """True when the bot's last message in the conversation was the 1-5 rating question."""
        if self.app is None or not conversation_id:
            return False
        try:
            tracker = await self.app.ctx.agent.tracker_store.retrieve(conversation_id)
        except Exception:  # no shortcut then; the message goes through NLU as it is
            logger.exception("tracker of %s unavailable", conversation_id)
            return False
        if tracker is None:
            return False
        for event in reversed(tracker.events):
            if isinstance(event, BotUttered):
                return asks_for_rating(event.data.get("buttons"))
            if isinstance(event, UserUttered):
                return False
        return False

    async def _held_by_people(self, message: UserMessage) -> bool:
        if self.app is None or not message.sender_id:
            return False
        text = message.text or ""
        try:
            handoff = await asyncio.to_thread(active_handoff, message.sender_id)
        except SQLAlchemyError:
            logger.exception("handoff state of %s unknown; the bot answers", message.sender_id)
            return False
        if handoff is None:
            return False
        leaving = LEAVING_PAYLOADS.get(text.strip())
        if leaving and handoff.status == "waiting":
            try:
                if await asyncio.to_thread(leave_queue, message.sender_id, leaving):
                    return False
            except SQLAlchemyError:
                logger.exception("could not take %s out of the queue", message.sender_id)
                return False
            handoff = await asyncio.to_thread(active_handoff, message.sender_id) or handoff
        ack = acknowledgement(self.app, handoff, message.metadata)
        metadata = {**(message.metadata or {}), "to": "agent"}
        await append_events(self.app, message.sender_id, [
            UserUttered(text, input_channel=message.input_channel, metadata=metadata, message_id=message.message_id),
            BotUttered(ack, metadata={"from": "bot", "acknowledgement": True}),
        ])
        await message.output_channel.send_text_message(message.sender_id, ack)
        return True


Pusher = Callable[[OutboxEntry], Awaitable[None]]


def register_pusher(app: Sanic, push: Pusher) -> None:
    """A channel that can push to a customer's open session (Socket.IO) gets every outbox message."""
    if not hasattr(app.ctx, "outbox_pushers"):
        app.ctx.outbox_pushers = []
    app.ctx.outbox_pushers.append(push)


def start_outbox_worker(app: Sanic) -> None:
    """Once per server: writes pending outbox messages into their trackers (and pushes them), and
    forwards new handoffs to the help desk when one is configured, now and every few seconds."""
    if getattr(app.ctx, "outbox_worker_started", False):
        return
    app.ctx.outbox_worker_started = True
    app.ctx.outbox_lock = asyncio.Lock()

    async def run() -> None:
        settings = load_settings()
        while True:
            try:
                await drain_outbox(app)
            except Exception:  # the worker must survive a database or tracker hiccup
                logger.exception("outbox worker: will retry")
            try:
                target = desk_target()
                if target is not None:
                    await asyncio.to_thread(deliver_due, target, settings)
            except Exception:
                logger.exception("help desk forward: will retry")
            await asyncio.sleep(settings.handoff.outbox_poll_seconds)

    app.add_task(run())


async def drain_outbox(app: Sanic) -> int:
    """Writes every outbox message not yet in its tracker; returns how many."""
    lock = getattr(app.ctx, "outbox_lock", None) or asyncio.Lock()
    async with lock:
        entries = await asyncio.to_thread(not_in_tracker)
        written = 0
        for entry in entries:
            data = {"buttons": entry.buttons} if entry.buttons else {}
            metadata = {"from": entry.sender, "outbox_id": entry.id}
            if entry.agent_name:
                metadata["agent"] = entry.agent_name
            try:
                added = await append_outbox_message(app, entry.conversation_id, entry.id,
                                                    BotUttered(entry.text, data=data, metadata=metadata))
                await asyncio.to_thread(mark_in_tracker, entry.id)
            except Exception:  # one conversation's trouble must not hold up the others; retried later
                logger.exception("outbox message %s not written yet", entry.id)
                continue
            written += 1
            if not added:
                continue  # written before a crash; the customer has had it
            for push in getattr(app.ctx, "outbox_pushers", []):
                try:
                    await push(entry)
                except Exception:  # a client that went away must not stop the others
                    logger.exception("push of outbox message %s failed", entry.id)
        return written


async def outbox_messages(request: Request, conversation_id: str | None = None) -> HTTPResponse:
    """GET ...?sender=<id>&since=<cursor>: messages for the customer after the cursor, and the
    handoff state (waiting, claimed by an agent, or none). A channel that scopes conversations
    passes the conversation id it derived from the sender."""
    sender = conversation_id or request.args.get("sender")
    raw_since = request.args.get("since", "0")
    if not sender or len(sender) > MAX_SENDER_CHARS:
        message = f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters."
        return response.json({"error": message}, status=400)
    if not (raw_since.isascii() and raw_since.isdigit() and len(raw_since) <= 19) or int(raw_since) > MAX_CURSOR:
        return response.json({"error": "'since' must be a message cursor (a whole number, 0 for all)."}, status=400)
    try:
        entries = await asyncio.to_thread(since, sender, int(raw_since))
        cursor = entries[-1].id if entries else int(raw_since)
        handoff = await asyncio.to_thread(active_handoff, sender)
    except SQLAlchemyError:
        logger.exception("outbox of %s unavailable", sender)
        return response.json({"error": "Messages are unavailable right now. Please try again shortly."}, status=503)
    state = None
    if handoff is not None:
        state = {"status": handoff.status, "agent": handoff.agent_name}
    return response.json({"messages": [entry.to_json() for entry in entries], "cursor": cursor, "handoff": state},
                         headers={"Cache-Control": "no-store"})
