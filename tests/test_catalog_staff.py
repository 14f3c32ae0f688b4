"""Staff accounts that lock, on SQLite and on PostgreSQL: sessions kept in
the database and ended by signing out, a new password, a removed account or
a time-out; sign-in throttled per account and per client with growing
delays; unknown e-mails checked like known ones, hashing off the event loop."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select, update

from conftest import catalog_settings, csrf_of
from pressroom.catalog import staff_auth
from pressroom.catalog.models import LoginThrottle, StaffSession
from pressroom.catalog.staff_auth import FREE_FAILURES, add_staff, remove_staff, throttle_keys
from pressroom.catalog.web import create_app

EMAIL, PASSWORD = "staff@example.gov", "correct horse battery"


@pytest.fixture
def app(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output))
    with app.state.sessions() as session:
        add_staff(session, EMAIL, PASSWORD)
    yield app
    app.state.engine.dispose()


def browser(app) -> TestClient:
    return TestClient(app, follow_redirects=False)


def sign_in(client, email=EMAIL, password=PASSWORD):
    csrf = csrf_of(client.get("/staff/login").text)
    return client.post("/staff/login", data={"csrf_token": csrf, "email": email, "password": password,
                                             "next": "/staff"})


def signed_in(client) -> bool:
    return client.get("/staff").status_code == 200


def copied(app, client) -> TestClient:
    """Another browser with a copy of ``client``'s session cookie."""
    other = browser(app)
    other.cookies.set("pressroom_session", client.cookies["pressroom_session"])
    return other


def test_the_cookie_holds_no_email_and_the_session_lives_in_the_database(app):
    with browser(app) as client:
        assert sign_in(client).status_code == 303 and signed_in(client)
        cookie = client.cookies["pressroom_session"]
        assert EMAIL not in base64.b64decode(cookie.split(".")[0] + "==").decode("utf-8", "replace")
    with app.state.sessions() as session:
        assert len(session.scalars(select(StaffSession)).all()) == 1


def test_signing_out_ends_the_session_everywhere(app):
    with browser(app) as client:
        sign_in(client)
        with copied(app, client) as thief:
            assert signed_in(thief)
            csrf = csrf_of(client.get("/staff").text)
            assert client.post("/staff/logout", data={"csrf_token": csrf}).status_code == 303
            assert not signed_in(thief) and not signed_in(client)


def test_a_new_password_or_a_removed_account_ends_its_sessions(app):
    with browser(app) as client:
        sign_in(client)
        with app.state.sessions() as session:
            add_staff(session, EMAIL, "another long password")
        assert not signed_in(client)
        assert sign_in(client, password="another long password").status_code == 303 and signed_in(client)
        with app.state.sessions() as session:
            remove_staff(session, EMAIL)
        assert not signed_in(client)
        assert sign_in(client, password="another long password").status_code == 401


@pytest.mark.parametrize("column, age", [("last_seen", dt.timedelta(minutes=31)),
                                         ("created_at", dt.timedelta(hours=13))])
def test_idle_and_absolute_time_outs(app, column, age):
    with browser(app) as client:
        sign_in(client)
        assert signed_in(client)
        with app.state.sessions() as session:
            then = dt.datetime.now(dt.timezone.utc) - age
            session.execute(update(StaffSession).values({column: then}))
            session.commit()
        assert not signed_in(client)
    with app.state.sessions() as session:
        assert session.scalars(select(StaffSession)).all() == []  # the expired session is deleted


def lock_of(app, key) -> dt.timedelta:
    with app.state.sessions() as session:
        row = session.get(LoginThrottle, key)
        return staff_auth.utc(row.locked_until) - staff_auth.utc(row.last_failure)


def unlock(app) -> None:
    with app.state.sessions() as session:
        session.execute(update(LoginThrottle).values(locked_until=dt.datetime.now(dt.timezone.utc)
                                                     - dt.timedelta(seconds=1)))
        session.commit()


