"""Tables of the handoff: requests waiting for an agent."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String

from bot.storage.base import Base, utc_now


class HandoffRequest(Base):
    """A customer's conversation waiting for a human agent (or a callback outside hours)."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    # one of bot.handoff.requests.REASONS
    reason = Column(String(32), nullable=False)
    # agent_online: an agent should pick it up now; callback: outside service hours
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default="open")
    transcript = Column(JSON, nullable=False)
    order_number = Column(String(32), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
