"""Socket.IO for the website widget (Rasa's SocketIOInput, fixed and guarded).

- Rasa 3.6 calls `sio.enter_room()` without `await` (a coroutine in python-socketio 5.x), so with
  session_persistence no `bot_uttered` ever reached a client (RasaHQ/rasa#13027). Here it is awaited.
- Messages go through the handoff gate like the REST channel's; a text that is not a string counts
  as empty, and texts are cut to settings.limits.max_message_chars before NLU.
- Messages to the customer outside a reply (agent replies, "agent joined", the rating question)
  are pushed to the customer's session room as `bot_uttered` when the outbox worker writes them.
- Conversations are `web-<session id>`, and a socket may only speak in the session it was
  confirmed for, so a widget client cannot write into (or listen to) another channel's or another
  socket's conversation by naming it.
- After `session_confirm` the socket gets `history` (the conversation so far, read under the
  conversation's lock so no answer is both in it and pushed live) and the limits the widget
  checks itself. Each `user_uttered` may carry a `message_id` and ask for an ack: the ack comes
  when the turn is done, and a message resent after a reconnect is not handled twice.
- A signed customer token in the metadata is verified here; only the customer id goes on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY, action_response_check, websocket_compat
from bot.channels.conversations import widget_history
from bot.channels.handoff_bridge import HandoffGate, register_pusher
from bot.handoff.outbox import OutboxEntry
from bot.orders.customer_token import token_secret, verified_customer_id
from bot.settings import load_settings

logger = logging.getLogger(__name__)

MAX_SESSION_ID_CHARS = 200
CONVERSATION_PREFIX = "web-"
PUBLIC_URL_ENV = "PUBLIC_BASE_URL"
CUSTOMER_TOKEN_KEY = "customer_token"
# Client message ids: short and plain, they end up in the tracker.
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Message ids remembered per server process to drop a message resent after a reconnect (the
# history the widget gets on reconnecting covers a restart: it resends only what is missing).
REMEMBERED_MESSAGE_IDS = 10_000


class RecentIds:
    """The last `size` message ids seen, oldest forgotten first."""

    def __init__(self, size: int = REMEMBERED_MESSAGE_IDS) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, key: str) -> bool:
        """Remembers `key`; False when it was already there."""
        if key in self._ids:
            return False
        self._ids[key] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True

    def forget(self, key: str) -> None:
        self._ids.pop(key, None)


def outbox_event(entry: OutboxEntry) -> dict[str, Any]:
    """An outbox message as the widget receives bot messages (`quick_replies` for buttons)."""
    message: dict[str, Any] = {"text": entry.text,
                               "metadata": {"from": entry.sender, "outbox_id": entry.id, "agent": entry.agent_name}}
    if entry.buttons:
        message["quick_replies"] = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in entry.buttons
        ]
    return message


def widget_origins() -> list[str] | None:
    """Origins whose pages may open the widget's socket: the configured ones and the bot's public
    URL; None (same origin only) when none is configured."""
    configured = list(load_settings().web.allowed_origins)
    if not configured:
        return None
    public = urlsplit(os.environ.get(PUBLIC_URL_ENV) or "")
    if public.scheme and public.netloc:
        configured.append(f"{public.scheme}://{public.netloc}")
    return configured


def customer_metadata(raw: Any, client_address: str) -> dict[str, Any]:
    """The metadata a widget message passes on: a dict (JSON text is parsed), without any customer
    id the client claims, with the customer id of a valid signed token instead of the token."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = {}
    metadata = dict(raw) if isinstance(raw, dict) else {}
    metadata.pop(VERIFIED_CUSTOMER_KEY, None)  # only a channel that checked a token sets it
    token = metadata.pop(CUSTOMER_TOKEN_KEY, None)
    customer = verified_customer_id(token, token_secret())
    if customer is not None:
        metadata[VERIFIED_CUSTOMER_KEY] = customer
    metadata[CLIENT_ADDRESS_KEY] = client_address
    return metadata


