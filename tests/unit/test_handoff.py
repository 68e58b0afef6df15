"""The agents' queue: storing, places and waits, atomic claims, owners, leaving the queue."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.handoff.agents import create_agent, login, logout
from bot.handoff.models import HandoffRequest
from bot.handoff.queue import (
    ClaimRefused,
    HandoffUnavailable,
    NotOwner,
    active_handoff,
    claim,
    close,
    expected_wait_minutes,
    leave_queue,
    open_handoff,
    owned_by,
    topic_from_events,
    transcript_from_events,
)
from bot.settings import load_settings
from bot.storage.database import session_scope

SETTINGS = load_settings()
BERLIN = ZoneInfo("Europe/Berlin")
AFTERNOON = datetime(2026, 11, 24, 14, 0, tzinfo=BERLIN)
NIGHT = datetime(2026, 11, 24, 2, 0, tzinfo=BERLIN)
EVENTS = [
    {"event": "action", "name": "action_listen"},
    {"event": "user", "text": "wo ist mein paket", "timestamp": 1.0,
     "parse_data": {"intent": {"name": "order_status"}}},
    {"event": "bot", "text": "Unter Meine Bestellungen ...", "timestamp": 2.0},
    {"event": "slot", "name": "language", "value": "de"},
    {"event": "user", "text": "Mitarbeiter bitte", "timestamp": 3.0,
     "parse_data": {"intent": {"name": "human_handoff"}}},
]


@pytest.fixture()
def database(fresh_database):
    return fresh_database


def queue(database, conversation, now=AFTERNOON, reason="customer_request", language="de"):
    return open_handoff(conversation_id=conversation, language=language, reason=reason, transcript=[],
                        settings=SETTINGS, now=now, database_url=database)


def online_agent(database, name="alice", now=None):
    agent_id = create_agent(name, "correct horse battery", database_url=database)
    login(name, "correct horse battery", "10.0.0.1", SETTINGS, now=now, database_url=database)
    return agent_id


def test_transcript_keeps_customer_and_bot_messages_in_order():
    assert [(m["from"], m["text"]) for m in transcript_from_events(EVENTS)] == [
        ("customer", "wo ist mein paket"), ("bot", "Unter Meine Bestellungen ..."), ("customer", "Mitarbeiter bitte"),
    ]


def test_the_topic_is_the_latest_intent_that_names_a_subject():
    assert topic_from_events(EVENTS) == "order_status"
    article = {"event": "user", "parse_data": {"intent": {"name": "kindle"}, "response_selector": {
        "kindle": {"response": {"intent_response_key": "kindle/wifi"}}}}}
    assert topic_from_events([*EVENTS, article]) == "kindle/wifi"
    assert topic_from_events([EVENTS[-1]]) is None


def test_a_request_in_service_hours_waits_in_the_queue_with_its_transcript(database):
    state = open_handoff(conversation_id="c-1", language="de", reason="customer_request",
                         transcript=transcript_from_events(EVENTS), settings=SETTINGS, topic="order_status",
                         order_number="302-4519273-8812345", now=AFTERNOON, database_url=database)
    assert state.in_service_hours and state.position == 1
    assert state.agents_online == 0 and state.wait_minutes is None  # nobody online: no promise
    with session_scope(database) as session:
        stored = session.execute(select(HandoffRequest)).scalars().one()
        assert (stored.conversation_id, stored.reason, stored.kind, stored.status, stored.topic) == (
            "c-1", "customer_request", "agent_online", "waiting", "order_status")
        assert [entry["text"] for entry in stored.transcript][-1] == "Mitarbeiter bitte"


def test_places_count_the_waiting_requests_before_and_a_second_request_keeps_its_place(database):
    assert queue(database, "a").position == 1
    assert queue(database, "b").position == 2
    assert queue(database, "a").position == 1
    with session_scope(database) as session:
        assert len(session.execute(select(HandoffRequest)).scalars().all()) == 2


def test_the_wait_is_honest_about_agents_and_their_chats():
    assert expected_wait_minutes(1, 0, 0, SETTINGS) is None
    assert expected_wait_minutes(1, 1, 0, SETTINGS) == SETTINGS.service_hours.expected_agent_wait_minutes
    per_agent = SETTINGS.handoff.chats_per_agent
    full = expected_wait_minutes(1, 1, per_agent, SETTINGS)
    assert full == SETTINGS.service_hours.expected_agent_wait_minutes + SETTINGS.handoff.average_handling_minutes
    assert expected_wait_minutes(per_agent * 2 + 1, 1, per_agent, SETTINGS) > full
    free_again = expected_wait_minutes(per_agent * 2, 3, per_agent, SETTINGS)
    assert free_again == SETTINGS.service_hours.expected_agent_wait_minutes


def test_an_agent_online_gives_a_wait_and_a_logout_takes_it_away(database):
    now = datetime.now(UTC)
    online_agent(database, now=now)
    state = queue(database, "c", now=now)
    if state.in_service_hours:
        assert state.agents_online == 1 and state.wait_minutes == SETTINGS.service_hours.expected_agent_wait_minutes
    done = login("alice", "correct horse battery", "10.0.0.1", SETTINGS, database_url=database)
    logout(done.token, database_url=database)


def test_a_request_at_night_is_kept_for_the_next_opening(database):
    state = queue(database, "c-2", now=NIGHT, language="tr", reason="failed_turns")
    assert not state.in_service_hours and state.wait_minutes is None
    assert state.next_opening == datetime(2026, 11, 24, 6, 0, tzinfo=BERLIN)
    with session_scope(database) as session:
        assert session.get(HandoffRequest, state.request_id).kind == "callback"
    late = queue(database, "c-3", now=datetime(2026, 11, 24, 23, 59, 30, tzinfo=BERLIN) + timedelta(minutes=1))
    assert late.next_opening == datetime(2026, 11, 25, 6, 0, tzinfo=BERLIN)


def test_unknown_reason_is_refused(database):
    with pytest.raises(ValueError):
        queue(database, "c", reason="bored")


def test_database_failure_is_reported(tmp_path):
    broken = tmp_path / "not-a-file"
    broken.mkdir()
    with pytest.raises(HandoffUnavailable):
        queue(f"sqlite:///{broken}", "c")


def test_of_two_agents_claiming_at_once_exactly_one_wins(database):
    queue(database, "contested")
    alice = create_agent("alice", "x" * 12, database_url=database)
    bob = create_agent("bob", "y" * 12, database_url=database)
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def try_claim(agent_id):
        start.wait()
        try:
            claim("contested", agent_id, database_url=database)
            outcomes[agent_id] = "won"
        except ClaimRefused:
            outcomes[agent_id] = "refused"

    threads = [threading.Thread(target=try_claim, args=(agent,)) for agent in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "won"]
    winner = next(agent for agent, outcome in outcomes.items() if outcome == "won")
    assert active_handoff("contested", database).agent_id == winner


def test_only_the_owner_can_reply_and_close(database):
    queue(database, "c")
    alice = create_agent("alice", "x" * 12, database_url=database)
    bob = create_agent("bob", "y" * 12, database_url=database)
    with pytest.raises(NotOwner):
        owned_by("c", alice, database)  # nobody owns it yet
    claim("c", alice, database_url=database)
    assert owned_by("c", alice, database).agent_name == "alice"
    with pytest.raises(NotOwner):
        owned_by("c", bob, database)
    with pytest.raises(NotOwner):
        close("c", bob, database_url=database)
    closed = close("c", alice, database_url=database)
    assert closed.status == "closed" and closed.closed_at is not None
    assert active_handoff("c", database) is None
    with pytest.raises(ClaimRefused):
        claim("c", bob, database_url=database)


def test_leaving_the_queue_works_only_before_an_agent_claims(database):
    queue(database, "back-to-bot")
    assert leave_queue("back-to-bot", "cancelled", database_url=database)
    assert active_handoff("back-to-bot", database) is None
    queue(database, "claimed")
    claim("claimed", create_agent("alice", "x" * 12, database_url=database), database_url=database)
    assert not leave_queue("claimed", "cancelled", database_url=database)
    assert active_handoff("claimed", database).status == "claimed"
