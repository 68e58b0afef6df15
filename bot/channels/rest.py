"""Rasa's REST channel (still named `rest`, so `rasa shell` works), guarded, with the client's address.

- A request without a sender id, or with a sender or text that is not a string, gets 400 (Rasa's
  own channel would put it into a shared conversation called "default" or fail later).
- A text longer than settings.limits.max_message_chars is cut to that length before NLU: parsing
  runs on the event loop and cannot be interrupted, so a huge message would hold up everyone.
  Bodies over settings.limits.max_request_bytes never get here (Sanic answers 413; the launcher
  sets its REQUEST_MAX_SIZE).
- The client's address goes into the message metadata as `client_address` for the lookup rate
  limit. It is the peer address Sanic sees (a forwarded header only counts when Sanic is
  configured to trust a proxy); whatever the client sent under that key is replaced.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY
from bot.settings import load_settings

MAX_SENDER_CHARS = 255  # the tracker store's column for conversation ids


def _body(request: Request) -> dict[str, Any]:
    body = request.json
    if not isinstance(body, dict):
        raise InvalidUsage("The body must be a JSON object with 'sender' and 'message'.")
    return body


def client_address(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


class ShopRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, request: Request) -> str:
        sender = _body(request).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise InvalidUsage(f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters.")
        return sender

    def _extract_message(self, request: Request) -> str:
        text = _body(request).get("message", "")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise InvalidUsage("'message' must be a string.")
        return text[: load_settings().limits.max_message_chars]

    def get_metadata(self, request: Request) -> dict[str, Any]:
        sent = _body(request).get("metadata")
        metadata = dict(sent) if isinstance(sent, dict) else {}
        metadata.pop(VERIFIED_CUSTOMER_KEY, None)  # only a channel that checked a token sets it
        metadata[CLIENT_ADDRESS_KEY] = client_address(request)
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        from bot.channels import action_response_check
        from bot.channels.handoff_bridge import HandoffGate, outbox_messages

        action_response_check.install()
        gate = HandoffGate()
        routes = super().blueprint(gate.wrap(on_new_message))
        gate.attach(routes)

        @routes.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            return await outbox_messages(request)

        return routes
