"""Returns of order items and where their refunds stand."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import relationship

from bot.orders.models import Order, OrderItem
from bot.storage.base import Base, utc_now


class Return(Base):
    __tablename__ = "returns"

    id = Column(Integer, primary_key=True)
    number = Column(String(20), nullable=False, unique=True)  # R + digits, on the label's barcode
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    reason = Column(String(32), nullable=False)
    carrier = Column(String(16), nullable=False)
    # awaiting_parcel | received | refunded
    status = Column(String(20), nullable=False, default="awaiting_parcel")
    refund_amount = Column(Numeric(10, 2), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    received_at = Column(DateTime(timezone=True), nullable=True)
    refunded_at = Column(DateTime(timezone=True), nullable=True)
    conversation_id = Column(String(255), nullable=True)

    order = relationship(Order)
    items = relationship("ReturnItem", back_populates="return_", order_by="ReturnItem.id")


class ReturnItem(Base):
    __tablename__ = "return_items"

    id = Column(Integer, primary_key=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    order_item_id = Column(Integer, ForeignKey("order_items.id"), nullable=False, index=True)

    return_ = relationship("Return", back_populates="items")
    order_item = relationship(OrderItem)
