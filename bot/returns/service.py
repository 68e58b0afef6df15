"""Returns for a verified order: what can go back, registering a return, and refund states."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.formatting import long_date, money
from bot.orders.lookup import OrderStoreUnavailable
from bot.orders.models import Order, OrderItem
from bot.orders.views import OrderView
from bot.replies import Reply
from bot.returns.eligibility import Eligibility, ItemFacts, check_item
from bot.returns.models import Return, ReturnItem
from bot.settings import Settings
from bot.storage.database import session_scope


class ReturnNotPossible(Exception):
    """The chosen items cannot (or can no longer) be returned."""


@dataclass(frozen=True)
class CreatedReturn:
    number: str
    item_titles: tuple[str, ...]
    refund_amount: Decimal
    carrier: str
    created_at: datetime


def eligibility(order: OrderView, today: date, settings: Settings) -> list[Eligibility]:
    """Every item of the order, returnable or with the reason why not."""
    if order.status == "cancelled":
        return []
    return [
        check_item(
            ItemFacts(item.item_id, item.title, item.category, item.opened, order.placed_on,
                      order.delivered_on(item), already_returned=item.returned),
            today,
            settings.returns,
        )
        for item in order.items
    ]


def refusal_reply(item: Eligibility, language: str) -> Reply:
    values = {"title": item.title}
    if item.reason in {"window", "ebook"}:
        values["deadline"] = long_date(item.deadline, language)
    return Reply(f"utter_return_not_returnable_{item.reason}", values)


def _return_number() -> str:
    return "R" + "".join(secrets.choice("0123456789") for _ in range(11))


def create_return(
    *,
    order: OrderView,
    item_ids: list[int],
    reason: str,
    conversation_id: str,
    settings: Settings,
    now: datetime,
    today: date,
    database_url: str | None = None,
) -> CreatedReturn:
    """Registers one return for the chosen items, after checking them again in the same transaction."""
    if reason not in settings.returns.reasons:
        raise ReturnNotPossible(f"unknown reason {reason!r}")
    allowed = {item.item_id for item in eligibility(order, today, settings) if item.returnable}
    if not item_ids or not set(item_ids) <= allowed:
        raise ReturnNotPossible("items not returnable")
    try:
        with session_scope(database_url) as session:
            taken = session.scalars(
                select(ReturnItem.order_item_id).where(ReturnItem.order_item_id.in_(item_ids))
            ).all()
            if taken:  # returned meanwhile, e.g. in another conversation
                raise ReturnNotPossible("already returned")
            items = session.scalars(
                select(OrderItem).join(Order).where(Order.id == order.order_id, OrderItem.id.in_(item_ids))
            ).all()
            amount = sum((Decimal(item.unit_price) * item.quantity for item in items), Decimal("0"))
            for _attempt in range(5):
                number = _return_number()
                if session.scalar(select(Return.id).where(Return.number == number)) is None:
                    break
            ret = Return(number=number, order_id=order.order_id, reason=reason, carrier=settings.returns.carrier,
                         status="awaiting_parcel", refund_amount=amount, created_at=now,
                         conversation_id=conversation_id)
            session.add(ret)
            session.flush()
            session.add_all(ReturnItem(return_id=ret.id, order_item_id=item.id) for item in items)
            return CreatedReturn(number, tuple(item.title for item in items), amount,
                                 settings.returns.carrier, now)
    except IntegrityError as error:
        raise ReturnNotPossible("could not register the return") from error
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error


def dropoff_deadline(created: CreatedReturn, settings: Settings) -> date:
    return created.created_at.date() + timedelta(days=settings.returns.dropoff_days)


def refund_replies(order: OrderView, language: str, settings: Settings) -> list[Reply]:
    """Where each return of the order stands; an offer to start one when there is none."""
    if not order.returns:
        return [Reply("utter_refund_none", {"order_number": order.number})]
    replies = []
    for ret in order.returns:
        values = {
            "return_number": ret.number,
            "items": ", ".join(ret.item_titles),
            "refund_amount": money(ret.refund_amount, language, order.currency),
            "created_date": long_date(ret.created_on, language),
        }
        if ret.status == "refunded" and ret.refunded_on:
            values["refunded_date"] = long_date(ret.refunded_on, language)
            replies.append(Reply("utter_refund_refunded", values))
        elif ret.status == "received" and ret.received_on:
            values["received_date"] = long_date(ret.received_on, language)
            refund_by = ret.received_on + timedelta(days=settings.returns.refund_days)
            values["refund_by"] = long_date(refund_by, language)
            replies.append(Reply("utter_refund_received", values))
        else:
            replies.append(Reply("utter_refund_awaiting_parcel", values))
    return replies
