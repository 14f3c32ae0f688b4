"""CSRF tokens and staff passwords."""

from __future__ import annotations

import hmac
import secrets

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
