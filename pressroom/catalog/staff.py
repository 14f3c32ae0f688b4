"""Staff pages (login required): order queue, batches with packing slips and
mailing labels, shipping, CSV export, stock and print-run job tickets."""

from __future__ import annotations

import datetime as dt
import math
import re

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from .db import begin_write
from starlette.background import BackgroundTask

from .history import record_change
from .mail import queue_message, send_pending
from .fulfillment import mailing_labels, orders_csv, packing_slips, pick_list
from .items import item_status
from .models import ITEM_STATUSES, Batch, Item, Order, PrintRun, StockEvent
from .print_runs import queue_print_run
from .fields import DIGITS, FieldError, text_problem
from .fields import quantity as parse_quantity
from .rate_limits import client_address
from .staff_auth import SessionRules, SignIn, close_session, open_session, session_user, sign_in
from .pages import db, error_page, form_with_csrf, not_found, render

STATUSES = ("new", "batched", "shipped", "held", "cancelled")


class LoginRequired(Exception):
    """Raised before a staff page runs for a visitor who is not signed in; the
    app answers with a redirect to the login page (see web.py)."""

    def __init__(self, path: str):
        self.path = path


def require_staff(request: Request) -> str:
    """The signed-in staff member's e-mail (kept for the pages in
    request.state.staff), from a live session in the database."""
    settings = request.app.state.settings
    rules = SessionRules(dt.timedelta(seconds=settings.staff_idle_s), dt.timedelta(seconds=settings.staff_absolute_s))
    with db(request) as session:
        email = session_user(session, request.session.get("staff_session"), rules)
    if email is None:
        request.session.pop("staff_session", None)
        raise LoginRequired(request.url.path)
    request.state.staff = email
    return email


def login_redirect(_request: Request, exc: LoginRequired) -> RedirectResponse:
    return RedirectResponse(f"/staff/login?next={exc.path}", status_code=303)


router = APIRouter(prefix="/staff")  # sign in and out
# Every other staff page: the login check runs first, before any form is read.
pages = APIRouter(prefix="/staff", dependencies=[Depends(require_staff)])


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/staff"):
    return render(request, "staff/login.html", {"next": next, "error": None})


@router.post("/login")
async def login(request: Request):
    form = await form_with_csrf(request)
    target = form.get("next", "/staff")
    if not target.startswith("/staff") or text_problem(target) or target.startswith("//"):
        target = "/staff"  # never redirect off the site
    client = client_address(request)

    def check() -> SignIn:  # in a worker thread: the hash never blocks other requests
        with db(request) as session:
            return sign_in(session, request.app.state.password_check, form.get("email", ""),
                           form.get("password", ""), client)

    result = await run_in_threadpool(check)
    if result.wait is not None:
        minutes = max(1, math.ceil(result.wait.total_seconds() / 60))
        return render(request, "staff/login.html", {"next": target, "error": (
            f"Too many failed sign-ins for this account or from your connection. Wait {minutes} "
            f"{'minute' if minutes == 1 else 'minutes'}, then try again.")}, status=429)
    if result.user_id is None:
        return render(request, "staff/login.html", {"next": target, "error": "Email or password is not right."},
                      status=401)
    with db(request) as session:
        token = open_session(session, result.user_id)
    request.session.clear()  # a new session on login
    request.session["staff_session"] = token
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await form_with_csrf(request)
    token = request.session.get("staff_session")
    await run_in_threadpool(lambda: _close(request, token))
    request.session.clear()
    return RedirectResponse("/", status_code=303)


def _close(request: Request, token: object) -> None:
    with db(request) as session:
        close_session(session, token)


@pages.get("", response_class=HTMLResponse)
def queue(request: Request, status: str = "new"):
    status = status if status in STATUSES else "new"
    with db(request) as session:
        orders = session.scalars(select(Order).where(Order.status == status).options(selectinload(Order.lines))
                                 .order_by(Order.id)).all()
        counts = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
        batches = session.scalars(select(Batch).order_by(Batch.id.desc()).limit(10)).all()
    return render(request, "staff/queue.html", {"orders": orders, "status": status, "counts": counts,
                                                "batches": batches})


