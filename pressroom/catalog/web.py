"""The catalog web app (FastAPI, server-rendered Jinja2 pages that work
without JavaScript): the app itself, its middleware, public pages and
downloads. The cart is in cart.py, checkout in checkout.py, staff pages in
staff.py."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from .db import make_engine, migrate, session_factory
from ..render.i18n import language_label
from .listing import AUDIENCE_NAMES, LAYOUT_NAMES, Catalog, layout_name
from .orders import ADDRESS_FIELDS, MAIL_LANGUAGES, STATES
from .cart import router as cart_router
from .checkout import router as checkout_router
from .print_runs import PrintRunWorker
from .public import router as public_router
from .items import STATUS_NAMES, sync_items
from ..manifest import read_raw
from .pages import CsrfFailed, error_page, not_found
from .rate_limits import RateLimit
from .security import CSRF_FIELD
from .settings import CatalogSettings
from .staff_auth import PasswordCheck
from .staff import STATUSES, LoginRequired, login_redirect
from .staff import pages as staff_pages
from .staff import router as staff_router
from .staff_orders import router as staff_orders_router

HERE = Path(__file__).resolve().parent
log = logging.getLogger("pressroom.catalog")


@asynccontextmanager
async def _print_run_worker(app: FastAPI):
    """Queued print runs are built by a thread of the server, never in a request."""
    worker = PrintRunWorker(app.state.sessions, app.state.settings) if app.state.settings.print_worker else None
    if worker:
        worker.start()
    yield
    if worker:
        worker.stop()


def create_app(settings: CatalogSettings | None = None) -> FastAPI:
    settings = settings or CatalogSettings.from_env()
    engine = make_engine(settings.database_url)
    migrate(engine, read_raw(settings.output_dir).get("publications") or {})
    app = FastAPI(title="Publication catalog", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=_print_run_worker)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.catalog = Catalog(settings.output_dir,
                                on_reload=lambda listings: sync_items(app.state.sessions, listings))
    app.state.order_limit = RateLimit("orders", settings.order_rate_limit, settings.order_rate_window_s)
    app.state.lookup_limit = RateLimit("lookup", settings.lookup_rate_limit, settings.order_rate_window_s)
    app.state.password_check = PasswordCheck()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(STATES=STATES, LAYOUT_NAMES=LAYOUT_NAMES, AUDIENCE_NAMES=AUDIENCE_NAMES,
                                 layout_name=layout_name, STATUSES=STATUSES, STATUS_NAMES=STATUS_NAMES,
                                 language_label=language_label, ADDRESS_FIELDS=ADDRESS_FIELDS,
                                 MAIL_LANGUAGES=MAIL_LANGUAGES,
                                 other_language_link=lambda lang: _language_link(app, lang),
                                 CSRF_FIELD=CSRF_FIELD, office=app.state.catalog.office,
                                 order_limit=settings.public_order_limit)
    app.state.templates = templates
    app.state.catalog.listings()  # at start: items made, source stock not applied reported
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="pressroom_session",
                       same_site="lax", https_only=settings.secure_cookies, max_age=14 * 24 * 3600)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/fonts", StaticFiles(directory=str(settings.output_dir / "fonts"), check_dir=False), name="fonts")
    app.include_router(public_router)
    app.include_router(cart_router)
    app.include_router(checkout_router)
    app.include_router(staff_router)
    app.include_router(staff_pages)
    app.include_router(staff_orders_router)
    app.add_exception_handler(LoginRequired, login_redirect)
    app.add_middleware(HeadAsGet)
    app.add_middleware(AccessLogAndHeaders)

    @app.exception_handler(404)
    async def missing(request: Request, _exc):
        return not_found(request)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed):
        return error_page(request, "Please try again",
                          "This form had expired. Go back, reload the page and send it again.", 403)

    return app


class HeadAsGet:
    """Every GET route answers HEAD (RFC 9110 9.3.2): the GET response's
    status and headers, Content-Length included, without its body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class AccessLogAndHeaders:
    """Plain ASGI middleware (cheaper than BaseHTTPMiddleware on every request):
    security headers, and a log line with method, path and status only, so no
    client address, query or form data (no personal data) is logged; the path
    is percent-encoded, so it cannot forge a line."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
               (b"x-frame-options", b"DENY"),
               (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                            b"form-action 'self'; base-uri 'none'")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if log.isEnabledFor(logging.INFO):
                log.info("%s %s %s %.1fms", log_safe(scope["method"]), log_safe(scope["path"]), status,
                         (time.perf_counter() - started) * 1000)


def log_safe(text: str) -> str:
    """``text`` percent-encoded as in a URL, so a line break or other control
    character in a request can never start a forged log line."""
    return quote(text, safe="/:@!$&'()*+,;=-._~")


def _language_link(app: FastAPI, lang: str) -> str:
    """"Also available in ..." in that language, as the build wrote it into the manifest."""
    return app.state.catalog.site().get("language_links", {}).get(lang) or f"Also available in {language_label(lang)}"
