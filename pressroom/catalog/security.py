"""CSRF tokens, staff passwords, and the order rate limit."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

CSRF_FIELD = "csrf_token"
_hasher = PasswordHasher()


def csrf_token(session: dict) -> str:
    """The session's CSRF token, made on first use."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def csrf_valid(session: dict, submitted: str | None) -> bool:
    expected = session.get(CSRF_FIELD)
    return bool(expected and submitted and hmac.compare_digest(expected, submitted))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (client address)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._events: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True


def client_address(request) -> str:
    """The address of the client that sent ``request``."""
    return request.client.host if request.client else "unknown"
