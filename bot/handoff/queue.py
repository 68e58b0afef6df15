"""The agents' queue: handoff requests from waiting to claimed to closed, and the honest wait.

A conversation has at most one active request (waiting or claimed). Claiming is one conditional
UPDATE, so of two agents claiming at once exactly one wins, whatever the database.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.handoff.desk import desk_target, queue_forward
from bot.handoff.models import Agent, AgentSession, HandoffRequest
from bot.handoff.service_hours import is_open, next_opening
from bot.handoff.shortcuts import TYPED_TEXT_KEY
from bot.settings import Settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope

logger = logging.getLogger(__name__)

REASONS = (
    "customer_request", "failed_turns", "flow_failure", "lockout", "article_not_helpful",
    "frustration", "overdue_parcel",
)
ACTIVE = ("waiting", "claimed")
STATUSES = ("waiting", "claimed", "closed", "callback", "cancelled")


class HandoffUnavailable(Exception):
    """The request could not be stored; the customer must be told, not left waiting."""


class ClaimRefused(Exception):
    """Someone else claimed it first, or it is no longer waiting."""


class NotOwner(Exception):
    """The agent does not own this conversation (or nobody does)."""


@dataclass(frozen=True)
class QueueState:
    """What the customer is told after handing over."""

    request_id: int
    in_service_hours: bool
    position: int  # in the waiting queue, 1 = next
    agents_online: int
    wait_minutes: int | None  # None: nobody online, no honest estimate
    next_opening: datetime  # in the shop's time zone; now when open


@dataclass(frozen=True)
class HandoffView:
    id: int
    conversation_id: str
    language: str
    reason: str
    kind: str
    status: str
    topic: str | None
    order_number: str | None
    agent_id: int | None
    agent_name: str | None
    created_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None
    transcript: list[dict[str, Any]]

    def to_json(self, now: datetime) -> dict[str, Any]:
        end = self.claimed_at or self.closed_at or now
        return {
            "id": self.conversation_id,
            "request_id": self.id,
            "language": self.language,
            "reason": self.reason,
            "kind": self.kind,
            "status": self.status,
            "topic": self.topic,
            "order_number": self.order_number,
            "agent": self.agent_name,
            "created_at": self.created_at.isoformat(),
            "claimed_at": self.claimed_at.isoformat() if self.claimed_at else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "waiting_seconds": max(0, int((end - self.created_at).total_seconds())),
        }


def transcript_from_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Customer and bot messages of a Rasa tracker, oldest first."""
    speakers = {"user": "customer", "bot": "bot"}
    return [
        {"from": speakers[event["event"]],
         "text": (event.get("metadata") or {}).get(TYPED_TEXT_KEY) or event.get("text"),
         "timestamp": event.get("timestamp")}
        for event in events
        if event.get("event") in speakers
    ]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _view(session: Session, request: HandoffRequest) -> HandoffView:
    agent = session.get(Agent, request.agent_id) if request.agent_id else None
    return HandoffView(
        id=int(request.id), conversation_id=request.conversation_id, language=request.language,
        reason=request.reason, kind=request.kind, status=request.status, topic=request.topic,
        order_number=request.order_number, agent_id=request.agent_id,
        agent_name=agent.display_name if agent else None,
        created_at=as_utc(request.created_at), claimed_at=as_utc(request.claimed_at),
        closed_at=as_utc(request.closed_at), transcript=list(request.transcript or []),
    )


def agents_online(session: Session, now: datetime, settings: Settings) -> int:
    """Agents logged in (an unexpired session) whose inbox was active in the last few minutes."""
    since = now - timedelta(minutes=settings.handoff.agent_online_minutes)
    logged_in = select(AgentSession.agent_id).where(AgentSession.expires_at > now)
    return int(session.scalar(
        select(func.count()).select_from(Agent).where(Agent.last_seen_at >= since, Agent.id.in_(logged_in))
    ) or 0)


def expected_wait_minutes(position: int, online: int, busy_chats: int, settings: Settings) -> int | None:
    """Minutes until an agent answers the customer at `position`; None when nobody is online.

    Agents take up to chats_per_agent chats at once: a place within the free capacity waits the
    usual expected_agent_wait_minutes; each further round of the queue adds a handling time."""
    if online <= 0:
        return None
    capacity = online * settings.handoff.chats_per_agent
    free = max(0, capacity - busy_chats)
    base = settings.service_hours.expected_agent_wait_minutes
    if position <= free:
        return base
    rounds = math.ceil((position - free) / capacity)
    return base + rounds * settings.handoff.average_handling_minutes


def _active(session: Session, conversation_id: str) -> HandoffRequest | None:
    return session.scalars(
        select(HandoffRequest)
        .where(HandoffRequest.conversation_id == conversation_id, HandoffRequest.status.in_(ACTIVE))
        .order_by(HandoffRequest.id.desc())
    ).first()


def _state(session: Session, request: HandoffRequest, now: datetime, settings: Settings) -> QueueState:
    ahead = session.scalar(
        select(func.count()).select_from(HandoffRequest)
        .where(HandoffRequest.status == "waiting", HandoffRequest.id < request.id)
    ) or 0
    busy = session.scalar(
        select(func.count()).select_from(HandoffRequest).where(HandoffRequest.status == "claimed")
    ) or 0
    online = agents_online(session, now, settings)
    position = int(ahead) + 1
    open_now = is_open(now, settings.service_hours)
    return QueueState(
        request_id=int(request.id), in_service_hours=open_now, position=position, agents_online=online,
        wait_minutes=expected_wait_minutes(position, online, int(busy), settings) if open_now else None,
        next_opening=next_opening(now, settings.service_hours),
    )


