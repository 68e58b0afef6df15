"""The demo data: deterministic, every order state present, the README's demo orders as they claim,
and dates that move with the calendar (bot/orders/seed.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Date, DateTime, func, select
from sqlalchemy.orm import Session, selectinload

from bot.orders.models import Customer, DemoAnchor, Order, Parcel, TrackingEvent
from bot.orders.seed import DEMO_ORDERS, main, refresh_demo_dates, seed_demo_data
from bot.returns.models import Return, ReturnItem
from bot.settings import load_settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope
from bot.storage.migrations import upgrade

# SQLite keeps Numeric as a float; the prices are exact enough to come back as the same Decimal.
pytestmark = pytest.mark.filterwarnings("ignore:Dialect sqlite.pysqlite does .not. support Decimal")

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 25)
DIGITAL = {"ebook", "audiobook"}
CATEGORIES = {"kindle_device", "ebook", "audiobook", "clothing", "jewellery", "electronics", "household", "gift",
              "hygiene", "personalised"}
COUNTRY_LANGUAGES = {"DE": "de", "GB": "en", "NL": "nl", "PL": "pl", "TR": "tr", "CZ": "cs"}
POSTCODES = {
    "DE": r"\d{5}", "NL": r"[1-9]\d{3} [A-Z]{2}", "PL": r"\d{2}-\d{3}", "TR": r"\d{5}", "CZ": r"\d{3} \d{2}",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}",
}
TRACKING_NUMBERS = {"DHL": r"\d{12,20}", "UPS": r"1Z[0-9A-Z]{16}", "DPD": r"\d{14}", "Hermes": r"\d{14}",
                    "GLS": r"\d{11}"}
FINAL_CODES = {"door": "delivered", "neighbour": "delivered_neighbour", "locker": "delivered_locker"}
SHIFTED_MODELS = (Order, Parcel, TrackingEvent, Return)


def local_day(moment: datetime) -> date:
    return as_utc(moment).astimezone(BERLIN).date()


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), BERLIN)


def new_database(directory: Path) -> str:
    url = f"sqlite:///{directory / 'shop.sqlite3'}"
    upgrade(url)
    return url


def load_orders(session: Session) -> list[Order]:
    return list(session.scalars(
        select(Order).order_by(Order.number).options(
            selectinload(Order.customer),
            selectinload(Order.items),
            selectinload(Order.parcels).selectinload(Parcel.events),
            selectinload(Order.parcels).selectinload(Parcel.items),
        )
    ))


def load_returns(session: Session) -> dict[int, list[Return]]:
    returns: dict[int, list[Return]] = {}
    query = select(Return).options(selectinload(Return.items).selectinload(ReturnItem.order_item))
    for ret in session.scalars(query):
        returns.setdefault(ret.order_id, []).append(ret)
    return returns


@dataclass
class Shop:
    url: str
    created: int
    orders: list[Order]
    returns: dict[int, list[Return]]

    def order(self, number: str) -> Order:
        return next(order for order in self.orders if order.number == number)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    url = new_database(tmp_path_factory.mktemp("seeded"))
    created = seed_demo_data(url, TODAY)
    with session_scope(url) as session:
        yield Shop(url, created, load_orders(session), load_returns(session))


def fingerprint(url: str) -> list[tuple]:
    """Everything seeded that a customer could see, in a comparable form."""
    with session_scope(url) as session:
        return [
            (order.number, order.customer.email, order.customer.first_name, order.ship_street, order.ship_postcode,
             as_utc(order.placed_at), order.status, as_utc(order.cancelled_at), order.expected_on,
             tuple((item.title, item.category, item.quantity, Decimal(item.unit_price), item.opened)
                   for item in order.items),
             tuple((parcel.carrier, parcel.tracking_number, parcel.status, as_utc(parcel.shipped_at),
                    parcel.expected_on, as_utc(parcel.delivered_at), parcel.delivery_place,
                    tuple((as_utc(e.occurred_at), e.code, e.location, e.place) for e in parcel.events))
                   for parcel in order.parcels))
            for order in load_orders(session)
        ]


# --------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------


def test_seeds_about_300_orders_for_about_120_customers(shop: Shop) -> None:
    assert shop.created == len(shop.orders)
    assert 280 <= len(shop.orders) <= 320
    customers = {order.customer.id for order in shop.orders}
    assert 110 <= len(customers) <= 130
    with session_scope(shop.url) as session:
        assert session.scalar(select(func.count(Customer.id))) == len(customers)  # nobody without an order
        assert session.scalars(select(DemoAnchor.anchored_on)).all() == [TODAY]


def test_same_seed_same_data_and_demo_orders_do_not_depend_on_it(tmp_path: Path) -> None:
    first, second, other = (new_database(tmp_path / name) for name in ("a", "b", "c"))
    seed_demo_data(first, TODAY)
    seed_demo_data(second, TODAY)
    seed_demo_data(other, TODAY, seed=7)
    assert fingerprint(first) == fingerprint(second)
    different = fingerprint(other)
    assert different != fingerprint(first)
    demo = {(order[0], order[1], order[4]) for order in different}
    assert {(d.number, d.email, d.postcode) for d in DEMO_ORDERS} <= demo


def test_a_database_with_orders_is_not_seeded_again(tmp_path: Path) -> None:
    url = new_database(tmp_path)
    created = seed_demo_data(url, TODAY)
    before = fingerprint(url)
    assert seed_demo_data(url, TODAY) == 0
    assert seed_demo_data(url, TODAY + timedelta(days=3), seed=1) == 0
    assert fingerprint(url) == before
    assert len(before) == created


# --------------------------------------------------------------------------------------------
# Every state, at every edge of the return window
# --------------------------------------------------------------------------------------------


def season_year(today: date) -> int:
    """The year of the last November/December before `today` (the current one from December on)."""
    return today.year if today.month == 12 else today.year - 1


def parcel_states(order: Order, parcel: Parcel, today: date) -> set[str]:
    states = set()
    if parcel.status == "in_transit":
        late = (today - parcel.expected_on).days
        states.add("in_transit" if late <= 0 else "overdue" if 5 <= late <= 10 else "in_transit_late")
    elif parcel.status == "out_for_delivery" and parcel.expected_on == today:
        states.add("out_for_delivery")
    elif parcel.status == "delayed" and parcel.expected_on > max(today, order.expected_on):
        states.add("delayed")
    elif parcel.status == "lost":
        states.add("lost")
    elif parcel.status == "delivered":
        states.add(f"delivered_{parcel.delivered_to}")
        age = (today - local_day(parcel.delivered_at)).days
        if 1 <= age <= 29:
            states.add("delivered_within_window")
        elif age == 30:
            states.add("delivered_30_days_ago")  # the window's last day
        elif 31 <= age <= 45:
            states.add("delivered_31_to_45_days_ago")
        elif age > 60:
            states.add("delivered_months_ago")
    return states


def order_states(order: Order, returns: list[Return], today: date) -> set[str]:
    """What the test itself recognises in the rows (not what the seed says it made)."""
    states = set()
    physical = [item for item in order.items if item.category not in DIGITAL]
    if order.status == "cancelled" and order.cancelled_at and not order.parcels:
        states.add("cancelled")
    elif not order.parcels and physical and order.expected_on and order.expected_on > today:
        states.add("ordered")
    elif not order.parcels and not physical:
        states.add("digital_only")
    for parcel in order.parcels:
        states |= parcel_states(order, parcel, today)
    if len(order.parcels) >= 2 and len({parcel.status for parcel in order.parcels}) >= 2:
        states.add(f"split_{len(order.parcels)}")
    for ret in returns:
        if 0 < len(ret.items) < len(physical):
            states.add(f"partly_returned_{ret.status}")
    placed = local_day(order.placed_at)
    if placed.month in (11, 12) and placed.year == season_year(today) and order.parcels:
        states.add("placed_last_season")
        window_over = all(p.delivered_at and (today - local_day(p.delivered_at)).days > 30 for p in order.parcels)
        if today.month == 1 and window_over:
            states.add("returnable_only_by_seasonal_extension")
    return states


EXPECTED_STATES = {
    "ordered", "cancelled", "digital_only", "in_transit", "out_for_delivery", "delayed", "overdue", "lost",
    "delivered_door", "delivered_neighbour", "delivered_locker", "split_2", "split_3",
    "partly_returned_awaiting_parcel", "partly_returned_received", "partly_returned_refunded",
    "delivered_within_window", "delivered_30_days_ago", "delivered_31_to_45_days_ago", "delivered_months_ago",
    "placed_last_season",
}


@pytest.mark.parametrize(("today", "also_expected"), [
    (TODAY, set()),
    (date(2027, 1, 12), {"returnable_only_by_seasonal_extension"}),
    (date(2026, 3, 29), set()),  # summer time starts
    (date(2026, 12, 3), set()),
])
def test_every_state_is_present(tmp_path: Path, today: date, also_expected: set[str]) -> None:
    url = new_database(tmp_path)
    seed_demo_data(url, today)
    with session_scope(url) as session:
        returns = load_returns(session)
        found = set().union(*(order_states(o, returns.get(o.id, []), today) for o in load_orders(session)))
    assert (EXPECTED_STATES | also_expected) - found == set()
    assert "in_transit_late" not in found  # late parcels are either overdue or delayed


# --------------------------------------------------------------------------------------------
# Realistic and consistent rows
# --------------------------------------------------------------------------------------------


def test_order_numbers_and_emails(shop: Shop) -> None:
    numbers = [order.number for order in shop.orders]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\d{3}-\d{7}-\d{7}", number) for number in numbers)
    emails = {order.customer.email for order in shop.orders}
    for email in emails:
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*@example\.(com|org|net)", email), email


def test_customers_live_in_six_countries_and_speak_their_language(shop: Shop) -> None:
    for order in shop.orders:
        assert COUNTRY_LANGUAGES[order.ship_country] == order.customer.language
        assert re.fullmatch(POSTCODES[order.ship_country], order.ship_postcode), order.ship_postcode
        assert order.ship_name == f"{order.customer.first_name} {order.customer.last_name}"
        assert order.ship_street and order.ship_city and "\n" not in order.ship_street
    assert {order.ship_country for order in shop.orders} == set(COUNTRY_LANGUAGES)


def test_items_of_every_kind_in_their_parcels(shop: Shop) -> None:
    items = [item for order in shop.orders for item in order.items]
    assert {item.category for item in items} == CATEGORIES
    assert {item.opened for item in items if item.category == "hygiene"} == {True, False}
    for item in items:
        assert isinstance(item.unit_price, Decimal) and Decimal("0.5") < item.unit_price < Decimal("1000")
        assert item.unit_price == item.unit_price.quantize(Decimal("0.01")) and item.quantity >= 1
    for order in shop.orders:
        parcel_ids = {parcel.id for parcel in order.parcels}
        for item in order.items:
            if item.category in DIGITAL or not order.parcels:
                assert item.parcel_id is None, (order.number, item.title)
            else:
                assert item.parcel_id in parcel_ids, (order.number, item.title)
        assert all(parcel.items for parcel in order.parcels), order.number


def test_tracking_numbers_in_the_carriers_style(shop: Shop) -> None:
    carriers = load_settings().carriers
    parcels = [parcel for order in shop.orders for parcel in order.parcels]
    assert {parcel.carrier for parcel in parcels} == set(carriers)
    for parcel in parcels:
        assert re.fullmatch(TRACKING_NUMBERS[parcel.carrier], parcel.tracking_number), parcel.tracking_number
    numbers = [parcel.tracking_number for parcel in parcels]
    assert len(set(numbers)) == len(numbers)


def check_events(order: Order, parcel: Parcel, today: date) -> None:
    events = parcel.events
    times = [as_utc(event.occurred_at) for event in events]
    assert times == sorted(times) and len(set(times)) == len(times), "not chronological"
    assert [event.code for event in events[:2]] == ["label_created", "picked_up"]
    assert as_utc(parcel.shipped_at) == times[1] and times[0] > as_utc(order.placed_at)
    assert times[-1] <= end_of(today)
    assert all(event.location for event in events if event.code == "in_transit")
    last = events[-1]
    if parcel.status == "delivered":
        assert last.code == FINAL_CODES[parcel.delivered_to]
        assert as_utc(parcel.delivered_at) == times[-1] and local_day(parcel.delivered_at) < today
        assert events[-2].code == "out_for_delivery" and events[-2].location == order.ship_city
        assert last.location == order.ship_city
        assert last.place == (parcel.delivery_place if parcel.delivered_to != "door" else None)
    else:
        assert parcel.delivered_at is None and parcel.delivered_to is None
        assert last.code == parcel.status
        if parcel.status == "out_for_delivery":
            assert last.location == order.ship_city and local_day(last.occurred_at) == today
    if parcel.status != "out_for_delivery":
        assert local_day(last.occurred_at) < today


def test_tracking_events_are_chronological_and_end_in_the_parcels_state(shop: Shop) -> None:
    for order in shop.orders:
        for parcel in order.parcels:
            check_events(order, parcel, TODAY)


def test_delivered_to_a_neighbour_or_a_locker_says_where(shop: Shop) -> None:
    for order in shop.orders:
        for parcel in order.parcels:
            if parcel.delivered_to == "neighbour" and order.customer.language == "de":
                assert re.fullmatch(r"Fam\. [^,]+, Hausnr\. \d+", parcel.delivery_place), parcel.delivery_place
            elif parcel.delivered_to == "neighbour":
                assert re.search(r"\d+$", parcel.delivery_place), parcel.delivery_place
            elif parcel.delivered_to == "locker":
                assert parcel.delivery_place.startswith(parcel.carrier + " ")
                assert parcel.delivery_place.endswith(f", {order.ship_postcode} {order.ship_city}")
            else:
                assert parcel.delivery_place is None


def test_order_dates_fit_their_state(shop: Shop) -> None:
    for order in shop.orders:
        placed = local_day(order.placed_at)
        assert placed < TODAY
        if order.status == "cancelled":
            assert as_utc(order.cancelled_at) > as_utc(order.placed_at) and not order.parcels
        else:
            assert order.status == "placed" and order.cancelled_at is None
        if not order.parcels and order.status == "placed" and any(i.category not in DIGITAL for i in order.items):
            assert order.expected_on > TODAY  # ordered, not shipped yet
        for parcel in order.parcels:
            assert parcel.expected_on > placed and local_day(parcel.shipped_at) > placed


def test_returns_are_partial_refunds_of_delivered_returnable_items(shop: Shop) -> None:
    rules = load_settings().returns
    returns = [ret for rets in shop.returns.values() for ret in rets]
    assert len(returns) >= 12
    for ret in returns:
        order = next(order for order in shop.orders if order.id == ret.order_id)
        items = [ri.order_item for ri in ret.items]
        physical = [item for item in order.items if item.category not in DIGITAL]
        assert 0 < len(items) < len(physical) and all(item.order_id == order.id for item in items)
        for item in items:
            assert item.parcel.status == "delivered"
            assert item.category not in (*rules.not_returnable_categories, *rules.ebook_categories)
            assert not (item.category in rules.hygiene_categories and item.opened)
        assert ret.refund_amount == sum(Decimal(item.unit_price) * item.quantity for item in items)
        assert ret.reason in rules.reasons and re.fullmatch(r"R\d{6,19}", ret.number)
        delivered = max(as_utc(item.parcel.delivered_at) for item in items)
        created = as_utc(ret.created_at)
        assert delivered < created <= delivered + timedelta(days=rules.return_window_days)
        steps = {"awaiting_parcel": (False, False), "received": (True, False), "refunded": (True, True)}
        assert (ret.received_at is not None, ret.refunded_at is not None) == steps[ret.status]
        moments = [created] + [as_utc(m) for m in (ret.received_at, ret.refunded_at) if m is not None]
        assert moments == sorted(moments) and moments[-1] < datetime.combine(TODAY, time(0), BERLIN)


# --------------------------------------------------------------------------------------------
# The demo orders the README lists
# --------------------------------------------------------------------------------------------


def only_parcel(order: Order) -> Parcel:
    assert len(order.parcels) == 1
    return order.parcels[0]


def delivered(days_ago: int, to: str = "door") -> Callable[[Order, list[Return]], None]:
    def check(order: Order, returns: list[Return]) -> None:
        parcel = only_parcel(order)
        assert (parcel.status, parcel.delivered_to) == ("delivered", to)
        assert local_day(parcel.delivered_at) == TODAY - timedelta(days=days_ago)
        assert not returns

    return check


def check_in_transit(order: Order, returns: list[Return]) -> None:
    parcel = only_parcel(order)
    assert parcel.status == "in_transit" and parcel.expected_on >= TODAY


def check_out_for_delivery(order: Order, returns: list[Return]) -> None:
    parcel = only_parcel(order)
    assert parcel.status == "out_for_delivery" and parcel.expected_on == TODAY


def check_delivered_three_days_ago(order: Order, returns: list[Return]) -> None:
    delivered(3)(order, returns)
    categories = [item.category for item in order.items]
    returnable = {"kindle_device", "clothing", "jewellery", "electronics", "household", "gift"}
    assert len(returnable & set(categories)) >= 3 and "ebook" in categories
    assert any(item.category == "hygiene" and item.opened for item in order.items)


def check_neighbour(order: Order, returns: list[Return]) -> None:
    delivered(1, "neighbour")(order, returns)
    assert re.fullmatch(r"Fam\. [^,]+, Hausnr\. \d+", only_parcel(order).delivery_place)


def check_locker(order: Order, returns: list[Return]) -> None:
    delivered(2, "locker")(order, returns)
    place = only_parcel(order).delivery_place
    assert place.startswith("DHL Packstation ") and place.endswith(", 60316 Frankfurt am Main")


def check_delayed(order: Order, returns: list[Return]) -> None:
    parcel = only_parcel(order)
    assert parcel.status == "delayed" and parcel.events[-1].code == "delayed"
    assert parcel.expected_on > TODAY and parcel.expected_on > order.expected_on


def check_overdue(order: Order, returns: list[Return]) -> None:
    parcel = only_parcel(order)
    assert parcel.status == "in_transit" and parcel.expected_on == TODAY - timedelta(days=6)


def check_lost(order: Order, returns: list[Return]) -> None:
    parcel = only_parcel(order)
    assert parcel.status == "lost" and parcel.expected_on < TODAY


def check_split(order: Order, returns: list[Return]) -> None:
    assert sorted(parcel.status for parcel in order.parcels) == ["delivered", "in_transit"]
    assert all(parcel.items for parcel in order.parcels)


def check_partly_returned(order: Order, returns: list[Return]) -> None:
    assert only_parcel(order).status == "delivered"
    [ret] = returns
    assert ret.status == "received" and ret.received_at is not None and ret.refunded_at is None
    assert 0 < len(ret.items) < len(order.items)


def check_cancelled(order: Order, returns: list[Return]) -> None:
    assert order.status == "cancelled" and order.cancelled_at is not None and not order.parcels


def check_ordered(order: Order, returns: list[Return]) -> None:
    assert order.status == "placed" and not order.parcels and order.expected_on > TODAY


def abroad(country: str, days_ago: int) -> Callable[[Order, list[Return]], None]:
    def check(order: Order, returns: list[Return]) -> None:
        delivered(days_ago)(order, returns)
        assert order.ship_country == country and order.customer.language == COUNTRY_LANGUAGES[country]

    return check


DEMO_CHECKS: dict[str, Callable[[Order, list[Return]], None]] = {
    "in transit": check_in_transit,
    "out for delivery today": check_out_for_delivery,
    "delivered to the door 3 days ago": check_delivered_three_days_ago,
    "delivered to a neighbour yesterday": check_neighbour,
    "delivered to a parcel locker 2 days ago": check_locker,
    "delayed (new delivery date later than promised)": check_delayed,
    "overdue (in transit, expected 6 days ago)": check_overdue,
    "lost in transit": check_lost,
    "split into two parcels: one delivered, one in transit": check_split,
    "partly returned, refund in progress (return received)": check_partly_returned,
    "cancelled": check_cancelled,
    "ordered, not shipped yet": check_ordered,
    "delivered 40 days ago (return window ended 10 days ago)": delivered(40),
    "Polish customer, delivered 5 days ago": abroad("PL", 5),
    "Dutch customer, delivered 8 days ago": abroad("NL", 8),
}


def test_every_demo_state_has_a_check() -> None:
    assert [demo.state for demo in DEMO_ORDERS] == list(DEMO_CHECKS)
    assert len({demo.number for demo in DEMO_ORDERS}) == len(DEMO_ORDERS)
    assert len({demo.email for demo in DEMO_ORDERS}) == len(DEMO_ORDERS)


@pytest.mark.parametrize("demo", DEMO_ORDERS, ids=lambda demo: demo.state)
def test_demo_order_is_what_it_claims(shop: Shop, demo) -> None:
    order = shop.order(demo.number)
    assert (order.customer.email, order.ship_postcode) == (demo.email, demo.postcode)
    if not demo.state.startswith(("Polish", "Dutch")):
        assert (order.ship_country, order.customer.language) == ("DE", "de")
    DEMO_CHECKS[demo.state](order, shop.returns.get(order.id, []))


# --------------------------------------------------------------------------------------------
# Moving the dates with the calendar
# --------------------------------------------------------------------------------------------


def date_values(url: str) -> dict[tuple[str, int, str], date | datetime]:
    """Every Date/DateTime value of the shifted tables, datetimes as Berlin wall-clock times."""
    values = {}
    with session_scope(url) as session:
        for model in SHIFTED_MODELS:
            table = model.__table__
            columns = [c for c in table.columns if isinstance(c.type, Date | DateTime)]
            for row in session.execute(select(table.c.id, *columns)):
                for column, value in zip(columns, row[1:], strict=True):
                    if isinstance(value, datetime):
                        value = as_utc(value).astimezone(BERLIN).replace(tzinfo=None)
                    values[(table.name, row[0], column.name)] = value
    return values


def test_refresh_moves_every_date_by_the_days_since_seeding(tmp_path: Path) -> None:
    seeded_on = date(2026, 10, 20)  # ten days later summer time has ended
    url = new_database(tmp_path)
    seed_demo_data(url, seeded_on)
    before = date_values(url)
    assert refresh_demo_dates(url, seeded_on + timedelta(days=10)) == 10
    after = date_values(url)
    assert after.keys() == before.keys()
    moved = {key: None if value is None else value + timedelta(days=10) for key, value in before.items()}
    assert after == moved
    assert sum(value is not None for value in before.values()) > 2000
    with session_scope(url) as session:
        assert session.scalars(select(DemoAnchor.anchored_on)).all() == [seeded_on + timedelta(days=10)]
        three_days = next(d for d in DEMO_ORDERS if d.state == "delivered to the door 3 days ago")
        parcel = session.scalars(select(Parcel).join(Order).where(Order.number == three_days.number)).one()
        assert local_day(parcel.delivered_at) == seeded_on + timedelta(days=10 - 3)
    assert refresh_demo_dates(url, seeded_on + timedelta(days=10)) == 0
    assert refresh_demo_dates(url, seeded_on) == -10
    assert date_values(url) == before


def test_refresh_leaves_a_database_without_anchor_alone(tmp_path: Path) -> None:
    url = new_database(tmp_path)
    assert refresh_demo_dates(url, TODAY) == 0
    placed_at = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    with session_scope(url) as session:
        customer = Customer(email="real@example.com", first_name="Real", last_name="Customer", language="de")
        session.add(Order(number="302-0000000-0000001", customer=customer, placed_at=placed_at, status="placed",
                          expected_on=date(2026, 11, 23), ship_name="Real Customer", ship_street="Weg 1",
                          ship_postcode="10115", ship_city="Berlin", ship_country="DE", currency="EUR"))
    assert refresh_demo_dates(url, TODAY) == 0
    assert seed_demo_data(url, TODAY) == 0
    with session_scope(url) as session:
        order = session.scalars(select(Order)).one()
        assert as_utc(order.placed_at) == placed_at and order.expected_on == date(2026, 11, 23)
        assert session.scalar(select(func.count(DemoAnchor.id))) == 0


def test_command_seeds_then_refreshes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"  # main() migrates it
    main(["--database-url", url, "--today", "2026-11-25"])
    assert re.search(r"Seeded \d+ demo orders", capsys.readouterr().out)
    main(["--database-url", url, "--today", "2026-11-28"])
    assert "by 3 days" in capsys.readouterr().out
    main(["--database-url", url, "--today", "2026-11-28"])
    assert "nothing to do" in capsys.readouterr().out
