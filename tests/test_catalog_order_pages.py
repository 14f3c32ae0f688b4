"""An order's status for the public (number and e-mail, rate-limited), and the
staff order page: items, address, history and notes, hold, release and
cancel with the stock returned, and search by number, e-mail, name or ZIP."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from conftest import ADDRESS, catalog_settings, csrf_of
from pressroom.catalog.models import Item, Order, StockEvent
from pressroom.catalog.staff_auth import add_staff
from pressroom.catalog.web import create_app

SLUG = "paraneoplastic-syndromes"
STAFF = "staff@example.gov"


@pytest.fixture
def app(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output, lookup_rate_limit=6))
    with app.state.sessions() as session:
        add_staff(session, STAFF, "correct horse battery")
    yield app
    app.state.engine.dispose()


def place(web, copies: int = 3) -> str:
    web.post("/cart/add", data={"csrf_token": web.csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet",
                                "quantity": str(copies)})
    web.post("/checkout", data={"csrf_token": web.csrf, **ADDRESS})
    token = re.search(r'name="checkout" value="([^"]+)"', web.get("/checkout/verify").text)[1]
    placed = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": token})
    return re.search(r"Order number <strong>(PR-[A-Z0-9]{8})</strong>", placed.text)[1]


def look_up(web, number: str, email: str = ADDRESS["email"]):
    return web.post("/orders", data={"csrf_token": web.csrf, "number": number, "email": email})


def sign_in(web) -> None:
    csrf = csrf_of(web.get("/staff/login").text)
    assert web.post("/staff/login", data={"csrf_token": csrf, "email": STAFF,
                                          "password": "correct horse battery"}).status_code == 303
    web.csrf = csrf_of(web.get("/staff").text)


def stock(app) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en",
                                                       Item.layout == "fact-sheet"))


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def test_the_public_sees_the_status_and_tracking_number(web, app):
    number = place(web)
    assert "Status Received" in text_of(look_up(web, number))
    wrong = look_up(web, number, "someone@example.com")
    assert wrong.status_code == 404 and "Status" not in text_of(wrong)
    sign_in(web)
    with app.state.sessions() as session:
        order_id = session.scalar(select(Order.id))
    batch = web.post("/staff/batches", data={"csrf_token": web.csrf, "order": [str(order_id)]})
    assert "Status Being packed" in text_of(look_up(web, number))
    web.post(batch.headers["location"] + "/ship", data={"csrf_token": web.csrf, f"tracking:{order_id}": "1Z999AA10123"})
    shown = text_of(look_up(web, number.lower(), ADDRESS["email"].upper()))
    assert "Status Shipped" in shown and "Tracking number 1Z999AA10123" in shown


def test_order_look_ups_are_rate_limited(web):
    for _ in range(6):
        assert look_up(web, "PR-AAAAAAAA").status_code == 404
    refused = look_up(web, "PR-AAAAAAAA")
    assert refused.status_code == 429 and "Too many order look-ups" in refused.text


def test_the_staff_order_page_history_notes_hold_release_and_cancel(web, app):
    number = place(web, copies=4)
    assert stock(app) == 1200 - 4
    sign_in(web)
    page = text_of(web.get(f"/staff/orders/{number}"))
    assert "Paraneoplastic Syndromes 24-NS-0001 English Fact sheet 4" in page
    assert "Dana Example 12 Main Street Springfield IL 62701-1234" in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d the public new", page)
    assert web.post(f"/staff/orders/{number}/note", data={"csrf_token": web.csrf,
                                                          "note": "Called about\nthe address"}).status_code == 303
    assert web.post(f"/staff/orders/{number}/note", data={"csrf_token": web.csrf, "note": "a\x00b"}).status_code == 400
    assert web.post(f"/staff/orders/{number}/hold", data={"csrf_token": web.csrf}).status_code == 303
    assert web.post(f"/staff/orders/{number}/hold", data={"csrf_token": web.csrf}).status_code == 409
    assert "Status On hold" in text_of(look_up(web, number))
    assert web.post(f"/staff/orders/{number}/release", data={"csrf_token": web.csrf}).status_code == 303
    assert web.post(f"/staff/orders/{number}/cancel", data={"csrf_token": web.csrf}).status_code == 303
    assert web.post(f"/staff/orders/{number}/cancel", data={"csrf_token": web.csrf}).status_code == 409
    assert web.post(f"/staff/orders/{number}/cancel", data={}).status_code == 403  # CSRF
    assert stock(app) == 1200  # the copies went back
    page = text_of(web.get(f"/staff/orders/{number}"))
    assert f"{STAFF} note Called about the address" in page
    for status in ("held", "new", "cancelled"):
        assert f"{STAFF} {status}" in page
    assert page.index(f"{STAFF} held") < page.index(f"{STAFF} cancelled")
    with app.state.sessions() as session:
        assert session.scalar(select(StockEvent.change).where(StockEvent.reason == "cancelled")) == 4
    assert web.get("/staff/orders/PR-NOTHING1").status_code == 404


@pytest.mark.parametrize("query", ["number", "DANA@EXAMPLE", "dana exam", "62701"])
def test_staff_find_orders_by_number_email_name_or_zip(web, query):
    number = place(web)
    sign_in(web)
    found = web.get("/staff/orders", params={"q": number[3:] if query == "number" else query})
    assert found.status_code == 200 and f'href="/staff/orders/{number}"' in found.text
    assert "0 orders found" in web.get("/staff/orders", params={"q": "nobody-like-this"}).text
    assert web.get("/staff/orders", params={"q": "\x00"}).status_code == 200
