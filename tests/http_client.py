"""Talking to the real servers over HTTP, as the app or a script would (REST channel)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from email.message import Message
from urllib.parse import urlsplit

from bot.formatting import clock_in_zone
from bot.handoff.service_hours import is_open, next_opening
from bot.responses import response_text
from bot.settings import load_settings
from tests.helpers import domain


def post(url: str, payload: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=payload, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post_from(source_address: str, url: str, payload: bytes) -> tuple[int, str]:
    """A POST from a given loopback address (127.0.0.x), so each test is its own client for rate limits."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60,
                                            source_address=(source_address, 0))
    try:
        connection.request("POST", parts.path, body=payload, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def get_bytes(url: str) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Customer:
    """One conversation on the REST channel, from its own client address when one is given."""

    def __init__(self, servers, language_hint: str | None = None, client: str = "127.0.0.1",
                 metadata: dict | None = None) -> None:
        self.servers = servers
        self.sender = f"e2e-{uuid.uuid4().hex[:10]}"
        self.client = client
        self.metadata = {"language": language_hint} if language_hint else {}
        self.metadata.update(metadata or {})

    def say(self, text: str) -> list[dict]:
        body = json.dumps({"sender": self.sender, "message": text, "metadata": self.metadata}).encode()
        status, answer = post_from(self.client, f"{self.servers.url}/webhooks/rest/webhook", body)
        assert status == 200, answer
        return json.loads(answer)

    def texts(self, text: str) -> list[str]:
        return [message.get("text") for message in self.say(text)]


def expected(name: str, language: str, **values: str) -> str:
    text = response_text(domain(), name, language)
    assert text, (name, language)
    return text.format(**values) if values else text


def texts_in(language: str) -> set[str]:
    """Every response text of one language (placeholders unfilled)."""
    return {response_text(domain(), name, language) for name in domain()["responses"]}


def handoff_answer(language: str) -> str:
    """The answer to a handoff when no agent is logged in: no promised wait during service hours,
    the next opening outside them."""
    settings = load_settings()
    now = datetime.now(UTC)
    if is_open(now, settings.service_hours):
        return expected("utter_handoff_no_agent_online", language)
    opening = clock_in_zone(next_opening(now, settings.service_hours), None, language)
    return expected("utter_handoff_after_hours", language, opens_at="06:00", closes_at="24:00", opening=opening)


def waiting_acknowledgement(language: str) -> str:
    """What a customer waiting for people hears after a message (shop's own hours, no time zone)."""
    settings = load_settings()
    now = datetime.now(UTC)
    if is_open(now, settings.service_hours):
        return expected("utter_handoff_message_waiting", language)
    opening = clock_in_zone(next_opening(now, settings.service_hours), None, language)
    return expected("utter_handoff_message_saved", language, opening=opening)
