"""Printed items (a publication in one language and one format) and how they
follow the sources.

Who owns what after an item's first start: the source (``ordering:`` in
publication.yaml) owns ``printed`` and ``limit_per_order``, applied to
every item of the publication each time the catalog reads the manifest; the
database owns stock and status, which staff change on the stock page. The
source's ``stock`` is taken once, by the first item of a publication that
had none (its first layout in English); a later change of it in the source
is not applied and is logged as a warning every time the manifest is read.
"""

from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import begin_write
from .listing import Listing
from .models import Item, StockEvent

log = logging.getLogger("pressroom.catalog")
STATUS_NAMES = {"orderable": "Orderable", "out-of-stock": "Out of stock", "back-order": "On back-order",
                "not-yet-available": "Not yet available", "download-only": "Download only"}
ItemKey = tuple[str, str, str]  # slug, lang, layout


def item_status(item: Item | None) -> str:
    """What the public sees: the staff's status, "download-only" when the
    source does not print it, "out-of-stock" when orderable with none left."""
    if item is None or not item.printed:
        return "download-only"
    if item.status == "orderable" and item.stock <= 0:
        return "out-of-stock"
    return item.status


def items_of(session: Session, slugs: list[str]) -> dict[ItemKey, Item]:
    rows = session.scalars(select(Item).where(Item.slug.in_(slugs))).all()
    return {(row.slug, row.lang, row.layout): row for row in rows}


def sync_items(sessions: Callable[[], Session], listings: dict[str, Listing]) -> list[str]:
    """Every item of every listing has a row; ``printed`` and the limit follow
    the source. Returns (and logs) the warnings about source stock not applied."""
    with sessions() as session:
        begin_write(session)
        known = items_of(session, list(listings))
        added = _add_missing(session, listings, known)
        _follow_sources(listings, known)
        taken = dict(session.execute(
            select(Item.slug, func.sum(StockEvent.change)).join(StockEvent, StockEvent.item_id == Item.id)
            .where(StockEvent.reason == "initial").group_by(Item.slug)).all())
        try:
            session.commit()
        except IntegrityError:  # another process added them first; it applied the same rules
            session.rollback()
            return []
    warnings = [_stock_warning(listing, taken.get(slug) or 0) for slug, listing in listings.items()
                if slug not in added and listing.printed and listing.initial_stock != (taken.get(slug) or 0)]
    for warning in warnings:
        log.warning("%s", warning)
    return warnings


def _add_missing(session: Session, listings: dict[str, Listing], known: dict[ItemKey, Item]) -> set[str]:
    """Rows for new items; a publication with no item before gets its source
    stock on its first item. Returns the slugs whose stock was taken now."""
    seeded = set()
    for slug, listing in listings.items():
        first_ever = not any(key[0] == slug for key in known)
        for index, (lang, layout) in enumerate(listing.item_keys()):
            if (slug, lang, layout) in known:
                continue
            stock = listing.initial_stock if first_ever and index == 0 and listing.printed else 0
            item = Item(slug=slug, lang=lang, layout=layout, stock=stock, limit_per_order=listing.limit_per_order,
                        printed=listing.printed, status="orderable")
            session.add(item)
            session.flush()
            known[(slug, lang, layout)] = item
            if stock:
                session.add(StockEvent(item_id=item.id, change=stock, reason="initial"))
                seeded.add(slug)
    return seeded


def _follow_sources(listings: dict[str, Listing], known: dict[ItemKey, Item]) -> None:
    for (slug, _lang, _layout), item in known.items():
        if (listing := listings.get(slug)) is not None:
            item.printed = listing.printed
            item.limit_per_order = listing.limit_per_order


def _stock_warning(listing: Listing, taken: int) -> str:
    return (f"sources/{listing.slug}/publication.yaml: warning: ordering.stock is {listing.initial_stock}, but the "
            f"catalog took {taken} from it when its items were first made; stock is kept in the database and "
            f"changed only on the staff stock page (receive copies), so this change is not applied")
