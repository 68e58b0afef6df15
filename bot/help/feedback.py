"""Stores the customer's answer to "Did this article help?"."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.help.models import ArticleFeedback
from bot.storage.database import session_scope

logger = logging.getLogger(__name__)


class FeedbackUnavailable(Exception):
    """The answer could not be stored (database down); the conversation goes on."""


def record_article_feedback(*, conversation_id: str, article_id: str, language: str, helped: bool,
                            database_url: str | None = None) -> int:
    """The new row's id."""
    try:
        with session_scope(database_url) as session:
            row = ArticleFeedback(conversation_id=conversation_id, article_id=article_id,
                                  language=language, helped=helped)
            session.add(row)
            session.flush()
            return int(row.id)
    except SQLAlchemyError as error:
        logger.exception("article feedback for %s not stored", conversation_id)
        raise FeedbackUnavailable(str(error)) from error
