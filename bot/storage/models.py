"""Tables of the bot's own data (Rasa keeps its conversations in its own `events` table)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, DateTime, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utc_now() -> datetime:
    return datetime.now(UTC)


class HandoffRequest(Base):
    """A customer's conversation waiting for a human agent (or a callback outside hours)."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    # customer_request | low_confidence | flow_failure
    reason = Column(String(32), nullable=False)
    # agent_online: an agent should pick it up now; callback: outside service hours
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default="open")
    transcript = Column(JSON, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
