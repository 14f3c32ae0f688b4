"""The staff order page: an order's items, address, history of every change
(who, when) and notes; hold, release and cancel (stock returned); search by
order number, e-mail, name or ZIP; sending pending e-mails again."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import selectinload

from .db import begin_write
from .fields import text_problem
from .history import history_of, record_change
from .mail import send_pending
from .models import Item, Message, Order, StockEvent
from .pages import db, error_page, form_with_csrf, not_found, render
from .staff import require_staff

router = APIRouter(prefix="/staff", dependencies=[Depends(require_staff)])
# action: (the statuses it applies to, the status after it)
ACTIONS = {"hold": (("new",), "held"), "release": (("held",), "new"),
           "cancel": (("new", "held", "batched"), "cancelled")}
PAST = {"hold": "held", "release": "released", "cancel": "cancelled"}
NOTE_LENGTH = 2000


def _order(session, number: str) -> Order | None:
    if not number.isascii() or len(number) > 20:
        return None
    return session.scalar(select(Order).where(Order.number == number.upper()).options(selectinload(Order.lines)))


@router.get("/orders", response_class=HTMLResponse)
def search(request: Request, q: str = ""):
    """Orders whose number, e-mail, name or ZIP contains ``q`` (newest first)."""
    query = " ".join(q.split())[:100]
    orders = []
    if query and not text_problem(query):
        pattern = f"%{query.lower()}%"
        with db(request) as session:
            orders = session.scalars(select(Order).where(or_(
                func.lower(Order.number).like(pattern), func.lower(Order.email).like(pattern),
                func.lower(Order.name).like(pattern), Order.zip.like(pattern)))
                .options(selectinload(Order.lines)).order_by(Order.id.desc()).limit(100)).all()
    return render(request, "staff/search.html", {"q": query, "orders": orders})


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_page(request: Request, number: str):
    with db(request) as session:
        order = _order(session, number)
        if order is None:
            return not_found(request)
        history = history_of(session, order.id)
        messages = session.scalars(select(Message).where(Message.order_id == order.id).order_by(Message.id)).all()
    return render(request, "staff/order.html", {"order": order, "history": history, "messages": messages,
                                                "actions": [a for a, (when, _) in ACTIONS.items()
                                                            if order.status in when]})


@router.post("/orders/{number}/note")
async def add_note(request: Request, number: str):
    form = await form_with_csrf(request)
    note = " ".join((form.get("note") or "").split())  # a note is kept on one line
    problem = text_problem(note)
    if not note or problem or len(note) > NOTE_LENGTH:
        why = problem or (f"at most {NOTE_LENGTH} characters" if note else "write something")
        return error_page(request, "Check the note", f"Note: {why}.", 400)
    with db(request) as session:
        begin_write(session)
        order = _order(session, number)
        if order is None:
            return not_found(request)
        record_change(session, order.id, "", request.state.staff, note)
        session.commit()
    return RedirectResponse(f"/staff/orders/{order.number}", status_code=303)


@router.post("/orders/{number}/{action}")
async def change(request: Request, number: str, action: str):
    """Hold, release or cancel, each only from the statuses it applies to; a
    cancelled order's copies go back to their items' stock."""
    await form_with_csrf(request)
    if action not in ACTIONS:
        return not_found(request)
    before, after = ACTIONS[action]
    with db(request) as session:
        begin_write(session)
        order = _order(session, number)
        if order is None:
            return not_found(request)
        changed = session.execute(update(Order).where(Order.id == order.id, Order.status.in_(before))
                                  .values(status=after, batch_id=None if after == "cancelled" else Order.batch_id))
        if changed.rowcount != 1:
            session.rollback()
            return error_page(request, "Not changed", f"Order {order.number} is {order.status}; it cannot be "
                                                      f"{PAST[action]} now.", 409)
        if after == "cancelled":
            for line in order.lines:
                session.execute(update(Item).where(Item.id == line.item_id).values(stock=Item.stock + line.quantity))
            session.execute(insert(StockEvent), [{"item_id": line.item_id, "change": line.quantity,
                                                  "reason": "cancelled"} for line in order.lines])
        record_change(session, order.id, after, request.state.staff)
        session.commit()
    return RedirectResponse(f"/staff/orders/{order.number}", status_code=303)


@router.post("/messages/retry")
async def retry_messages(request: Request):
    """Send every pending e-mail again (a periodic job can call mail.send_pending instead)."""
    await form_with_csrf(request)
    sent, failed = send_pending(request.app.state.sessions, request.app.state.settings)
    return error_page(request, "E-mails sent again", f"{sent} sent, {failed} still pending.", 200)
