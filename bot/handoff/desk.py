"""Optional forward of every handoff to an external help desk (Zendesk- or Chatwoot-style).

A new handoff writes a row into `desk_forwards` in the same transaction, so nothing is lost while
the desk is down. The worker in the Rasa server POSTs each due row as JSON, signed with
HMAC-SHA256 of the body under a shared secret (header X-Signature: sha256=<hex>), and retries
failures with exponential backoff until the desk answers 2xx or max_attempts is reached.
Configured by DESK_FORWARD_URL and DESK_FORWARD_SECRET (no URL: no forwarding).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import DeskForward, HandoffRequest
from bot.settings import Settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope

logger = logging.getLogger(__name__)

URL_ENV = "DESK_FORWARD_URL"
SECRET_ENV = "DESK_FORWARD_SECRET"
SIGNATURE_HEADER = "X-Signature"


@dataclass(frozen=True)
class DeskTarget:
    url: str
    secret: str


def desk_target() -> DeskTarget | None:
    url = os.environ.get(URL_ENV)
    if not url:
        return None
    secret = os.environ.get(SECRET_ENV)
    if not secret:
        raise RuntimeError(f"{URL_ENV} is set but {SECRET_ENV} is not: forwards must be signed")
    return DeskTarget(url, secret)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def queue_forward(session: Session, request: HandoffRequest, now: datetime) -> None:
    """Called inside the transaction that stores a new handoff (when a desk is configured)."""
    payload = {
        "handoff_id": int(request.id), "conversation_id": request.conversation_id, "language": request.language,
        "reason": request.reason, "topic": request.topic, "order_number": request.order_number,
        "created_at": now.isoformat(), "transcript": request.transcript,
    }
    session.add(DeskForward(handoff_request_id=request.id, payload=payload, status="pending", attempts=0,
                            next_attempt_at=now, created_at=now))


def backoff(attempts: int, settings: Settings) -> timedelta:
    desk = settings.handoff.desk
    return timedelta(seconds=min(desk.backoff_max_seconds, desk.backoff_first_seconds * 2 ** (attempts - 1)))


def _post(target: DeskTarget, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(target.url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: signature(target.secret, body)})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(target.url, response.status, "not 2xx", response.headers, None)


def deliver_due(target: DeskTarget, settings: Settings, now: datetime | None = None,
                database_url: str | None = None) -> dict[str, int]:
    """Tries every forward that is due, each in its own transaction (a delivered one is never sent
    again because a later one failed); returns how many were delivered, retried and given up."""
    now = now or datetime.now(UTC)
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    with session_scope(database_url) as session:
        due = session.scalars(
            select(DeskForward.id).where(DeskForward.status == "pending", DeskForward.next_attempt_at <= now)
            .order_by(DeskForward.id.asc()).limit(50)
        ).all()
    for forward_id in due:
        counts[_deliver_one(forward_id, target, settings, now, database_url)] += 1
    return counts


def _deliver_one(forward_id: int, target: DeskTarget, settings: Settings, now: datetime,
                 database_url: str | None) -> str:
    desk = settings.handoff.desk
    with session_scope(database_url) as session:
        row = session.get(DeskForward, forward_id)
        body = json.dumps(row.payload, ensure_ascii=False, default=str).encode()
        row.attempts += 1
        try:
            _post(target, body, desk.timeout_seconds)
        except Exception as error:  # any answer but a 2xx, or none at all, is retried
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            if row.attempts >= desk.max_attempts:
                row.status = "failed"
                logger.error("desk forward %s given up after %s attempts: %s", row.id, row.attempts, error)
                return "failed"
            row.next_attempt_at = now + backoff(row.attempts, settings)
            return "retry"
        row.status = "delivered"
        row.delivered_at = now
        return "delivered"


def forwards(database_url: str | None = None) -> list[dict[str, Any]]:
    with session_scope(database_url) as session:
        return [
            {"id": row.id, "handoff_request_id": row.handoff_request_id, "status": row.status,
             "attempts": row.attempts, "next_attempt_at": as_utc(row.next_attempt_at).isoformat(),
             "last_error": row.last_error}
            for row in session.scalars(select(DeskForward).order_by(DeskForward.id.asc()))
        ]