def open_handoff(
    *,
    conversation_id: str,
    language: str,
    reason: str,
    transcript: list[dict[str, Any]],
    settings: Settings,
    topic: str | None = None,
    order_number: str | None = None,
    now: datetime | None = None,
    database_url: str | None = None,
) -> QueueState:
    """Puts the conversation in the agents' queue (once: a second request keeps its place)."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}")
    now = _now(now)
    online = is_open(now, settings.service_hours)
    try:
        desk = desk_target()
    except RuntimeError:
        logger.exception("the help desk forward is misconfigured; the handoff is stored without it")
        desk = None
    try:
        with session_scope(database_url) as session:
            request = _active(session, conversation_id)
            if request is None:
                request = HandoffRequest(
                    conversation_id=conversation_id, language=language, reason=reason,
                    kind="agent_online" if online else "callback", status="waiting",
                    transcript=transcript, order_number=order_number, topic=topic, created_at=now,
                )
                session.add(request)
                session.flush()
                if desk is not None:
                    queue_forward(session, request, now)
            return _state(session, request, now, settings)
    except SQLAlchemyError as error:
        logger.exception("handoff for %s could not be stored", conversation_id)
        raise HandoffUnavailable(str(error)) from error


def active_handoff(conversation_id: str, database_url: str | None = None) -> HandoffView | None:
    with session_scope(database_url) as session:
        request = _active(session, conversation_id)
        return _view(session, request) if request else None


def latest_handoff(conversation_id: str, database_url: str | None = None) -> HandoffView | None:
    """The newest request of the conversation in any state."""
    with session_scope(database_url) as session:
        request = session.scalars(
            select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id)
            .order_by(HandoffRequest.id.desc())
        ).first()
        return _view(session, request) if request else None


def handoffs(status: str | None, database_url: str | None = None, limit: int = 200) -> list[HandoffView]:
    """Requests in `status` (all when None): waiting ones oldest first, the others newest first."""
    with session_scope(database_url) as session:
        query = select(HandoffRequest)
        if status:
            query = query.where(HandoffRequest.status == status)
        order = HandoffRequest.id.asc() if status == "waiting" else HandoffRequest.id.desc()
        return [_view(session, request) for request in session.scalars(query.order_by(order).limit(limit))]


def claim(conversation_id: str, agent_id: int, now: datetime | None = None,
          database_url: str | None = None) -> HandoffView:
    """The agent takes the waiting conversation; raises ClaimRefused when another was faster."""
    now = _now(now)
    with session_scope(database_url) as session:
        request = _active(session, conversation_id)
        if request is None:
            raise ClaimRefused("nothing is waiting in this conversation")
        won = session.execute(
            update(HandoffRequest)
            .where(HandoffRequest.id == request.id, HandoffRequest.status == "waiting")
            .values(status="claimed", agent_id=agent_id, claimed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            raise ClaimRefused("another agent claimed this conversation first")
        session.expire(request)
        return _view(session, request)


def owned_by(conversation_id: str, agent_id: int, database_url: str | None = None) -> HandoffView:
    """The conversation's claimed request when this agent owns it; NotOwner otherwise."""
    view = active_handoff(conversation_id, database_url)
    if view is None or view.status != "claimed" or view.agent_id != agent_id:
        raise NotOwner(conversation_id)
    return view


def close(conversation_id: str, agent_id: int, now: datetime | None = None,
          database_url: str | None = None) -> HandoffView:
    now = _now(now)
    with session_scope(database_url) as session:
        request = _active(session, conversation_id)
        closed = 0 if request is None else session.execute(
            update(HandoffRequest)
            .where(HandoffRequest.id == request.id, HandoffRequest.status == "claimed",
                   HandoffRequest.agent_id == agent_id)
            .values(status="closed", closed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if closed != 1:
            raise NotOwner(conversation_id)
        session.expire(request)
        return _view(session, request)


def leave_queue(conversation_id: str, status: str, now: datetime | None = None,
                database_url: str | None = None) -> bool:
    """The customer stops waiting: `callback` (wants a call instead) or `cancelled` (back to the
    bot). Only a request nobody has claimed yet can be left."""
    if status not in ("callback", "cancelled"):
        raise ValueError(status)
    with session_scope(database_url) as session:
        changed = session.execute(
            update(HandoffRequest)
            .where(HandoffRequest.conversation_id == conversation_id, HandoffRequest.status == "waiting")
            .values(status=status, closed_at=_now(now))
            .execution_options(synchronize_session=False)
        ).rowcount
        return bool(changed)


# Intents that say nothing about what the conversation is about.
_NO_TOPIC = {"human_handoff", "nlu_fallback", "affirm", "deny", "greet", "goodbye", "thank", "inform", "stop",
             "request_callback", "cancel_handoff", "rate", "add_rating_comment", "change_language", "bot_challenge",
             "frustration", "out_of_scope"}


def topic_from_events(events: list[dict[str, Any]]) -> str | None:
    """The latest intent of the customer that names a subject (order_status, kindle/wifi, ...)."""
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        if not intent or intent in _NO_TOPIC:
            continue
        selector = (parse.get("response_selector") or {}).get(intent) or {}
        full = (selector.get("response") or {}).get("intent_response_key")
        return (full or intent)[:64]
    return None
