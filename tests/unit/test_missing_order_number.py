"""Telling "I don't have the order number" from other messages, in six languages."""

import pytest

from bot.orders.missing_number import says_order_number_is_missing


@pytest.mark.parametrize(("language", "text"), [
    ("de", "ich hab die bestellnummer nicht"), ("de", "Bestellnummer weiß ich nicht mehr"),
    ("de", "wo finde ich die Bestellnummer?"), ("de", "Auftragsnummer verloren"),
    ("en", "I don't have my order number"), ("en", "where do I find the order number"),
    ("en", "lost the confirmation email, no order number"), ("en", "order number? no idea"),
    ("nl", "ik heb geen bestelnummer"), ("nl", "bestelnummer kwijt"), ("nl", "waar vind ik mijn ordernummer"),
    ("pl", "nie mam numeru zamówienia"), ("pl", "gdzie znajdę numer zamówienia"), ("pl", "zgubiłem numer zamowienia"),
    ("tr", "sipariş numaram yok"), ("tr", "sipariş numarası nerede yazıyor"), ("tr", "siparis numarami bulamadim"),
    ("cs", "nemám číslo objednávky"), ("cs", "kde najdu číslo objednávky"), ("cs", "číslo objednávky nevím"),
])
def test_no_order_number_at_hand_is_recognised(language, text):
    assert says_order_number_is_missing(text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("de", "meine Bestellnummer ist 302-1234567-1234567"), ("de", "die Bestellung ist nicht angekommen"),
    ("en", "where is my order"), ("en", "I did not get my order"), ("nl", "waar is mijn bestelling"),
    ("pl", "nie mam czasu"), ("pl", "gdzie jest moje zamówienie"), ("tr", "siparişim nerede"),
    ("cs", "kde je moje objednávka"), ("cs", "nemám čas"),
    ("en", "order number 302 1234567 1234567, no idea where it is"),
])
def test_other_messages_are_not(language, text):
    assert not says_order_number_is_missing(text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("de", "weiß ich nicht"), ("de", "keine Ahnung"), ("en", "I don't know"), ("en", "no idea."),
    ("nl", "weet ik niet"), ("pl", "nie wiem"), ("pl", "nie mam"), ("tr", "bilmiyorum"), ("cs", "nevím"),
])
def test_a_short_i_dont_know_counts_only_as_the_answer_to_the_number_question(language, text):
    assert says_order_number_is_missing(text, language, asked=True)
    assert not says_order_number_is_missing(text, language)
