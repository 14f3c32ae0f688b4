"""Two catalog processes on different ports sharing one PostgreSQL: the last
copies, one checkout sent to both at once, and the rate limit all hold
across them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select, update

from conftest import ADDRESS, csrf_of
from pressroom.catalog.db import make_engine, migrate, session_factory
from pressroom.catalog.models import Item, Order
from pressroom.options import PROJECT_ROOT

SLUG = "paraneoplastic-syndromes"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_instances(postgres_url, samples, tmp_path):
    migrate(engine := make_engine(postgres_url))
    env = {**os.environ, "DATABASE_URL": postgres_url, "PRESSROOM_OUTPUT": str(samples.output),
           "PRESSROOM_VAR": str(tmp_path / "var"), "PRESSROOM_SECRET_KEY": "shared-secret",
           "PRESSROOM_ORDER_RATE_LIMIT": "3", "PRESSROOM_TRUSTED_PROXIES": "127.0.0.1",
           "PYTHONPATH": str(PROJECT_ROOT)}
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "pressroom.catalog.web:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--no-proxy-headers", "--log-level", "warning"],
            env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, server in zip(bases, servers):
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + f"/publications/{SLUG}/en", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, "a catalog did not start"
                time.sleep(0.2)
        yield bases, session_factory(engine)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        engine.dispose()


class Visitor:
    """One person (one client address, given in X-Forwarded-For) with a verified checkout."""

    def __init__(self, base: str, address: str, quantity: int = 1):
        self.client = httpx.Client(base_url=base, timeout=60, headers={"X-Forwarded-For": address})
        self.csrf = csrf_of(self.client.get(f"/publications/{SLUG}/en").text)
        self.client.post("/cart/add", data={"csrf_token": self.csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet",
                                            "quantity": str(quantity)})
        self.client.post("/checkout", data={"csrf_token": self.csrf, **ADDRESS})
        self.checkout = re.search(r'name="checkout" value="([^"]+)"', self.client.get("/checkout/verify").text)[1]

    def submit(self, base: str) -> httpx.Response:
        return self.client.post(base + "/checkout/submit", data={"csrf_token": self.csrf, "checkout": self.checkout})


def at_once(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index):
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_instances_share_stock_checkouts_and_rate_limits(two_instances):
    (one, two), sessions = two_instances
    visitors = [Visitor((one, two)[i % 2], f"198.18.0.{i + 1}") for i in range(24)]
    with sessions() as session:
        session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet").values(stock=10))
        session.commit()
    answers = at_once([lambda v=v, i=i: v.submit((one, two)[i % 2]) for i, v in enumerate(visitors)])
    assert sorted(a.status_code for a in answers) == [200] * 10 + [409] * 14
    with sessions() as session:
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 0
        assert session.scalar(select(func.count()).select_from(Order)) == 10
        session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet").values(stock=100))
        session.commit()

    twice = Visitor(one, "198.18.1.1", quantity=2)
    answers = at_once([lambda base=base: twice.submit(base) for base in (one, two, one, two, one, two)])
    numbers = {re.search(r"Order number <strong>(PR-[A-Z0-9]{8})</strong>", a.text)[1] for a in answers}
    assert [a.status_code for a in answers] == [200] * 6 and len(numbers) == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 11
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 98

    counted = [Visitor(base, "203.0.113.7").submit(base).status_code for base in (one, two, one, two)]
    assert counted == [200, 200, 200, 429]
    for visitor in visitors:
        visitor.client.close()