@pages.post("/batches")
async def create_batch(request: Request):
    form = await form_with_csrf(request)
    ids = [int(v) for v in form.getlist("order") if DIGITS.fullmatch(v) and len(v) < 10]
    if not ids:
        return RedirectResponse("/staff", status_code=303)
    with db(request) as session:
        begin_write(session)
        batch = Batch()
        session.add(batch)
        session.flush()
        batched = session.scalars(update(Order).where(Order.id.in_(ids), Order.status == "new")
                                  .values(status="batched", batch_id=batch.id).returning(Order.id)).all()
        for order_id in batched:
            record_change(session, order_id, "batched", request.state.staff, f"batch {batch.id}")
        session.commit()
        return RedirectResponse(f"/staff/batches/{batch.id}", status_code=303)


def _batch_orders(session: Session, batch_id: int) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.batch_id == batch_id)
                                .options(selectinload(Order.lines)).order_by(Order.id)).all())


@pages.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(request: Request, batch_id: int):
    with db(request) as session:
        batch = session.get(Batch, batch_id)
        if batch is None:
            return not_found(request)
        orders = _batch_orders(session, batch_id)
    return render(request, "staff/batch.html", {"batch": batch, "orders": orders, "picks": pick_list(orders)})


@pages.get("/batches/{batch_id}/packing-slips.pdf")
def batch_slips(request: Request, batch_id: int):
    office = request.app.state.catalog.office() or {}
    with db(request) as session:
        orders = _batch_orders(session, batch_id)
    if not orders:
        return not_found(request)
    pdf = packing_slips(orders, office.get("name", ""), list(office.get("address", [])))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="batch-{batch_id}-packing-slips.pdf"'})


