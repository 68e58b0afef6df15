"""Orders and returns through the real servers over the REST channel, against the seeded SQLite database."""

from __future__ import annotations

import io
import itertools
import re
import time

import pypdfium2
import pytest
import zxingcpp
from itsdangerous import URLSafeTimedSerializer
from PIL import Image
from sqlalchemy import select

from bot.handoff.models import HandoffRequest
from bot.orders.customer_token import issue_token
from bot.orders.models import Customer as CustomerRow
from bot.orders.models import Order, Parcel
from bot.orders.seed import DEMO_ORDERS
from bot.responses import response_text
from bot.returns.models import Return
from bot.settings import load_settings
from bot.storage.database import session_scope
from tests.helpers import LANGUAGES, domain
from tests.http_client import Customer, get_bytes, handoff_answer
from tests.http_client import expected as expected_text
from tests.orders_data import returnable_orders

SETTINGS = load_settings()
DEMO = {order.state: order for order in DEMO_ORDERS}
DELIVERED = next(order for order in DEMO_ORDERS if order.state.startswith("delivered to the door"))
OVERDUE = next(order for order in DEMO_ORDERS if order.state.startswith("overdue"))
# Every test its own client address on the loopback network, so the per-client limit is per test.
CLIENTS = (f"127.0.{n // 250}.{n % 250 + 2}" for n in itertools.count(10))

WHERE_IS_MY_ORDER = {
    "de": "Hallo, wo bleibt meine Bestellung {number}? Meine E-Mail ist {email}",
    "en": "Where is my order {number}? e-mail {email}",
    "nl": "Waar blijft mijn bestelling {number}? mijn mail is {email}",
    "pl": "Gdzie jest moja paczka? zamowienie {number}, email {email}",
    "tr": "{number} numaralı siparişim nerede? e-posta adresim {email}",
    "cs": "Kde je moje objednavka {number}? email {email}",
}
SEND_BACK = {
    "de": "Ich möchte etwas zurückschicken, Bestellung {number}, E-Mail {email}",
    "en": "I want to return an item from order {number}, my email is {email}",
    "nl": "Ik wil iets retourneren van bestelling {number}, email {email}",
    "pl": "Chce zwrocic produkt z zamowienia {number}, mail {email}",
    "tr": "{number} siparişimdeki ürünü iade etmek istiyorum, mailim {email}",
    "cs": "Chci vratit zbozi z objednavky {number}, email {email}",
}
WHERE_WITHOUT_NUMBER = {
    "de": "Wo ist mein Paket?", "en": "where is my parcel?", "nl": "Waar is mijn pakket?",
    "pl": "Gdzie jest moja paczka?", "tr": "Kargom nerede?", "cs": "Kde je moje zásilka?",
}


def pattern(name: str, language: str) -> re.Pattern[str]:
    """A response's text with every {value} as a wildcard: matches whatever values the bot filled in."""
    text = response_text(domain(), name, language)
    assert text, (name, language)
    parts = re.split(r"\{\w+\}", text)
    return re.compile("(?s)" + ".+?".join(re.escape(part) for part in parts))


