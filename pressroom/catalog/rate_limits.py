"""Rate limits kept in the database, so every worker process and every
instance of the catalog counts against the same numbers; and the client
address they count, which trusts X-Forwarded-For only from the proxies named
in PRESSROOM_TRUSTED_PROXIES."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import case, delete, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .db import begin_write
from .models import RateCounter
from .settings import Network



@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` events per ``window_s`` seconds (fixed windows) per
    client for the action ``name``; a limit of 0 turns it off."""

    name: str
    limit: int
    window_s: int

    def allow(self, session: Session, client: str) -> bool:
        """Count one event for ``client`` in a transaction of its own; False when over the limit."""
        try:
            begin_write(session)
            allowed = self.count(session, client)
            session.commit()
            return allowed
        except BaseException:
            session.rollback()
            raise

    def count(self, session: Session, client: str) -> bool:
        """Count one event inside the caller's writing transaction (kept only if
        it commits); False, counting nothing, when over the limit."""
        if self.limit <= 0:
            return True
        key = hashlib.sha256(f"{self.name}:{client}".encode()).hexdigest()  # no addresses stored
        now = int(time.time())
        start = now - now % self.window_s
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(delete(RateCounter).where(RateCounter.window_start < start - self.window_s))
        session.execute(insert(RateCounter).values(key=key, window_start=start, count=0)
                        .on_conflict_do_nothing(index_elements=["key"]))
        # One statement counts and checks: SET reads the row as it was.
        counted = session.execute(
            update(RateCounter)
            .where(RateCounter.key == key, or_(RateCounter.window_start < start, RateCounter.count < self.limit))
            .values(count=case((RateCounter.window_start < start, 1), else_=RateCounter.count + 1),
                    window_start=start))
        return counted.rowcount == 1


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: Request) -> str:
    """The client's address: the connection's peer, unless that peer is a
    trusted proxy; then the nearest address in X-Forwarded-For that is not
    a trusted proxy (entries further left could be made up by the client)."""
    trusted: tuple[Network, ...] = request.app.state.settings.trusted_proxies
    peer = request.client.host if request.client else "unknown"

    def is_trusted(address) -> bool:
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(_ip(peer)):
        return peer
    hops = [hop for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            return peer  # a malformed header: count the proxy itself
        if not is_trusted(address):
            return str(address)
    return peer
