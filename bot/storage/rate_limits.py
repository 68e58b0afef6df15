"""Request counters in the database (sliding window), so that a restart, a second server or a new
sender id resets nothing. A bucket is a string such as "app-client:10.0.0.7"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Integer, String, delete, func, select

from bot.storage.base import Base, as_utc
from bot.storage.database import session_scope


class RateLimitHit(Base):
    __tablename__ = "rate_limit_hits"

    id = Column(Integer, primary_key=True)
    bucket = Column(String(128), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)


def take(buckets: dict[str, int], window: timedelta, now: datetime | None = None,
         database_url: str | None = None) -> int:
    """Counts one request in every bucket ({bucket: limit}) unless one is full; returns 0 when the
    request may go ahead, else the seconds until the fullest bucket has room again."""
    now = now or datetime.now(UTC)
    start = now - window
    with session_scope(database_url) as session:
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
