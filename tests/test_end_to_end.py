"""The real servers, over HTTP: REST channel conversations in six languages, handoff, API token."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.answers import answer_variables
from bot.handoff.models import CallbackRequest, HandoffRequest
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.helpers import LANGUAGES
from tests.http_client import Customer, expected, get, handoff_answer, post, texts_in

ORDER_QUESTIONS = {
    "de": "Hallo, wo bleibt eigentlich meine Bestellung? Die sollte schon lange da sein",
    "en": "Hi, where is my order? It should have arrived days ago",
    "nl": "Hoi, waar blijft mijn bestelling? Die had er al lang moeten zijn",
    "pl": "Dzien dobry, gdzie jest moja paczka? Miala byc juz dawno",
    "tr": "Merhaba, siparişim nerede kaldı? Çoktan gelmiş olması lazımdı",
    "cs": "Dobry den, kde je moje objednavka? Uz davno mela prijit",
}


def stored_handoffs(servers, sender: str) -> list[HandoffRequest]:
    with session_scope(servers.database) as session:
        rows = session.execute(select(HandoffRequest).where(HandoffRequest.conversation_id == sender)).scalars().all()
        session.expunge_all()
        return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_order_question_is_answered_in_the_customers_language(bot_servers, language):
    customer = Customer(bot_servers, language_hint=language)
    assert customer.texts(ORDER_QUESTIONS[language]) == [expected("utter_ask_order_number", language)]


def test_short_message_keeps_the_language_and_a_clear_one_switches_it(bot_servers):
    customer = Customer(bot_servers, language_hint="de")
    assert customer.texts("Hallo") == [expected("utter_greet", "de")]
    assert customer.texts("ok") == [expected("utter_how_can_help", "de")]
    # The language test is the point here, not the intent: any English answer will do.
    answer = customer.texts("Sorry, could you tell me where my parcel is at the moment?")
    assert answer and all(line in texts_in("en") for line in answer), answer
    answer = customer.texts("ok")
    assert answer and all(line in texts_in("en") for line in answer), answer


def test_asking_for_another_language_switches_it(bot_servers):
    customer = Customer(bot_servers, language_hint="de")
    customer.say("Guten Tag")
    assert customer.texts("po polsku prosze") == [expected("utter_language_changed", "pl")]
    assert customer.texts("Hallo") == [expected("utter_greet", "pl")]


def test_an_unsupported_hint_is_ignored_and_the_message_decides(bot_servers):
    customer = Customer(bot_servers, language_hint="fr")
    assert customer.texts("Witam serdecznie") == [expected("utter_greet", "pl")]


def test_without_hint_even_a_short_first_message_sets_the_language(bot_servers):
    english = Customer(bot_servers).texts("How do I get audible audiobooks on my kindle paperwhite?")
    assert expected("utter_ask_article_helped", "en") in english
    assert Customer(bot_servers).texts("Dobry den") == [expected("utter_greet", "cs")]


def test_without_hint_or_words_the_default_language_is_used(bot_servers):
    customer = Customer(bot_servers)
    customer.say("302-4519273-8812345")
    status, body = get(f"{bot_servers.url}/conversations/{customer.sender}/tracker?token={bot_servers.api_token}")
    assert json.loads(body)["slots"]["language"] == load_settings().languages.default


def test_answers_quote_the_configured_return_rules(bot_servers):
    settings = load_settings()
    customer = Customer(bot_servers, language_hint="nl")
    [message] = customer.say("Hoeveel dagen heb ik om iets terug te sturen?")
    answer = message["text"]
    assert answer == expected("utter_return_policy", "nl", **answer_variables(settings, "nl"))
    assert f"{settings.returns.return_window_days} dagen" in answer and "31 januari" in answer
    # A customer who asked whether something can go back is one press away from sending it back.
    assert message["buttons"] == [{"title": "Artikel retourneren", "payload": "/return_item"}]
    assert customer.texts("/return_item") == [expected("utter_ask_order_number", "nl")]


def test_asking_for_a_person_records_the_handoff_with_transcript(bot_servers):
    customer = Customer(bot_servers, language_hint="cs")
    customer.say("Dobry den, kde je moje objednavka? Uz davno mela prijit")
    assert customer.texts("Chci mluvit s nekym z podpory, s clovekem") == [handoff_answer("cs")]
    [request] = stored_handoffs(bot_servers, customer.sender)
    assert (request.language, request.reason, request.status) == ("cs", "customer_request", "waiting")
    texts = [entry["text"] for entry in request.transcript]
    assert texts[0].startswith("Dobry den") and texts[-1] == "Chci mluvit s nekym z podpory, s clovekem"


OFFER_PAYLOADS = ["/human_handoff", "/request_callback", "/deny"]


def test_two_unclear_messages_in_a_row_offer_a_person_or_a_call_back(bot_servers):
    customer = Customer(bot_servers, language_hint="tr")
    first = customer.say("/nlu_fallback")
    assert [m.get("text") for m in first] == [expected("utter_ask_rephrase", "tr")]
    buttons = first[0]["buttons"]
    assert buttons[-1] == {"title": expected("utter_topic_human_handoff", "tr"), "payload": "/human_handoff"}
    [offer] = customer.say("/nlu_fallback")
    assert offer["text"] == expected("utter_unclear_offer_agent", "tr")
    assert [b["payload"] for b in offer["buttons"]] == OFFER_PAYLOADS
    assert stored_handoffs(bot_servers, customer.sender) == []  # offered, not handed over unasked
    assert customer.texts("/human_handoff") == [handoff_answer("tr")]
    [request] = stored_handoffs(bot_servers, customer.sender)
    assert (request.language, request.reason) == ("tr", "failed_turns")


def test_an_out_of_scope_answer_then_an_unclear_message_offer_a_call_back_that_ends_the_offer(bot_servers):
    customer = Customer(bot_servers, language_hint="cs")
    assert customer.texts("/out_of_scope") == [expected("utter_out_of_scope", "cs")]
    assert customer.texts("/nlu_fallback") == [expected("utter_unclear_offer_agent", "cs")]
    assert customer.texts("/request_callback") == [expected("utter_ask_callback_phone", "cs")]
    confirmation = customer.texts("+420 731 556 208")
    assert confirmation and "+420731556208" in confirmation[0]
    assert stored_callback_phones(bot_servers, customer.sender) == ["+420731556208"]
    # The offer was answered by the call back: a later "yes" is no second request for a person.
    assert customer.texts("/affirm") == [expected("utter_how_can_help", "cs")]
    assert stored_handoffs(bot_servers, customer.sender) == []


def stored_callback_phones(servers, sender: str) -> list[str]:
    with session_scope(servers.database) as session:
        return list(session.execute(select(CallbackRequest.phone_e164)
                                    .where(CallbackRequest.conversation_id == sender)).scalars())


def test_a_call_back_typed_instead_of_pressed_goes_to_the_callback_form_not_the_queue(bot_servers):
    customer = Customer(bot_servers, language_hint="de")
    customer.say("/out_of_scope")
    assert customer.texts("/out_of_scope") == [expected("utter_out_of_scope_offer_agent", "de")]
    assert customer.texts("Rückruf bitte") == [expected("utter_ask_callback_phone", "de")]
    confirmation = customer.texts("+49 151 23456789")
    assert confirmation and "+4915123456789" in confirmation[0]
    assert stored_callback_phones(bot_servers, customer.sender) == ["+4915123456789"]
    assert stored_handoffs(bot_servers, customer.sender) == []


def test_two_out_of_scope_messages_offer_a_person_who_may_be_declined(bot_servers):
    customer = Customer(bot_servers, language_hint="nl")
    assert customer.texts("/out_of_scope") == [expected("utter_out_of_scope", "nl")]
    [offer] = customer.say("/out_of_scope")
    assert offer["text"] == expected("utter_out_of_scope_offer_agent", "nl")
    assert [b["payload"] for b in offer["buttons"]] == OFFER_PAYLOADS
    assert customer.texts("/deny") == [expected("utter_how_can_help", "nl")]
    assert stored_handoffs(bot_servers, customer.sender) == []


def test_yes_to_the_offered_person_after_two_out_of_scope_messages_hands_over(bot_servers):
    customer = Customer(bot_servers, language_hint="pl")
    customer.say("/out_of_scope")
    assert customer.texts("/out_of_scope") == [expected("utter_out_of_scope_offer_agent", "pl")]
    assert customer.texts("/affirm") == [handoff_answer("pl")]
    [request] = stored_handoffs(bot_servers, customer.sender)
    assert (request.language, request.reason) == ("pl", "failed_turns")


def test_a_goodbye_as_the_first_message_is_greeted_and_later_one_asks_for_the_rating(bot_servers):
    customer = Customer(bot_servers, language_hint="cs")
    assert customer.texts("/goodbye") == [expected("utter_greet", "cs")]
    assert customer.texts("/goodbye") == [expected("utter_goodbye", "cs"), expected("utter_ask_rating", "cs")]


def test_gibberish_gets_no_topical_answer(bot_servers):
    customer = Customer(bot_servers, language_hint="en")
    answer = [m.get("text") for m in customer.say("qwpoeiru zmxncbv")]
    assert answer in ([expected("utter_ask_rephrase", "en")], [expected("utter_out_of_scope", "en")])


def test_http_api_needs_the_token(bot_servers):
    assert get(f"{bot_servers.url}/status")[0] == 401
    assert get(f"{bot_servers.url}/conversations/anyone/tracker")[0] == 401
    assert get(f"{bot_servers.url}/status?token=wrong")[0] == 401
    assert get(f"{bot_servers.url}/status?token={bot_servers.api_token}")[0] == 200


def test_conversation_is_stored_with_its_language(bot_servers):
    customer = Customer(bot_servers, language_hint="nl")
    customer.say("Goedemiddag")
    status, body = get(f"{bot_servers.url}/conversations/{customer.sender}/tracker?token={bot_servers.api_token}")
    assert status == 200
    assert json.loads(body)["slots"]["language"] == "nl"


def test_broken_json_gets_a_clear_error_without_a_stack_trace(bot_servers):
    status, body = post(f"{bot_servers.url}/webhooks/rest/webhook", b'{"sender": "x", "message": ')
    assert status == 400
    assert "Traceback" not in body


def test_socketio_channel_for_the_widget_is_served(bot_servers):
    status, body = get(f"{bot_servers.url}/socket.io/?EIO=4&transport=polling")
    assert status == 200
    assert '"sid"' in body


def test_empty_and_very_long_messages_get_a_polite_answer_in_the_customers_language(bot_servers):
    polish = texts_in("pl")
    customer = Customer(bot_servers, language_hint="pl")
    customer.say("Dzien dobry")
    for text in ("", "   ", "Gdzie jest moja paczka? " * 400):  # the last one about 10,000 characters
        answer = customer.texts(text)
        assert answer and all(line in polish for line in answer), (text[:30], answer)
    assert customer.texts("Dziekuje") == [expected("utter_you_are_welcome", "pl")]
