"""Database tables (SQLAlchemy 2). The schema itself is made by Alembic
migrations in migrations/versions/."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


# What staff may set an item to; "out of stock" is not set but seen: an
# orderable item with no copies left (items.item_status).
ITEM_STATUSES = ("orderable", "back-order", "not-yet-available", "download-only")


class Item(Base):
    """A printed item: one publication in one language and one format (layout),
    with its own stock, limit per order and status. ``printed`` and
    ``limit_per_order`` follow the source at every catalog start; stock and
    status are the staff's (items.sync_items)."""

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    lang: Mapped[str] = mapped_column(String(12))
    layout: Mapped[str] = mapped_column(String(100))
    stock: Mapped[int] = mapped_column(Integer, nullable=False)
    limit_per_order: Mapped[int] = mapped_column(Integer, nullable=False)
    printed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    __table_args__ = (CheckConstraint("stock >= 0", name="item_stock_not_negative"),
                      UniqueConstraint("slug", "lang", "layout", name="item_once"))


class StockEvent(Base):
    __tablename__ = "stock_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    change: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))  # initial, received, order
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Batch(Base):
    __tablename__ = "batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(12), index=True, default="new")  # new, batched, shipped
    name: Mapped[str] = mapped_column(String(100))
    organization: Mapped[str] = mapped_column(String(100), default="")
    address1: Mapped[str] = mapped_column(String(100))
    address2: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))
    email: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(12), default="en")  # of the e-mails about the order
    tracking_number: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    shipped_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), nullable=True, index=True)
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id",
                                                    cascade="all, delete-orphan")

    @property
    def copies(self) -> int:
        return sum(line.quantity for line in self.lines)


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    # What was ordered, as it was called then (the pick list, slips and CSV show these).
    slug: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(12))
    layout: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    order: Mapped[Order] = relationship(back_populates="lines")
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Checkout(Base):
    """One checkout: the shipping address while it is checked (kept here, never
    in the cookie), and a one-time token. Placing the order consumes the token
    in the order's own transaction (order_number is set), so one checkout
    gives one order however often it is submitted; the address is then
    cleared, as the order holds it."""

    __tablename__ = "checkouts"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(Text)  # JSON of the checked address; "" once the order is placed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    order_number: Mapped[str | None] = mapped_column(String(20), nullable=True, unique=True)
    placed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StaffSession(Base):
    """A signed-in staff member. The cookie holds a random token; only its
    SHA-256 is stored, so a copy of the database signs nobody in."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed sign-ins per account or per client (the key is a SHA-256 of
    either), and until when that key must wait."""

    __tablename__ = "login_throttles"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RateCounter(Base):
    """Events in the current window per action and client (the key is a
    SHA-256 of both), shared by every worker and instance."""

    __tablename__ = "rate_counters"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, index=True)  # seconds since 1970
    count: Mapped[int] = mapped_column(Integer)


class PrintRun(Base):
    """A print run staff asked for: built, preflighted and ticketed by a
    worker outside the request (print_runs.py)."""

    __tablename__ = "print_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    layout: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), index=True, default="queued")  # queued, running, done, failed
    message: Mapped[str] = mapped_column(Text, default="")
    ticket_pdf: Mapped[str | None] = mapped_column(String(300), nullable=True)  # relative to the output folder
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Message(Base):
    """An e-mail about an order (its confirmation, "shipped"), recorded in the
    order's own transaction and sent after it; one that could not be sent
    stays pending for mail.retry_pending. The text is made from the order
    when it is sent, so no copy of the address is kept here."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # confirmation, shipped
    state: Mapped[str] = mapped_column(String(10), index=True, default="pending")  # pending, sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")  # the kind of failure, never the message
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    __table_args__ = (UniqueConstraint("order_id", "kind", name="message_once"),)


class OrderEvent(Base):
    """One change of an order (placed, batched, shipped, held, released,
    cancelled) or a staff note: who, when, and what was said."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(254))  # a staff member's e-mail, or "the public"
    status: Mapped[str] = mapped_column(String(12))  # the status after the change; "" for a note
    note: Mapped[str] = mapped_column(Text, default="")
