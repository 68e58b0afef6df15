"""Return rules at both edges of every window (settings.yml: 30 days, Nov/Dec until 31 January)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.returns.eligibility import ItemFacts, check_item, return_deadline
from bot.settings import load_settings

RULES = load_settings().returns
WINDOW = RULES.return_window_days
DELIVERED = date(2026, 6, 10)
PLACED = date(2026, 6, 5)
SHOES = ItemFacts(1, "Sneakers", "clothing", False, PLACED, DELIVERED)


@pytest.mark.parametrize(
    ("days_after_delivery", "returnable"), [(WINDOW - 1, True), (WINDOW, True), (WINDOW + 1, False)]
)
def test_window_counts_from_delivery_and_its_last_day_is_included(days_after_delivery, returnable):
    result = check_item(SHOES, DELIVERED + timedelta(days=days_after_delivery), RULES)
    assert result.returnable is returnable
    assert result.deadline == DELIVERED + timedelta(days=WINDOW)
    assert result.reason == (None if returnable else "window")


def test_a_window_that_ended_recently_may_get_an_exception_and_an_old_one_not():
    deadline = DELIVERED + timedelta(days=WINDOW)
    assert check_item(SHOES, deadline + timedelta(days=RULES.exception_grace_days), RULES).exception_possible
    assert not check_item(SHOES, deadline + timedelta(days=RULES.exception_grace_days + 1), RULES).exception_possible


@pytest.mark.parametrize(
    ("today", "returnable"),
    [(date(2027, 1, 30), True), (date(2027, 1, 31), True), (date(2027, 2, 1), False)],
)
def test_christmas_purchases_are_returnable_until_the_end_of_january(today, returnable):
    december = ItemFacts(2, "Scarf", "clothing", False, date(2026, 12, 3), date(2026, 12, 5))
    result = check_item(december, today, RULES)
    assert result.returnable is returnable
    assert result.deadline == date(2027, 1, 31)


def test_season_edges_first_and_last_day_count_the_day_before_does_not():
    delivered = date(2026, 11, 2)
    assert return_deadline(date(2026, 11, 1), delivered, RULES) == date(2027, 1, 31)
    assert return_deadline(date(2026, 12, 31), date(2027, 1, 2), RULES) == date(2027, 2, 1)  # 30 days is later
    assert return_deadline(date(2026, 10, 31), delivered, RULES) == delivered + timedelta(days=WINDOW)


def test_a_january_purchase_gets_no_seasonal_extension():
    january = ItemFacts(3, "Mug", "household", False, date(2027, 1, 2), date(2027, 1, 4))
    assert check_item(january, date(2027, 2, 3), RULES).returnable
    assert check_item(january, date(2027, 2, 4), RULES).reason == "window"


def test_ebooks_are_cancelled_within_their_days_not_returned():
    ebook = ItemFacts(4, "Roman", "ebook", False, PLACED, PLACED)
    last = PLACED + timedelta(days=RULES.ebook_cancellation_days)
    assert (check_item(ebook, last, RULES).reason, check_item(ebook, last, RULES).deadline) == ("ebook", last)
    assert check_item(ebook, last + timedelta(days=1), RULES).reason == "digital"


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (replace(SHOES, category="audiobook"), "digital"),
        (replace(SHOES, category="personalised"), "personalised"),
        (replace(SHOES, category="hygiene", opened=True), "hygiene"),
        (replace(SHOES, delivered_on=None), "not_delivered"),
        (replace(SHOES, already_returned=True), "already_returned"),
    ],
)
def test_items_that_cannot_go_back_say_why(facts, reason):
    result = check_item(facts, DELIVERED + timedelta(days=1), RULES)
    assert (result.returnable, result.reason) == (False, reason)


def test_an_unopened_hygiene_item_is_returnable():
    assert check_item(replace(SHOES, category="hygiene"), DELIVERED + timedelta(days=1), RULES).returnable
