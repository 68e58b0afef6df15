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
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY
from bot.channels.handoff_bridge import HandoffGate, register_pusher
from bot.handoff.outbox import OutboxEntry
from bot.settings import load_settings

logger = logging.getLogger(__name__)

MAX_SESSION_ID_CHARS = 200
CONVERSATION_PREFIX = "web-"


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
        gate = HandoffGate()
        handle = gate.wrap(on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        routes = SocketBlueprint(sio, self.socketio_path, "widget_socketio", __name__)
        self.sio = sio
        gate.attach(routes)
        addresses: dict[str, str] = {}
        confirmed: dict[str, str] = {}  # socket id -> its conversation id

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
            confirmed[sid] = conversation
            if self.session_persistence:
                await sio.enter_room(sid, conversation, namespace=self.namespace)
            await sio.emit("session_confirm", requested, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender = confirmed.get(sid) if self.session_persistence else CONVERSATION_PREFIX + sid
            if sender is None:
                return  # a client that skipped session_request; it gets session_confirm first
            text = data.get("message")
            text = text[: load_settings().limits.max_message_chars] if isinstance(text, str) else ""
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            metadata = dict(metadata) if isinstance(metadata, dict) else {}
            metadata.pop(VERIFIED_CUSTOMER_KEY, None)  # only a channel that checked a token sets it
            metadata[CLIENT_ADDRESS_KEY] = addresses.get(sid, "unknown")
            output = SocketIOOutput(sio, self.bot_message_evt)
            await handle(UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata))

        return routes
