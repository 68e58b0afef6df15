"""Whether an article helped: one row per answer to "Did this help?" (for the quality report)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from bot.storage.base import Base, utc_now


class ArticleFeedback(Base):
    __tablename__ = "article_feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    article_id = Column(String(64), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    helped = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
