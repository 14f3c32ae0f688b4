"""Helpers every catalog page uses: database sessions, rendering with the
CSRF token, form checks, the cart in the session, stock rows, file sending."""

from __future__ import annotations

import email.utils
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import begin_write
from .listing import Catalog
from .models import StockEvent, Title
from .orders import cart_problems
from .security import CSRF_FIELD, csrf_token, csrf_valid


class CsrfFailed(Exception):
    pass


def db(request: Request) -> Session:
    return request.app.state.sessions()


def render(request: Request, template: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
    context = dict(context or {})
    context.setdefault("lang", "en")
    context.update(request=request, csrf=csrf_token(request.session), cart_count=sum(session_cart(request).values()))
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


async def form_with_csrf(request: Request) -> dict[str, str]:
    form = await request.form()
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        raise CsrfFailed()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def session_cart(request: Request) -> dict[str, int]:
    """{"slug|lang": quantity} kept in the signed session cookie."""
    return dict(request.session.get("cart", {}))


def stock_levels(session: Session, slugs: list[str]) -> dict[str, int]:
    return dict(session.execute(select(Title.slug, Title.stock).where(Title.slug.in_(slugs))).all())


def sync_titles(request: Request) -> None:
    """Every printed publication has a stock row, starting at its source's
    stock. Runs when the manifest has changed since the last sync."""
    catalog: Catalog = request.app.state.catalog
    listings = catalog.listings()
    if getattr(request.app.state, "synced", None) is listings:
        return
    printed = {slug: item.initial_stock for slug, item in listings.items() if item.printed}
    with db(request) as session:
        begin_write(session)
        known = set(session.scalars(select(Title.slug)).all())
        missing = {slug: stock for slug, stock in printed.items() if slug not in known}
        if missing:
            try:
                session.add_all(Title(slug=slug, stock=stock) for slug, stock in missing.items())
                session.flush()
                session.add_all(StockEvent(slug=slug, change=stock, reason="initial")
                                for slug, stock in missing.items())
                session.commit()
            except IntegrityError:  # another request added them first
                session.rollback()
    request.app.state.synced = listings


def cart_lines(request: Request) -> list[dict]:
    catalog: Catalog = request.app.state.catalog
    lines = []
    for key, quantity in session_cart(request).items():
        slug, lang = key.split("|")
        listing = catalog.get(slug)
        if listing is None:
            continue
        lines.append({"key": key, "slug": slug, "lang": lang, "title": listing.title_in(lang),
                      "quantity": quantity, "limit": listing.limit_per_order,
                      "cover": listing.cover(lang)})
    return lines


def check_cart(request: Request, cart: dict[str, int]) -> list[str]:
    catalog: Catalog = request.app.state.catalog
    limits, titles = {}, {}
    for key in cart:
        slug, lang = key.split("|")
        listing = catalog.get(slug)
        limits[key] = listing.limit_per_order if listing and listing.printed else 0
        titles[key] = listing.title_in(lang) if listing else slug
    return cart_problems(cart, limits, request.app.state.settings.public_order_limit, titles)


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    if match := request.headers.get("if-none-match"):
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    if since := request.headers.get("if-modified-since"):
        try:
            return int(modified) <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def send_file(request: Request, path: Path, etag: str, media_type: str, filename: str | None = None) -> Response:
    """A file with ETag/Last-Modified (304 when unchanged) and byte ranges."""
    modified = path.stat().st_mtime
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300",
               "Last-Modified": email.utils.formatdate(modified, usegmt=True)}
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    disposition = "attachment" if filename else "inline"
    return FileResponse(path, media_type=media_type, headers=headers, filename=filename,
                        content_disposition_type=disposition)


def parse_quantity(value: str | None, minimum: int = 1) -> int:
    try:
        return max(minimum, min(int(value or minimum), 10_000))
    except ValueError:
        return minimum


def not_found(request: Request) -> HTMLResponse:
    return render(request, "error.html", {"title": "Page not found",
                                          "message": "We could not find that page or file."}, status=404)
