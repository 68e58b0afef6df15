"""Which items of an order can still be sent back, and until when (rules in settings.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.settings import ReturnSettings

# Why an item cannot be returned with a label; each has a response utter_return_not_returnable_<reason>.
NOT_RETURNABLE_REASONS = (
    "already_returned", "ebook", "digital", "personalised", "hygiene", "not_delivered", "window",
)


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about one order item (plain values, no ORM)."""

    item_id: int
    title: str
    category: str
    opened: bool
    placed_on: date
    delivered_on: date | None
    already_returned: bool = False


@dataclass(frozen=True)
class Eligibility:
    item_id: int
    title: str
    returnable: bool
    reason: str | None  # one of NOT_RETURNABLE_REASONS when not returnable
    deadline: date | None  # last day to return (or to cancel an e-book)
    exception_possible: bool = False  # the window ended so recently that an agent may allow it


def _in_season(placed_on: date, rules: ReturnSettings) -> bool:
    season = rules.seasonal_extension
    return season.placed_from <= (placed_on.month, placed_on.day) <= season.placed_until


def return_deadline(placed_on: date, delivered_on: date, rules: ReturnSettings) -> date:
    """The window from delivery, extended to the seasonal date for purchases in the season."""
    deadline = delivered_on + timedelta(days=rules.return_window_days)
    if _in_season(placed_on, rules):
        month, day = rules.seasonal_extension.returnable_until
        year = placed_on.year + (1 if (month, day) < rules.seasonal_extension.placed_from else 0)
        deadline = max(deadline, date(year, month, day))
    return deadline


def check_item(item: ItemFacts, today: date, rules: ReturnSettings) -> Eligibility:
    """The first rule that forbids a return wins; otherwise the item is returnable until its deadline."""

    def refused(reason: str, deadline: date | None = None, exception: bool = False) -> Eligibility:
        return Eligibility(item.item_id, item.title, False, reason, deadline, exception)

    if item.already_returned:
        return refused("already_returned")
    if item.category in rules.ebook_categories:
        cancel_until = item.placed_on + timedelta(days=rules.ebook_cancellation_days)
        return refused("ebook", cancel_until) if today <= cancel_until else refused("digital")
    if item.category in rules.not_returnable_categories:
        return refused("personalised" if item.category == "personalised" else "digital")
    if item.category in rules.hygiene_categories and item.opened:
        return refused("hygiene")
    if item.delivered_on is None:
        return refused("not_delivered")
    deadline = return_deadline(item.placed_on, item.delivered_on, rules)
    if today > deadline:
        recently = (today - deadline).days <= rules.exception_grace_days
        return refused("window", deadline, exception=recently)
    return Eligibility(item.item_id, item.title, True, None, deadline)
