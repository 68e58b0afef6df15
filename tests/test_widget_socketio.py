"""The widget's Socket.IO channel over the real server (polling transport: a Python client over
websocket fails against the pinned aiohttp, see DESIGN.md): answers reach the session room, and
agent messages are pushed to it without the customer asking."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid

import pytest
import socketio
from sqlalchemy import select

from bot.handoff.agents import create_agent
from bot.orders.customer_token import issue_token
from bot.orders.models import Customer as CustomerRow
from bot.orders.seed import DEMO_ORDERS
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.agent_client import AgentClient
from tests.http_client import expected, handoff_answer

PASSWORD = "socket agent password"
DELIVERED = next(order for order in DEMO_ORDERS if order.state.startswith("delivered to the door"))


class WidgetCustomer:
    def __init__(self, url: str, language: str, session_id: str | None = None) -> None:
        self.session_id = session_id or f"widget-{uuid.uuid4().hex[:10]}"
        self.conversation_id = f"web-{self.session_id}"  # the channel scopes widget conversations
        self.language = language
        self.received: list[dict] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._on_bot)
        confirmed = threading.Event()
        self.history: dict = {}
        self.client.on("session_confirm", lambda session_id: None)
        self.client.on("history", lambda data: (self.history.update(data), confirmed.set()))
        self.client.connect(url, transports=["polling"], socketio_path="/socket.io", wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.wait(30), "no history after session_confirm"

    def _on_bot(self, message: dict) -> None:
        with self.arrived:
            self.received.append(message)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count and time.monotonic() < deadline:
                self.arrived.wait(deadline - time.monotonic())
        assert len(self.received) >= count, self.received
        return self.received[:count]

    def close(self) -> None:
        """Disconnects without waiting: over polling, python-socketio's disconnect waits ~30 s for the
        server to end the pending long-poll, which the customer's leaving does not need."""
        threading.Thread(target=self.client.disconnect, daemon=True).start()

    def say(self, text: str, **metadata: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id,
                                          "customData": {"language": self.language, **metadata}})


@pytest.fixture()
def widget_customer(bot_servers):
    customer = WidgetCustomer(bot_servers.url, "de")
    yield customer
    customer.close()


def test_the_widget_gets_answers_in_its_session_room(widget_customer):
    widget_customer.say("Wo ist mein Paket?")
    [first] = widget_customer.wait_for(1)
    assert first["text"] == expected("utter_ask_order_number", "de")


def test_a_socket_cannot_speak_in_a_session_it_was_not_confirmed_for(bot_servers, widget_customer):
    other = WidgetCustomer(bot_servers.url, "de")
    try:
        # The other socket names this customer's session: its message stays in its own conversation.
        other.client.emit("user_uttered", {"message": "Hallo", "session_id": widget_customer.session_id,
                                           "customData": {"language": "de"}})
        assert other.wait_for(1)[0]["text"] == expected("utter_greet", "de")
        time.sleep(1)
        assert widget_customer.received == []
    finally:
        other.close()


def test_agent_messages_are_pushed_to_the_widget(bot_servers, widget_customer):
    create_agent("socket-emma", PASSWORD, "Emma", database_url=bot_servers.database)
    widget_customer.say("Ich möchte mit einem Menschen sprechen")
    [handoff] = widget_customer.wait_for(1)
    assert handoff["text"] == handoff_answer("de")
    agent = AgentClient(bot_servers.url)
    assert agent.login("socket-emma", PASSWORD)[0] == 200
    try:
        assert agent.claim(widget_customer.conversation_id)[0] == 200
        assert agent.reply(widget_customer.conversation_id, "Hallo, hier ist Emma. Worum geht es?")[0] == 201
        joined, reply = widget_customer.wait_for(3)[1:]
        assert joined["text"] == expected("utter_agent_joined", "de", agent_name="Emma")
        assert (reply["text"], reply["metadata"]["from"]) == ("Hallo, hier ist Emma. Worum geht es?", "agent")

        widget_customer.say("Meine Bestellung ist nicht angekommen")
        ack = widget_customer.wait_for(4)[3]
        assert ack["text"] == expected("utter_handoff_message_to_agent", "de", agent_name="Emma")

        assert agent.close(widget_customer.conversation_id)[0] == 200
        closing = widget_customer.wait_for(5)[4]
        assert closing["text"] == expected("utter_agent_left", "de", agent_name="Emma")
        assert [r["payload"] for r in closing["quick_replies"]][0] == '/rate{"rating": "1"}'
        widget_customer.say('/rate{"rating": "4"}')
        assert widget_customer.wait_for(6)[5]["text"] == expected("utter_rating_thanks", "de")
    finally:
        agent.logout()


