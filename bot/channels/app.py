"""The mobile app's channel: POST /webhooks/app/webhook and GET /webhooks/app/messages.

- `Authorization: Bearer <key>`: an app key from BOT_APP_KEYS (comma-separated) or a signed
  customer token from the shop's login (CUSTOMER_TOKEN_SECRET). A customer token proves the
  customer: the channel passes the verified customer id to the bot, never the token.
- Errors are JSON `{"error": ...}`: 400 malformed, 401 no or a wrong key, 413 a message over
  limits.max_message_chars (bodies over limits.max_request_bytes never reach it), 429 over the
  request rate per client address or per key (counted in the database; Retry-After says when).
- GET /webhooks/app/docs shows the contract (GET /openapi.json) as a page.
- Conversations are scoped to the key: `app-k-<sender>` for an app key, `app-c<customer>-<sender>`
  for a customer (the prefixes cannot overlap), so no caller can write into a conversation of
  another channel or customer.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY, action_response_check
from bot.channels.api_docs import docs_html, openapi_spec
from bot.channels.handoff_bridge import HandoffGate, outbox_messages
from bot.channels.rest import client_address
from bot.orders.customer_token import token_secret, verified_customer_id
from bot.settings import load_settings
from bot.storage.rate_limits import take

logger = logging.getLogger(__name__)

APP_KEYS_ENV = "BOT_APP_KEYS"
# The app's sender ids leave room for the scope prefix within the tracker's 255 characters.
MAX_APP_SENDER_CHARS = 200
# The only metadata a caller may send; everything else is dropped.
CLIENT_METADATA = ("language", "timezone")
JSON_HEADERS = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class Caller:
    bucket: str  # for the per-key rate limit
    conversation_prefix: str
    customer_id: int | None


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers={**JSON_HEADERS, **(headers or {})})


def app_keys() -> tuple[str, ...]:
    return tuple(key.strip() for key in (os.environ.get(APP_KEYS_ENV) or "").split(",") if key.strip())


def authenticate(header: str | None) -> Caller | None:
    """The caller of a request from its Authorization header; None when it proves nothing."""
    if not header or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    try:
        token.encode("utf-8")
    except UnicodeError:  # Sanic keeps undecodable header bytes as surrogates
        return None
    if not token:
        return None
    for key in app_keys():
        if hmac.compare_digest(token.encode(), key.encode()):
            fingerprint = hashlib.sha256(key.encode()).hexdigest()[:12]
            return Caller(f"app-key:{fingerprint}", "app-k-", None)
    customer = verified_customer_id(token, token_secret())
    if customer is not None:
        return Caller(f"app-customer:{customer}", f"app-c{customer}-", customer)
    return None


async def _admit(request: Request) -> Caller | HTTPResponse:
    """Authentication, then the rate limits per client address and per key."""
    caller = authenticate(request.headers.get("Authorization"))
    if caller is None:
        return _error(401, "Send 'Authorization: Bearer <app key or customer token>'.",
                      {"WWW-Authenticate": 'Bearer realm="app"'})
    limits = load_settings().app
    buckets = {f"app-client:{client_address(request)}": limits.max_requests_per_client,
               caller.bucket: limits.max_requests_per_key}
    try:
        wait = await asyncio.to_thread(take, buckets, timedelta(seconds=limits.window_seconds))
    except SQLAlchemyError:
        logger.exception("rate limit unavailable")
        return _error(503, "The service is unavailable right now. Please try again shortly.")
    if wait:
        return _error(429, f"Too many requests. Try again in {wait} seconds.", {"Retry-After": str(wait)})
    return caller


def _sender(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() and len(value) <= MAX_APP_SENDER_CHARS else None


class AppInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "app"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        action_response_check.install()
        gate = HandoffGate()
        handle = gate.wrap(on_new_message)
        routes = Blueprint("app_channel")
        gate.attach(routes)

        @routes.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            admitted = await _admit(request)
            if isinstance(admitted, HTTPResponse):
                return admitted
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _error(400, "The body must be JSON.")
            if not isinstance(body, dict):
                return _error(400, "The body must be a JSON object with 'sender' and 'message'.")
            sender = _sender(body.get("sender"))
            if sender is None:
                return _error(400, f"'sender' must be a non-empty string of at most {MAX_APP_SENDER_CHARS} characters.")
            text = body.get("message")
            if not isinstance(text, str):
                return _error(400, "'message' must be a string.")
            limit = load_settings().limits.max_message_chars
            if len(text) > limit:
                return _error(413, f"'message' is longer than {limit} characters.")
            sent = body.get("metadata")
            if sent is not None and not isinstance(sent, dict):
                return _error(400, "'metadata' must be an object.")
            wrong = [key for key in CLIENT_METADATA if isinstance(sent, dict) and key in sent
                     and not isinstance(sent[key], str)]
            if wrong:
                return _error(400, f"'metadata' fields {', '.join(CLIENT_METADATA)} must be strings.")
            metadata: dict[str, Any] = {key: sent[key] for key in CLIENT_METADATA
                                        if isinstance(sent, dict) and isinstance(sent.get(key), str)}
            metadata[CLIENT_ADDRESS_KEY] = client_address(request)
            if admitted.customer_id is not None:
                metadata[VERIFIED_CUSTOMER_KEY] = admitted.customer_id
            collector = CollectingOutputChannel()
            conversation = admitted.conversation_prefix + sender
            try:
                await handle(UserMessage(text, collector, conversation, input_channel=self.name(),
                                         metadata=metadata))
            except Exception:  # the customer gets a JSON error, never a stack trace
                logger.exception("app message of %s failed", conversation)
                return _error(500, "Sorry, something went wrong. Please try again.")
            return response.json(collector.messages, headers=JSON_HEADERS)

        @routes.route("/docs", methods=["GET"])
        async def docs(request: Request) -> HTTPResponse:
            return response.html(docs_html(openapi_spec()), headers={"Cache-Control": "no-cache"})

        @routes.route("/messages", methods=["GET"])
        async def messages(request: Request) -> HTTPResponse:
            admitted = await _admit(request)
            if isinstance(admitted, HTTPResponse):
                return admitted
            sender = _sender(request.args.get("sender"))
            if sender is None:
                return _error(400, f"'sender' must be a non-empty string of at most {MAX_APP_SENDER_CHARS} characters.")
            return await outbox_messages(request, conversation_id=admitted.conversation_prefix + sender)

        return routes
