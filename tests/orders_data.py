"""Seeded orders that tests over the real servers can use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.orders.models import Order, Parcel
from bot.orders.seed import DEMO_ORDERS
from bot.returns.models import Return
from bot.storage.database import session_scope


def returnable_orders(servers, count: int) -> list[tuple[str, str]]:
    """Seeded orders delivered 2 to 20 days ago to the door, with no return yet: (number, e-mail)."""
    today = datetime.now(UTC)
    with session_scope(servers.database) as session:
        orders = session.scalars(
            select(Order).join(Parcel).where(
                Parcel.status == "delivered", Parcel.delivered_at >= today - timedelta(days=20),
                Parcel.delivered_at <= today - timedelta(days=2), Order.status == "placed",
            ).options(selectinload(Order.customer), selectinload(Order.items), selectinload(Order.parcels))
        ).unique().all()
        returned = set(session.scalars(select(Return.order_id)).all())
        chosen = [
            (order.number, order.customer.email) for order in orders
            if order.id not in returned and all(p.status == "delivered" for p in order.parcels)
            and any(item.category in {"clothing", "household", "electronics"} for item in order.items)
            and order.number not in {demo.number for demo in DEMO_ORDERS}
        ]
    assert len(chosen) >= count
    return chosen[:count]
