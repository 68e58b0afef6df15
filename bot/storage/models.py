"""Tables of the bot's own data (Rasa keeps its conversations in its own `events` table).

The orders and returns tables live beside their services (bot/orders/models.py,
bot/returns/models.py); `all_models()` imports them so migrations see one metadata.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String

from bot.storage.base import Base, utc_now


class HandoffRequest(Base):
    """A customer's conversation waiting for a human agent (or a callback outside hours)."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    # one of bot.handoff.REASONS
    reason = Column(String(32), nullable=False)
    # agent_online: an agent should pick it up now; callback: outside service hours
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default="open")
    transcript = Column(JSON, nullable=False)
    order_number = Column(String(32), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


def all_models() -> type[Base]:
    """The shared base with every table of the bot registered on its metadata."""
    import bot.help.models  # noqa: F401
    import bot.orders.models  # noqa: F401
    import bot.returns.models  # noqa: F401

    return Base