def said(messages: list[dict], name: str, language: str) -> bool:
    return any(pattern(name, language).fullmatch(m.get("text") or "") for m in messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_verified_customer_learns_where_the_order_is(bot_servers, language):
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    order = DEMO["in transit"]
    answer = customer.say(WHERE_IS_MY_ORDER[language].format(number=order.number, email=order.email))
    assert said(answer, "utter_order_heading", language), answer
    assert said(answer, "utter_parcel_in_transit", language), answer
    with session_scope(bot_servers.database) as session:
        parcel = session.scalars(select(Parcel).join(Order).where(Order.number == order.number)).one()
        tracking_number = parcel.tracking_number
        link = SETTINGS.carriers[parcel.carrier].tracking_url.format(tracking_number=tracking_number)
    text = " ".join(m["text"] for m in answer)
    assert order.number in text and tracking_number in text and link in text


@pytest.mark.parametrize("language", ["de", "pl", "cs"])
def test_the_form_asks_for_what_is_missing_and_accepts_any_number_format(bot_servers, language):
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    order = DEMO["out for delivery today"]
    assert said(customer.say(WHERE_WITHOUT_NUMBER[language]), "utter_ask_order_number", language)
    malformed = customer.say(order.number.replace("-", "")[:12])
    assert said(malformed, "utter_order_number_format", language), malformed
    assert said(customer.say(order.number.replace("-", " ")), "utter_ask_order_verifier", language)
    answer = customer.say(order.postcode)
    assert said(answer, "utter_parcel_out_for_delivery", language), answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_email_and_an_unknown_order_get_the_same_answer(bot_servers, language):
    order = DEMO["cancelled"]
    wrong_email = Customer(bot_servers, language, client=next(CLIENTS)).say(
        WHERE_IS_MY_ORDER[language].format(number=order.number, email="nobody@example.com"))
    unknown = Customer(bot_servers, language, client=next(CLIENTS)).say(
        WHERE_IS_MY_ORDER[language].format(number="302-0000001-0000001", email=order.email))
    assert [m.get("text") for m in wrong_email] == [m.get("text") for m in unknown]
    assert [m.get("text") for m in wrong_email] == [expected_text("utter_order_not_found", language)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_three_failed_lookups_lock_the_conversation_and_hand_over(bot_servers, language):
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    order = DEMO["lost in transit"]
    attempts = SETTINGS.orders.max_failed_lookups_per_conversation
    for attempt in range(attempts):
        answer = customer.say(WHERE_IS_MY_ORDER[language].format(number=order.number, email=f"x{attempt}@example.com"))
        if attempt < attempts - 1:  # one miss, one answer: no lockout before the last attempt
            assert [m.get("text") for m in answer] == [expected_text("utter_order_not_found", language)], answer
    assert said(answer, "utter_lookup_locked", language), answer
    right = customer.say(WHERE_IS_MY_ORDER[language].format(number=order.number, email=order.email))
    assert not said(right, "utter_parcel_lost", language), right
    with session_scope(bot_servers.database) as session:
        reasons = session.scalars(select(HandoffRequest.reason).where(
            HandoffRequest.conversation_id == customer.sender)).all()
    assert "lockout" in reasons


def test_an_overdue_parcel_offers_a_person_and_yes_records_the_order(bot_servers):
    customer = Customer(bot_servers, "en", client=next(CLIENTS))
    answer = customer.say(WHERE_IS_MY_ORDER["en"].format(number=OVERDUE.number, email=OVERDUE.email))
    assert said(answer, "utter_parcel_overdue", "en"), answer
    assert [b["payload"] for b in answer[-1]["buttons"]] == ["/human_handoff", "/deny"]
    assert [m.get("text") for m in customer.say("yes please")] == [handoff_answer("en")]
    with session_scope(bot_servers.database) as session:
        [request] = session.scalars(select(HandoffRequest).where(HandoffRequest.conversation_id == customer.sender))
        assert (request.reason, request.order_number) == ("overdue_parcel", OVERDUE.number)


def test_the_customer_can_leave_the_form(bot_servers):
    customer = Customer(bot_servers, "de", client=next(CLIENTS))
    assert said(customer.say("Wo ist meine Bestellung?"), "utter_ask_order_number", "de")
    assert said(customer.say("ach vergiss es"), "utter_lookup_cancelled", "de")
    assert said(customer.say("danke"), "utter_you_are_welcome", "de")


NO_ORDER_NUMBER = {
    "de": "ich hab die bestellnummer nicht", "en": "I don't have my order number",
    "nl": "ik heb geen bestelnummer", "pl": "nie mam numeru zamówienia",
    "tr": "sipariş numaram yok", "cs": "nemám číslo objednávky",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_customer_without_the_order_number_is_told_where_to_find_it_and_the_lookup_goes_on(bot_servers, language):
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    order = DEMO["out for delivery today"]
    assert said(customer.say(WHERE_WITHOUT_NUMBER[language]), "utter_ask_order_number", language)
    help_ = customer.say(NO_ORDER_NUMBER[language])
    assert [m.get("text") for m in help_] == [expected_text("utter_order_number_missing", language)], help_
    assert [b["payload"] for b in help_[-1]["buttons"]] == ["/human_handoff"]
    assert said(customer.say(order.number), "utter_ask_order_verifier", language)
    assert said(customer.say(order.postcode), "utter_parcel_out_for_delivery", language)


def test_a_short_dont_know_answers_the_number_question_but_cancelling_still_cancels(bot_servers):
    customer = Customer(bot_servers, "pl", client=next(CLIENTS))
    assert said(customer.say(WHERE_WITHOUT_NUMBER["pl"]), "utter_ask_order_number", "pl")
    assert said(customer.say("nie wiem"), "utter_order_number_missing", "pl")
    assert said(customer.say("dobra, nieważne, anuluj"), "utter_lookup_cancelled", "pl")


def test_a_signed_in_customer_picks_an_order_without_proving_anything(bot_servers):
    with session_scope(bot_servers.database) as session:
        customer_id = session.scalar(select(CustomerRow.id).where(CustomerRow.email == DELIVERED.email))
    token = issue_token(customer_id, bot_servers.customer_token_secret)
    customer = Customer(bot_servers, "de", client=next(CLIENTS), metadata={"customer_token": token})
    answer = customer.say("Wo ist meine Bestellung?")
    assert said(answer, "utter_choose_order", "de"), answer
    payloads = [b["payload"] for b in answer[-1]["buttons"]]
    assert f'/inform{{"order_number":"{DELIVERED.number}"}}' in payloads
    status = customer.say(f'/inform{{"order_number":"{DELIVERED.number}"}}')
    assert said(status, "utter_parcel_delivered", "de"), status


def decoded_barcodes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=300 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_full_return_ends_with_a_printable_label_and_a_qr_code(bot_servers, language):
    index = LANGUAGES.index(language)
    number, email = returnable_orders(bot_servers, len(LANGUAGES))[index]
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    offer = customer.say(SEND_BACK[language].format(number=number, email=email))
    assert said(offer, "utter_return_choose_items", language), offer
    item_payload = offer[-1]["buttons"][0]["payload"]
    reasons = customer.say(item_payload)
    assert said(reasons, "utter_ask_return_reason", language), reasons
    assert len(reasons[-1]["buttons"]) == len(SETTINGS.returns.reasons)
    done = customer.say(reasons[-1]["buttons"][0]["payload"])
    assert said(done, "utter_return_created", language), done
    created_text = next(m["text"] for m in done if "/returns/label/" in (m.get("text") or ""))
    return_number = re.search(r"\bR\d{11}\b", created_text)[0]
    label_link = re.search(r"http\S+/returns/label/\S+\.pdf", created_text)[0]
    status, headers, pdf = get_bytes(label_link)
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    assert decoded_barcodes(pdf) == [return_number]
    qr = next(m["image"] for m in done if m.get("image"))
    status, _, png = get_bytes(qr)
    assert status == 200
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [f"RETURN:{return_number}"]
    with session_scope(bot_servers.database) as session:
        stored = session.scalar(select(Return).where(Return.number == return_number))
        assert stored is not None and stored.conversation_id == customer.sender


def test_typed_items_and_reason_are_understood_like_the_buttons(bot_servers):
    [(number, email)] = returnable_orders(bot_servers, 1)
    customer = Customer(bot_servers, "pl", client=next(CLIENTS))
    offer = customer.say(SEND_BACK["pl"].format(number=number, email=email))
    assert said(offer, "utter_return_choose_items", "pl"), offer
    reasons = customer.say("wszystkie")
    assert said(reasons, "utter_ask_return_reason", "pl"), reasons
    done = customer.say("niestety jest za mała, potrzebuję większy rozmiar")
    assert said(done, "utter_return_created", "pl"), done
    with session_scope(bot_servers.database) as session:
        stored = session.scalars(select(Return).where(Return.conversation_id == customer.sender)).one()
        assert stored.reason == "doesnt_fit"


def test_a_tampered_or_expired_label_link_is_refused(bot_servers, monkeypatch):
    with session_scope(bot_servers.database) as session:
        return_number = session.scalars(select(Return.number)).first()
    serializer = URLSafeTimedSerializer(bot_servers.label_link_secret, salt="return-label")
    good = serializer.dumps(return_number)
    assert get_bytes(f"{bot_servers.url}/returns/label/{good}.pdf")[0] == 200
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    assert get_bytes(f"{bot_servers.url}/returns/label/{tampered}.pdf")[0] == 403
    forged = URLSafeTimedSerializer("another-secret", salt="return-label").dumps(return_number)
    assert get_bytes(f"{bot_servers.url}/returns/label/{forged}.pdf")[0] == 403
    valid_for = SETTINGS.returns.label_link_valid_hours * 3600
    signed_at = time.time() - valid_for - 60  # just over the validity ago
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: signed_at)
        expired = serializer.dumps(return_number)
    assert get_bytes(f"{bot_servers.url}/returns/label/{expired}.pdf")[0] == 403
    assert get_bytes(f"{bot_servers.url}/returns/label/{good}.pdf")[0] == 200


def test_a_return_for_a_cancelled_order_says_it_was_cancelled(bot_servers):
    customer = Customer(bot_servers, "pl", client=next(CLIENTS))
    order = DEMO["cancelled"]
    answer = customer.say(SEND_BACK["pl"].format(number=order.number, email=order.email))
    assert said(answer, "utter_order_state_cancelled", "pl"), answer
    assert not said(answer, "utter_return_choose_items", "pl")


GENERAL_ORDER_QUESTION = {
    "de": "Hallo, ich hätte da eine Frage zu meiner Bestellung", "en": "hi, I need some help with an order",
    "nl": "Goedemiddag, ik heb een vraag over een bestelling", "pl": "Dzień dobry, mam pytanie odnośnie zamówienia",
    "tr": "Merhaba, siparişimle ilgili yardım lazım", "cs": "Dobrý den, potřebuji pomoc s objednávkou",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_general_question_about_an_order_gets_a_question_back(bot_servers, language):
    customer = Customer(bot_servers, language, client=next(CLIENTS))
    [question] = customer.say(GENERAL_ORDER_QUESTION[language])
    assert question["text"] == expected_text("utter_ask_order_topic", language)
    payloads = [button["payload"] for button in question["buttons"]]
    assert payloads == [*(f"/{topic}" for topic in SETTINGS.orders.general_question_topics), "/human_handoff"]
    assert said(customer.say("/order_status"), "utter_ask_order_number", language)
