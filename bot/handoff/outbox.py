"""Messages that reach a customer outside a reply: agent replies, "your agent has joined", the
rating question after an agent closes. Each gets an increasing id, the cursor clients fetch
from (GET /webhooks/rest/messages?sender=..&since=<cursor>); a worker in the Rasa server writes
each into the conversation's tracker (`in_tracker`), so the transcript stays whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.handoff.models import OutboxMessage
from bot.storage.base import as_utc
from bot.storage.database import session_scope

MAX_FETCH = 100


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    conversation_id: str
    sender: str  # agent | bot
    agent_name: str | None
    text: str
    buttons: list[dict[str, str]] | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": self.id, "recipient_id": self.conversation_id, "from": self.sender,
            "text": self.text, "created_at": self.created_at.isoformat(),
        }
        if self.agent_name:
            message["agent"] = self.agent_name
        if self.buttons:
            message["buttons"] = self.buttons
        return message


def _entry(row: OutboxMessage) -> OutboxEntry:
    return OutboxEntry(int(row.id), row.conversation_id, row.sender, row.agent_name, row.text,
                       row.buttons, as_utc(row.created_at))


def post(conversation_id: str, text: str, *, sender: str, agent_name: str | None = None,
         buttons: list[dict[str, str]] | None = None, database_url: str | None = None) -> OutboxEntry:
    if sender not in ("agent", "bot"):
        raise ValueError(sender)
    with session_scope(database_url) as session:
        row = OutboxMessage(conversation_id=conversation_id, sender=sender, agent_name=agent_name,
                            text=text, buttons=buttons or None, in_tracker=False)
        session.add(row)
        session.flush()
        return _entry(row)


def since(conversation_id: str, cursor: int, database_url: str | None = None) -> list[OutboxEntry]:
    """The conversation's messages after `cursor`, oldest first (at most MAX_FETCH)."""
    with session_scope(database_url) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.conversation_id == conversation_id, OutboxMessage.id > cursor)
            .order_by(OutboxMessage.id.asc()).limit(MAX_FETCH)
        )
        return [_entry(row) for row in rows]


def latest_cursor(conversation_id: str, database_url: str | None = None) -> int:
    with session_scope(database_url) as session:
        value = session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.conversation_id == conversation_id)
            .order_by(OutboxMessage.id.desc()).limit(1)
        )
        return int(value or 0)


def not_in_tracker(limit: int = MAX_FETCH, database_url: str | None = None) -> list[OutboxEntry]:
    with session_scope(database_url) as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.in_tracker.is_(False))
            .order_by(OutboxMessage.id.asc()).limit(limit)
        )
        return [_entry(row) for row in rows]


def mark_in_tracker(message_id: int, database_url: str | None = None) -> None:
    with session_scope(database_url) as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(in_tracker=True))
