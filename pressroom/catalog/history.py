"""An order's history: every change of its status and every staff note,
with who and when (the staff order page shows it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import OrderEvent

PUBLIC = "the public"  # who placed an order


def record_change(session: Session, order_id: int, status: str, who: str, note: str = "") -> None:
    """Add one line to the history, in the caller's transaction."""
    session.add(OrderEvent(order_id=order_id, at=dt.datetime.now(dt.timezone.utc), who=who, status=status,
                           note=note))


def history_of(session: Session, order_id: int) -> list[OrderEvent]:
    return list(session.scalars(select(OrderEvent).where(OrderEvent.order_id == order_id)
                                .order_by(OrderEvent.at, OrderEvent.id)))
