"""Alembic environment: the bot's own tables only (Rasa's tracker store shares the database)."""

from __future__ import annotations

from alembic import context

from bot.storage.database import database_url, engine_for
from bot.storage.models import all_models

target_metadata = all_models().metadata


def include_name(name, type_, parent_names) -> bool:  # noqa: ANN001
    """Autogenerate must not propose dropping Rasa's `events` table or anything else not ours."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or database_url()
    with engine_for(url).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
