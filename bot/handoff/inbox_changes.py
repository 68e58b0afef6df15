"""A fingerprint of what the agents' inbox shows, so the server can tell open inboxes when it
changed (server-sent events) instead of every inbox asking every few seconds.

It covers the conversations waiting or claimed (which, their state and owner), the newest tracker
event of those conversations (a customer message to an agent, a reply), and the open callbacks.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.handoff.models import CallbackRequest, HandoffRequest
from bot.storage.database import session_scope

ACTIVE = ("waiting", "claimed")
# Rasa's SQL tracker store table (same database); new events of active conversations.
_LATEST_EVENT = text("SELECT MAX(id) FROM events WHERE sender_id IN :conversations").bindparams(
    bindparam("conversations", expanding=True))


def inbox_version(database_url: str | None = None) -> str:
    """Changes whenever the inbox's lists or an active conversation's transcript change."""
    with session_scope(database_url) as session:
        active = sorted(session.execute(
            select(HandoffRequest.id, HandoffRequest.conversation_id, HandoffRequest.status, HandoffRequest.agent_id)
            .where(HandoffRequest.status.in_(ACTIVE))
        ).all())
        open_callbacks = tuple(session.execute(
            select(func.count(CallbackRequest.id), func.max(CallbackRequest.id)).where(CallbackRequest.status == "open")
        ).one())
        latest_event = None
        if active:
            try:
                latest_event = session.execute(
                    _LATEST_EVENT, {"conversations": sorted({row.conversation_id for row in active})}).scalar()
            except (OperationalError, ProgrammingError):  # no tracker table yet: nothing to compare
                session.rollback()
    fingerprint = repr(([tuple(row) for row in active], open_callbacks, latest_event))
    return hashlib.sha1(fingerprint.encode()).hexdigest()[:16]
