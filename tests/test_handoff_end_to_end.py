"""The handoff end to end over the real servers: a REST customer asks for a person, an agent logs
in over HTTP, claims, replies; the customer fetches the reply; the bot stays silent meanwhile; the
agent closes; the bot resumes; the customer rates; the rating is in the database."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from sqlalchemy import select

from bot.handoff.agents import create_agent
from bot.handoff.models import ConversationRating, HandoffRequest
from bot.storage.database import session_scope
from tests.agent_client import AgentClient
from tests.http_client import Customer, expected, get, handoff_answer, waiting_acknowledgement

PASSWORD = "a long agent password"


@pytest.fixture(scope="module")
def agent_accounts(bot_servers):
    for name, display in (("e2e-alice", "Alice"), ("e2e-bob", "Bob")):
        create_agent(name, PASSWORD, display, database_url=bot_servers.database)


@pytest.fixture()
def agents(bot_servers, agent_accounts):
    """Logs agents in; logs them out after the test, so other tests see nobody online."""
    clients: list[AgentClient] = []

    def client(name: str) -> AgentClient:
        agent = AgentClient(bot_servers.url)
        assert agent.login(name, PASSWORD)[0] == 200
        clients.append(agent)
        return agent

    yield client
    for agent in clients:
        agent.logout()


def fetch(servers, sender: str, since: int = 0) -> dict:
    query = urllib.parse.urlencode({"sender": sender, "since": since})
    status, body = get(f"{servers.url}/webhooks/rest/messages?{query}")
    assert status == 200, body
    return json.loads(body)


def tracker_events(servers, sender: str) -> list[dict]:
    status, body = get(f"{servers.url}/conversations/{sender}/tracker?token={servers.api_token}")
    assert status == 200, body
    return json.loads(body)["events"]


def test_agent_api_refuses_without_a_session_or_csrf_token(bot_servers, agents):
    anonymous = AgentClient(bot_servers.url)
    assert anonymous.request("GET", "/conversations?status=waiting")[0] == 401
    assert anonymous.login("e2e-alice", "wrong password")[0] == 401
    assert anonymous.request("POST", "/login", raw=b"{not json")[0] == 400
    alice = agents("e2e-alice")
    forged = AgentClient(bot_servers.url)
    forged.jar = alice.jar  # the cookie without the CSRF token, as another site's form would send it
    forged.opener = alice.opener
    assert forged.request("POST", "/conversations/x/claim", csrf=False)[0] == 403
    assert alice.request("GET", "/conversations?status=nonsense")[0] == 400


def test_a_rest_customer_talks_to_an_agent_and_rates_the_conversation(bot_servers, agents):
    customer = Customer(bot_servers, language_hint="de")
    answer = customer.say("Ich möchte bitte mit einem Mitarbeiter sprechen")
    assert [m.get("text") for m in answer] == [handoff_answer("de")]
    assert [b["payload"] for b in answer[0]["buttons"]] == ["/request_callback", "/cancel_handoff"]

    alice, bob = agents("e2e-alice"), agents("e2e-bob")
    [waiting] = [c for c in alice.waiting() if c["id"] == customer.sender]
    assert (waiting["language"], waiting["reason"], waiting["status"]) == ("de", "customer_request", "waiting")

    # While it waits, the customer's messages are kept for the agent and the bot stays out of it.
    assert customer.texts("Hallo? Mein Paket ist nicht da") == [waiting_acknowledgement("de")]

    assert alice.claim(customer.sender)[0] == 200
    assert bob.claim(customer.sender)[0] == 409
    for text in ("Sind Sie da?", "/restart"):
        assert customer.texts(text) == [expected("utter_handoff_message_to_agent", "de", agent_name="Alice")]

    status, conversation = alice.conversation(customer.sender)
    assert status == 200 and conversation["owned_by_me"]
    customer_lines = [m["text"] for m in conversation["messages"] if m["from"] == "customer"]
    assert customer_lines[-3:] == ["Hallo? Mein Paket ist nicht da", "Sind Sie da?", "/restart"]

    assert bob.reply(customer.sender, "Ich bin Bob")[0] == 403
    assert alice.reply(customer.sender, "   ")[0] == 400
    status, sent = alice.reply(customer.sender, "Guten Tag, ich schaue mir Ihre Sendung an.")
    assert status == 201

    inbox = fetch(bot_servers, customer.sender)
    assert [(m["from"], m["text"]) for m in inbox["messages"]] == [
        ("bot", expected("utter_agent_joined", "de", agent_name="Alice")),
        ("agent", "Guten Tag, ich schaue mir Ihre Sendung an."),
    ]
    assert inbox["handoff"] == {"status": "claimed", "agent": "Alice"} and inbox["cursor"] == sent["id"]
    assert fetch(bot_servers, customer.sender, inbox["cursor"])["messages"] == []

    assert bob.close(customer.sender)[0] == 403
    assert alice.close(customer.sender)[0] == 200
    after = fetch(bot_servers, customer.sender, inbox["cursor"])
    [closing] = after["messages"]
    assert closing["text"] == expected("utter_agent_left", "de", agent_name="Alice")
    assert [b["payload"] for b in closing["buttons"]][-1] == '/rate{"rating": "5"}'
    assert after["handoff"] is None

    rated = customer.say('/rate{"rating": "5"}')
    assert rated[0]["text"] == expected("utter_rating_thanks", "de")
    with session_scope(bot_servers.database) as session:
        [rating] = session.scalars(select(ConversationRating).where(
            ConversationRating.conversation_id == customer.sender)).all()
        assert (rating.score, rating.language, rating.agent_id is not None) == (5, "de", True)
        request = session.scalars(select(HandoffRequest).where(HandoffRequest.conversation_id == customer.sender)).one()
        assert request.status == "closed"

    # The bot is back: a question gets the bot's answer, not an acknowledgement.
    resumed = customer.texts("Wo ist meine Bestellung?")
    assert resumed and expected("utter_handoff_message_to_agent", "de", agent_name="Alice") not in resumed

    # The agent's words are in the conversation's tracker, so the transcript stays whole.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        agent_lines = [e for e in tracker_events(bot_servers, customer.sender)
                       if e["event"] == "bot" and (e.get("metadata") or {}).get("from") == "agent"]
        if agent_lines:
            break
        time.sleep(0.5)
    assert [e["text"] for e in agent_lines] == ["Guten Tag, ich schaue mir Ihre Sendung an."]


def test_a_waiting_customer_can_go_back_to_the_bot(bot_servers):
    customer = Customer(bot_servers, language_hint="pl")
    customer.say("Chcę porozmawiać z konsultantem")
    assert customer.texts("/cancel_handoff") == [expected("utter_handoff_cancelled", "pl")]
    with session_scope(bot_servers.database) as session:
        request = session.scalars(select(HandoffRequest).where(HandoffRequest.conversation_id == customer.sender)).one()
        assert request.status == "cancelled"
    assert waiting_acknowledgement("pl") not in customer.texts("Gdzie jest moja paczka?")


def test_a_customer_asks_for_a_callback_with_a_phone_number(bot_servers, agents):
    customer = Customer(bot_servers, language_hint="en")
    customer.say("can I talk to a real person please")
    assert customer.texts("/request_callback") == [expected("utter_ask_callback_phone", "en")]
    invalid = customer.texts("my number is secret")
    assert invalid[0] == expected("utter_callback_invalid_phone", "en")
    confirmed = customer.texts("+49 151 23456789")
    assert len(confirmed) == 1 and "+4915123456789" in confirmed[0]
    alice = agents("e2e-alice")
    status, body = alice.request("GET", "/callbacks?status=open")
    [callback] = [c for c in body["callbacks"] if c["conversation_id"] == customer.sender]
    assert (callback["phone"], callback["language"]) == ("+4915123456789", "en")
    assert alice.request("POST", f"/callbacks/{callback['id']}/done")[0] == 200
    assert alice.request("POST", f"/callbacks/{callback['id']}/done")[0] == 404


def test_messages_endpoint_refuses_bad_parameters(bot_servers):
    assert get(f"{bot_servers.url}/webhooks/rest/messages?since=0")[0] == 400
    assert get(f"{bot_servers.url}/webhooks/rest/messages?sender=x&since=-1")[0] == 400
    assert get(f"{bot_servers.url}/webhooks/rest/messages?sender=x&since=abc")[0] == 400


def test_a_frustrated_customer_gets_an_apology_and_a_person(bot_servers):
    customer = Customer(bot_servers, language_hint="cs")
    customer.say("Kde je moje objednávka?")
    assert customer.texts("/frustration") == [expected("utter_frustration_apology", "cs"), handoff_answer("cs")]
    with session_scope(bot_servers.database) as session:
        request = session.scalars(select(HandoffRequest).where(HandoffRequest.conversation_id == customer.sender)).one()
        assert (request.reason, request.topic) == ("frustration", "order_status")


def test_a_customer_who_repeats_themselves_gets_an_apology_and_a_person(bot_servers):
    customer = Customer(bot_servers, language_hint="tr")
    first, second = customer.texts("Siparişim nerede??"), customer.texts("siparisim nerede")
    assert expected("utter_frustration_apology", "tr") not in first + second
    assert customer.texts("SİPARİŞİM NEREDE!") == [expected("utter_frustration_apology", "tr"), handoff_answer("tr")]
    with session_scope(bot_servers.database) as session:
        request = session.scalars(select(HandoffRequest).where(HandoffRequest.conversation_id == customer.sender)).one()
        assert request.reason == "frustration"
        # The people see what the customer wrote, not the payload it became.
        assert [m["text"] for m in request.transcript if m["from"] == "customer"][-1] == "SİPARİŞİM NEREDE!"


@pytest.mark.parametrize(("language", "typed", "score"), [("de", "5", 5), ("pl", "4/5", 4), ("en", "3 stars", 3),
                                                          ("cs", "★★", 2)])
def test_a_typed_rating_after_the_question_counts_like_the_button(bot_servers, language, typed, score):
    customer = Customer(bot_servers, language_hint=language)
    customer.say({"de": "Hallo", "pl": "Dzień dobry", "en": "hello", "cs": "Dobrý den"}[language])
    goodbye = customer.texts({"de": "Tschüss", "pl": "do widzenia", "en": "bye", "cs": "Na shledanou"}[language])
    assert goodbye[-1] == expected("utter_ask_rating", language)
    assert customer.texts(typed) == [expected("utter_rating_thanks", language)]
    with session_scope(bot_servers.database) as session:
        rating = session.scalars(select(ConversationRating).where(
            ConversationRating.conversation_id == customer.sender)).one()
        assert (rating.score, rating.language) == (score, language)


def test_a_number_without_the_rating_question_is_not_a_rating(bot_servers):
    customer = Customer(bot_servers, language_hint="de")
    customer.say("Hallo")
    assert expected("utter_rating_thanks", "de") not in customer.texts("5")


def test_the_inbox_is_told_at_once_when_a_customer_waits_or_writes(bot_servers, agents):
    status, stream = agents("e2e-bob").events()
    assert status == 200
    first = next(stream)  # what the inbox shows now
    assert first[0] == "inbox"
    customer = Customer(bot_servers, language_hint="de")
    customer.say("Ich möchte bitte mit einem Mitarbeiter sprechen")
    event, data = next(stream)
    assert event == "inbox" and data["version"] != first[1]["version"]
    customer.say("Es geht um eine beschädigte Lieferung")  # a message for the people, not the bot
    event, later = next(stream)
    assert event == "inbox" and later["version"] != data["version"]
    assert AgentClient(bot_servers.url).request("GET", "/events")[0] == 401  # no session, no stream
