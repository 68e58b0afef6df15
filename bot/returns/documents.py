"""The data for a return's printed documents, read from the database."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from bot.returns.labels import LabelData
from bot.returns.models import Return, ReturnItem
from bot.settings import load_settings
from bot.storage.base import as_utc
from bot.storage.database import session_scope


def label_for_return(return_number: str, url: str | None = None) -> LabelData | None:
    """The label of return `return_number`, or None when there is no such return."""
    settings = load_settings()
    query = (
        select(Return)
        .where(Return.number == return_number)
        .options(
            joinedload(Return.order),
            selectinload(Return.items).joinedload(ReturnItem.order_item),
        )
    )
    with session_scope(url) as session:
        ret = session.execute(query).scalar_one_or_none()
        if ret is None:
            return None
        order = ret.order
        carrier = settings.carriers.get(ret.carrier)
        created_at = as_utc(ret.created_at).astimezone(ZoneInfo(settings.service_hours.timezone))
        return LabelData(
            return_number=ret.number,
            order_number=order.number,
            carrier=carrier.name if carrier else ret.carrier,
            sender_lines=(order.ship_name, order.ship_street, f"{order.ship_postcode} {order.ship_city}",
                          order.ship_country),
            return_address_lines=settings.returns.address,
            item_titles=tuple(item.order_item.title for item in ret.items),
            created_on=created_at.date(),
        )
