"""Help articles through the real servers: REST conversations, the stored feedback, GET /help/search."""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.answers import answer_variables
from bot.help.articles import knowledge_base
from bot.help.models import ArticleFeedback
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.http_client import Customer, expected, get

SETTINGS = load_settings()
ARTICLES = knowledge_base().articles
CLIENTS = (f"127.0.{n // 250}.{n % 250 + 2}" for n in itertools.count(600))

# Plain questions, one per language, none of them training or held-out data.
QUESTIONS = {
    "de": ("Mein Kindle Paperwhite lädt nicht mehr, obwohl er seit Stunden am Kabel hängt", "kindle/battery"),
    "en": ("How do I cancel my Prime membership?", "faq/prime"),
    "nl": ("Hoe zet ik een EPUB-bestand op mijn Kindle via de mail?", "kindle/send_documents"),
    "pl": ("Jak dodać konto bankowe do płatności poleceniem zapłaty?", "faq/direct_debit"),
    "tr": ("Kindle wifi ağına bağlanmıyor, ne yapmalıyım?", "kindle/wifi"),
    "cs": ("Zapomněl jsem heslo k účtu, jak ho obnovím?", "faq/account_security"),
}


def feedback_rows(servers, conversation_id: str) -> list[tuple[str, str, bool]]:
    with session_scope(servers.database) as session:
        rows = session.scalars(select(ArticleFeedback).where(ArticleFeedback.conversation_id == conversation_id))
        return [(row.article_id, row.language, row.helped) for row in rows]


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_a_question_gets_its_article_and_the_feedback_is_stored(bot_servers, language):
    question, article_id = QUESTIONS[language]
    customer = Customer(bot_servers, language_hint=language, client=next(CLIENTS))
    answer, ask = customer.say(question)
    article = ARTICLES[article_id]
    assert answer["text"].startswith(article.texts[language].title), answer["text"]
    assert article.link(language, SETTINGS.help.article_url) in answer["text"]
    assert "{" not in answer["text"]  # placeholders filled from settings
    assert ask["text"] == expected("utter_ask_article_helped", language)
    assert [b["payload"] for b in ask["buttons"]] == ["/affirm", "/deny"]
    replies = customer.say("/affirm")
    assert replies[0]["text"] == expected("utter_article_helped", language)
    assert feedback_rows(bot_servers, customer.sender) == [(article_id, language, True)]


def test_this_did_not_help_offers_other_articles_and_a_person(bot_servers):
    customer = Customer(bot_servers, language_hint="de", client=next(CLIENTS))
    customer.say(QUESTIONS["de"][0])
    [reply] = customer.say("nein, hat leider nicht geholfen")
    payloads = [button["payload"] for button in reply["buttons"]]
    assert payloads[-1] == "/human_handoff"
    assert '/kindle{"article":"kindle/battery"}' not in payloads
    assert feedback_rows(bot_servers, customer.sender) == [("kindle/battery", "de", False)]
    # a suggested article is answered when clicked
    if len(payloads) > 1:
        clicked = payloads[0]
        chosen = clicked.split('"article":"')[1].rstrip('"}')
        answer = customer.say(clicked)[0]
        assert answer["text"].startswith(ARTICLES[chosen].texts["de"].title)


def test_forget_it_after_an_article_stops_and_counts_as_not_helped(bot_servers):
    customer = Customer(bot_servers, language_hint="de", client=next(CLIENTS))
    customer.say(QUESTIONS["de"][0])
    assert customer.texts("vergiss es") == [expected("utter_lookup_cancelled", "de")]
    assert feedback_rows(bot_servers, customer.sender) == [("kindle/battery", "de", False)]


def test_the_ebook_refund_article_leads_a_kindle_device_return_into_the_return_flow(bot_servers):
    customer = Customer(bot_servers, language_hint="nl", client=next(CLIENTS))
    answer, ask = customer.say('/kindle{"article":"kindle/return_ebook"}')
    assert answer["text"].startswith(ARTICLES["kindle/return_ebook"].texts["nl"].title)
    assert ask["buttons"][-1] == {"title": expected("utter_topic_return_item", "nl"), "payload": "/return_item"}
    assert customer.texts("/return_item") == [expected("utter_ask_order_number", "nl")]


def search(servers, **params) -> tuple[int, dict]:
    status, body = get(f"{servers.url}/help/search?{urlencode(params)}")
    return status, json.loads(body)


def test_the_help_search_endpoint_answers_json_in_the_language_asked(bot_servers):
    status, body = search(bot_servers, q="kindle nie łączy się z wifi w hotelu", lang="pl")
    assert status == 200, body
    assert body["language"] == "pl"
    ids = [result["id"] for result in body["results"]]
    assert "kindle/wifi" in ids
    first = body["results"][0]
    assert first["title"] == ARTICLES[first["id"]].texts["pl"].title
    assert first["url"].startswith("https://") and first["steps"]
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True)
    status, hours = search(bot_servers, q="service hours when can I reach an agent", lang="en", limit=1)
    assert status == 200 and len(hours["results"]) == 1
    texts = [hours["results"][0]["answer"], *hours["results"][0]["steps"]]
    assert not any(re.search(r"\{\w+\}", text) for text in texts), texts  # placeholders filled
    assert answer_variables(SETTINGS, "en")["opens_at"] in " ".join(texts)


@pytest.mark.parametrize("params, message", [
    ({"lang": "de"}, "q"),
    ({"q": "kindle", "lang": "fr"}, "lang"),
    ({"q": "kindle", "limit": "50"}, "limit"),
    ({"q": "kindle", "limit": "drei"}, "limit"),
    ({"q": "x" * (SETTINGS.limits.max_message_chars + 1)}, "longer"),
])
def test_the_help_search_refuses_bad_requests_clearly(bot_servers, params, message):
    status, body = search(bot_servers, **params)
    assert status == 400
    assert message in body["error"]


def test_nonsense_finds_nothing_rather_than_anything(bot_servers):
    status, body = search(bot_servers, q="qzxv wkkj plmf", lang="de")
    assert status == 200 and body["results"] == []
