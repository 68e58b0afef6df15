"""The agent inbox in a real headless Chromium: log in, see the waiting customer, claim, reply,
close. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.handoff.agents import create_agent
from tests.browser import CHROMIUM_ARGS, chromium_path, screenshot_path
from tests.http_client import Customer, expected, get

PASSWORD = "browser agent password"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_an_agent_works_a_conversation_in_the_inbox(bot_servers, browser):
    create_agent("browser-carla", PASSWORD, "Carla", database_url=bot_servers.database)
    customer = Customer(bot_servers, language_hint="nl")
    customer.say("Ik wil graag een medewerker spreken")
    customer.say("Mijn pakket is beschadigd aangekomen")

    for size, viewport in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{bot_servers.url}/agent/")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        # Nothing of the inbox shows before a login.
        expect(page.locator("#inbox-view")).to_be_hidden()
        expect(page.get_by_role("button", name="Log out")).to_be_hidden()
        page.screenshot(path=screenshot_path(f"agent-login-{size}"), full_page=True)
        page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{bot_servers.url}/agent/")
    page.get_by_label("User name").fill("browser-carla")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert").first).to_contain_text("Wrong user name or password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    entry = page.locator("#waiting li", has_text=customer.sender)
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("NL")
    page.screenshot(path=screenshot_path("agent-inbox-waiting"), full_page=True)

    entry.click()
    expect(page.locator("#transcript")).to_contain_text("Mijn pakket is beschadigd aangekomen")
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("button", name="Close conversation")).to_be_visible()
    page.get_by_label("Reply to the customer").fill("Hoi, wat vervelend! Stuur je een foto van de schade?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#transcript li.agent").last).to_contain_text("Stuur je een foto")
    page.screenshot(path=screenshot_path("agent-inbox-conversation"), full_page=True)

    query = urllib.parse.urlencode({"sender": customer.sender, "since": 0})
    fetched = json.loads(get(f"{bot_servers.url}/webhooks/rest/messages?{query}")[1])["messages"]
    assert ("agent", "Hoi, wat vervelend! Stuur je een foto van de schade?") in [
        (m["from"], m["text"]) for m in fetched]

    # The customer answers; the inbox shows it without a reload.
    customer.say("Ja, ik stuur hem zo")
    expect(page.locator("#transcript li.customer").last).to_contain_text("Ja, ik stuur hem zo", timeout=10000)

    page.get_by_role("button", name="Close conversation").click()
    expect(page.get_by_role("button", name="Close conversation")).to_be_hidden()
    expect(page.locator("#details")).to_contain_text("closed")
    page.screenshot(path=screenshot_path("agent-inbox-closed"), full_page=True)
    closing = json.loads(get(f"{bot_servers.url}/webhooks/rest/messages?{query}")[1])["messages"][-1]
    assert closing["text"] == expected("utter_agent_left", "nl", agent_name="Carla")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.close()


def test_the_session_cookie_is_http_only_and_same_site_strict(bot_servers, browser):
    create_agent("browser-dirk", PASSWORD, "Dirk", database_url=bot_servers.database)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{bot_servers.url}/agent/")
    page.get_by_label("User name").fill("browser-dirk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#agent-name")).to_have_text("Dirk")
    [cookie] = [c for c in context.cookies() if c["name"] == "agent_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/agent"
    assert page.evaluate("document.cookie") == ""
    page.get_by_role("button", name="Log out").click()
    # Wait for the logout to reach the server: a session left behind counts as an agent online and
    # changes what later tests' customers hear during service hours.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    context.close()
