"""Handing a conversation to a human agent: record the request, tell whether someone is online."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.handoff.models import HandoffRequest
from bot.handoff.service_hours import is_open
from bot.settings import Settings
from bot.storage.database import session_scope

logger = logging.getLogger(__name__)

REASONS = ("customer_request", "low_confidence", "flow_failure", "lockout", "article_not_helpful")


class HandoffUnavailable(Exception):
    """The request could not be stored; the customer must be told, not left waiting."""


@dataclass(frozen=True)
class HandoffResult:
    request_id: int
    agents_online: bool


def transcript_from_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Customer and bot messages of a Rasa tracker, oldest first."""
    speakers = {"user": "customer", "bot": "bot"}
    return [
        {"from": speakers[event["event"]], "text": event.get("text"),
         "timestamp": event.get("timestamp")}
        for event in events
        if event.get("event") in speakers
    ]


def record_handoff(
    *,
    conversation_id: str,
    language: str,
    reason: str,
    transcript: list[dict[str, Any]],
    settings: Settings,
    order_number: str | None = None,
    now: datetime | None = None,
    database_url: str | None = None,
) -> HandoffResult:
    """Store the request; agents online now get it live, otherwise it becomes a callback."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}")
    online = is_open(now or datetime.now(UTC), settings.service_hours)
    try:
        with session_scope(database_url) as session:
            request = HandoffRequest(
                conversation_id=conversation_id,
                language=language,
                reason=reason,
                kind="agent_online" if online else "callback",
                transcript=transcript,
                order_number=order_number,
            )
            session.add(request)
            session.flush()
            request_id = int(request.id)
    except SQLAlchemyError as error:
        logger.exception("handoff for %s could not be stored", conversation_id)
        raise HandoffUnavailable(str(error)) from error
    return HandoffResult(request_id=request_id, agents_online=online)
