"""A fresh, migrated database per test: SQLite in a temporary folder, or the PostgreSQL server
named by TEST_DATABASE_URL (its bot tables are dropped first, so use a database for tests only)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from bot.storage.database import engine_for
from bot.storage.migrations import upgrade
from bot.storage.models import all_models


def _empty(url: str) -> None:
    engine = engine_for(url)
    all_models().metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture()
def fresh_database(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    if "TEST_DATABASE_URL" in os.environ:
        _empty(url)
    upgrade(url)
    return url
