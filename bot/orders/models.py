"""Customers, orders, their items, parcels with tracking events, and lookup attempts."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
)
from sqlalchemy.orm import relationship

from bot.storage.base import Base, utc_now


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)  # stored lower-case
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    language = Column(String(8), nullable=False)

    orders = relationship("Order", back_populates="customer", order_by="Order.placed_at.desc()")


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    number = Column(String(19), nullable=False, unique=True)  # 302-4519273-8812345
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    placed_at = Column(DateTime(timezone=True), nullable=False)
    # placed | cancelled (shipping progress is per parcel)
    status = Column(String(16), nullable=False, default="placed")
    cancelled_at = Column(DateTime(timezone=True), nullable=True)
    expected_on = Column(Date, nullable=True)  # promised delivery date before shipping
    ship_name = Column(String(200), nullable=False)
    ship_street = Column(String(200), nullable=False)
    ship_postcode = Column(String(16), nullable=False)
    ship_city = Column(String(100), nullable=False)
    ship_country = Column(String(2), nullable=False)
    currency = Column(String(3), nullable=False, default="EUR")

    customer = relationship("Customer", back_populates="orders")
    items = relationship("OrderItem", back_populates="order", order_by="OrderItem.id")
    parcels = relationship("Parcel", back_populates="order", order_by="Parcel.id")


class Parcel(Base):
    __tablename__ = "parcels"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    carrier = Column(String(16), nullable=False)  # key of settings.yml `carriers`
    tracking_number = Column(String(40), nullable=False)
    # in_transit | out_for_delivery | delivered | delayed | lost
    status = Column(String(20), nullable=False)
    shipped_at = Column(DateTime(timezone=True), nullable=False)
    expected_on = Column(Date, nullable=False)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    delivered_to = Column(String(16), nullable=True)  # door | neighbour | locker
    delivery_place = Column(String(200), nullable=True)  # the neighbour's name, the locker

    order = relationship("Order", back_populates="parcels")
    items = relationship("OrderItem", back_populates="parcel", order_by="OrderItem.id")
    events = relationship("TrackingEvent", back_populates="parcel", order_by="TrackingEvent.occurred_at")


class OrderItem(Base):
    __tablename__ = "order_items"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    parcel_id = Column(Integer, ForeignKey("parcels.id"), nullable=True, index=True)
    title = Column(String(200), nullable=False)
    # kindle_device | ebook | audiobook | clothing | jewellery | electronics | household | gift
    # | hygiene | personalised (what may be returned is in settings.yml `returns`)
    category = Column(String(32), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)
    unit_price = Column(Numeric(10, 2), nullable=False)
    opened = Column(Boolean, nullable=False, default=False)

    order = relationship("Order", back_populates="items")
    parcel = relationship("Parcel", back_populates="items")


class TrackingEvent(Base):
    __tablename__ = "tracking_events"

    id = Column(Integer, primary_key=True)
    parcel_id = Column(Integer, ForeignKey("parcels.id"), nullable=False, index=True)
    occurred_at = Column(DateTime(timezone=True), nullable=False)
    # label_created | picked_up | in_transit | out_for_delivery | delivered | delivered_neighbour
    # | delivered_locker | delayed | lost  (texts: responses utter_tracking_<code>)
    code = Column(String(32), nullable=False)
    location = Column(String(100), nullable=True)
    place = Column(String(200), nullable=True)

    parcel = relationship("Parcel", back_populates="events")


class LookupAttempt(Base):
    """One order lookup, kept to lock out guessing per conversation and per client address."""

    __tablename__ = "lookup_attempts"

    id = Column(Integer, primary_key=True)
    scope = Column(String(16), nullable=False)  # conversation | client
    key = Column(String(255), nullable=False, index=True)
    succeeded = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)


class DemoAnchor(Base):
    """The day the demo data's dates were computed for (see bot/orders/seed.py)."""

    __tablename__ = "demo_anchor"

    id = Column(Integer, primary_key=True)
    anchored_on = Column(Date, nullable=False)
