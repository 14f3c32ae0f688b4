"""The public pages: the searchable catalog, a publication's page, its
downloads and cover thumbnails (the cart and checkout have routers of their own)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .cart import render_publication
from .listing import Catalog
from .pages import not_found, render, send_file
from .settings import CatalogSettings

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def catalog_page(request: Request, q: str = "", topic: str = "", audience: str = "", lang: str = "",
                 format: str = ""):
    catalog: Catalog = request.app.state.catalog
    results = catalog.search(q, topic, audience, lang, format)
    filtered = any((q, topic, audience, lang, format))
    settings: CatalogSettings = request.app.state.settings
    return render(request, "catalog.html", {
        "results": results, "q": q, "topic": topic, "audience": audience, "lang_filter": lang,
        "format": format, "topics": catalog.topics(), "languages": catalog.languages(), "filtered": filtered,
        "new": [] if filtered else catalog.new_and_updated(dt.date.today(), settings.new_days)})

@router.get("/publications/{slug}")
def publication_default(request: Request, slug: str):
    listing = request.app.state.catalog.get(slug)
    if listing is None:
        return not_found(request)
    lang = "en" if "en" in listing.languages else listing.languages[0]
    return RedirectResponse(f"/publications/{slug}/{lang}", status_code=307)

@router.get("/publications/{slug}/{lang}", response_class=HTMLResponse)
def publication_page(request: Request, slug: str, lang: str):
    listing = request.app.state.catalog.get(slug)
    if listing is None or lang not in listing.languages:
        return not_found(request)
    return render_publication(request, listing, lang)

@router.get("/files/{path:path}")
def download(request: Request, path: str):
    item = request.app.state.catalog.download(path)
    target = request.app.state.settings.output_dir / path
    sent = item and send_file(request, target, "application/pdf", lambda _stat: f'"{item.sha256[:32]}"',
                              filename=target.name)
    return sent or not_found(request)

@router.get("/thumbs/{path:path}")
def thumbnail(request: Request, path: str):
    target = request.app.state.settings.output_dir / path
    sent = request.app.state.catalog.thumbnail_known(path) and send_file(
        request, target, "image/png", lambda stat: f'"{int(stat.st_mtime)}-{stat.st_size}"')
    return sent or not_found(request)