def _client_address(environ: dict[str, Any]) -> str:
    request = environ.get("sanic.request")
    if request is None:
        return "unknown"
    return getattr(request, "remote_addr", None) or getattr(request, "ip", None) or "unknown"


class WidgetSocketInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        websocket_compat.install()
        action_response_check.install()
        gate = HandoffGate()
        handle = gate.wrap(on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=widget_origins())
        routes = SocketBlueprint(sio, self.socketio_path, "widget_socketio", __name__)
        self.sio = sio
        gate.attach(routes)
        addresses: dict[str, str] = {}
        confirmed: dict[str, str] = {}  # socket id -> its conversation id
        handled = RecentIds()

        async def push(entry: OutboxEntry) -> None:
            await sio.emit(self.bot_message_evt, outbox_event(entry), room=entry.conversation_id,
                           namespace=self.namespace)

        @routes.listener("after_server_start")
        async def start_pushing(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            register_pusher(app, push)

        @routes.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None = None) -> bool:
            addresses[sid] = _client_address(environ)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            addresses.pop(sid, None)
            confirmed.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(requested, str) or not requested.strip() or len(requested) > MAX_SESSION_ID_CHARS:
                requested = uuid.uuid4().hex
            conversation = CONVERSATION_PREFIX + requested
            previous = confirmed.get(sid)
            if previous and previous != conversation:  # "new conversation" in the widget
                await sio.leave_room(sid, previous, namespace=self.namespace)
            confirmed[sid] = conversation
            await sio.emit("session_confirm", requested, room=sid, namespace=self.namespace)
            await send_history(sid, conversation)

        async def send_history(sid: str, conversation: str) -> None:
            """Joins the conversation's room and sends what was said so far, under the conversation's
            lock: a turn in progress finishes first, so its answers are in the history, not pushed twice."""
            limits = {"max_message_chars": load_settings().limits.max_message_chars}
            app = gate.app
            if app is None or not self.session_persistence:
                if self.session_persistence:
                    await sio.enter_room(sid, conversation, namespace=self.namespace)
                await sio.emit("history", {"messages": [], "limits": limits}, room=sid, namespace=self.namespace)
                return
            async with app.ctx.agent.lock_store.lock(conversation):
                if confirmed.get(sid) != conversation:
                    return  # the socket asked for another session meanwhile ("new conversation")
                await sio.enter_room(sid, conversation, namespace=self.namespace)
                try:
                    messages = await widget_history(app, conversation)
                except Exception:  # a tracker store hiccup: the widget still works, without the past
                    logger.exception("history of %s unavailable", conversation)
                    messages = []
                await sio.emit("history", {"messages": messages, "limits": limits}, room=sid,
                               namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> dict[str, str]:
            """Handles one customer message; the return value is the ack (sent when the turn is done)."""
            if not isinstance(data, dict):
                return {"status": "invalid"}
            sender = confirmed.get(sid) if self.session_persistence else CONVERSATION_PREFIX + sid
            if sender is None:
                return {"status": "no_session"}  # the client asks for a session and sends again
            message_id = data.get("message_id")
            if not (isinstance(message_id, str) and MESSAGE_ID.match(message_id)):
                message_id = None
            elif not handled.add(f"{sender}/{message_id}"):
                return {"status": "duplicate"}
            key = f"{sender}/{message_id}"
            text = data.get("message")
            text = text[: load_settings().limits.max_message_chars] if isinstance(text, str) else ""
            metadata = customer_metadata(data.get(self.metadata_key), addresses.get(sid, "unknown"))
            output = SocketIOOutput(sio, self.bot_message_evt)
            try:
                await handle(UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata,
                                         message_id=message_id))
            except Exception:
                handled.forget(key)  # not handled: a resend must get through
                raise
            return {"status": "ok"}

        return routes
