"""What the bot says about an order, from plain order snapshots."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from bot.orders.status import order_status
from bot.orders.views import EventView, ItemView, OrderView, ParcelView
from bot.settings import load_settings

SETTINGS = load_settings()
TODAY = date(2026, 11, 25)
EVENT = EventView(datetime(2026, 11, 24, 9, 30, tzinfo=UTC), "in_transit", "Leipzig", None)
PARCEL = ParcelView(7, "DHL", "00340434161234567890", "in_transit", date(2026, 11, 26), None, None, None, (EVENT,))
ITEM = ItemView(1, "Kindle Paperwhite", "kindle_device", 1, Decimal("149.99"), False, 7, False)
ORDER = OrderView(3, "302-4519273-8812345", date(2026, 11, 22), "placed", None, None, "EUR", (ITEM,), (PARCEL,), ())


def names(report):
    return [reply.response for reply in report.replies]


def test_a_parcel_on_its_way_gets_carrier_tracking_link_date_and_latest_event():
    report = order_status(ORDER, TODAY, "de", SETTINGS)
    assert names(report) == ["utter_order_heading", "utter_parcel_in_transit"]
    values = report.replies[1].values
    link = SETTINGS.carriers["DHL"].tracking_url.format(tracking_number="00340434161234567890")
    assert values["tracking_url"] == link
    assert values["expected_date"] == "26. November 2026"
    assert values["last_event"].response == "utter_tracking_in_transit"
    assert values["last_event"].prefix.startswith("24.11.26, 10:30")  # Berlin time, German format
    assert not report.offers_agent


def test_dates_follow_the_customers_language():
    assert order_status(ORDER, TODAY, "pl", SETTINGS).replies[1].values["expected_date"] == "26 listopada 2026"
    assert order_status(ORDER, TODAY, "en", SETTINGS).replies[1].values["expected_date"] == "26 November 2026"


def test_overdue_only_after_the_configured_days_and_then_an_agent_is_offered():
    days = SETTINGS.orders.overdue_after_days
    late = replace(ORDER, parcels=(replace(PARCEL, expected_on=date(2026, 11, 25 - days)),))
    assert names(order_status(late, TODAY, "en", SETTINGS))[-1] == "utter_parcel_in_transit"
    later = replace(ORDER, parcels=(replace(PARCEL, expected_on=date(2026, 11, 24 - days)),))
    report = order_status(later, TODAY, "en", SETTINGS)
    assert names(report)[-1] == "utter_parcel_overdue" and report.offers_agent
    assert report.replies[-1].values["overdue_days"] == str(days + 1)
    assert [b.payload for b in report.replies[-1].buttons] == ["/human_handoff", "/deny"]


def test_a_lost_parcel_offers_an_agent():
    lost = replace(ORDER, parcels=(replace(PARCEL, status="lost"),))
    report = order_status(lost, TODAY, "tr", SETTINGS)
    assert names(report)[-1] == "utter_parcel_lost" and report.offers_agent


def test_delivery_to_a_neighbour_or_locker_names_the_place():
    places = (("neighbour", "utter_parcel_delivered_neighbour"), ("locker", "utter_parcel_delivered_locker"),
              ("door", "utter_parcel_delivered"))
    for where, response in places:
        parcel = replace(PARCEL, status="delivered", delivered_on=date(2026, 11, 24), delivered_to=where,
                         delivery_place="Packstation 142")
        reply = order_status(replace(ORDER, parcels=(parcel,)), TODAY, "nl", SETTINGS).replies[-1]
        assert reply.response == response
        assert reply.values["delivered_date"] == "24 november 2026"


def test_a_split_order_reports_each_parcel_with_its_items_and_offers_an_agent_once():
    second = replace(PARCEL, parcel_id=8, status="lost")
    third = replace(PARCEL, parcel_id=9, status="lost")
    items = (ITEM, replace(ITEM, item_id=2, title="Hülle", parcel_id=8), replace(ITEM, item_id=3, title="Lampe",
                                                                                  parcel_id=9))
    report = order_status(replace(ORDER, items=items, parcels=(PARCEL, second, third)), TODAY, "de", SETTINGS)
    assert names(report) == ["utter_order_heading", "utter_parcel_heading", "utter_parcel_in_transit",
                             "utter_parcel_heading", "utter_parcel_lost", "utter_parcel_heading", "utter_parcel_lost"]
    assert report.replies[3].values["items"] == "Hülle"
    assert report.replies[1].values["parcel_count"] == "3"
    assert [bool(r.buttons) for r in report.replies].count(True) == 1


def test_cancelled_and_not_yet_shipped_orders():
    cancelled = replace(ORDER, status="cancelled", cancelled_on=date(2026, 11, 23), parcels=())
    assert names(order_status(cancelled, TODAY, "cs", SETTINGS))[-1] == "utter_order_state_cancelled"
    waiting = replace(ORDER, parcels=(), expected_on=date(2026, 11, 28))
    reply = order_status(waiting, TODAY, "cs", SETTINGS).replies[-1]
    assert (reply.response, reply.values["expected_date"]) == ("utter_order_state_ordered", "28. listopadu 2026")


def test_physical_items_of_an_unshipped_order_are_not_returnable_but_its_ebook_can_be_cancelled():
    from bot.returns.service import eligibility

    ebook = ItemView(9, "Roman", "ebook", 1, Decimal("9.99"), False, None, False)
    waiting = replace(ORDER, parcels=(), items=(replace(ITEM, parcel_id=None), ebook))
    assert [item.reason for item in eligibility(waiting, TODAY, SETTINGS)] == ["not_delivered", "ebook"]
