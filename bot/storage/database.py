"""Engine and sessions for the bot's database, configured by DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import PROJECT_ROOT

DEFAULT_DATABASE_PATH = PROJECT_ROOT / "var" / "bot.sqlite3"


def database_url() -> str:
    """DATABASE_URL, or the SQLite file under var/ (no server needed)."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_PATH}"


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder (Rasa's tracker store fails without it)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@cache
def engine_for(url: str) -> Engine:
    """One engine per URL. The schema comes from the migrations (bot/storage/migrations.py)."""
    ensure_sqlite_directory(url)
    if url.startswith("sqlite:///"):
        return create_engine(url, connect_args={"timeout": 15}, future=True)
    return create_engine(url, pool_pre_ping=True, future=True)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back when it raises."""
    factory = sessionmaker(bind=engine_for(url or database_url()), future=True)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
