"""Staff accounts and sign-in: sessions kept in the database (the cookie holds
only a random token), so signing out, a new password or a removed account
ends them at once, with idle and absolute time-outs; and sign-in throttled
per account and per client with growing delays.

An unknown e-mail costs the same as a known one (its password is checked
against a stand-in hash), and every hash is computed in a worker thread,
at most ``HASHING_AT_ONCE`` at a time, never on the event loop."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..diagnostics import PressroomError
from .db import begin_write, utc
from .fields import text_problem
from .models import LoginThrottle, StaffSession, StaffUser
from .security import hash_password, verify_password

FREE_FAILURES = 5  # failed sign-ins per account or client before delays start
LONGEST_DELAY = dt.timedelta(minutes=15)
FORGET_FAILURES = dt.timedelta(days=1)  # failures this old no longer count
HASHING_AT_ONCE = 2
LONGEST_PASSWORD = 1024


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _write(session: Session) -> None:
    """End the reads so far and start a writing transaction (on SQLite a
    read transaction cannot safely become a writer)."""
    session.rollback()
    begin_write(session)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- accounts ---------------------------------------------------------------------


def add_staff(session: Session, email: str, password: str) -> StaffUser:
    """Add an account, or set a new password (which ends its sessions)."""
    email = email.strip().lower()
    begin_write(session)
    if "@" not in email or text_problem(email):
        raise PressroomError(f"'{email}' is not an email address")
    if len(password) < 12:
        raise PressroomError("the password must have at least 12 characters")
    if len(password) > LONGEST_PASSWORD:
        raise PressroomError(f"the password must have at most {LONGEST_PASSWORD} characters")
    user = session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None:
        user = StaffUser(email=email, password_hash=hash_password(password))
        session.add(user)
    else:
        user.password_hash = hash_password(password)
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.commit()
    return user


def remove_staff(session: Session, email: str) -> None:
    """Remove an account and end its sessions."""
    begin_write(session)
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise PressroomError(f"there is no staff account '{email}'")
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.delete(user)
    session.commit()


# --- sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRules:
    idle: dt.timedelta
    absolute: dt.timedelta


def open_session(session: Session, user_id: int) -> str:
    """A new staff session; the token for the cookie (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    begin_write(session)
    session.add(StaffSession(id=_digest(token), user_id=user_id, created_at=now, last_seen=now))
    session.commit()
    return token


def session_user(session: Session, token: object, rules: SessionRules) -> str | None:
    """The e-mail of the staff member whose live session ``token`` is; an
    expired session is deleted."""
    if not isinstance(token, str) or not token.isascii():
        return None
    row = session.execute(select(StaffSession, StaffUser.email).join(StaffUser)
                          .where(StaffSession.id == _digest(token))).first()
    if row is None:
        return None
    staff_session, email = row
    now = _now()
    if now - utc(staff_session.created_at) > rules.absolute or now - utc(staff_session.last_seen) > rules.idle:
        close_session(session, token)
        return None
    if now - utc(staff_session.last_seen) > dt.timedelta(seconds=60):  # a write a minute at most
        _write(session)
        session.execute(update(StaffSession).where(StaffSession.id == staff_session.id).values(last_seen=now))
        session.commit()
    return email


def close_session(session: Session, token: object) -> None:
    if isinstance(token, str):
        _write(session)
        session.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))
        session.commit()


# --- sign-in --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    user_id: int | None  # None: refused
    wait: dt.timedelta | None = None  # set when refused for too many failures


class PasswordCheck:
    """Password hashing for sign-in, off the event loop and bounded: a
    stand-in hash for unknown e-mails, and a limit on hashes at once."""

    def __init__(self):
        self.stand_in = hash_password(secrets.token_urlsafe(24))
        self.slots = threading.BoundedSemaphore(HASHING_AT_ONCE)

    def verify(self, password_hash: str | None, password: str) -> bool:
        with self.slots:
            return verify_password(password_hash or self.stand_in, password) and password_hash is not None


def throttle_keys(email: str, client: str) -> list[str]:
    return [_digest(f"account:{email}"), _digest(f"client:{client}")]


def sign_in(session: Session, check: PasswordCheck, email: str, password: str, client: str) -> SignIn:
    """Check a sign-in (blocking: call it in a worker thread)."""
    email = email.strip().lower()
    keys = throttle_keys(email, client)
    wait = _locked_for(session, keys)
    if wait is not None:
        return SignIn(None, wait)
    usable = not text_problem(email) and not text_problem(password) and len(password) <= LONGEST_PASSWORD
    user = session.scalar(select(StaffUser).where(StaffUser.email == email)) if usable else None
    user_id, password_hash = (user.id, user.password_hash) if user else (None, None)
    ok = check.verify(password_hash, password[:LONGEST_PASSWORD]) and usable
    if ok:
        _write(session)
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[0]))
        session.commit()
        return SignIn(user_id)
    _count_failure(session, keys)
    return SignIn(None)


def _locked_for(session: Session, keys: list[str]) -> dt.timedelta | None:
    now = _now()
    until = [utc(t) for t in session.scalars(select(LoginThrottle.locked_until)
                                             .where(LoginThrottle.key.in_(keys))) if t is not None]
    latest = max(until, default=None)
    return latest - now if latest is not None and latest > now else None


def _count_failure(session: Session, keys: list[str]) -> None:
    """One more failure for each key; past FREE_FAILURES each locks the key
    for twice as long as the one before (1 s, 2 s, 4 s ... 15 minutes)."""
    now = _now()
    for attempt in range(3):
        try:
            _write(session)
            for key in keys:
                row = session.get(LoginThrottle, key, with_for_update=True)
                if row is None:
                    row = LoginThrottle(key=key, failures=0)
                    session.add(row)
                elif now - utc(row.last_failure) > FORGET_FAILURES:
                    row.failures = 0
                row.failures += 1
                row.last_failure = now
                over = row.failures - FREE_FAILURES
                row.locked_until = now + min(dt.timedelta(seconds=2 ** min(over - 1, 20)), LONGEST_DELAY) \
                    if over > 0 else None
            session.commit()
            return
        except IntegrityError:  # another sign-in made the row first: count on it
            session.rollback()
            if attempt == 2:
                raise
