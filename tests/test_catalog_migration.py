"""Migration 0006 carries a database of one stock per publication over to
printed items, on SQLite and PostgreSQL; and the catalog reports a source
stock it does not apply."""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from pressroom.catalog.db import MIGRATIONS, make_engine, migrate, session_factory
from pressroom.catalog.items import sync_items
from pressroom.catalog.listing import Download, Listing
from pressroom.catalog.models import Item, OrderLine, StockEvent

PUBLICATIONS = {
    "gravis": {"number": "24-NS-0004", "languages": ["en", "es"], "layouts": ["booklet", "fact-sheet"],
               "ordering": {"printed": True, "limit_per_order": 50, "stock": 3000}},
    "spanish-only": {"number": "24-NS-0009", "languages": ["es"], "layouts": ["trifold"],
                     "ordering": {"printed": True, "limit_per_order": 10, "stock": 40}},
}


def _at_0005(engine) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")


def _today_data(engine) -> None:
    """Stock, an order with a Spanish line, and the stock events, as 0005 kept them."""
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO titles (slug, stock) VALUES ('gravis', 2990), ('spanish-only', 40), "
                                "('removed', 7)"))
        connection.execute(text("INSERT INTO stock_events (slug, change, reason) VALUES ('gravis', 3000, 'initial'), "
                                "('gravis', -10, 'order'), ('spanish-only', 40, 'initial'), ('removed', 7, 'initial')"))
        connection.execute(text(
            "INSERT INTO orders (id, number, status, name, organization, address1, address2, city, state, zip, email) "
            "VALUES (1, 'PR-OLD00001', 'new', 'Dana Example', '', '12 Main Street', '', 'Springfield', 'IL', "
            "'62701', 'dana@example.com')"))
        connection.execute(text("INSERT INTO order_lines (order_id, slug, lang, title, quantity) VALUES "
                                "(1, 'gravis', 'en', 'Myasthenia Gravis', 6), (1, 'gravis', 'es', 'Miastenia', 4)"))


def test_todays_stock_moves_to_the_first_english_item(database_url):
    engine = make_engine(database_url)
    _at_0005(engine)
    _today_data(engine)
    migrate(engine, PUBLICATIONS)
    with session_factory(engine)() as session:
        items = {(i.slug, i.lang, i.layout): (i.stock, i.limit_per_order, i.status)
                 for i in session.scalars(select(Item))}
        assert items == {("gravis", "en", "booklet"): (2990, 50, "orderable"),
                         ("gravis", "es", "booklet"): (0, 50, "orderable"),
                         ("spanish-only", "es", "trifold"): (40, 10, "orderable"),
                         ("removed", "en", ""): (7, 25, "orderable")}
        lines = session.scalars(select(OrderLine).order_by(OrderLine.id)).all()
        assert [(line.lang, line.layout, line.number, line.item.slug if hasattr(line, "item") else line.slug)
                for line in lines] == [("en", "booklet", "24-NS-0004", "gravis"), ("es", "booklet", "24-NS-0004",
                                                                                    "gravis")]
        first = session.scalar(select(Item.id).where(Item.slug == "gravis", Item.lang == "en"))
        assert [line.item_id for line in lines][0] == first
        events = session.execute(select(StockEvent.item_id, StockEvent.change).order_by(StockEvent.id)).all()
        assert [change for _id, change in events] == [3000, -10, 40, 7] and events[0][0] == first
        assert "titles" not in set(engine.dialect.get_table_names(session.connection()))
    engine.dispose()


def _listing(slug: str, stock: int) -> Listing:
    import datetime as dt

    listing = Listing(slug=slug, number="24-NS-0004", reviewed=dt.date(2026, 1, 1), title={"en": "T"},
                      summary={"en": "S"}, topics={}, audience=[], languages=["en"], printed=True,
                      limit_per_order=30, initial_stock=stock, related=[], layouts=["fact-sheet"],
                      downloads=[Download("en", "fact-sheet", "pdf/en/x.pdf", 1, 1, "0" * 64, None)])
    listing._index()
    return listing


def test_a_source_stock_change_is_a_warning_and_not_applied(database_url, caplog):
    engine = make_engine(database_url)
    migrate(engine, {})
    sessions = session_factory(engine)
    assert sync_items(sessions, {"gravis": _listing("gravis", 300)}) == []
    with caplog.at_level(logging.WARNING, logger="pressroom.catalog"):
        warnings = sync_items(sessions, {"gravis": _listing("gravis", 500)})
    assert warnings == [
        "sources/gravis/publication.yaml: warning: ordering.stock is 500, but the catalog took 300 from it when "
        "its items were first made; stock is kept in the database and changed only on the staff stock page "
        "(receive copies), so this change is not applied"]
    assert warnings[0] in caplog.text
    with sessions() as session:
        assert session.scalar(select(Item.stock)) == 300
    engine.dispose()
