"""Agent accounts and logins: argon2 password hashes, expiring sessions with a CSRF token,
failed logins limited per user name and per client address (counted in the database, so a
restart or a new address for the same name resets nothing)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from bot.handoff.models import Agent, AgentSession, LoginAttempt
from bot.settings import Settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope
from bot.storage.rate_limits import lock_buckets

MIN_PASSWORD_CHARS = 10
_HASHER = PasswordHasher()
# Verified when the user name is unknown, so that unknown and known names take the same time.
_DUMMY_HASH = _HASHER.hash("no such agent, no such password")


class AgentExists(Exception):
    pass


class LoginRefused(Exception):
    """`reason` is invalid (wrong name or password) or too_many (wait and try again)."""

    def __init__(self, reason: str, retry_after_seconds: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class AgentIdentity:
    id: int
    username: str
    display_name: str
    csrf_token: str


@dataclass(frozen=True)
class Login:
    token: str  # goes into the session cookie
    identity: AgentIdentity
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def create_agent(username: str, password: str, display_name: str | None = None,
                 database_url: str | None = None) -> int:
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ValueError("The user name must be 1-64 letters, digits, dots, dashes or underscores.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"The password must have at least {MIN_PASSWORD_CHARS} characters.")
    try:
        with session_scope(database_url) as session:
            agent = Agent(username=username, display_name=(display_name or username).strip()[:128],
                          password_hash=_HASHER.hash(password))
            session.add(agent)
            session.flush()
            return int(agent.id)
    except IntegrityError as error:
        raise AgentExists(username) from error


def login(username: str, password: str, client_address: str, settings: Settings,
          now: datetime | None = None, database_url: str | None = None) -> Login:
    now = _now(now)
    username = (username or "").strip().lower()[:64]
    limits = settings.handoff
    window_start = now - timedelta(minutes=limits.login_window_minutes)
    with session_scope(database_url) as session:
        # Parallel attempts for one name or from one address are counted one after another.
        lock_buckets(session, [f"agent-login:{username}", f"agent-login-from:{client_address}"], now)
        failures = session.scalars(
            select(LoginAttempt.created_at)
            .where(or_(LoginAttempt.username == username, LoginAttempt.client_address == client_address),
                   LoginAttempt.created_at >= window_start)
            .order_by(LoginAttempt.created_at.asc())
        ).all()
        if len(failures) >= limits.max_failed_logins:
            oldest = as_utc(failures[0])
            retry = int((oldest + timedelta(minutes=limits.login_window_minutes) - now).total_seconds()) + 1
            raise LoginRefused("too_many", max(1, retry))
        agent = session.scalars(select(Agent).where(Agent.username == username)).first()
        if not _password_matches(agent.password_hash if agent else _DUMMY_HASH, password) or agent is None:
            session.add(LoginAttempt(username=username, client_address=client_address[:64], created_at=now))
            raise_after_commit = LoginRefused("invalid")
        else:
            raise_after_commit = None
            session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
            token = secrets.token_urlsafe(32)
            csrf = secrets.token_urlsafe(32)
            expires = now + timedelta(hours=limits.agent_session_hours)
            session.add(AgentSession(token_hash=_token_hash(token), csrf_token=csrf, agent_id=agent.id,
                                     created_at=now, expires_at=expires))
            agent.last_seen_at = now
            identity = AgentIdentity(int(agent.id), agent.username, agent.display_name, csrf)
    if raise_after_commit is not None:
        raise raise_after_commit  # the failed attempt is committed first
    return Login(token=token, identity=identity, expires_at=expires)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def agent_for_session(token: str | None, now: datetime | None = None,
                      database_url: str | None = None) -> AgentIdentity | None:
    """The agent of a valid, unexpired session cookie (and marks the agent as seen now)."""
    if not token:
        return None
    now = _now(now)
    with session_scope(database_url) as session:
        row = session.scalars(select(AgentSession).where(AgentSession.token_hash == _token_hash(token))).first()
        if row is None or as_utc(row.expires_at) <= now:
            return None
        agent = session.get(Agent, row.agent_id)
        agent.last_seen_at = now
        return AgentIdentity(int(agent.id), agent.username, agent.display_name, row.csrf_token)


def csrf_matches(identity: AgentIdentity, sent: str | None) -> bool:
    if not sent:
        return False
    return hmac.compare_digest(identity.csrf_token.encode(), sent.encode("utf-8", "surrogateescape"))


def logout(token: str | None, database_url: str | None = None) -> None:
    if not token:
        return
    with session_scope(database_url) as session:
        session.execute(delete(AgentSession).where(AgentSession.token_hash == _token_hash(token)))


def agent_count(database_url: str | None = None) -> int:
    with session_scope(database_url) as session:
        return int(session.scalar(select(func.count()).select_from(Agent)) or 0)