def test_failed_sign_ins_lock_the_account_with_growing_delays(app):
    account = throttle_keys(EMAIL, "testclient")[0]
    with browser(app) as client:
        for _ in range(FREE_FAILURES):
            assert sign_in(client, password="wrong password!").status_code == 401
        assert sign_in(client, password="wrong password!").status_code == 401  # this one locks
        locked = sign_in(client)  # even the right password now waits
        assert locked.status_code == 429
        assert "Too many failed sign-ins for this account or from your connection. Wait 1 minute" in locked.text
        delays = [lock_of(app, account)]
        for _ in range(3):
            unlock(app)
            assert sign_in(client, password="wrong password!").status_code == 401
            delays.append(lock_of(app, account))
        assert [d.total_seconds() for d in delays] == [1, 2, 4, 8]
        unlock(app)
        assert sign_in(client).status_code == 303  # the right password clears the account's count
    with app.state.sessions() as session:
        assert session.get(LoginThrottle, account) is None


def test_one_client_trying_many_accounts_is_locked_too(app):
    client_key = throttle_keys("", "testclient")[1]
    with browser(app) as client:
        for n in range(FREE_FAILURES + 1):
            assert sign_in(client, email=f"guess{n}@example.gov").status_code == 401
        assert sign_in(client).status_code == 429
    assert lock_of(app, client_key).total_seconds() == 1


def test_unknown_emails_cost_a_hash_and_hashing_runs_off_the_event_loop(app, monkeypatch):
    seen = []
    real = staff_auth.verify_password

    def watched(password_hash, password):
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        seen.append(on_loop)
        return real(password_hash, password)

    monkeypatch.setattr(staff_auth, "verify_password", watched)
    with browser(app) as client:
        assert sign_in(client, email="nobody@example.gov").status_code == 401
        assert sign_in(client, password="wrong password!").status_code == 401
        assert sign_in(client).status_code == 303
    assert seen == [False, False, False]  # one real argon2 check each, none on the event loop


GENERATED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HASHING = settings(GENERATED, max_examples=12)  # each example hashes a password: fewer
TEXT = st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
                 st.sampled_from(["\x00", "a\x00@b.gov", "\u200b", "x" * 5000]))


@HASHING
@given(email=TEXT, password=TEXT)
def test_generated_sign_ins_never_fail_or_sign_in(app, email, password):
    with browser(app) as client:
        answer = sign_in(client, email=email, password=password)
        assert answer.status_code in (401, 429)
        assert not signed_in(client)


@HASHING
@given(raw=st.one_of(TEXT, st.integers().map(str)))
def test_generated_stock_receipts_never_fail_or_change_what_was_not_asked(app, raw):
    from pressroom.catalog.models import Item

    with browser(app) as client:
        sign_in(client)
        csrf = csrf_of(client.get("/staff/stock").text)
        with app.state.sessions() as session:
            item = session.scalar(select(Item).where(Item.slug == "myasthenia-gravis", Item.lang == "en",
                                                     Item.layout == "fact-sheet"))
            before = item.stock
        answer = client.post(f"/staff/stock/{item.id}/receive", data={"csrf_token": csrf, "quantity": raw})
        with app.state.sessions() as session:
            after = session.scalar(select(Item.stock).where(Item.slug == "myasthenia-gravis", Item.lang == "en", Item.layout == "fact-sheet"))
    assert answer.status_code in (303, 400)
    if answer.status_code == 400:
        assert after == before
    else:
        assert re.fullmatch(r"[0-9]+", raw.strip()) and after == before + int(raw.strip())


@GENERATED
@given(number=TEXT, email=TEXT)
def test_generated_order_look_ups_never_fail_or_show_an_order(app, number, email):
    with browser(app) as client:
        csrf = csrf_of(client.get("/orders").text)
        answer = client.post("/orders", data={"csrf_token": csrf, "number": number, "email": email})
        assert answer.status_code in (404, 429) and "Shipping to" not in answer.text
