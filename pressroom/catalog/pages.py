"""Helpers every catalog page uses: database sessions, rendering with the
CSRF token, form checks, the cart in the session, file sending."""

from __future__ import annotations

import email.utils
import os
from stat import S_ISREG
from pathlib import Path
from typing import Callable

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.datastructures import FormData
from sqlalchemy.orm import Session

from .security import CSRF_FIELD, csrf_token, csrf_valid


class CsrfFailed(Exception):
    pass


def db(request: Request) -> Session:
    return request.app.state.sessions()


def render(request: Request, template: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
    context = dict(context or {})
    context.setdefault("lang", "en")
    context.update(csrf=csrf_token(request.session), cart_count=sum(session_cart(request).values()),
                   staff=getattr(request.state, "staff", None), notices=request.session.pop("cart_notices", []))
    # Pages carry the session's CSRF token and may carry an address or an order: never cached.
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status,
                                                        headers={"Cache-Control": "no-store"})


async def form_with_csrf(request: Request) -> FormData:
    """The form's text fields (uploads dropped), once its CSRF token is checked."""
    form = await request.form()
    if not csrf_valid(request.session, form.get(CSRF_FIELD)):
        raise CsrfFailed()
    return FormData([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


def session_cart(request: Request) -> dict[str, int]:
    """{"slug|lang|layout": quantity} kept in the signed session cookie."""
    return dict(request.session.get("cart", {}))


def _opaque(tag: str) -> str:
    """An entity tag for weak comparison (RFC 9110 8.8.3.2): without W/."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    """If-None-Match first, compared weakly as RFC 9110 13.1.2 asks; then If-Modified-Since."""
    if match := request.headers.get("if-none-match"):
        return match.strip() == "*" or _opaque(etag) in {_opaque(tag) for tag in match.split(",")}
    if since := request.headers.get("if-modified-since"):
        try:
            return int(modified) <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def send_file(request: Request, path: Path, media_type: str, etag_of: Callable[[os.stat_result], str],
              filename: str | None = None) -> Response | None:
    """A file with ETag/Last-Modified (304 when unchanged) and byte ranges;
    None when it is not there. The file is looked at once."""
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not S_ISREG(stat.st_mode):
        return None
    etag = etag_of(stat)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300",
               "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True)}
    if _not_modified(request, etag, stat.st_mtime):
        return Response(status_code=304, headers=headers)
    disposition = "attachment" if filename else "inline"
    return FileResponse(path, media_type=media_type, headers=headers, filename=filename, stat_result=stat,
                        content_disposition_type=disposition)


def error_page(request: Request, title: str, message: str, status: int) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def not_found(request: Request) -> HTMLResponse:
    return error_page(request, "Page not found", "We could not find that page or file.", 404)
