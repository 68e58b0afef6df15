"""The app's channel through the real server: Bearer app key or customer token, JSON errors with
the right status, conversations scoped to the caller, rate limits, messages from agents."""

from __future__ import annotations

import http.client
import json
import uuid
from urllib.parse import urlencode, urlsplit

import jsonschema
import pytest
from sqlalchemy import select

from bot.orders.customer_token import issue_token
from bot.orders.models import Customer as CustomerRow
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.agent_client import AgentClient
from tests.conftest import TEST_APP_KEY
from tests.http_client import Customer, expected, get, handoff_answer
from tests.openapi_check import assert_matches

SETTINGS = load_settings()
ANNA = "anna.schmidt@example.com"


def call(servers, method: str, path: str, body: bytes | None = None, token: str | None = TEST_APP_KEY,
         source: str = "127.0.0.1", headers: dict[str, str] | None = None) -> tuple[int, dict | list, dict]:
    parts = urlsplit(servers.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=(source, 0))
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw) if raw else {}, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()


def say(servers, sender: str, text: str, token: str | None = TEST_APP_KEY, **metadata) -> tuple[int, object, dict]:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"language": "de", **metadata}}).encode()
    return call(servers, "POST", "/webhooks/app/webhook", body, token)


def test_without_a_valid_key_nothing_is_answered(bot_servers):
    for token in (None, "", "wrong-key", "Basic abc"):
        status, body, headers = say(bot_servers, "s", "Wo ist mein Paket?", token=token)
        assert status == 401 and "error" in body and headers.get("www-authenticate", "").startswith("Bearer")
    status, _, _ = call(bot_servers, "POST", "/webhooks/app/webhook", b"{}", token=None,
                        headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert status == 401


def test_malformed_requests_get_json_errors_with_the_right_status(bot_servers):
    cases = [
        (b"{not json", 400), (b'["a list"]', 400), (b'{"message": "hallo"}', 400),
        (b'{"sender": "", "message": "hallo"}', 400), (b'{"sender": "s", "message": 42}', 400),
        (b'{"sender": "s", "message": "hallo", "metadata": "de"}', 400),
        (json.dumps({"sender": "s", "message": "x" * (SETTINGS.limits.max_message_chars + 1)}).encode(), 413),
    ]
    for body, status in cases:
        answered, error, _ = call(bot_servers, "POST", "/webhooks/app/webhook", body, source="127.0.3.1")
        assert answered == status and isinstance(error.get("error"), str), (body[:60], answered, error)


def test_an_app_message_is_answered_in_its_own_scoped_conversation(bot_servers):
    sender = f"device-{uuid.uuid4().hex[:8]}"
    status, messages, _ = say(bot_servers, sender, "Wo ist mein Paket?")
    assert status == 200 and messages
    assert {m["recipient_id"] for m in messages} == {f"app-k-{sender}"}
    assert messages[0]["text"] == expected("utter_ask_order_number", "de")


def test_a_customer_token_proves_the_customer_and_is_not_stored(bot_servers):
    with session_scope(bot_servers.database) as session:
        customer_id = session.scalar(select(CustomerRow.id).where(CustomerRow.email == ANNA))
    token = issue_token(customer_id, bot_servers.customer_token_secret)
    status, messages, _ = say(bot_servers, "phone", "Wo ist meine Bestellung?", token=token)
    assert status == 200
    assert messages[-1]["recipient_id"] == f"app-c{customer_id}-phone"
    assert messages[-1]["text"] == expected("utter_choose_order", "de") and messages[-1]["buttons"]
    tracker_url = f"{bot_servers.url}/conversations/app-c{customer_id}-phone/tracker?token={bot_servers.api_token}"
    status, body = get(tracker_url)
    assert status == 200 and token not in body


def test_an_app_key_cannot_reach_a_customers_conversation_by_naming_it(bot_servers):
    with session_scope(bot_servers.database) as session:
        customer_id = session.scalar(select(CustomerRow.id).where(CustomerRow.email == ANNA))
    token = issue_token(customer_id, bot_servers.customer_token_secret)
    assert say(bot_servers, "tablet", "Wo ist meine Bestellung?", token=token)[0] == 200
    status, messages, _ = say(bot_servers, f"c{customer_id}-tablet", "Wo ist meine Bestellung?")
    assert status == 200 and messages[0]["recipient_id"] == f"app-k-c{customer_id}-tablet"
    assert messages[0]["text"] == expected("utter_ask_order_number", "de")  # no orders offered


def test_a_verified_customer_cannot_be_forged_through_metadata(bot_servers):
    status, messages, _ = say(bot_servers, f"forger-{uuid.uuid4().hex[:6]}", "Wo ist meine Bestellung?",
                              verified_customer_id=1)
    assert status == 200 and messages[0]["text"] == expected("utter_ask_order_number", "de")
    forged = Customer(bot_servers, language_hint="de", metadata={"verified_customer_id": 1})
    assert forged.texts("Wo ist meine Bestellung?") == [expected("utter_ask_order_number", "de")]


def test_too_many_requests_from_one_client_get_429_with_retry_after(bot_servers):
    path = "/webhooks/app/messages?" + urlencode({"sender": "limit-test", "since": 0})
    statuses = [call(bot_servers, "GET", path, source="127.0.9.9")[0]
                for _ in range(SETTINGS.app.max_requests_per_client)]
    assert set(statuses) == {200}
    status, body, headers = call(bot_servers, "GET", path, source="127.0.9.9")
    assert status == 429 and int(headers["retry-after"]) > 0 and "error" in body
    assert call(bot_servers, "GET", path, source="127.0.9.10")[0] == 200  # another client is not held up


def test_agent_replies_reach_the_app(bot_servers):
    from bot.handoff.agents import create_agent

    sender = f"Jörg's phone {uuid.uuid4().hex[:8]}"  # an id the agent API must take URL-encoded
    status, messages, _ = say(bot_servers, sender, "Ich möchte mit einem Mitarbeiter sprechen")
    assert [m["text"] for m in messages] == [handoff_answer("de")]
    create_agent("app-agent-ida", "app agent password", "Ida", database_url=bot_servers.database)
    agent = AgentClient(bot_servers.url)
    assert agent.login("app-agent-ida", "app agent password")[0] == 200
    try:
        assert agent.claim(f"app-k-{sender}")[0] == 200
        assert agent.reply(f"app-k-{sender}", "Hallo, hier ist Ida.")[0] == 201
        path = "/webhooks/app/messages?" + urlencode({"sender": sender, "since": 0})
        status, inbox, _ = call(bot_servers, "GET", path)
        assert status == 200 and inbox["handoff"] == {"status": "claimed", "agent": "Ida"}
        assert [m["text"] for m in inbox["messages"]][-1] == "Hallo, hier ist Ida."
        # Without the key, nobody reads them.
        assert call(bot_servers, "GET", path, token="wrong")[0] == 401
        agent.close(f"app-k-{sender}")
    finally:
        agent.logout()


def test_the_contract_is_served_and_real_answers_match_it(bot_servers):
    status, spec, _ = call(bot_servers, "GET", "/openapi.json", token=None)
    assert status == 200 and spec["openapi"].startswith("3.")
    hook, inbox = "/webhooks/app/webhook", "/webhooks/app/messages"
    assert set(spec["paths"]) == {hook, inbox}
    sender = f"contract-{uuid.uuid4().hex[:6]}"
    for text in ("Wo ist mein Paket?", "Ich möchte mit einem Mitarbeiter sprechen", ""):
        status, body, _ = say(bot_servers, sender, text)
        assert_matches(spec, hook, "post", status, body)
    status, body, _ = call(bot_servers, "GET", f"{inbox}?" + urlencode({"sender": sender, "since": 0}))
    assert_matches(spec, inbox, "get", status, body)
    for request_body in (b"{not json", b'{"sender": "s", "message": 1}'):
        status, body, _ = call(bot_servers, "POST", hook, request_body, source="127.0.3.2")
        assert status == 400
        assert_matches(spec, hook, "post", status, body)
    status, body, _ = say(bot_servers, sender, "x", token="wrong")
    assert_matches(spec, hook, "post", status, body)
    # A schema that any answer matches would be no contract.
    with pytest.raises(jsonschema.ValidationError):
        assert_matches(spec, hook, "post", 200, [{"recipient_id": "x", "txet": "typo"}])
    with pytest.raises(jsonschema.ValidationError):
        assert_matches(spec, inbox, "get", 200, {"messages": [], "cursor": "7", "handoff": None})


def test_the_contract_is_readable_as_a_page(bot_servers):
    status, page = get(f"{bot_servers.url}/webhooks/app/docs")
    assert status == 200
    assert "POST</span> <code>/webhooks/app/webhook</code>" in page and "agent_messages" in page
