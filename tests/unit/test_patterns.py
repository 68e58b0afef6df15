import pytest

from bot.patterns import find_entities, normalize_order_number


def entities(text):
    return [(found.entity, found.value) for found in find_entities(text)]


@pytest.mark.parametrize("typed", ["302-4519273-8812345", "302 4519273 8812345", "30245192738812345"])
def test_order_numbers_in_every_typed_form_are_normalised(typed):
    assert entities(f"meine Bestellung {typed} ist nicht da") == [("order_number", "302-4519273-8812345")]
    assert normalize_order_number(typed) == "302-4519273-8812345"


def test_wrong_length_numbers_are_not_order_numbers():
    assert normalize_order_number("302-451927-8812345") is None
    assert ("order_number", "302-4519273-8812345") not in entities("3021-4519273-8812345")


def test_order_number_is_not_also_a_phone_number():
    assert entities("Bestellung 302 4519273 8812345, Tel. +49 170 1234567") == [
        ("order_number", "302-4519273-8812345"),
        ("phone_number", "+491701234567"),
    ]


def test_email_postcodes_and_phone():
    assert entities("Anna.Kowalska@Gmail.com 00-950 Warszawa") == [
        ("email", "anna.kowalska@gmail.com"),
        ("postcode", "00-950"),
    ]
    assert entities("PLZ 10115") == [("postcode", "10115")]
    assert entities("postcode 1012 ab") == [("postcode", "1012 AB")]
    assert entities("PSC 110 00 Praha") == [("postcode", "110 00")]
    assert entities("ruft mich an: 0170/1234567") == [("phone_number", "01701234567")]


def test_dates_and_amounts_are_not_phone_numbers():
    assert entities("am 12.03.2024 fuer 39,99 bestellt") == []
