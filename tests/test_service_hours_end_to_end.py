"""Service hours over the real servers, with the time injected through the settings rather than
waited for: a second pair of servers runs with service hours that make "now" the opposite of
what the shop's own hours make it, so every run sees a handoff both in and out of service hours."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.formatting import clock_in_zone
from bot.handoff.agents import create_agent
from bot.handoff.service_hours import is_open, next_opening
from bot.launcher import BotServers
from bot.settings import load_settings, parse_settings
from tests.agent_client import AgentClient
from tests.http_client import Customer, expected

BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "service hours password"


def _clock(hour: int, end: bool = False) -> str:
    return "24:00" if end and hour == 0 else f"{hour:02d}:00"


def hours_that_make_now(open_now: bool) -> tuple[str, str]:
    """Whole-hour service hours in which the present moment is (or is not) open."""
    now = datetime.now(BERLIN)
    if open_now:
        return _clock((now - timedelta(hours=1)).hour), _clock((now + timedelta(hours=2)).hour, end=True)
    return _clock((now + timedelta(hours=3)).hour), _clock((now + timedelta(hours=4)).hour, end=True)


@pytest.fixture(scope="module")
def both_servers(bot_servers, trained_model, tmp_path_factory) -> Iterator[dict[bool, tuple[BotServers, object]]]:
    """{open_now: (servers, their settings)}: the shop's own servers and one pair with opposite hours."""
    own = load_settings()
    own_open = is_open(datetime.now(UTC), own.service_hours)
    work = tmp_path_factory.mktemp("other-hours")
    raw = yaml.safe_load((PROJECT_ROOT / "settings.yml").read_text(encoding="utf-8"))
    raw["service_hours"]["opens"], raw["service_hours"]["closes"] = hours_that_make_now(not own_open)
    settings_file = Path(work / "settings.yml")
    settings_file.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    other = BotServers(model=trained_model, port=5205, action_port=5255, database=f"sqlite:///{work / 'bot.sqlite3'}",
                       log_dir=work / "logs", settings_path=settings_file)
    other.start()
    yield {own_open: (bot_servers, own), not own_open: (other, parse_settings(raw))}
    other.stop()


def template_numbers(name: str, language: str, text: str, **values: str) -> dict[str, int]:
    """The numbers a response carries in its {placeholders}, checking the rest of the text."""
    template = expected(name, language, **values) if values else expected(name, language)
    names = re.findall(r"\{(\w+)\}", template)
    pattern = re.escape(template)
    for placeholder in names:
        pattern = pattern.replace(re.escape("{" + placeholder + "}"), r"(\d+)", 1)
    match = re.fullmatch(pattern, text)
    assert match, (text, template)
    return {placeholder: int(value) for placeholder, value in zip(names, match.groups(), strict=True)}


def test_in_service_hours_the_customer_hears_the_queue_place_and_wait_and_a_callback_soon(both_servers):
    servers, settings = both_servers[True]
    agent = AgentClient(servers.url)
    name = f"hours-{servers.port}"
    create_agent(name, PASSWORD, "Hanna", database_url=servers.database)
    assert agent.login(name, PASSWORD)[0] == 200
    try:
        customer = Customer(servers, language_hint="en")
        [answer] = customer.texts("I want to talk to a human please")
        numbers = template_numbers("utter_handoff_queued", "en", answer, position="{position}",
                                   wait_minutes="{wait_minutes}")
        waiting = [c["id"] for c in agent.waiting()]
        assert numbers["position"] == waiting.index(customer.sender) + 1
        assert numbers["wait_minutes"] >= settings.service_hours.expected_agent_wait_minutes
        customer.say("/request_callback")
        [confirmed] = customer.texts("0151 23456789")
        assert confirmed in {expected("utter_callback_soon", "en", phone="+4915123456789")} | {
            expected("utter_callback_in_minutes", "en", phone="+4915123456789", wait_minutes=str(m))
            for m in range(2, 120)}
    finally:
        agent.logout()


def test_out_of_service_hours_the_customer_hears_when_the_team_is_back_in_their_time_zone(both_servers):
    servers, settings = both_servers[False]
    customer = Customer(servers, language_hint="tr", metadata={"timezone": "Europe/Istanbul"})
    opening = clock_in_zone(next_opening(datetime.now(UTC), settings.service_hours), "Europe/Istanbul", "tr")
    values = {"opens_at": _hhmm(settings.service_hours.opens), "closes_at": _hhmm(settings.service_hours.closes),
              "opening": opening}
    answer = customer.say("Bir müşteri temsilcisiyle görüşmek istiyorum")
    assert [m["text"] for m in answer] == [expected("utter_handoff_after_hours", "tr", **values)]
    assert "+0300" in opening  # Istanbul's offset, not Berlin's
    # A message left for the team is kept, with the opening time, and the bot stays out of it.
    assert customer.texts("Siparişim hasarlı geldi") == [expected("utter_handoff_message_saved", "tr",
                                                                  opening=opening)]
    customer.say("/request_callback")
    assert customer.texts("+90 532 123 45 67") == [expected("utter_callback_at_opening", "tr",
                                                            phone="+905321234567", opening=opening)]


def _hhmm(value) -> str:
    return "24:00" if value is None else value.strftime("%H:%M")
