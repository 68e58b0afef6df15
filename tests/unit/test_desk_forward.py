"""The help-desk forward over real HTTP: signed, kept in the database while the desk fails, retried
with backoff, delivered once it answers."""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.handoff.desk import SIGNATURE_HEADER, DeskTarget, backoff, deliver_due, forwards
from bot.handoff.queue import open_handoff
from bot.settings import load_settings

SETTINGS = load_settings()
SECRET = "shared-desk-secret"


class FlakyDesk(BaseHTTPRequestHandler):
    """Answers 503 to the first `failures` requests, then 201; remembers what it received."""

    failures = 2
    received: list[tuple[bytes, str]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FlakyDesk.received.append((body, self.headers[SIGNATURE_HEADER]))
        status = 503 if len(FlakyDesk.received) <= FlakyDesk.failures else 201
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def desk():
    FlakyDesk.received = []
    server = HTTPServer(("127.0.0.1", 0), FlakyDesk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield DeskTarget(f"http://127.0.0.1:{server.server_port}/hooks/handoff", SECRET)
    server.shutdown()


def test_a_desk_that_fails_twice_gets_the_handoff_on_the_third_try(fresh_database, desk, monkeypatch):
    monkeypatch.setenv("DESK_FORWARD_URL", desk.url)
    monkeypatch.setenv("DESK_FORWARD_SECRET", SECRET)
    now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    open_handoff(conversation_id="c-desk", language="cs", reason="lockout", settings=SETTINGS, topic="order_status",
                 transcript=[{"from": "customer", "text": "Kde je moje zásilka?"}], now=now,
                 database_url=fresh_database)

    first = deliver_due(desk, SETTINGS, now=now, database_url=fresh_database)
    assert first == {"delivered": 0, "retry": 1, "failed": 0}
    [row] = forwards(fresh_database)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    # Not due again before the backoff has passed.
    assert deliver_due(desk, SETTINGS, now=now + timedelta(seconds=1), database_url=fresh_database)["retry"] == 0
    second = now + backoff(1, SETTINGS)
    assert deliver_due(desk, SETTINGS, now=second, database_url=fresh_database)["retry"] == 1
    third = second + backoff(2, SETTINGS)
    assert backoff(2, SETTINGS) == 2 * backoff(1, SETTINGS)
    assert deliver_due(desk, SETTINGS, now=third, database_url=fresh_database)["delivered"] == 1
    assert forwards(fresh_database)[0]["status"] == "delivered"
    assert deliver_due(desk, SETTINGS, now=third + timedelta(days=1), database_url=fresh_database)["delivered"] == 0

    assert len(FlakyDesk.received) == 3
    body, sent_signature = FlakyDesk.received[-1]
    assert sent_signature == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert (payload["conversation_id"], payload["reason"], payload["language"]) == ("c-desk", "lockout", "cs")
    assert payload["transcript"][0]["text"] == "Kde je moje zásilka?"


def test_without_a_configured_desk_nothing_is_queued(fresh_database, monkeypatch):
    monkeypatch.delenv("DESK_FORWARD_URL", raising=False)
    open_handoff(conversation_id="c", language="de", reason="customer_request", transcript=[], settings=SETTINGS,
                 database_url=fresh_database)
    assert forwards(fresh_database) == []


def test_a_desk_that_never_answers_is_given_up_after_the_configured_attempts(fresh_database, monkeypatch):
    dead = DeskTarget("http://127.0.0.1:9/never", SECRET)  # the discard port: connection refused
    monkeypatch.setenv("DESK_FORWARD_URL", dead.url)
    monkeypatch.setenv("DESK_FORWARD_SECRET", SECRET)
    now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    open_handoff(conversation_id="c", language="de", reason="customer_request", transcript=[], settings=SETTINGS,
                 now=now, database_url=fresh_database)
    for _ in range(SETTINGS.handoff.desk.max_attempts):
        now += timedelta(seconds=SETTINGS.handoff.desk.backoff_max_seconds)
        deliver_due(dead, SETTINGS, now=now, database_url=fresh_database)
    [row] = forwards(fresh_database)
    assert (row["status"], row["attempts"]) == ("failed", SETTINGS.handoff.desk.max_attempts)
    assert row["last_error"]
