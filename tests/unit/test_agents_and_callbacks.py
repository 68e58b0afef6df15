"""Agents (argon2, sessions, login limit), callbacks (phone numbers, when to call), outbox, ratings."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.handoff.agents import (
    AgentExists,
    LoginRefused,
    agent_for_session,
    create_agent,
    csrf_matches,
    login,
    logout,
)
from bot.handoff.callbacks import asks_for_a_call_back, callbacks, mark_done, normalize_phone, request_callback
from bot.handoff.models import Agent, ConversationRating
from bot.handoff.outbox import mark_in_tracker, not_in_tracker, post, since
from bot.handoff.queue import active_handoff, claim, close, latest_handoff, open_handoff
from bot.handoff.ratings import add_comment, store_rating
from bot.settings import load_settings
from bot.storage.database import session_scope

SETTINGS = load_settings()
BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "correct horse battery"


@pytest.fixture()
def database(fresh_database):
    return fresh_database


def test_passwords_are_stored_as_argon2_hashes_and_names_are_unique(database):
    create_agent("Alice", PASSWORD, "Alice M.", database_url=database)
    with session_scope(database) as session:
        agent = session.execute(select(Agent)).scalars().one()
        assert agent.username == "alice" and agent.password_hash.startswith("$argon2")
        assert PASSWORD not in agent.password_hash
    with pytest.raises(AgentExists):
        create_agent("alice", PASSWORD, database_url=database)
    with pytest.raises(ValueError):
        create_agent("bob", "short", database_url=database)


def test_a_login_gives_a_session_with_csrf_token_that_expires(database):
    create_agent("alice", PASSWORD, database_url=database)
    now = datetime.now(UTC)
    done = login("alice", PASSWORD, "10.0.0.1", SETTINGS, now=now, database_url=database)
    identity = agent_for_session(done.token, now=now, database_url=database)
    assert identity.username == "alice" and csrf_matches(identity, done.identity.csrf_token)
    assert not csrf_matches(identity, "forged") and not csrf_matches(identity, None)
    later = now + timedelta(hours=SETTINGS.handoff.agent_session_hours, seconds=1)
    assert agent_for_session(done.token, now=later, database_url=database) is None
    assert agent_for_session("made-up", database_url=database) is None
    logout(done.token, database_url=database)
    assert agent_for_session(done.token, now=now, database_url=database) is None


def test_failed_logins_are_limited_per_name_and_per_address(database):
    create_agent("alice", PASSWORD, database_url=database)
    now = datetime.now(UTC)
    for attempt in range(SETTINGS.handoff.max_failed_logins):
        with pytest.raises(LoginRefused) as refused:
            login("alice", f"wrong-{attempt}", f"10.0.0.{attempt}", SETTINGS, now=now, database_url=database)
        assert refused.value.reason == "invalid"
    # Even the right password from a new address waits: the name is locked for the window.
    with pytest.raises(LoginRefused) as refused:
        login("alice", PASSWORD, "10.9.9.9", SETTINGS, now=now, database_url=database)
    assert refused.value.reason == "too_many" and refused.value.retry_after_seconds > 0
    # Guessing other names from one of those addresses is limited too.
    for name in ("bob", "carol", "dave", "erin", "frank"):
        with pytest.raises(LoginRefused):
            login(name, "x", "10.0.0.77", SETTINGS, now=now, database_url=database)
    with pytest.raises(LoginRefused) as refused:
        login("zoe", "x", "10.0.0.77", SETTINGS, now=now, database_url=database)
    assert refused.value.reason == "too_many"
    after_window = now + timedelta(minutes=SETTINGS.handoff.login_window_minutes, seconds=1)
    assert login("alice", PASSWORD, "10.9.9.9", SETTINGS, now=after_window, database_url=database).token


@pytest.mark.parametrize(("typed", "expected"), [
    ("0151 23456789", "+4915123456789"),
    ("+49 (0)30 1234567", "+49301234567"),
    ("+48 512 345 678", "+48512345678"),
    ("0048512345678", "+48512345678"),
    ("+420 601 123 456", "+420601123456"),
    ("+90 532 123 45 67", "+905321234567"),
    ("+31 6 12345678", "+31612345678"),
    ("12", None),
    ("call me maybe", None),
    ("", None),
    ("+49 " + "1" * 60, None),
])
def test_phone_numbers_are_validated_and_stored_in_e164(typed, expected):
    assert normalize_phone(typed, SETTINGS.handoff.phone_region) == expected


@pytest.mark.parametrize(("language", "text", "wanted"), [
    ("de", "Rückruf bitte", True), ("de", "können Sie mich bitte zurückrufen?", True),
    ("de", "kann ich Sie anrufen", False), ("de", "ich will mit einem Menschen reden", False),
    ("en", "call me back please", True), ("en", "can someone give me a ring", True),
    ("en", "can i call you", False), ("en", "whats your phone number", False),
    ("nl", "kunnen jullie me terugbellen", True), ("nl", "mag ik jullie bellen", False),
    ("pl", "prosze oddzwonić", True), ("pl", "zadzwońcie do mnie", True), ("pl", "mogę do was zadzwonić", False),
    ("tr", "beni geri arayın lütfen", True), ("tr", "sizi aramak istiyorum", False),
    ("cs", "můžete mi zavolat?", True), ("cs", "můžu vám zavolat", False),
])
def test_a_request_to_be_called_back_is_told_from_wanting_to_call_the_shop(language, text, wanted):
    assert asks_for_a_call_back(text, language) is wanted


def test_a_callback_at_night_is_for_the_next_opening_and_takes_the_chat_out_of_the_queue(database):
    night = datetime(2026, 11, 24, 2, 0, tzinfo=BERLIN)
    open_handoff(conversation_id="c", language="pl", reason="customer_request", transcript=[], settings=SETTINGS,
                 now=night, database_url=database)
    ticket = request_callback(conversation_id="c", language="pl", phone_e164="+48512345678", settings=SETTINGS,
                              now=night, database_url=database)
    assert not ticket.in_service_hours and ticket.call_after == datetime(2026, 11, 24, 6, 0, tzinfo=BERLIN)
    assert active_handoff("c", database) is None and latest_handoff("c", database).status == "callback"
    [listed] = callbacks("open", database_url=database)
    assert (listed["phone"], listed["language"]) == ("+48512345678", "pl")
    agent = create_agent("alice", PASSWORD, database_url=database)
    assert mark_done(listed["id"], agent, database_url=database)
    assert not mark_done(listed["id"], agent, database_url=database)
    assert callbacks("open", database_url=database) == []


def test_a_callback_in_service_hours_promises_a_minute_only_with_an_agent_online(database):
    now = datetime.now(UTC).astimezone(BERLIN).replace(hour=14)
    ticket = request_callback(conversation_id="c", language="de", phone_e164="+4915123456789", settings=SETTINGS,
                              now=now, database_url=database)
    assert ticket.in_service_hours and ticket.wait_minutes is None  # nobody online
    create_agent("alice", PASSWORD, database_url=database)
    login("alice", PASSWORD, "10.0.0.1", SETTINGS, now=now, database_url=database)
    second = request_callback(conversation_id="d", language="de", phone_e164="+4915123456789", settings=SETTINGS,
                              now=now, database_url=database)
    assert second.wait_minutes == SETTINGS.service_hours.expected_agent_wait_minutes


def test_the_outbox_hands_out_messages_after_a_cursor_and_tracks_what_is_in_the_tracker(database):
    first = post("c", "Hallo, hier ist Alice.", sender="agent", agent_name="Alice", database_url=database)
    post("other", "not for c", sender="bot", database_url=database)
    second = post("c", "Wie war's?", sender="bot", buttons=[{"title": "5 ★", "payload": "/rate"}],
                  database_url=database)
    assert [e.text for e in since("c", 0, database)] == ["Hallo, hier ist Alice.", "Wie war's?"]
    assert [e.id for e in since("c", first.id, database)] == [second.id]
    assert since("c", second.id, database) == []
    assert second.to_json()["buttons"][0]["title"] == "5 ★" and first.to_json()["agent"] == "Alice"
    assert len(not_in_tracker(database_url=database)) == 3
    mark_in_tracker(first.id, database)
    assert first.id not in [e.id for e in not_in_tracker(database_url=database)]
    with pytest.raises(ValueError):
        post("c", "x", sender="somebody", database_url=database)


def test_a_rating_after_an_agent_closed_remembers_the_agent_and_topic(database):
    open_handoff(conversation_id="c", language="nl", reason="customer_request", transcript=[], settings=SETTINGS,
                 topic="return_item", database_url=database)
    agent = create_agent("alice", PASSWORD, database_url=database)
    claim("c", agent, database_url=database)
    close("c", agent, database_url=database)
    rating_id = store_rating(conversation_id="c", score=4, language="nl", database_url=database)
    add_comment(rating_id, "  Snel geholpen!  ", database_url=database)
    with session_scope(database) as session:
        row = session.get(ConversationRating, rating_id)
        assert (row.score, row.topic, row.agent_id, row.language, row.comment) == (4, "return_item", agent, "nl",
                                                                                    "Snel geholpen!")
    with pytest.raises(ValueError):
        store_rating(conversation_id="c", score=6, language="nl", database_url=database)


def test_the_agent_command_creates_an_agent_with_the_password_from_the_environment(fresh_database, monkeypatch,
                                                                                   capsys):
    from bot.ops.create_agent import main

    monkeypatch.setenv("DATABASE_URL", fresh_database)
    monkeypatch.setenv("AGENT_PASSWORD", PASSWORD)
    assert main(["carla", "--display-name", "Carla K."]) == 0
    assert main(["carla"]) == 1
    assert "exists already" in capsys.readouterr().err
    identity = login("carla", PASSWORD, "10.0.0.5", SETTINGS, database_url=fresh_database).identity
    assert identity.display_name == "Carla K."


def test_rate_limit_buckets_fill_slide_and_do_not_count_refused_requests(database):
    from bot.storage.rate_limits import take

    window = timedelta(seconds=60)
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    buckets = {"client:a": 2, "key:k": 3}
    assert take(buckets, window, now, database) == 0
    assert take(buckets, window, now + timedelta(seconds=10), database) == 0
    assert take(buckets, window, now + timedelta(seconds=20), database) == 41  # client:a full until 60 s
    assert take({"client:b": 2, "key:k": 3}, window, now + timedelta(seconds=20), database) == 0  # refused: not counted
    assert take({"client:c": 2, "key:k": 3}, window, now + timedelta(seconds=30), database) == 31  # key full now
    assert take(buckets, window, now + timedelta(seconds=61), database) == 0  # the window slid on


def test_a_callback_behind_busy_agents_and_a_queue_is_not_promised_within_a_minute(database):
    now = datetime.now(UTC).astimezone(BERLIN).replace(hour=14)
    agent = create_agent("alice", PASSWORD, database_url=database)
    login("alice", PASSWORD, "10.0.0.1", SETTINGS, now=now, database_url=database)
    for n in range(SETTINGS.handoff.chats_per_agent):
        open_handoff(conversation_id=f"busy-{n}", language="de", reason="customer_request", transcript=[],
                     settings=SETTINGS, now=now, database_url=database)
        claim(f"busy-{n}", agent, now=now, database_url=database)
    for n in range(10):
        open_handoff(conversation_id=f"waiting-{n}", language="de", reason="customer_request", transcript=[],
                     settings=SETTINGS, now=now, database_url=database)
    ticket = request_callback(conversation_id="caller", language="de", phone_e164="+4915123456789",
                              settings=SETTINGS, now=now, database_url=database)
    assert ticket.wait_minutes > SETTINGS.handoff.callback_promise_minutes


def test_parallel_requests_in_one_bucket_never_pass_the_limit(database):
    from concurrent.futures import ThreadPoolExecutor

    from bot.storage.rate_limits import take

    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    with ThreadPoolExecutor(max_workers=12) as pool:
        waits = list(pool.map(lambda _: take({"burst:a": 5}, timedelta(minutes=1), now, database), range(24)))
    assert waits.count(0) == 5


def test_parallel_wrong_passwords_are_all_counted(database):
    from concurrent.futures import ThreadPoolExecutor

    create_agent("burst", "a long enough password", "Burst", database_url=database)
    settings = load_settings()

    def attempt(_: int) -> str:
        try:
            login("burst", "wrong password!", "10.9.9.9", settings, database_url=database)
        except LoginRefused as refused:
            return refused.reason
        return "ok"

    with ThreadPoolExecutor(max_workers=10) as pool:
        reasons = list(pool.map(attempt, range(20)))
    assert reasons.count("invalid") == settings.handoff.max_failed_logins
    assert reasons.count("too_many") == 20 - settings.handoff.max_failed_logins


@pytest.mark.parametrize(("typed", "language", "expected"), [
    ("731 556 208", "cs", "+420731556208"),  # Czech mobile without +420
    ("505 781 293", "pl", "+48505781293"),
    ("0532 123 45 67", "tr", "+905321234567"),
    ("06 12345678", "nl", "+31612345678"),
    ("0151 23456789", "pl", "+4915123456789"),  # not Polish: the shop's own country next
    ("12 34", "cs", None),
])
def test_national_numbers_are_read_as_the_conversation_languages_country(typed, language, expected):
    assert normalize_phone(typed, SETTINGS.handoff.regions_for(language)) == expected


def test_phone_regions_come_from_the_language_then_the_shop():
    assert SETTINGS.handoff.regions_for("cs") == ("CZ", "SK", SETTINGS.handoff.phone_region)
    assert SETTINGS.handoff.regions_for(None) == (SETTINGS.handoff.phone_region,)
    assert normalize_phone("030 12345678", SETTINGS.handoff.regions_for("en")) == "+493012345678"


def test_an_unknown_phone_country_is_refused_when_the_settings_load():
    from bot.settings import _phone_regions

    with pytest.raises(ValueError, match="UK"):
        _phone_regions({"en": ["UK"]})
    assert normalize_phone("0151 23456789", ("XX", "DE")) == "+4915123456789"  # a bad region is skipped
