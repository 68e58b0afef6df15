"""Finding an order for a customer who proves it is theirs, with limits against guessing.

A wrong e-mail/postcode and an order number that does not exist give the same outcome, so nobody
learns which orders exist. Failed attempts are counted in the database per conversation (a lockout
after settings.orders.max_failed_lookups_per_conversation) and per client address (a pause), so
neither a restart nor a new sender id resets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from bot.orders.models import Customer, LookupAttempt, Order, Parcel
from bot.orders.views import OrderView, local_day, order_view
from bot.patterns import normalize_order_number
from bot.returns.models import Return, ReturnItem
from bot.settings import OrderSettings
from bot.storage.database import session_scope


class OrderStoreUnavailable(Exception):
    """The order database could not be read or written; the customer gets an apology."""


@dataclass(frozen=True)
class LookupResult:
    # found | not_found | locked | rate_limited
    outcome: str
    order: OrderView | None = None
    retry_minutes: int = 0


@dataclass(frozen=True)
class RecentOrder:
    number: str
    placed_on: date
    first_title: str


def _postcode_key(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def matches_verifier(order: Order, verifier: str) -> bool:
    """The e-mail of the customer's account or the postcode of the delivery address."""
    verifier = verifier.strip()
    if "@" in verifier:
        return order.customer.email.lower() == verifier.lower()
    return bool(verifier) and _postcode_key(order.ship_postcode) == _postcode_key(verifier)


def _order_query():
    return select(Order).options(
        selectinload(Order.customer),
        selectinload(Order.items),
        selectinload(Order.parcels).selectinload(Parcel.events),
    )


def _view(session: Session, order: Order) -> OrderView:
    returns = session.scalars(
        select(Return)
        .where(Return.order_id == order.id)
        .options(selectinload(Return.items).selectinload(ReturnItem.order_item))
        .order_by(Return.created_at)
    ).all()
    return order_view(order, list(returns))


def _failures(session: Session, scope: str, key: str, since: datetime | None) -> int:
    query = select(func.count(LookupAttempt.id)).where(
        LookupAttempt.scope == scope, LookupAttempt.key == key, LookupAttempt.succeeded.is_(False)
    )
    if since is not None:
        query = query.where(LookupAttempt.created_at >= since)
    return int(session.scalar(query) or 0)


def _blocked(session: Session, conversation_id: str, client: str | None, rules: OrderSettings,
             now: datetime) -> LookupResult | None:
    if _failures(session, "conversation", conversation_id, None) >= rules.max_failed_lookups_per_conversation:
        return LookupResult("locked")
    if client:
        window = timedelta(minutes=rules.client_window_minutes)
        if _failures(session, "client", client, now - window) >= rules.max_failed_lookups_per_client:
            return LookupResult("rate_limited", retry_minutes=rules.client_window_minutes)
    return None


def _record(session: Session, conversation_id: str, client: str | None, succeeded: bool, now: datetime) -> None:
    session.add(LookupAttempt(scope="conversation", key=conversation_id, succeeded=succeeded, created_at=now))
    if client:
        session.add(LookupAttempt(scope="client", key=client, succeeded=succeeded, created_at=now))


def find_verified_order(
    *,
    order_number: str,
    verifier: str,
    conversation_id: str,
    client: str | None,
    rules: OrderSettings,
    now: datetime,
    database_url: str | None = None,
) -> LookupResult:
    """The order when number and e-mail/postcode match; counts the attempt either way."""
    number = normalize_order_number(order_number) or order_number
    try:
        with session_scope(database_url) as session:
            blocked = _blocked(session, conversation_id, client, rules, now)
            if blocked is not None:
                return blocked
            order = session.scalars(_order_query().where(Order.number == number)).first()
            found = order is not None and matches_verifier(order, verifier)
            _record(session, conversation_id, client, found, now)
            if not found:
                failures = _failures(session, "conversation", conversation_id, None)
                locked = failures >= rules.max_failed_lookups_per_conversation
                return LookupResult("locked" if locked else "not_found")
            return LookupResult("found", _view(session, order))
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error


def customer_order(order_number: str, customer_id: int, database_url: str | None = None) -> OrderView | None:
    """An order of a customer already known from a signed token (no verifier needed)."""
    number = normalize_order_number(order_number) or order_number
    try:
        with session_scope(database_url) as session:
            order = session.scalars(
                _order_query().where(Order.number == number, Order.customer_id == customer_id)
            ).first()
            return _view(session, order) if order is not None else None
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error


def recent_orders(customer_id: int, rules: OrderSettings, now: datetime,
                  database_url: str | None = None) -> list[RecentOrder]:
    """The customer's newest orders of the last rules.recent_days, newest first."""
    since = now - timedelta(days=rules.recent_days)
    try:
        with session_scope(database_url) as session:
            orders = session.scalars(
                select(Order)
                .where(Order.customer_id == customer_id, Order.placed_at >= since)
                .options(selectinload(Order.items))
                .order_by(Order.placed_at.desc())
                .limit(rules.recent_orders_shown)
            ).all()
            return [
                RecentOrder(order.number, local_day(order.placed_at),
                            order.items[0].title if order.items else "")
                for order in orders
            ]
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error


def customer_exists(customer_id: int, database_url: str | None = None) -> bool:
    try:
        with session_scope(database_url) as session:
            return session.get(Customer, customer_id) is not None
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error



def verified_order(order_number: str, database_url: str | None = None) -> OrderView | None:
    """An order this conversation has already proved to own (the caller checks that)."""
    try:
        with session_scope(database_url) as session:
            order = session.scalars(_order_query().where(Order.number == order_number)).first()
            return _view(session, order) if order is not None else None
    except SQLAlchemyError as error:
        raise OrderStoreUnavailable(str(error)) from error
