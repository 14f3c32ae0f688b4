"""Load test of the running catalog on loopback: requests/s and p50/p99
latency for the catalog page, a publication page, a PDF download and an
order submit, against a static file from the same server as the baseline.

    python bench/catalog.py [--clients 20] [--requests 1500] [--orders 600] [--workers 2]

Starts the app with uvicorn on 127.0.0.1 (a throwaway SQLite database unless
DATABASE_URL is set), uses the PDFs in output/ (built first if missing),
sends a bounded number of requests, checks that no order was lost, and
exits 1 when a target is missed: page p99 under 50 ms at 20 clients, 100
orders/s with none lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "paraneoplastic-syndromes"
ADDRESS = {"name": "Bench Client", "organization": "", "address1": "1 Load Street", "address2": "",
           "city": "Springfield", "state": "IL", "zip": "62701", "email": "bench@example.com"}
PAGE_P99_MS = 50.0
ORDERS_PER_S = 100.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: the load
    generator shares the 2 cores with the server, and a full client library
    would spend more CPU per request than the pages being measured."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if length:
            await self.reader.readexactly(int(length[1]))
        elif re.search(rb"(?i)\r\ntransfer-encoding: *chunked", head):
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if re.search(rb"(?i)\r\nconnection: *close", head):
            self.writer.close()
            self.reader = self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def hammer(base: str, path: str, total: int, clients: int) -> tuple[list[float], float, int]:
    """``total`` GETs of ``path`` from ``clients`` concurrent clients (closed loop)."""
    host, port = base.split("//")[1].split(":")
    latencies: list[float] = []
    errors = 0
    remaining = total

    async def client_loop() -> None:
        nonlocal remaining, errors
        connection = Connection(host, int(port))
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status = await connection.request("GET", path)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return latencies, time.perf_counter() - started, errors


async def prepare_visitor(client: httpx.AsyncClient) -> tuple[str, str]:
    """A visitor with one copy in the cart and a verified address: (cookie, form fields)."""
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(f"/publications/{SLUG}/en")).text)[1]
    await client.post("/cart/add", data={"csrf_token": token, "slug": SLUG, "lang": "en", "quantity": "1"})
    await client.post("/checkout", data={"csrf_token": token, **ADDRESS})
    verify = (await client.get("/checkout/verify")).text
    checkout = re.search(r'name="checkout" value="([^"]+)"', verify)[1]
    return f"pressroom_session={client.cookies['pressroom_session']}", f"{token}&checkout={checkout}"


async def submit_orders(base: str, count: int, clients: int) -> tuple[list[float], float, int, int]:
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        visitors = [await prepare_visitor(client) for _ in range(count)]
    host, port = base.split("//")[1].split(":")
    latencies: list[float] = []
    placed = refused = 0

    async def worker() -> None:
        nonlocal placed, refused
        connection = Connection(host, int(port))
        while visitors:
            cookie, token = visitors.pop()
            body = f"csrf_token={token}".encode()
            started = time.perf_counter()
            status = await connection.request("POST", "/checkout/submit", body, {
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
            latencies.append((time.perf_counter() - started) * 1000)
            if status == 200:
                placed += 1
            else:
                refused += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - started, placed, refused


def row(name: str, latencies: list[float], elapsed: float) -> tuple[float, float]:
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    print(f"  {name:28} {len(latencies) / elapsed:9.0f} {p50:8.1f} {p99:8.1f}")
    return p50, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1500, help="requests per page scenario")
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args()

    if not (ROOT / "output" / "manifest.json").is_file():
        subprocess.run([sys.executable, str(ROOT / "generate.py"), "--quiet"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        env = {**os.environ, "DATABASE_URL": database, "PRESSROOM_VAR": tmp, "PRESSROOM_ORDER_RATE_LIMIT": "0",
               "PRESSROOM_SECRET_KEY": "bench-secret", "PRESSROOM_PUBLIC_ORDER_LIMIT": "20"}
        # Create the schema once, before the workers start.
        subprocess.run([sys.executable, "-c", "from pressroom.catalog.db import make_engine, migrate;"
                        f"migrate(make_engine({database!r}))"], env=env, check=True, cwd=ROOT)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "pressroom.catalog.web:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(args.workers), "--no-access-log", "--no-proxy-headers",
             "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(base + "/static/site.css", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the catalog did not start")
                time.sleep(0.2)
            pdf = httpx.get(f"{base}/publications/{SLUG}/en").text
            download = re.search(r'href="(/files/[^"]+\.pdf)"', pdf)[1]
            scenarios = [("static CSS (baseline)", "/static/site.css"), ("catalog page", "/"),
                         ("publication page", f"/publications/{SLUG}/en"), ("PDF download", download)]
            print(f"{args.clients} concurrent clients, {args.requests} requests each, uvicorn workers: "
                  f"{args.workers}, database: {database.split('://')[0]}")
            print(f"  {'':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
            p99s = {}
            for name, path in scenarios:
                asyncio.run(hammer(base, path, min(200, args.requests), args.clients))  # warm up
                latencies, elapsed, errors = asyncio.run(hammer(base, path, args.requests, args.clients))
                if errors:
                    raise SystemExit(f"{name}: {errors} failed requests")
                p99s[name] = row(name, latencies, elapsed)[1]
            latencies, elapsed, placed, refused = asyncio.run(submit_orders(base, args.orders, args.clients))
            row("order submit", latencies, elapsed)
            orders_per_s = placed / elapsed
        finally:
            server.terminate()
            server.wait(timeout=30)

        from sqlalchemy import func, select

        from pressroom.catalog.db import make_engine
        from pressroom.catalog.models import Order

        engine = make_engine(database)
        with engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(Order))
        engine.dispose()
    print(f"orders: {placed} placed, {refused} refused, {stored} in the database; {orders_per_s:.0f} orders/s")
    missed = []
    for name in ("catalog page", "publication page"):
        if p99s[name] >= PAGE_P99_MS:
            missed.append(f"{name} p99 {p99s[name]:.1f} ms (target < {PAGE_P99_MS:g})")
    if orders_per_s < ORDERS_PER_S:
        missed.append(f"{orders_per_s:.0f} orders/s (target >= {ORDERS_PER_S:g})")
    if stored != placed or refused:
        missed.append(f"orders lost or refused: {placed} confirmed, {stored} stored, {refused} refused")
    print("targets: " + ("ok" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
