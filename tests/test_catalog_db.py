"""The catalog's database on SQLite and on a real PostgreSQL: migrations, and
stock that never goes below zero when many orders arrive at once."""

from __future__ import annotations

import re
import threading

import httpx
from sqlalchemy import func, inspect, select, update

from conftest import ADDRESS, LiveServer, catalog_settings, csrf_of
from pressroom.catalog.db import make_engine, migrate, session_factory
from pressroom.catalog.models import Item, Order, OrderLine, StockEvent
from pressroom.catalog.orders import Address, OutOfStock, Wanted, place_order, start_checkout
from pressroom.catalog.web import create_app

SLUG = "paraneoplastic-syndromes"


def test_migrations_create_the_schema_and_run_twice(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)  # already at head: nothing to do, no error
    tables = set(inspect(engine).get_table_names())
    assert {"items", "orders", "order_lines", "batches", "staff_users", "stock_events", "alembic_version"} <= tables
    engine.dispose()


def item(slug: str, stock: int, status: str = "orderable") -> Item:
    return Item(slug=slug, lang="en", layout="fact-sheet", stock=stock, limit_per_order=25, printed=True,
                status=status)


def wanted(item_id: int, title: str, quantity: int) -> Wanted:
    return Wanted(item_id, title.lower(), "en", "fact-sheet", "24-NS-0000", title, quantity)


def test_an_order_never_takes_more_than_is_left(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        session.add(item("t", 3))
        session.commit()
        address = Address(**ADDRESS)
        place_order(session, address, [wanted(1, "T", 2)], start_checkout(session, address))
        try:
            place_order(session, address, [wanted(1, "T", 2)], start_checkout(session, address))
            raise AssertionError("the second order should have been refused")
        except OutOfStock as exc:
            assert str(exc) == "Sorry, only 1 copy of \u201cT\u201d is left. Lower the quantity or download the PDF."
        assert session.scalar(select(Item.stock)) == 1
        assert session.scalar(select(func.count()).select_from(Order)) == 1
    engine.dispose()


def test_a_refused_line_keeps_nothing_of_the_order(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with session_factory(engine)() as session:
        session.add_all([item("a", 10), item("b", 1)])
        session.commit()
        try:
            place_order(session, Address(**ADDRESS), [wanted(1, "A", 5), wanted(2, "B", 2)],
                        start_checkout(session, Address(**ADDRESS)))
        except OutOfStock:
            pass
        assert dict(session.execute(select(Item.slug, Item.stock)).all()) == {"a": 10, "b": 1}
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 0
    engine.dispose()


def _prepare_client(base: str) -> httpx.Client:
    """A visitor with one copy in the cart and a verified address."""
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
    token = csrf_of(client.get(f"/publications/{SLUG}/en").text)
    assert client.post("/cart/add", data={"csrf_token": token, "slug": SLUG, "lang": "en", "layout": "fact-sheet",
                                          "quantity": "1"}).status_code == 303
    assert client.post("/checkout", data={"csrf_token": token, **ADDRESS}).status_code == 303
    verify = client.get("/checkout/verify")
    assert verify.status_code == 200
    client.token = token
    client.checkout = re.search(r'name="checkout" value="([^"]+)"', verify.text)[1]
    return client


def test_fifty_concurrent_orders_for_twenty_copies(database_url, samples):
    """Through the real server: exactly 20 orders get a copy, 30 are refused
    with a clear message, and the stock ends at zero, not below."""
    app = create_app(catalog_settings(database_url, samples.output))
    with LiveServer(app) as base:
        clients = [_prepare_client(base) for _ in range(50)]
        with app.state.sessions() as session:
            session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet").values(stock=20))
            session.commit()
        barrier = threading.Barrier(50)
        results: list[httpx.Response] = [None] * 50

        def submit(index: int) -> None:
            barrier.wait()
            client = clients[index]
            results[index] = client.post("/checkout/submit", data={"csrf_token": client.token,
                                                                   "checkout": client.checkout})

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        for client in clients:
            client.close()
    placed = [r for r in results if r.status_code == 200]
    refused = [r for r in results if r.status_code == 409]
    assert len(placed) == 20 and len(refused) == 30, [r.status_code for r in results]
    assert all(re.search(r"Order number <strong>PR-[A-Z0-9]{8}</strong>", r.text) for r in placed)
    for response in refused:
        assert "Your order was not placed" in response.text
        assert ("Sorry, only 0 copies of \u201cParaneoplastic Syndromes\u201d are left" in response.text
                or "\u201cParaneoplastic Syndromes\u201d (Fact sheet) is out of printed copies" in response.text)
    with app.state.sessions() as session:
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 0
        assert session.scalar(select(func.count()).select_from(Order)) == 20
        assert session.scalar(select(func.sum(OrderLine.quantity))) == 20
        taken = session.scalar(select(func.sum(StockEvent.change)).where(StockEvent.reason == "order"))
        assert taken == -20
    app.state.engine.dispose()


def test_the_models_and_the_migrations_agree(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from pressroom.catalog.models import Base

    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
