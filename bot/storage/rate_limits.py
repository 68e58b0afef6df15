"""Request counters in the database (sliding window), so that a restart, a second server or a new
sender id resets nothing. A bucket is a string such as "app-client:10.0.0.7".

Counting is check-then-insert, so parallel requests in one bucket must take turns: `lock_buckets`
updates one row per bucket first, which locks it (a row lock in PostgreSQL, the write lock in
SQLite) until the transaction ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Integer, String, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.base import Base, as_utc
from bot.storage.database import session_scope


class RateLimitHit(Base):
    __tablename__ = "rate_limit_hits"

    id = Column(Integer, primary_key=True)
    bucket = Column(String(128), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


class RateLimitLock(Base):
    __tablename__ = "rate_limit_locks"

    bucket = Column(String(128), primary_key=True)
    touched_at = Column(DateTime(timezone=True), nullable=False)


def lock_buckets(session: Session, buckets: list[str], now: datetime) -> None:
    """Locks the buckets' rows for the rest of the transaction (creating missing ones), in a fixed
    order so that two requests never wait for each other crosswise."""
    names = sorted({bucket[:128] for bucket in buckets})
    locked = session.execute(update(RateLimitLock).where(RateLimitLock.bucket.in_(names))
                             .values(touched_at=now)).rowcount
    if locked == len(names):
        return
    existing = set(session.scalars(select(RateLimitLock.bucket).where(RateLimitLock.bucket.in_(names))))
    for name in names:
        if name in existing:
            continue
        try:
            with session.begin_nested():
                session.add(RateLimitLock(bucket=name, touched_at=now))
        except IntegrityError:  # another request created it meanwhile: lock that one
            session.execute(update(RateLimitLock).where(RateLimitLock.bucket == name).values(touched_at=now))


def take(buckets: dict[str, int], window: timedelta, now: datetime | None = None,
         database_url: str | None = None) -> int:
    """Counts one request in every bucket ({bucket: limit}) unless one is full; returns 0 when the
    request may go ahead, else the seconds until the fullest bucket has room again."""
    now = now or datetime.now(UTC)
    start = now - window
    with session_scope(database_url) as session:
        lock_buckets(session, list(buckets), now)
        session.execute(delete(RateLimitHit).where(RateLimitHit.bucket.in_(list(buckets)),
                                                   RateLimitHit.created_at < start))
        wait = 0
        for bucket, limit in buckets.items():
            used = session.scalar(select(func.count()).select_from(RateLimitHit).where(
                RateLimitHit.bucket == bucket, RateLimitHit.created_at >= start)) or 0
            if used >= limit:
                oldest = session.scalar(select(func.min(RateLimitHit.created_at)).where(
                    RateLimitHit.bucket == bucket, RateLimitHit.created_at >= start))
                wait = max(wait, int((as_utc(oldest) + window - now).total_seconds()) + 1)
        if wait:
            return wait
        session.add_all([RateLimitHit(bucket=bucket[:128], created_at=now) for bucket in buckets])
        return 0
