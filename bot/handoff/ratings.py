"""Ratings of conversations (1-5 and an optional comment), with topic, language and the agent
who handled it, for the report."""

from __future__ import annotations

from sqlalchemy import select

from bot.handoff.models import ConversationRating, HandoffRequest
from bot.storage.database import session_scope

SCORES = range(1, 6)
MAX_COMMENT_CHARS = 2000


def store_rating(*, conversation_id: str, score: int, language: str, topic: str | None = None,
                 database_url: str | None = None) -> int:
    """Stores a rating; topic and agent come from the conversation's latest handoff when there is one."""
    if score not in SCORES:
        raise ValueError(f"a rating is 1 to 5, not {score!r}")
    with session_scope(database_url) as session:
        handoff = session.scalars(
            select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id)
            .order_by(HandoffRequest.id.desc())
        ).first()
        row = ConversationRating(
            conversation_id=conversation_id, score=score, language=language,
            topic=topic or (handoff.topic if handoff else None),
            agent_id=handoff.agent_id if handoff and handoff.status == "closed" else None,
        )
        session.add(row)
        session.flush()
        return int(row.id)


def add_comment(rating_id: int, comment: str, database_url: str | None = None) -> None:
    with session_scope(database_url) as session:
        row = session.get(ConversationRating, rating_id)
        if row is not None:
            row.comment = comment.strip()[:MAX_COMMENT_CHARS] or None
