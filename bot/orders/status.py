"""What a good agent says about an order: its state, each parcel, and what the customer can do now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.formatting import long_date, short_datetime
from bot.orders.views import SHOP_TIMEZONE, OrderView, ParcelView
from bot.replies import Button, Phrase, Reply
from bot.settings import Settings

CONNECT_AGENT = Button(Phrase("utter_button_connect_agent"), "/human_handoff")
NO_THANKS = Button(Phrase("utter_button_no_thanks"), "/deny")


@dataclass(frozen=True)
class StatusReport:
    replies: tuple[Reply, ...]
    # A parcel is overdue or lost: the bot offers an agent (handoff reason flow_failure).
    offers_agent: bool


def _last_event(parcel: ParcelView, carrier: str, language: str) -> Phrase:
    if not parcel.events:
        return Phrase("utter_tracking_label_created", {"carrier": carrier})
    event = parcel.events[-1]
    return Phrase(
        f"utter_tracking_{event.code}",
        {"carrier": carrier, "location": event.location or "", "place": event.place or ""},
        prefix=short_datetime(event.occurred_at, language, SHOP_TIMEZONE) + ": ",
    )


def _is_overdue(parcel: ParcelView, today: date, settings: Settings) -> bool:
    late_days = (today - parcel.expected_on).days
    return parcel.status in {"in_transit", "delayed"} and late_days > settings.orders.overdue_after_days


def parcel_reply(parcel: ParcelView, today: date, language: str, settings: Settings) -> Reply:
    carrier = settings.carriers[parcel.carrier] if parcel.carrier in settings.carriers else None
    carrier_name = carrier.name if carrier else parcel.carrier
    values = {
        "carrier": carrier_name,
        "tracking_number": parcel.tracking_number,
        "tracking_url": carrier.tracking_url.format(tracking_number=parcel.tracking_number) if carrier else "",
        "expected_date": long_date(parcel.expected_on, language),
        "last_event": _last_event(parcel, carrier_name, language),
    }
    offer = (CONNECT_AGENT, NO_THANKS)
    if parcel.status == "lost":
        return Reply("utter_parcel_lost", values, offer)
    if _is_overdue(parcel, today, settings):
        values["overdue_days"] = str((today - parcel.expected_on).days)
        return Reply("utter_parcel_overdue", values, offer)
    if parcel.status == "delivered":
        values["delivered_date"] = long_date(parcel.delivered_on or parcel.expected_on, language)
        values["delivery_place"] = parcel.delivery_place or ""
        place = {"neighbour": "_neighbour", "locker": "_locker"}.get(parcel.delivered_to or "", "")
        return Reply(f"utter_parcel_delivered{place}", values)
    if parcel.status == "out_for_delivery":
        return Reply("utter_parcel_out_for_delivery", values)
    if parcel.status == "delayed":
        return Reply("utter_parcel_delayed", values)
    return Reply("utter_parcel_in_transit", values)


def order_status(order: OrderView, today: date, language: str, settings: Settings) -> StatusReport:
    """The heading, then the order's state or one answer per parcel (split orders: each with its items)."""
    heading = Reply("utter_order_heading", {
        "order_number": order.number,
        "order_date": long_date(order.placed_on, language),
        "item_count": str(sum(item.quantity for item in order.items)),
    })
    if order.status == "cancelled":
        cancelled = long_date(order.cancelled_on or order.placed_on, language)
        return StatusReport((heading, Reply("utter_order_state_cancelled", {"cancelled_date": cancelled})), False)
    if not order.parcels:
        expected = long_date(order.expected_on or order.placed_on, language)
        return StatusReport((heading, Reply("utter_order_state_ordered", {"expected_date": expected})), False)
    replies = [heading]
    count = len(order.parcels)
    for index, parcel in enumerate(order.parcels, start=1):
        if count > 1:
            titles = ", ".join(item.title for item in order.items_in(parcel.parcel_id))
            replies.append(Reply("utter_parcel_heading", {
                "parcel_index": str(index), "parcel_count": str(count), "items": titles,
            }))
        replies.append(parcel_reply(parcel, today, language, settings))
    offers = any(reply.buttons for reply in replies)
    if offers:  # one offer is enough: keep the buttons on the last reply that has them
        last = max(i for i, reply in enumerate(replies) if reply.buttons)
        replies = [r if i == last or not r.buttons else Reply(r.response, r.values) for i, r in enumerate(replies)]
    return StatusReport(tuple(replies), offers)