@pages.get("/batches/{batch_id}/labels.pdf")
def batch_labels(request: Request, batch_id: int):
    with db(request) as session:
        orders = _batch_orders(session, batch_id)
    if not orders:
        return not_found(request)
    return Response(mailing_labels(orders), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="batch-{batch_id}-labels.pdf"'})


TRACKING = re.compile(r"[A-Za-z0-9-]{8,40}")


def tracking_problems(form, orders: list[Order]) -> tuple[dict[int, str], dict[int, str]]:
    """Each batched order's tracking number from ``tracking:<id>``, or a
    problem naming the order; (numbers, problems) by order id."""
    numbers, problems = {}, {}
    for order in orders:
        if order.status != "batched":
            continue
        raw = (form.get(f"tracking:{order.id}") or "").strip()
        if TRACKING.fullmatch(raw):
            numbers[order.id] = raw.upper()
        else:
            problems[order.id] = (f"Tracking number of {order.number}: enter 8 to 40 letters, digits or hyphens"
                                  f"{'' if raw else ' (it is missing)'}.")
    return numbers, problems


@pages.post("/batches/{batch_id}/ship")
async def ship_batch(request: Request, batch_id: int):
    """Mark the batch's orders shipped, each with its tracking number; its
    "shipped" e-mails are recorded in the same transaction and sent after."""
    form = await form_with_csrf(request)
    with db(request) as session:
        batch = session.get(Batch, batch_id)
        orders = _batch_orders(session, batch_id)
    if batch is None:
        return not_found(request)
    numbers, problems = tracking_problems(form, orders)
    if problems:
        return render(request, "staff/batch.html", {"batch": batch, "orders": orders, "picks": pick_list(orders),
                                                    "errors": problems, "values": form}, status=400)
    now = dt.datetime.now(dt.timezone.utc)
    with db(request) as session:
        begin_write(session)
        shipped = [order for order in orders if order.id in numbers and session.execute(
            update(Order).where(Order.id == order.id, Order.status == "batched")
            .values(status="shipped", shipped_at=now, tracking_number=numbers[order.id])).rowcount == 1]
        for order in shipped:
            record_change(session, order.id, "shipped", request.state.staff, f"tracking {numbers[order.id]}")
            queue_message(session, order, "shipped")
        session.commit()
    response = RedirectResponse(f"/staff/batches/{batch_id}", status_code=303)
    response.background = BackgroundTask(send_pending, request.app.state.sessions, request.app.state.settings,
                                         [order.id for order in shipped])
    return response


@pages.get("/orders.csv")
def export_csv(request: Request, status: str = ""):
    with db(request) as session:
        query = select(Order).options(selectinload(Order.lines)).order_by(Order.id)
        if status in STATUSES:
            query = query.where(Order.status == status)
        orders = session.scalars(query).all()
    return Response(orders_csv(list(orders)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="orders.csv"'})


@pages.get("/stock", response_class=HTMLResponse)
def stock_page(request: Request):
    listings = request.app.state.catalog.listings()  # first: a changed manifest adds its items
    threshold = request.app.state.settings.low_stock_threshold
    with db(request) as session:
        items = session.scalars(select(Item).order_by(Item.slug, Item.lang, Item.layout)).all()
    rows = [{"item": i, "listing": listings.get(i.slug), "status": item_status(i),
             "low": i.printed and i.status in ("orderable", "back-order") and i.stock < threshold} for i in items]
    return render(request, "staff/stock.html", {"rows": rows, "threshold": threshold, "ITEM_STATUSES": ITEM_STATUSES,
                                                "low": [r for r in rows if r["low"]]})


def _item_id(raw: str) -> int | None:
    return int(raw) if DIGITS.fullmatch(raw) and len(raw) < 10 else None


@pages.post("/stock/{item_id}/receive")
async def receive(request: Request, item_id: str):
    form = await form_with_csrf(request)
    if (target := _item_id(item_id)) is None:
        return not_found(request)
    try:
        quantity = parse_quantity(form.get("quantity"), 1_000_000)
    except FieldError as exc:
        return error_page(request, "Check the quantity", f"Copies received: {exc.message}", 400)
    with db(request) as session:
        begin_write(session)
        changed = session.execute(update(Item).where(Item.id == target).values(stock=Item.stock + quantity))
        if changed.rowcount != 1:
            return not_found(request)
        session.add(StockEvent(item_id=target, change=quantity, reason="received"))
        session.commit()
    return RedirectResponse("/staff/stock", status_code=303)


@pages.post("/stock/{item_id}/status")
async def set_status(request: Request, item_id: str):
    """Staff set an item orderable, on back-order, not yet available or download only."""
    form = await form_with_csrf(request)
    if (target := _item_id(item_id)) is None:
        return not_found(request)
    status = form.get("status", "")
    if status not in ITEM_STATUSES:
        return error_page(request, "Check the status", f"Status: choose one of {', '.join(ITEM_STATUSES)}.", 400)
    with db(request) as session:
        begin_write(session)
        if session.execute(update(Item).where(Item.id == target).values(status=status)).rowcount != 1:
            return not_found(request)
        session.commit()
    return RedirectResponse("/staff/stock", status_code=303)


@pages.get("/stock/{slug}/print-run", response_class=HTMLResponse)
def print_run_form(request: Request, slug: str):
    listing = request.app.state.catalog.get(slug)
    if listing is None:
        return not_found(request)
    return render(request, "staff/print_run.html", {"item": listing, "error": None})


@pages.post("/stock/{slug}/print-run")
async def print_run(request: Request, slug: str):
    """Queue a print run (built, preflighted and ticketed by the print-run worker)."""
    form = await form_with_csrf(request)
    listing = request.app.state.catalog.get(slug)
    if listing is None:
        return not_found(request)
    problems = []
    if form.get("layout") not in listing.formats:
        problems.append(f"Format: choose one of {', '.join(listing.formats)}")
    if form.get("lang") not in listing.languages:
        problems.append(f"Language: choose one of {', '.join(listing.languages)}")
    try:
        quantity = parse_quantity(form.get("quantity"), 10_000_000)
    except FieldError as exc:
        problems.append(f"Copies to print: {exc.message}")
    if problems:
        return render(request, "staff/print_run.html", {"item": listing, "error": "; ".join(problems)}, status=400)
    with db(request) as session:
        queue_print_run(session, slug, form["layout"], form["lang"], quantity)
    return RedirectResponse("/staff/print-runs", status_code=303)


@pages.get("/print-runs", response_class=HTMLResponse)
def print_runs(request: Request):
    with db(request) as session:
        runs = session.scalars(select(PrintRun).order_by(PrintRun.id.desc()).limit(100)).all()
    return render(request, "staff/print_runs.html", {"runs": runs})


@pages.get("/print-runs/{run_id}/ticket.pdf")
def print_run_ticket(request: Request, run_id: str):
    if not run_id.isascii() or not run_id.isdigit() or len(run_id) > 12:
        return not_found(request)
    with db(request) as session:
        run = session.get(PrintRun, int(run_id))
    if run is None or run.state != "done" or not run.ticket_pdf:
        return not_found(request)
    target = request.app.state.settings.output_dir / run.ticket_pdf
    if not target.is_file():
        return not_found(request)
    return Response(target.read_bytes(), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{target.name}"'})
