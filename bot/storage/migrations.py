"""Applies the Alembic migrations under migrations/ to a database (the run command calls this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot import PROJECT_ROOT
from bot.storage.database import database_url


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already)."""
    command.upgrade(alembic_config(url), "head")
