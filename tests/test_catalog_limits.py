"""Rate limits kept in the database (shared by every worker and instance),
and forwarded client addresses believed only from trusted proxies."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.requests import Request

from conftest import ADDRESS, LiveServer, catalog_settings, csrf_of
from pressroom.catalog.rate_limits import RateLimit, client_address
from pressroom.catalog.settings import parse_proxies
from pressroom.catalog.web import create_app
from pressroom.diagnostics import PressroomError

SLUG = "paraneoplastic-syndromes"


def submit_one(base: str, headers: dict | None = None) -> int:
    """A new visitor orders one copy; the status of the submit."""
    with httpx.Client(base_url=base, timeout=60, headers=headers or {}) as client:
        csrf = csrf_of(client.get(f"/publications/{SLUG}/en").text)
        client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": "1"})
        client.post("/checkout", data={"csrf_token": csrf, **ADDRESS})
        checkout = re.search(r'name="checkout" value="([^"]+)"', client.get("/checkout/verify").text)[1]
        return client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": checkout}).status_code


def test_the_order_limit_is_shared_by_two_instances(database_url, samples):
    first = create_app(catalog_settings(database_url, samples.output, order_rate_limit=3))
    second = create_app(catalog_settings(database_url, samples.output, order_rate_limit=3))
    with LiveServer(first) as one, LiveServer(second) as two:
        assert [submit_one(one), submit_one(two), submit_one(one)] == [200, 200, 200]
        assert submit_one(two) == 429 and submit_one(one) == 429
        # From an untrusted peer, a made-up X-Forwarded-For changes nothing.
        assert submit_one(two, {"X-Forwarded-For": "203.0.113.9"}) == 429
    for app in (first, second):
        app.state.engine.dispose()


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output, order_rate_limit=1,
                                      trusted_proxies=parse_proxies("127.0.0.1")))
    with LiveServer(app) as base:
        assert submit_one(base, {"X-Forwarded-For": "203.0.113.5"}) == 200
        assert submit_one(base, {"X-Forwarded-For": "203.0.113.5"}) == 429
        assert submit_one(base, {"X-Forwarded-For": "203.0.113.6"}) == 200  # someone else, not blocked
        # A client that writes its own header in front is still counted as itself.
        assert submit_one(base, {"X-Forwarded-For": "198.51.100.1, 203.0.113.5"}) == 429
    app.state.engine.dispose()


class _App:
    def __init__(self, trusted: str):
        self.state = type("State", (), {})()
        self.state.settings = catalog_settings("sqlite://", None, trusted_proxies=parse_proxies(trusted))


def request_from(peer: str, forwarded: list[str], trusted: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 1234),
                    "app": _App(trusted)})


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("198.51.100.7", ["203.0.113.5"], "", "198.51.100.7"),
    ("127.0.0.1", ["203.0.113.5"], "", "127.0.0.1"),
    ("127.0.0.1", ["203.0.113.5"], "127.0.0.1", "203.0.113.5"),
    ("10.0.0.2", ["1.2.3.4, 203.0.113.5, 10.0.0.9"], "10.0.0.0/8", "203.0.113.5"),
    ("10.0.0.2", ["1.2.3.4", "203.0.113.5"], "10.0.0.0/8", "203.0.113.5"),
    ("10.0.0.2", ["not-an-address"], "10.0.0.0/8", "10.0.0.2"),
    ("::1", ["2001:db8::5"], "::1", "2001:db8::5"),
])
def test_client_address(peer, forwarded, trusted, expected):
    assert client_address(request_from(peer, forwarded, trusted)) == expected


def test_a_bad_trusted_proxy_setting_names_the_entry():
    with pytest.raises(PressroomError, match="'10.0.0.300' is not an IP address or network"):
        parse_proxies("127.0.0.1, 10.0.0.300")


def test_a_window_counts_and_then_starts_again(database_url):
    from pressroom.catalog.db import make_engine, migrate, session_factory
    from pressroom.catalog.models import RateCounter

    engine = make_engine(database_url)
    migrate(engine)
    limit = RateLimit("test", 2, 600)
    with session_factory(engine)() as session:
        assert [limit.allow(session, "a"), limit.allow(session, "a"), limit.allow(session, "a")] == [True, True, False]
        assert limit.allow(session, "b")
        session.query(RateCounter).update({RateCounter.window_start: RateCounter.window_start - 600})
        session.commit()
        assert limit.allow(session, "a")  # a new window
    engine.dispose()
