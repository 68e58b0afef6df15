"""Tables of the handoff: requests in the agents' queue, agents and their sessions, messages to
customers outside a reply (outbox), callback requests and conversation ratings."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from bot.storage.base import Base, utc_now


class HandoffRequest(Base):
    """A conversation handed to people: waiting in the queue, claimed by an agent, or closed."""

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    # one of bot.handoff.queue.REASONS
    reason = Column(String(32), nullable=False)
    # agent_online: asked during service hours; callback: outside them (kept for the next shift)
    kind = Column(String(16), nullable=False)
    # waiting -> claimed -> closed; or waiting -> callback (the customer chose to be called back)
    # or waiting -> cancelled (the customer went on with the bot)
    status = Column(String(16), nullable=False, default="waiting", index=True)
    transcript = Column(JSON, nullable=False)
    order_number = Column(String(32), nullable=True)
    # What the conversation was about when it was handed over (intent or help article).
    topic = Column(String(64), nullable=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)


class Agent(Base):
    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(128), nullable=False)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    # The last request of any of the agent's sessions: agents seen recently count as online.
    last_seen_at = Column(DateTime(timezone=True), nullable=True)


class AgentSession(Base):
    """A login. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    csrf_token = Column(String(64), nullable=False)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class LoginAttempt(Base):
    """Failed logins, counted per user name and per client address for the login limit."""

    __tablename__ = "agent_login_attempts"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, index=True)
    client_address = Column(String(64), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)


class OutboxMessage(Base):
    """A message to a customer outside a reply (agent replies, notices, the rating question).

    Its id is the cursor clients fetch from; `in_tracker` marks it written into Rasa's tracker
    (a worker in the Rasa server writes what is missing, also after a restart)."""

    __tablename__ = "outbox_messages"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    # agent | bot
    sender = Column(String(16), nullable=False)
    agent_name = Column(String(128), nullable=True)
    text = Column(Text, nullable=False)
    buttons = Column(JSON, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    in_tracker = Column(Boolean, nullable=False, default=False, index=True)


class CallbackRequest(Base):
    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    handoff_request_id = Column(Integer, ForeignKey("handoff_requests.id"), nullable=True)
    language = Column(String(8), nullable=False)
    phone_e164 = Column(String(20), nullable=False)
    # Not before this time (the next opening when asked outside service hours).
    call_after = Column(DateTime(timezone=True), nullable=False)
    status = Column(String(16), nullable=False, default="open", index=True)
    done_by = Column(Integer, ForeignKey("agents.id"), nullable=True)
    done_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class ConversationRating(Base):
    __tablename__ = "conversation_ratings"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    score = Column(Integer, nullable=False)
    comment = Column(Text, nullable=True)
    topic = Column(String(64), nullable=True)
    language = Column(String(8), nullable=False)
    # The agent who closed the conversation, when a person handled it.
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class DeskForward(Base):
    """A handoff waiting to be (or already) forwarded to the external help desk (bot/handoff/desk.py)."""

    __tablename__ = "desk_forwards"

    id = Column(Integer, primary_key=True)
    handoff_request_id = Column(Integer, ForeignKey("handoff_requests.id"), nullable=False, index=True)
    payload = Column(JSON, nullable=False)
    # pending -> delivered, or failed after handoff.desk.max_attempts
    status = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False)
    last_error = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
