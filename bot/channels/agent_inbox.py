"""The agents' side of the handoff on the public port: the inbox page under /agent/ and its JSON
API under /agent/api/ (paths fixed in DESIGN.md).

Every API call but login needs the session cookie (HttpOnly, SameSite=Strict, Secure over TLS);
every POST after login also needs the session's CSRF token in the X-CSRF-Token header. Claiming
is atomic in the database; only the agent who owns a conversation can reply to or close it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import ConversationPaused, ConversationResumed, Event
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.conversations import append_events, domain_text, transcript
from bot.channels.handoff_bridge import drain_outbox, start_outbox_worker
from bot.channels.rest import client_address
from bot.handoff import agents, callbacks, outbox, queue
from bot.handoff.agents import AgentIdentity, LoginRefused
from bot.handoff.inbox_changes import inbox_version
from bot.handoff.queue import ClaimRefused, NotOwner
from bot.settings import load_settings

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static" / "agent"
COOKIE = "agent_session"
CSRF_HEADER = "X-CSRF-Token"
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8"}
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
STATUS_FILTERS = (*queue.STATUSES, "mine", "all")
# A comment line on an idle event stream keeps proxies from closing it; sessions are re-checked.
SSE_HEARTBEAT_SECONDS = 15
SSE_SESSION_CHECK_SECONDS = 60
RATING_BUTTONS = [{"title": f"{score} ★", "payload": f'/rate{{"rating": "{score}"}}'} for score in range(1, 6)]

Handler = Callable[..., Awaitable[HTTPResponse]]


def _error(status: int, message: str, **extra: Any) -> HTTPResponse:
    return response.json({"error": message, **extra}, status=status, headers=PRIVATE)


def _json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _now() -> datetime:
    return datetime.now(UTC)


def requires_agent(handler: Handler) -> Handler:
    """401 without a valid session; 403 for a POST without the session's CSRF token."""

    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            identity = await asyncio.to_thread(agents.agent_for_session, request.cookies.get(COOKIE))
        except SQLAlchemyError:
            logger.exception("agent session check failed")
            return _error(503, "The inbox is unavailable right now.")
        if identity is None:
            return _error(401, "Please log in.")
        if request.method == "POST" and not agents.csrf_matches(identity, request.headers.get(CSRF_HEADER)):
            return _error(403, f"Missing or wrong {CSRF_HEADER} header.")
        try:
            return await handler(request, identity, *args, **kwargs)
        except SQLAlchemyError:
            logger.exception("agent API: database unavailable")
            return _error(503, "The inbox is unavailable right now. Please try again.")

    return checked



