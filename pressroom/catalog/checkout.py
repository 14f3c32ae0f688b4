"""Checkout: the shipping address (kept server-side under a one-time token,
never in the cookie), the page to check the order, placing it once however
often it is submitted, and finding an order again by its number and email.

After an order is placed, the browser keeps nothing of it: the confirmation
is the answer to the submit itself (a repeat of that submit within
REPLAY_WINDOW shows it again), and later the order can only be seen with
its number and the email it was placed with."""

from __future__ import annotations

import datetime as dt
import hmac

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from starlette.background import BackgroundTask

from .cart import cart_problems, settle_cart
from .mail import send_pending
from .models import Order
from .orders import (AlreadyPlaced, OutOfStock, TooManyOrders, Wanted, checkout_address, checkout_of,
                     place_order, start_checkout, validate_address)
from .pages import db, error_page, form_with_csrf, render, session_cart
from .rate_limits import RateLimit, client_address

REPLAY_WINDOW = dt.timedelta(minutes=10)
router = APIRouter()


def _allowed(request: Request, limit: RateLimit) -> bool:
    with db(request) as session:
        return limit.allow(session, client_address(request))


def _address_of(request: Request):
    with db(request) as session:
        return checkout_address(checkout_of(session, request.session.get("checkout")))


@router.get("/checkout", response_class=HTMLResponse)
def checkout_form(request: Request):
    if not session_cart(request):
        return RedirectResponse("/cart", status_code=303)
    address = _address_of(request)
    spanish = all(key.split("|")[1:2] == ["es"] for key in session_cart(request))
    values = address.__dict__ if address else {"lang": "es" if spanish else "en"}
    return render(request, "checkout.html", {"values": values, "errors": {}})


@router.post("/checkout")
async def checkout(request: Request):
    form = await form_with_csrf(request)
    address, errors = validate_address(form)
    if errors:
        return render(request, "checkout.html", {"values": form, "errors": errors}, status=400)
    with db(request) as session:
        request.session["checkout"] = start_checkout(session, address, request.session.get("checkout"))
    return RedirectResponse("/checkout/verify", status_code=303)


@router.get("/checkout/verify", response_class=HTMLResponse)
def verify(request: Request):
    address = _address_of(request)
    if not session_cart(request) or address is None:
        return RedirectResponse("/checkout", status_code=303)
    return _verify_page(request, settle_cart(request).lines, address)


def _verify_page(request: Request, lines: list[dict], address, problems: list[str] | None = None,
                 status: int = 200) -> HTMLResponse:
    return render(request, "verify.html", {"lines": lines, "address": address, "problems": problems or [],
                                           "checkout_token": request.session.get("checkout", "")}, status=status)


@router.post("/checkout/submit")
async def submit(request: Request):
    form = await form_with_csrf(request)
    token = form.get("checkout", "")
    with db(request) as session:
        checkout_row = checkout_of(session, token)
    if checkout_row is not None and checkout_row.order_number is not None:
        return _repeat(request, checkout_row.order_number, checkout_row.placed_at)
    address = checkout_address(checkout_row)
    view = settle_cart(request)
    if address is None or (not view.cart and not view.dropped):
        return RedirectResponse("/checkout", status_code=303)
    errors, problems = cart_problems(request, view.lines)
    problems = [*view.dropped, *errors.values(), *problems]
    if view.dropped:
        request.session.pop("cart_notices", None)  # shown as problems below instead
    if not problems:
        client, limit = client_address(request), request.app.state.order_limit
        try:
            with db(request) as session:
                order = place_order(session, address, [Wanted(l["item_id"], l["slug"], l["lang"], l["layout"],
                                                              l["number"], l["title"], l["quantity"])
                                                       for l in view.lines], token,
                                    allowed=lambda s: limit.count(s, client))
        except OutOfStock as exc:
            problems = [str(exc)]
        except TooManyOrders:
            return error_page(request, "Too many orders", "Too many orders came from your connection in a short "
                                                          "time. Please wait a few minutes and try again.", 429)
        except AlreadyPlaced as exc:  # the same checkout, submitted twice at once
            return _repeat(request, exc.number, dt.datetime.now(dt.timezone.utc))
    if problems:
        return _verify_page(request, view.lines, address, problems, status=409)
    return _placed(request, order)


def _placed(request: Request, order: Order) -> HTMLResponse:
    """Committed: only now is the confirmation shown, and the browser forgets
    the checkout. ``order`` has its lines loaded."""
    request.session.pop("cart", None)
    request.session.pop("checkout", None)
    response = render(request, "confirmation.html", {"order": order, "lines": list(order.lines)})
    # After the answer is sent: a slow or failed send never holds up or loses the order.
    response.background = BackgroundTask(send_pending, request.app.state.sessions, request.app.state.settings,
                                         [order.id])
    return response


def _repeat(request: Request, number: str | None, placed_at: dt.datetime | None) -> HTMLResponse:
    """A checkout submitted again: the same confirmation, shortly after; later
    only a pointer to the lookup, so a later visitor sees nothing of it."""
    if number is None:
        return RedirectResponse("/checkout", status_code=303)
    placed_at = placed_at if placed_at is None or placed_at.tzinfo else placed_at.replace(tzinfo=dt.timezone.utc)
    if placed_at is not None and dt.datetime.now(dt.timezone.utc) - placed_at <= REPLAY_WINDOW:
        with db(request) as session:
            order = session.scalar(select(Order).where(Order.number == number).options(selectinload(Order.lines)))
        if order is not None:
            return _placed(request, order)
    return render(request, "order_lookup.html", {"number": "", "error": None, "message": (
        "This order was placed already. To see it, enter its order number and email.")})


@router.get("/orders", response_class=HTMLResponse)
def lookup_form(request: Request):
    return render(request, "order_lookup.html", {"number": "", "error": None, "message": None})


@router.get("/orders/{number}", response_class=HTMLResponse)
def lookup_number(request: Request, number: str):
    return render(request, "order_lookup.html", {"number": number[:20], "error": None, "message": None})


@router.post("/orders")
async def lookup(request: Request):
    """An order, shown to whoever has both its number and its email."""
    form = await form_with_csrf(request)
    number = form.get("number", "").strip().upper()
    email = form.get("email", "").strip().lower()
    if not _allowed(request, request.app.state.lookup_limit):
        return error_page(request, "Too many look-ups", "Too many order look-ups came from your connection in a "
                                                        "short time. Please wait a few minutes and try again.", 429)
    order = None
    if number.isascii() and len(number) <= 20 and "\x00" not in number:
        with db(request) as session:
            order = session.scalar(select(Order).where(Order.number == number).options(selectinload(Order.lines)))
    if order is None or not hmac.compare_digest(order.email.lower().encode(), email.encode()):
        return render(request, "order_lookup.html", {"number": number[:20], "message": None, "error": (
            "No order has that number and email. Check both, as written in the confirmation.")}, status=404)
    return render(request, "confirmation.html", {"order": order, "lines": list(order.lines), "looked_up": True})
