from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.handoff.models import HandoffRequest
from bot.handoff.requests import HandoffUnavailable, record_handoff, transcript_from_events
from bot.settings import load_settings
from bot.storage.database import session_scope

SETTINGS = load_settings()
BERLIN = ZoneInfo("Europe/Berlin")
EVENTS = [
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "wo ist mein paket", "timestamp": 1.0},
    {"event": "bot", "text": "Unter Meine Bestellungen ...", "timestamp": 2.0},
    {"event": "slot", "name": "language", "value": "de"},
    {"event": "user", "text": "Mitarbeiter bitte", "timestamp": 3.0},
]


@pytest.fixture()
def database(fresh_database):
    return fresh_database


def test_transcript_keeps_customer_and_bot_messages_in_order():
    assert transcript_from_events(EVENTS) == [
        {"from": "customer", "text": "wo ist mein paket", "timestamp": 1.0},
        {"from": "bot", "text": "Unter Meine Bestellungen ...", "timestamp": 2.0},
        {"from": "customer", "text": "Mitarbeiter bitte", "timestamp": 3.0},
    ]


def test_request_in_service_hours_is_stored_for_an_online_agent(database):
    result = record_handoff(
        conversation_id="c-1", language="de", reason="customer_request",
        transcript=transcript_from_events(EVENTS), settings=SETTINGS,
        now=datetime(2026, 11, 24, 14, 0, tzinfo=BERLIN), database_url=database,
    )
    assert result.agents_online
    with session_scope(database) as session:
        stored = session.execute(select(HandoffRequest)).scalars().one()
        assert (stored.id, stored.conversation_id, stored.language, stored.reason, stored.kind, stored.status) == (
            result.request_id, "c-1", "de", "customer_request", "agent_online", "open"
        )
        assert [entry["text"] for entry in stored.transcript] == [
            "wo ist mein paket", "Unter Meine Bestellungen ...", "Mitarbeiter bitte"
        ]


def test_request_at_night_becomes_a_callback(database):
    result = record_handoff(
        conversation_id="c-2", language="tr", reason="low_confidence", transcript=[],
        settings=SETTINGS, now=datetime(2026, 11, 24, 2, 0, tzinfo=BERLIN), database_url=database,
    )
    assert not result.agents_online
    with session_scope(database) as session:
        assert session.get(HandoffRequest, result.request_id).kind == "callback"


def test_unknown_reason_is_refused(database):
    with pytest.raises(ValueError):
        record_handoff(conversation_id="c", language="de", reason="bored", transcript=[],
                       settings=SETTINGS, database_url=database)


def test_database_failure_is_reported_and_leaves_nothing_half_written(tmp_path):
    # A directory where the database file should be: SQLite cannot open it.
    broken = tmp_path / "not-a-file"
    broken.mkdir()
    with pytest.raises(HandoffUnavailable):
        record_handoff(conversation_id="c", language="pl", reason="customer_request", transcript=[],
                       settings=SETTINGS, database_url=f"sqlite:///{broken}")
