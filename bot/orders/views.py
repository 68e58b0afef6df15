"""Plain snapshots of an order (no ORM objects leave bot/orders): what answers and rules read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.orders.models import Order
from bot.returns.models import Return
from bot.storage.base import as_utc

SHOP_TIMEZONE = "Europe/Berlin"
# Items delivered to the customer's account at purchase, never in a parcel.
DIGITAL_CATEGORIES = frozenset({"ebook", "audiobook", "digital"})


def local_day(moment: datetime | None) -> date | None:
    """The shop's calendar day of a stored UTC time."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(ZoneInfo(SHOP_TIMEZONE)).date()


@dataclass(frozen=True)
class EventView:
    occurred_at: datetime
    code: str
    location: str | None
    place: str | None


@dataclass(frozen=True)
class ItemView:
    item_id: int
    title: str
    category: str
    quantity: int
    unit_price: Decimal
    opened: bool
    parcel_id: int | None
    returned: bool


@dataclass(frozen=True)
class ParcelView:
    parcel_id: int
    carrier: str
    tracking_number: str
    status: str
    expected_on: date
    delivered_on: date | None
    delivered_to: str | None
    delivery_place: str | None
    events: tuple[EventView, ...]


@dataclass(frozen=True)
class ReturnView:
    number: str
    status: str
    refund_amount: Decimal
    created_on: date
    received_on: date | None
    refunded_on: date | None
    item_titles: tuple[str, ...]


@dataclass(frozen=True)
class OrderView:
    order_id: int
    number: str
    placed_on: date
    status: str
    cancelled_on: date | None
    expected_on: date | None
    currency: str
    items: tuple[ItemView, ...]
    parcels: tuple[ParcelView, ...]
    returns: tuple[ReturnView, ...]

    def items_in(self, parcel_id: int | None) -> tuple[ItemView, ...]:
        return tuple(item for item in self.items if item.parcel_id == parcel_id)

    def delivered_on(self, item: ItemView) -> date | None:
        """Digital items count as delivered when bought; others when their parcel arrived."""
        if self.status == "cancelled":
            return None
        if item.category in DIGITAL_CATEGORIES:
            return self.placed_on
        if item.parcel_id is None:
            return None  # not shipped yet
        parcel = next(p for p in self.parcels if p.parcel_id == item.parcel_id)
        return parcel.delivered_on if parcel.status == "delivered" else None


def order_view(order: Order, returns: list[Return]) -> OrderView:
    returned_ids = {ri.order_item_id for ret in returns for ri in ret.items}
    return OrderView(
        order_id=order.id,
        number=order.number,
        placed_on=local_day(order.placed_at),
        status=order.status,
        cancelled_on=local_day(order.cancelled_at),
        expected_on=order.expected_on,
        currency=order.currency,
        items=tuple(
            ItemView(item.id, item.title, item.category, item.quantity, Decimal(item.unit_price),
                     bool(item.opened), item.parcel_id, item.id in returned_ids)
            for item in order.items
        ),
        parcels=tuple(
            ParcelView(
                parcel_id=parcel.id,
                carrier=parcel.carrier,
                tracking_number=parcel.tracking_number,
                status=parcel.status,
                expected_on=parcel.expected_on,
                delivered_on=local_day(parcel.delivered_at),
                delivered_to=parcel.delivered_to,
                delivery_place=parcel.delivery_place,
                events=tuple(
                    EventView(as_utc(event.occurred_at), event.code, event.location, event.place)
                    for event in parcel.events
                ),
            )
            for parcel in order.parcels
        ),
        returns=tuple(
            ReturnView(
                number=ret.number,
                status=ret.status,
                refund_amount=Decimal(ret.refund_amount),
                created_on=local_day(ret.created_at),
                received_on=local_day(ret.received_at),
                refunded_on=local_day(ret.refunded_at),
                item_titles=tuple(ri.order_item.title for ri in ret.items),
            )
            for ret in returns
        ),
    )
