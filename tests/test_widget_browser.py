"""The demo page and the chat widget in a real headless Chromium (Debian's, driven by Playwright),
against the running bot: talk, click quick replies, get an order status and a return label,
switch language, reload and open a new tab (history from the server), survive a dropped
connection, rate, and pass axe-core. Screenshots (desktop and phone) go to artifacts/screenshots/."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
import yaml
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select

from bot import PROJECT_ROOT
from bot.handoff.agents import create_agent
from bot.handoff.models import ConversationRating
from bot.orders.seed import DEMO_ORDERS
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.agent_client import AgentClient
from tests.browser import CHROMIUM_ARGS, chromium_path, screenshot_path
from tests.http_client import expected, handoff_answer
from tests.orders_data import returnable_orders

WIDGET_TEXTS = json.loads((PROJECT_ROOT / "web" / "widget" / "src" / "texts.json").read_text(encoding="utf-8"))
AXE = PROJECT_ROOT / "web" / "widget" / "node_modules" / "axe-core" / "axe.min.js"
IN_TRANSIT = next(order for order in DEMO_ORDERS if order.state == "in transit")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AGENT_PASSWORD = "widget agent password"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def ui(language: str, key: str, **values: str) -> str:
    text = WIDGET_TEXTS[language][key]
    return text.format(**values) if values else text


def axe_violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page, the widget's shadow DOM included."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))")
    return result


def log(page: Page):
    return page.get_by_role("log")


def bot_messages(page: Page):
    return page.locator(".sc-msg--bot .sc-bubble, .sc-msg--agent .sc-bubble")


def open_widget(page: Page, language: str) -> None:
    page.get_by_role("button", name=ui(language, "open_chat")).click()
    expect(page.get_by_role("dialog", name=ui(language, "title"))).to_be_visible()
    expect(page.get_by_label(ui(language, "input_label"))).to_be_focused()


def say(page: Page, language: str, text: str) -> None:
    box = page.get_by_label(ui(language, "input_label"))
    box.fill(text)
    box.press("Enter")


def tracker_texts(servers, conversation_id: str) -> list[str]:
    url = f"{servers.url}/conversations/{conversation_id}/tracker?token={servers.api_token}"
    with urllib.request.urlopen(url, timeout=30) as answer:
        events = json.load(answer)["events"]
    return [event.get("text") for event in events if event.get("event") == "user"]


def session_id(page: Page) -> str:
    return page.evaluate("() => localStorage.getItem('shopChat.session')")


def test_the_demo_page_is_served_at_the_root_in_every_language(bot_servers):
    texts = yaml.safe_load((PROJECT_ROOT / "bot" / "channels" / "static" / "demo" / "texts.yml").read_text("utf-8"))
    for language in load_settings().languages.supported:
        with urllib.request.urlopen(f"{bot_servers.url}/?lang={language}", timeout=30) as answer:
            page = answer.read().decode()
        assert f'<html lang="{language}">' in page
        assert texts[language]["heading"] in page.replace("&#x27;", "'")
        assert 'src="/widget/widget.js"' in page and f'data-language="{language}"' in page
    request = urllib.request.Request(f"{bot_servers.url}/", headers={"Accept-Language": "cs-CZ,cs;q=0.9,en;q=0.5"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert '<html lang="cs">' in answer.read().decode()


def test_a_customer_gets_an_order_status_and_a_return_label_in_the_widget(bot_servers, browser):
    number, email = returnable_orders(bot_servers, 1)[0]
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{bot_servers.url}/?lang=de")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=screenshot_path("demo-page-desktop"))
    open_widget(page, "de")
    expect(log(page)).to_contain_text(ui("de", "welcome"))
    # The connection upgrades from long-polling to a websocket (bot/channels/websocket_compat.py).
    page.wait_for_function("() => window.ShopChat.instance.socket.io.engine"
                           " && window.ShopChat.instance.socket.io.engine.transport.name === 'websocket'")

    say(page, "de", f"Wo bleibt meine Bestellung {IN_TRANSIT.number}? Meine E-Mail ist {IN_TRANSIT.email}")
    tracking = log(page).locator("a[href^='http']").first
    expect(tracking).to_be_visible(timeout=60_000)
    expect(bot_messages(page).filter(has_text=IN_TRANSIT.number)).not_to_have_count(0)

    say(page, "de", f"Ich möchte etwas zurückschicken, Bestellung {number}, E-Mail {email}")
    items = page.get_by_role("group", name=ui("de", "suggestions_label")).get_by_role("button")
    expect(items.first).to_be_visible(timeout=60_000)
    items.first.click()
    expect(page.get_by_role("group", name=ui("de", "suggestions_label")).get_by_role("button")).to_have_count(
        len(load_settings().returns.reasons), timeout=60_000)
    page.get_by_role("group", name=ui("de", "suggestions_label")).get_by_role("button").first.click()
    label = log(page).locator("a[href*='/returns/label/']")
    expect(label).to_be_visible(timeout=60_000)
    qr = log(page).locator("img.sc-image")
    expect(qr).to_be_visible(timeout=60_000)
    expect(qr).to_have_attribute("alt", ui("de", "image_alt"))
    page.wait_for_function("() => document.querySelector('#shop-chat-widget').shadowRoot"
                           ".querySelector('img.sc-image').naturalWidth > 0")
    with urllib.request.urlopen(label.get_attribute("href"), timeout=30) as answer:
        assert answer.read().startswith(b"%PDF")
    page.screenshot(path=screenshot_path("widget-return-label-desktop"))
    assert axe_violations(page) == []

    # A reload keeps the conversation: the panel stays open and the history comes from the server.
    conversation = f"web-{session_id(page)}"
    page.reload()
    expect(log(page).locator("a[href*='/returns/label/']")).to_be_visible(timeout=30_000)
    expect(log(page)).to_contain_text(f"Bestellung {number}")

    # The language picker: the widget's texts and the bot switch to Polish.
    page.locator("#sc-language").select_option("pl")
    expect(page.get_by_label(ui("pl", "input_label"))).to_be_visible()
    expect(bot_messages(page).last).to_have_text(expected("utter_language_changed", "pl"), timeout=60_000)

    # A new tab of the same browser shows the same conversation.
    other = context.new_page()
    other.goto(f"{bot_servers.url}/?lang=pl")
    open_widget(other, "pl")
    expect(log(other).locator("a[href*='/returns/label/']")).to_be_visible(timeout=30_000)
    expect(bot_messages(other).last).to_have_text(expected("utter_language_changed", "pl"))
    other.close()

    # Goodbye asks for a rating; a click on the stars stores it with the language.
    say(page, "pl", "dziekuje, do widzenia")
    stars = page.get_by_role("button", name="5 ★")
    expect(stars).to_be_visible(timeout=60_000)
    page.screenshot(path=screenshot_path("widget-rating-desktop"))
    stars.click()
    expect(bot_messages(page).last).to_have_text(expected("utter_rating_thanks", "pl"), timeout=60_000)
    with session_scope(bot_servers.database) as session:
        rating = session.scalars(select(ConversationRating).where(
            ConversationRating.conversation_id == conversation)).one()
        assert (rating.score, rating.language) == (5, "pl")
    assert errors == []
    context.close()


def test_the_widget_fills_a_phone_screen_and_passes_axe(bot_servers, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{bot_servers.url}/?lang=tr")
    page.screenshot(path=screenshot_path("demo-page-phone"), full_page=True)
    assert axe_violations(page) == []
    open_widget(page, "tr")
    box = page.get_by_role("dialog").bounding_box()
    assert box is not None and box["width"] == PHONE["width"] and box["height"] == PHONE["height"]
    say(page, "tr", "Kargom nerede?")
    expect(bot_messages(page).last).to_have_text(expected("utter_ask_order_number", "tr"), timeout=60_000)
    page.screenshot(path=screenshot_path("widget-phone"))
    assert axe_violations(page) == []
    # Keyboard: Escape closes the panel and gives the focus back to the launcher.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name=ui("tr", "open_chat"))).to_be_focused()
    context.close()


def test_a_message_typed_while_the_connection_is_down_arrives_once(bot_servers, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{bot_servers.url}/?lang=en")
    open_widget(page, "en")
    say(page, "en", "hi")
    expect(bot_messages(page).last).to_have_text(expected("utter_greet", "en"), timeout=60_000)
    # Drop the connection under the socket (as a network failure does); type while it is down.
    page.evaluate("() => { const manager = window.ShopChat.instance.socket.io;"
                  " manager.reconnectionDelay(3000); manager.reconnectionDelayMax(3000); manager.engine.close(); }")
    expect(page.get_by_role("status")).to_have_text(ui("en", "offline"))
    say(page, "en", "where is my parcel?")
    expect(page.get_by_text(ui("en", "sending"))).to_be_visible()
    expect(bot_messages(page).last).to_have_text(expected("utter_ask_order_number", "en"), timeout=60_000)
    expect(page.get_by_text(ui("en", "sending"))).to_have_count(0)
    texts = tracker_texts(bot_servers, f"web-{session_id(page)}")
    assert texts.count("where is my parcel?") == 1, texts
    # The answer is not doubled in the widget either.
    answers = bot_messages(page).filter(has_text=re.compile(re.escape(expected("utter_ask_order_number", "en"))))
    expect(answers).to_have_count(1)
    context.close()


def test_an_agent_reply_appears_in_the_widget_at_once(bot_servers, browser):
    create_agent("widget-emma", AGENT_PASSWORD, "Emma", database_url=bot_servers.database)
    # The widget sends the browser's time zone; the shop's own one makes the expected answer known.
    context = browser.new_context(viewport=DESKTOP, timezone_id=load_settings().service_hours.timezone)
    page = context.new_page()
    page.goto(f"{bot_servers.url}/?lang=nl")
    open_widget(page, "nl")
    say(page, "nl", "Ik wil graag een medewerker spreken")
    expect(bot_messages(page).last).to_have_text(handoff_answer("nl"), timeout=60_000)
    conversation = f"web-{session_id(page)}"
    agent = AgentClient(bot_servers.url)
    assert agent.login("widget-emma", AGENT_PASSWORD)[0] == 200
    try:
        assert agent.claim(conversation)[0] == 200
        assert agent.reply(conversation, "Hoi, met Emma. Waarmee kan ik je helpen?")[0] == 201
        reply = page.locator(".sc-msg--agent", has_text="Hoi, met Emma.")
        expect(reply).to_be_visible(timeout=30_000)
        expect(reply.locator(".sc-author").or_(page.locator(".sc-msg--agent .sc-author")).first).to_have_text(
            ui("nl", "agent", name="Emma"))
        page.screenshot(path=screenshot_path("widget-agent-reply-desktop"))
    finally:
        agent.close(conversation)
        agent.logout()
    context.close()


def test_a_session_of_a_signed_in_customer_is_not_shown_to_the_next_person(bot_servers, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{bot_servers.url}/?lang=en")
    # As left behind by a signed-in customer on this browser; the page now has no token (signed out).
    page.evaluate("() => { localStorage.setItem('shopChat.session', 'previous-customer');"
                  " localStorage.setItem('shopChat.customer', 'c1x2y3'); }")
    page.reload()
    open_widget(page, "en")
    say(page, "en", "hello")
    expect(bot_messages(page).last).to_have_text(expected("utter_greet", "en"), timeout=60_000)
    assert session_id(page) not in ("previous-customer", None)
    context.close()