class InboxWatcher:
    """One per server: while inboxes listen, checks every few seconds whether what they show has
    changed (bot/handoff/inbox_changes.py) and wakes every listener when it has."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.listeners = 0
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    def start(self, app: Sanic) -> None:
        if self._task is None:
            self._task = app.add_task(self._run())

    async def _run(self) -> None:
        while True:
            if self.listeners:
                try:
                    version = await asyncio.to_thread(inbox_version)
                except Exception:  # a database hiccup: inboxes keep their state and their slow poll
                    logger.exception("inbox change check failed")
                    version = self.version
                if version != self.version:
                    self.version = version
                    async with self._changed:
                        self._changed.notify_all()
            await asyncio.sleep(load_settings().handoff.inbox_check_seconds)

    async def next_version(self, seen: str | None, timeout: float) -> str | None:
        """The version once it differs from `seen`; None when nothing changed within `timeout`."""
        if self.version is not None and self.version != seen:
            return self.version
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                return None
        return self.version if self.version != seen else None


async def _deliver_soon(app: Sanic) -> None:
    """Writes and pushes the outbox now; when that fails the worker retries within seconds, so a
    committed reply is never reported as failed (the agent would send it twice)."""
    try:
        await drain_outbox(app)
    except Exception:
        logger.exception("outbox delivery deferred to the worker")


async def _after_change(app: Sanic, conversation_id: str, event: Event, text: str,
                        buttons: list[dict[str, str]] | None = None) -> None:
    """The tracker event and the customer notice after a committed claim or close (best effort:
    the change itself stands; a failure here is logged, not reported as a failed claim)."""
    try:
        await append_events(app, conversation_id, [event])
        await asyncio.to_thread(outbox.post, conversation_id, text, sender="bot", buttons=buttons)
    except Exception:
        logger.exception("notice after a change to %s failed", conversation_id)
    await _deliver_soon(app)


class AgentInboxInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "agent"

    def url_prefix(self) -> str:
        return "/agent"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = Blueprint("agent_inbox")

        watcher = InboxWatcher()

        @routes.listener("after_server_start")
        async def start_worker(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            start_outbox_worker(app)
            watcher.start(app)

        @routes.route("/api/events", methods=["GET"])
        @requires_agent
        async def events(request: Request, identity: AgentIdentity) -> None:
            """Server-sent events: `inbox` whenever the inbox changed, `logout` when the session ended."""
            settings = load_settings().handoff
            stream = await request.respond(content_type="text/event-stream",
                                           headers={**PRIVATE, "X-Accel-Buffering": "no"})
            watcher.listeners += 1
            try:
                await stream.send(f"retry: {int(settings.inbox_check_seconds * 1000)}\n\n")
                seen = None
                session_checked = asyncio.get_running_loop().time()
                while True:
                    version = await watcher.next_version(seen, timeout=SSE_HEARTBEAT_SECONDS)
                    if version is None:
                        await stream.send(": still here\n\n")
                    else:
                        seen = version
                        await stream.send(f"event: inbox\ndata: {json.dumps({'version': version})}\n\n")
                    if asyncio.get_running_loop().time() - session_checked > SSE_SESSION_CHECK_SECONDS:
                        session_checked = asyncio.get_running_loop().time()
                        if await asyncio.to_thread(agents.agent_for_session, request.cookies.get(COOKIE)) is None:
                            await stream.send("event: logout\ndata: {}\n\n")
                            break
            finally:
                watcher.listeners -= 1
            await stream.eof()

        @routes.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return await _static("index.html")

        @routes.route("/static/<name>", methods=["GET"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            return await _static(name)

        @routes.route("/api/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            body = _json_body(request)
            if body is None or not isinstance(body.get("username"), str) or not isinstance(body.get("password"), str):
                return _error(400, "Send JSON with 'username' and 'password'.")
            try:
                done = await asyncio.to_thread(
                    agents.login, body["username"], body["password"], client_address(request), load_settings()
                )
            except LoginRefused as refused:
                if refused.reason == "too_many":
                    return _error(429, "Too many failed logins. Please wait and try again.",
                                  retry_after_seconds=refused.retry_after_seconds)
                return _error(401, "Wrong user name or password.")
            except SQLAlchemyError:
                logger.exception("agent login failed")
                return _error(503, "The inbox is unavailable right now.")
            answer = response.json(
                {"csrf_token": done.identity.csrf_token,
                 "agent": {"username": done.identity.username, "name": done.identity.display_name},
                 "expires_at": done.expires_at.isoformat()},
                headers=PRIVATE,
            )
            cookie = answer.cookies
            cookie[COOKIE] = done.token
            cookie[COOKIE]["httponly"] = True
            cookie[COOKIE]["samesite"] = "Strict"
            cookie[COOKIE]["path"] = "/agent"
            cookie[COOKIE]["max-age"] = load_settings().handoff.agent_session_hours * 3600
            if request.scheme == "https":
                cookie[COOKIE]["secure"] = True
            return answer

        @routes.route("/api/logout", methods=["POST"])
        @requires_agent
        async def logout(request: Request, identity: AgentIdentity) -> HTTPResponse:
            await asyncio.to_thread(agents.logout, request.cookies.get(COOKIE))
            answer = response.json({"ok": True}, headers=PRIVATE)
            del answer.cookies[COOKIE]
            return answer

        @routes.route("/api/me", methods=["GET"])
        @requires_agent
        async def me(request: Request, identity: AgentIdentity) -> HTTPResponse:
            return response.json({"username": identity.username, "name": identity.display_name,
                                  "csrf_token": identity.csrf_token}, headers=PRIVATE)

        @routes.route("/api/conversations", methods=["GET"])
        @requires_agent
        async def conversations(request: Request, identity: AgentIdentity) -> HTTPResponse:
            wanted = request.args.get("status", "waiting")
            if wanted not in STATUS_FILTERS:
                return _error(400, f"status must be one of {', '.join(STATUS_FILTERS)}.")
            status = "claimed" if wanted == "mine" else None if wanted == "all" else wanted
            views = await asyncio.to_thread(queue.handoffs, status)
            if wanted == "mine":
                views = [view for view in views if view.agent_id == identity.id]
            now = _now()
            return response.json({"conversations": [view.to_json(now) for view in views]}, headers=PRIVATE)

        @routes.route("/api/conversations/<conversation_id>", methods=["GET"], unquote=True)
        @requires_agent
        async def conversation(request: Request, identity: AgentIdentity, conversation_id: str) -> HTTPResponse:
            view = await asyncio.to_thread(queue.latest_handoff, conversation_id)
            if view is None:
                return _error(404, "No such conversation in the inbox.")
            return response.json(
                {**view.to_json(_now()), "owned_by_me": view.agent_id == identity.id and view.status == "claimed",
                 "messages": await transcript(request.app, conversation_id)},
                headers=PRIVATE,
            )

        @routes.route("/api/conversations/<conversation_id>/claim", methods=["POST"], unquote=True)
        @requires_agent
        async def claim(request: Request, identity: AgentIdentity, conversation_id: str) -> HTTPResponse:
            try:
                view = await asyncio.to_thread(queue.claim, conversation_id, identity.id)
            except ClaimRefused as refused:
                return _error(409, str(refused))
            await _after_change(
                request.app, conversation_id, ConversationPaused(),
                domain_text(request.app, "utter_agent_joined", view.language, agent_name=identity.display_name),
            )
            return response.json(view.to_json(_now()), headers=PRIVATE)

        @routes.route("/api/conversations/<conversation_id>/messages", methods=["POST"], unquote=True)
        @requires_agent
        async def reply(request: Request, identity: AgentIdentity, conversation_id: str) -> HTTPResponse:
            body = _json_body(request)
            text = (body or {}).get("text")
            if not isinstance(text, str) or not text.strip():
                return _error(400, "Send JSON with a non-empty 'text'.")
            limit = load_settings().handoff.max_agent_message_chars
            if len(text) > limit:
                return _error(413, f"A message can have at most {limit} characters.")
            try:
                await asyncio.to_thread(queue.owned_by, conversation_id, identity.id)
            except NotOwner:
                return _error(403, "You do not own this conversation: claim it first.")
            entry = await asyncio.to_thread(
                outbox.post, conversation_id, text.strip(), sender="agent", agent_name=identity.display_name
            )
            await _deliver_soon(request.app)
            return response.json(entry.to_json(), status=201, headers=PRIVATE)

        @routes.route("/api/conversations/<conversation_id>/close", methods=["POST"], unquote=True)
        @requires_agent
        async def close(request: Request, identity: AgentIdentity, conversation_id: str) -> HTTPResponse:
            try:
                view = await asyncio.to_thread(queue.close, conversation_id, identity.id)
            except NotOwner:
                return _error(403, "You do not own this conversation.")
            await _after_change(
                request.app, conversation_id, ConversationResumed(),
                domain_text(request.app, "utter_agent_left", view.language, agent_name=identity.display_name),
                buttons=RATING_BUTTONS,
            )
            return response.json(view.to_json(_now()), headers=PRIVATE)

        @routes.route("/api/callbacks", methods=["GET"])
        @requires_agent
        async def callback_list(request: Request, identity: AgentIdentity) -> HTTPResponse:
            wanted = request.args.get("status", "open")
            if wanted not in ("open", "done", "all"):
                return _error(400, "status must be open, done or all.")
            rows = await asyncio.to_thread(callbacks.callbacks, None if wanted == "all" else wanted)
            return response.json({"callbacks": rows}, headers=PRIVATE)

        @routes.route("/api/callbacks/<callback_id:int>/done", methods=["POST"])
        @requires_agent
        async def callback_done(request: Request, identity: AgentIdentity, callback_id: int) -> HTTPResponse:
            if not await asyncio.to_thread(callbacks.mark_done, callback_id, identity.id):
                return _error(404, "No such open callback request.")
            return response.json({"id": callback_id, "status": "done"}, headers=PRIVATE)

        return routes


async def _static(name: str) -> HTTPResponse:
    path = STATIC / name
    if path.suffix not in STATIC_TYPES or path.parent != STATIC or not path.is_file():
        return _error(404, "Not found.")
    return response.raw(path.read_bytes(), content_type=STATIC_TYPES[path.suffix],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"})
