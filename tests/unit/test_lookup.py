"""Order lookup against a real SQLite database: proof, same answer for every miss, lockout, rate limit."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.orders.lookup import OrderStoreUnavailable, find_verified_order
from bot.orders.models import Customer, Order, OrderItem, Parcel
from bot.returns.service import ReturnNotPossible, create_return
from bot.settings import load_settings
from bot.storage.database import session_scope

SETTINGS = load_settings()
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NUMBER = "302-4519273-8812345"


@pytest.fixture()
def database(fresh_database):
    url = fresh_database
    with session_scope(url) as session:
        customer = Customer(email="anna.schmidt@example.com", first_name="Anna", last_name="Schmidt", language="de")
        order = Order(number=NUMBER, customer=customer, placed_at=NOW - timedelta(days=6), ship_name="Anna Schmidt",
                      ship_street="Hauptstr. 5", ship_postcode="10115", ship_city="Berlin", ship_country="DE")
        parcel = Parcel(order=order, carrier="DHL", tracking_number="00340434161234567890", status="delivered",
                        shipped_at=NOW - timedelta(days=5), expected_on=date(2026, 11, 22),
                        delivered_at=NOW - timedelta(days=3), delivered_to="door")
        session.add_all([
            OrderItem(order=order, parcel=parcel, title="Winterjacke", category="clothing",
                      unit_price=Decimal("89.90")),
            OrderItem(order=order, parcel=parcel, title="Gravierter Ring", category="personalised",
                      unit_price=Decimal("49.00")),
        ])
    return url


def lookup(database, verifier, conversation="c-1", client="10.0.0.1", rules=SETTINGS.orders, number=NUMBER):
    return find_verified_order(order_number=number, verifier=verifier, conversation_id=conversation, client=client,
                               rules=rules, now=NOW, database_url=database)


@pytest.mark.parametrize("verifier", ["anna.schmidt@example.com", "Anna.Schmidt@Example.com", "10115", " 10115 "])
def test_the_email_or_postcode_on_the_order_proves_it(database, verifier):
    result = lookup(database, verifier)
    assert result.outcome == "found"
    assert result.order.number == NUMBER and len(result.order.items) == 2


def test_the_number_in_any_form_finds_the_order(database):
    assert lookup(database, "10115", number="30245192738812345").outcome == "found"


def test_a_wrong_email_and_an_unknown_order_get_the_same_answer(database):
    wrong_email = lookup(database, "someone@example.com", conversation="a")
    unknown_order = lookup(database, "anna.schmidt@example.com", conversation="b", number="302-0000000-0000000")
    assert wrong_email == unknown_order
    assert wrong_email.outcome == "not_found" and wrong_email.order is None


def test_three_failures_lock_the_conversation_even_for_the_right_proof(database):
    outcomes = [lookup(database, "12345").outcome for _ in range(SETTINGS.orders.max_failed_lookups_per_conversation)]
    assert outcomes == ["not_found"] * (len(outcomes) - 1) + ["locked"]
    assert lookup(database, "10115").outcome == "locked"
    assert lookup(database, "10115", conversation="c-2").outcome == "found"


def test_one_client_guessing_across_new_conversations_is_rate_limited(database):
    rules = replace(SETTINGS.orders, max_failed_lookups_per_client=4)
    for attempt in range(4):
        assert lookup(database, "99999", conversation=f"new-{attempt}", rules=rules).outcome == "not_found"
    result = lookup(database, "10115", conversation="fresh", rules=rules)
    assert (result.outcome, result.retry_minutes) == ("rate_limited", rules.client_window_minutes)
    assert lookup(database, "10115", conversation="fresh", client="10.0.0.2", rules=rules).outcome == "found"


def test_a_database_that_is_down_is_reported_not_raised_as_sql(tmp_path):
    with pytest.raises(OrderStoreUnavailable):
        lookup(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "10115")  # no tables


def test_a_return_is_created_once_and_only_for_returnable_items(database):
    order = lookup(database, "10115").order
    jacket, ring = order.items
    today = date(2026, 11, 25)
    kwargs = dict(order=order, reason="doesnt_fit", conversation_id="c-1", settings=SETTINGS, now=NOW, today=today,
                  database_url=database)
    with pytest.raises(ReturnNotPossible):
        create_return(item_ids=[ring.item_id], **kwargs)
    created = create_return(item_ids=[jacket.item_id], **kwargs)
    assert created.number.startswith("R") and created.refund_amount == Decimal("89.90")
    with pytest.raises(ReturnNotPossible):
        create_return(item_ids=[jacket.item_id], **kwargs)
    again = lookup(database, "10115", conversation="c-3").order
    assert [item.returned for item in again.items] == [True, False]
    assert again.returns[0].number == created.number