def test_a_message_sent_twice_is_handled_once_and_the_history_comes_back(bot_servers, widget_customer):
    message = {"message": "Wo ist mein Paket?", "session_id": widget_customer.session_id,
               "message_id": "m-0001", "customData": {"language": "de"}}
    assert widget_customer.client.call("user_uttered", message, timeout=60) == {"status": "ok"}
    assert widget_customer.client.call("user_uttered", message, timeout=60) == {"status": "duplicate"}
    time.sleep(1)
    assert [m["text"] for m in widget_customer.received] == [expected("utter_ask_order_number", "de")]

    again = WidgetCustomer(bot_servers.url, "de", session_id=widget_customer.session_id)
    try:
        history = again.history
        assert [(m["from"], m["text"]) for m in history["messages"]] == [
            ("customer", "Wo ist mein Paket?"), ("bot", expected("utter_ask_order_number", "de"))]
        assert history["messages"][0]["message_id"] == "m-0001"
        assert history["limits"]["max_message_chars"] == load_settings().limits.max_message_chars
    finally:
        again.close()


def test_a_button_payload_shows_as_its_title_in_the_history(bot_servers, widget_customer):
    widget_customer.say("Hallo")
    widget_customer.wait_for(1)
    widget_customer.say("Tschüss")  # a goodbye as the very first message would be greeted instead
    rating_question = widget_customer.wait_for(3)[-1]
    button = rating_question["quick_replies"][3]
    widget_customer.say(button["payload"])
    widget_customer.wait_for(4)
    again = WidgetCustomer(bot_servers.url, "de", session_id=widget_customer.session_id)
    try:
        customer_texts = [m["text"] for m in again.history["messages"] if m["from"] == "customer"]
        assert customer_texts == ["Hallo", "Tschüss", button["title"]]
    finally:
        again.close()


def test_a_signed_in_customer_in_the_widget_picks_an_order_and_the_token_is_not_stored(bot_servers, widget_customer):
    with session_scope(bot_servers.database) as session:
        customer_id = session.scalar(select(CustomerRow.id).where(CustomerRow.email == DELIVERED.email))
    token = issue_token(customer_id, bot_servers.customer_token_secret)
    widget_customer.say("Wo ist meine Bestellung?", customer_token=token)
    [choice] = widget_customer.wait_for(1)
    assert choice["text"] == expected("utter_choose_order", "de")
    assert f'/inform{{"order_number":"{DELIVERED.number}"}}' in [r["payload"] for r in choice["quick_replies"]]
    url = f"{bot_servers.url}/conversations/{widget_customer.conversation_id}/tracker?token={bot_servers.api_token}"
    with urllib.request.urlopen(url, timeout=30) as answer:
        tracker = answer.read().decode()
    assert token not in tracker
    users = [event for event in json.loads(tracker)["events"] if event["event"] == "user"]
    assert users[-1]["metadata"]["verified_customer_id"] == customer_id


def test_a_forged_token_in_the_widget_proves_nothing(bot_servers, widget_customer):
    forged = issue_token(1, "a forged secret that the shop never issued")
    widget_customer.say("Wo ist meine Bestellung?", customer_token=forged)
    assert widget_customer.wait_for(1)[0]["text"] == expected("utter_ask_order_number", "de")
