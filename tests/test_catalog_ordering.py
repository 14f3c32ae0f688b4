"""Ordering that can be trusted, on SQLite and on PostgreSQL: every form
value checked on the server into a typed value or a field error, limits per
title across its languages, carts that never block, one order per checkout,
and generated inputs that never give a 500 or a change nobody asked for."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select, update

from conftest import ADDRESS, LiveServer, catalog_settings, csrf_of
from pressroom.catalog.checkout import REPLAY_WINDOW
from pressroom.catalog.models import Checkout, Item, Order
from pressroom.catalog.web import create_app

SLUG = "paraneoplastic-syndromes"  # English and Spanish, 25 per order, 1200 in stock
KEY = f"{SLUG}|en|fact-sheet"
GENERATED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def app(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output, public_order_limit=100))
    yield app
    app.state.engine.dispose()


def add(web, quantity, slug=SLUG, lang="en", layout="fact-sheet"):
    return web.post("/cart/add", data={"csrf_token": web.csrf, "slug": slug, "lang": lang, "layout": layout,
                                       "quantity": quantity})


def cart_of(web) -> dict[str, int]:
    page = web.get("/cart").text
    return {key: int(value) for key, value in re.findall(r'name="quantity:([^"]+)" type="number" min="1" '
                                                         r'max="\d+" value="(\d+)"', page)}


def verified(web, address=None) -> str:
    """Send the address and open the page to check the order; its checkout token."""
    assert web.post("/checkout", data={"csrf_token": web.csrf, **(address or ADDRESS)}).status_code == 303
    return re.search(r'name="checkout" value="([^"]+)"', web.get("/checkout/verify").text)[1]


def number_in(html: str) -> str:
    return re.search(r"Order number <strong>(PR-[A-Z0-9]{8})</strong>", html)[1]


def orders_in(app) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(Order))


# --- quantities --------------------------------------------------------------------


@pytest.mark.parametrize("raw, message", [
    ("-5", "Enter the number of copies in digits."), ("0", "Enter a number of copies from 1 to 25."),
    ("abc", "in digits"), ("1.5", "in digits"), ("", "Enter the number of copies (1 to 25)."),
    ("\u0663", "in digits"), ("\uff13", "in digits"), ("\u0969", "in digits"), ("1e3", "in digits"),
    ("26", "Paraneoplastic Syndromes (Fact sheet): at most 25 copies per order."),
    ("99999999999999999999", "in digits"),
])
def test_bad_quantities_are_field_errors_and_add_nothing(web, raw, message):
    response = add(web, raw)
    assert response.status_code == 400
    page = response.text
    assert 'id="quantity-error"' in page and 'aria-describedby="quantity-error"' in page and message in page
    assert cart_of(web) == {}


def test_a_quantity_with_spaces_around_is_taken(web):
    assert add(web, " 3 ").status_code == 303
    assert cart_of(web) == {KEY: 3}


def test_bad_quantities_on_update_change_nothing(web):
    assert add(web, "2").status_code == 303
    assert add(web, "1", slug="myasthenia-gravis").status_code == 303
    for raw in ("0", "-1", "abc", "", "\u0663", "26"):
        response = web.post("/cart/update", data={"csrf_token": web.csrf, f"quantity:{KEY}": raw,
                                                  "quantity:myasthenia-gravis|en|fact-sheet": "4"})
        assert response.status_code == 400, raw
        assert 'class="field-error" id="q-1-error"' in response.text
        assert cart_of(web) == {KEY: 2, "myasthenia-gravis|en|fact-sheet": 1}, raw  # nothing changed, nothing dropped
    assert web.post("/cart/update", data={"csrf_token": web.csrf, f"quantity:{KEY}": "5"}).status_code == 303
    assert cart_of(web) == {KEY: 5, "myasthenia-gravis|en|fact-sheet": 1}


def test_each_item_has_its_own_stock_limit_and_status(web, app):
    """Today's stock went to the English fact sheet; the Spanish one and the
    brochures start with none. Each item's limit is its own."""
    assert add(web, "25").status_code == 303
    spanish = add(web, "1", lang="es")
    assert spanish.status_code == 400 and "Fact sheet: Printed copies are out of stock" in spanish.text
    brochure = add(web, "1", layout="trifold")
    assert brochure.status_code == 400 and "Brochure: Printed copies are out of stock" in brochure.text
    with app.state.sessions() as session:
        session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "es").values(stock=50))
        session.execute(update(Item).where(Item.slug == SLUG, Item.layout == "trifold", Item.lang == "en")
                        .values(stock=50, status="back-order"))
        session.commit()
    assert add(web, "25", lang="es").status_code == 303
    assert cart_of(web) == {KEY: 25, f"{SLUG}|es|fact-sheet": 25}
    assert "On back-order" in add(web, "1", layout="trifold").text
    raised = web.post("/cart/update", data={"csrf_token": web.csrf, f"quantity:{KEY}": "26"})
    assert raised.status_code == 400 and cart_of(web) == {KEY: 25, f"{SLUG}|es|fact-sheet": 25}
    page = web.get(f"/publications/{SLUG}/en").text
    assert "<td>Fact sheet</td><td>Orderable</td>" in page and "<td>Brochure</td><td>On back-order</td>" in page


@pytest.mark.parametrize("layout", ["", "booklet", "nothing", "\x00"])
def test_a_format_the_edition_is_not_made_in_is_a_field_error(web, layout):
    response = add(web, "1", layout=layout)
    assert response.status_code == 400 and "Format: choose one of Fact sheet, Brochure." in response.text
    assert cart_of(web) == {}


def test_a_cart_from_before_items_drops_its_lines_with_a_notice(web):
    add(web, "1")
    assert cart_of(web) == {KEY: 1}
    from itsdangerous import TimestampSigner
    import base64
    old = base64.b64encode(json.dumps({"cart": {f"{SLUG}|en": 2}, "csrf_token": web.csrf}).encode())
    web.cookies.set("pressroom_session", TimestampSigner("test-secret-key").sign(old).decode())
    page = web.get("/cart").text
    assert "must be chosen again in a format" in page and cart_of(web) == {}


@pytest.mark.parametrize("slug, message", [
    ("opsoclonus-myoclonus-syndrome", "This publication is not printed"),
    ("cerebellar-degeneration", "Printed copies are out of stock"),
])
def test_unorderable_titles_are_refused_on_a_direct_post(web, slug, message):
    response = add(web, "1", slug=slug)
    assert response.status_code == 400 and message in response.text
    assert cart_of(web) == {}
    assert add(web, "1", slug=SLUG, lang="fr").status_code == 404
    assert add(web, "1", slug="no-such-publication").status_code == 404


@GENERATED
@given(raw=st.one_of(st.text(), st.integers().map(str), st.text(alphabet="0123456789-+. \x00\t", max_size=30)))
def test_generated_quantities_never_fail_or_change_what_was_not_asked(web, raw):
    before = cart_of(web)
    response = add(web, raw)
    assert response.status_code in (303, 400), response.status_code
    after = cart_of(web)
    text = raw.strip()
    if response.status_code == 303:
        assert re.fullmatch(r"[0-9]+", text) and after[KEY] == before.get(KEY, 0) + int(text)
    else:
        assert after == before
    web.post("/cart/update", data={"csrf_token": web.csrf, "remove": KEY})


@GENERATED
@given(raw=st.one_of(st.text(), st.integers().map(str)), key=st.sampled_from([KEY, "x|y", "", "\x00"]))
def test_generated_cart_updates_never_fail_or_change_what_was_not_asked(web, raw, key):
    if not cart_of(web):
        add(web, "2")
    before = cart_of(web)
    response = web.post("/cart/update", data={"csrf_token": web.csrf, f"quantity:{key}": raw})
    assert response.status_code in (303, 400)
    after = cart_of(web)
    if response.status_code == 400 or key != KEY:
        assert after == before
    else:
        assert after == {KEY: int(raw.strip())}


# --- a cart never blocks ---------------------------------------------------------------


def test_an_out_of_stock_line_drops_out_with_a_notice(web, app):
    add(web, "2")
    add(web, "1", slug="myasthenia-gravis")
    checkout = verified(web)
    with app.state.sessions() as session:
        session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet").values(stock=0))
        session.commit()
    refused = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    assert refused.status_code == 409
    assert "\u201cParaneoplastic Syndromes\u201d (Fact sheet) is out of printed copies, so it was taken out" in refused.text
    assert cart_of(web) == {"myasthenia-gravis|en|fact-sheet": 1}
    placed = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    assert placed.status_code == 200 and orders_in(app) == 1  # the rest goes through


def test_a_removed_publication_drops_out_of_the_cart(database_url, samples, tmp_path):
    import json
    import shutil

    output = shutil.copytree(samples.output, tmp_path / "output")
    app = create_app(catalog_settings(database_url, output))
    with TestClient(app, follow_redirects=False) as web:
        web.csrf = csrf_of(web.get(f"/publications/{SLUG}/en").text)
        add(web, "2")
        add(web, "1", slug="myasthenia-gravis")
        manifest = json.loads((output / "manifest.json").read_text())
        del manifest["publications"][SLUG]
        (output / "manifest.json").write_text(json.dumps(manifest))
        import os
        os.utime(output / "manifest.json", (1, 1))  # a different time stamp: read again
        page = web.get("/cart").text
        assert "\u201cparaneoplastic-syndromes\u201d is no longer in the catalog" in page
        assert cart_of(web) == {"myasthenia-gravis|en|fact-sheet": 1}
        assert "no longer in the catalog" not in web.get("/cart").text  # the notice is shown once
    app.state.engine.dispose()


# --- one checkout, one order ------------------------------------------------------------


def test_a_checkout_submitted_again_shows_the_same_confirmation(web, app):
    add(web, "2")
    checkout = verified(web)
    first = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    again = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    assert first.status_code == again.status_code == 200
    assert number_in(first.text) == number_in(again.text)
    assert orders_in(app) == 1
    with app.state.sessions() as session:
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 1200 - 2
        session.execute(update(Checkout).values(placed_at=dt.datetime.now(dt.timezone.utc) - REPLAY_WINDOW * 2))
        session.commit()
    later = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    assert later.status_code == 200 and number_in(first.text) not in later.text
    assert "This order was placed already" in later.text and orders_in(app) == 1


def test_the_same_checkout_sent_many_times_at_once_is_one_order(database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output))
    with LiveServer(app) as base, httpx.Client(base_url=base, timeout=60) as visitor:
        csrf = csrf_of(visitor.get(f"/publications/{SLUG}/en").text)
        visitor.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": "3"})
        visitor.post("/checkout", data={"csrf_token": csrf, **ADDRESS})
        checkout = re.search(r'name="checkout" value="([^"]+)"', visitor.get("/checkout/verify").text)[1]
        cookies = dict(visitor.cookies)
        barrier = threading.Barrier(6)
        answers = [None] * 6

        def submit(index):
            with httpx.Client(base_url=base, timeout=60, cookies=cookies) as client:
                barrier.wait()
                answers[index] = client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": checkout})

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert [a.status_code for a in answers] == [200] * 6
    assert len({number_in(a.text) for a in answers}) == 1
    assert orders_in(app) == 1
    with app.state.sessions() as session:
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 1200 - 3
        assert session.scalar(select(Checkout.address)) == ""  # the order holds the address now
    app.state.engine.dispose()


def test_no_personal_data_in_the_cookie(web):
    import base64

    add(web, "1")
    verified(web)
    cookie = web.cookies["pressroom_session"]
    decoded = base64.b64decode(cookie.split(".")[0] + "==").decode("utf-8", "replace")
    for personal in ("Dana", "dana@example.com", "Main Street", "62701", "Springfield"):
        assert personal not in decoded and personal not in cookie


# --- text fields ---------------------------------------------------------------------------


@pytest.mark.parametrize("field, value, message", [
    ("name", "Dana\x00Example", "invisible or control character (U+0000)"),
    ("name", "Dana\x07", "invisible or control character (U+0007)"),
    ("address1", "12 Main\nStreet", "Use one line only"),
    ("city", "\u200b\u200b", "invisible or control character (U+200B ZERO WIDTH SPACE)"),
    ("name", "\u3164", "Enter visible letters or numbers"),
    ("organization", "\u2800 \u2800", "Enter visible letters or numbers"),
    ("address2", "Apt\u202e 4", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("zip", "\u0666\u0662\u0667\u0660\u0661", "Enter a ZIP code as 12345 or 12345-6789."),
])
def test_control_and_invisible_text_is_a_field_error(web, app, field, value, message):
    add(web, "1")
    response = web.post("/checkout", data={"csrf_token": web.csrf, **{**ADDRESS, field: value}})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text and message in response.text
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Checkout)) == 0


def test_a_nul_in_the_staff_login_is_no_server_error(web):
    csrf = csrf_of(web.get("/staff/login").text)
    response = web.post("/staff/login", data={"csrf_token": csrf, "email": "a\x00@b.gov", "password": "x\x00y"})
    assert response.status_code == 401


ADDRESS_TEXT = st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
                         st.sampled_from(["\x00", "\u200b", " ", "\u3164", "A" * 5000]))


@GENERATED
@given(field=st.sampled_from(sorted(ADDRESS)), value=ADDRESS_TEXT)
def test_generated_addresses_never_fail_or_store_what_was_not_typed(web, app, field, value):
    if not cart_of(web):
        add(web, "1")
    response = web.post("/checkout", data={"csrf_token": web.csrf, **{**ADDRESS, field: value}})
    assert response.status_code in (303, 400)
    with app.state.sessions() as session:
        stored = session.scalars(select(Checkout.address)).all()
        session.execute(Checkout.__table__.delete())
        session.commit()
    if response.status_code == 400:
        assert stored == []
    else:
        kept = json.loads(stored[0])[field]
        typed = " ".join(value.split())
        assert kept in (typed, typed.upper())  # spaces tidied; the state code and APO/FPO/DPO in capitals


# --- personal data: cookies, logs, files, the browser after an order --------------------


def test_a_line_break_in_a_url_cannot_forge_a_log_line(web, caplog):
    with caplog.at_level(logging.INFO, logger="pressroom.catalog"):
        web.get("/publications/x%0A2026-01-01%20pressroom.catalog%20GET%20/staff%20200")
    lines = [r.getMessage() for r in caplog.records if r.name == "pressroom.catalog"]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any("/publications/x%0A2026-01-01" in line for line in lines)


def test_a_database_error_does_not_show_the_order(app):
    from sqlalchemy.exc import IntegrityError

    with app.state.sessions() as session:
        order = Order(number="PR-SAME", status="new", **ADDRESS)
        session.add(order)
        session.commit()
        session.add(Order(number="PR-SAME", status="new", **ADDRESS))
        with pytest.raises(IntegrityError) as failure:
            session.commit()
    assert "Dana" not in str(failure.value) and "dana@example.com" not in str(failure.value)


def test_pages_cannot_be_framed_or_kept_in_a_cache(web):
    add(web, "1")
    checkout = verified(web)
    placed = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": checkout})
    assert "frame-ancestors 'none'" in placed.headers["content-security-policy"]
    assert placed.headers["x-frame-options"] == "DENY"
    assert placed.headers["cache-control"] == "no-store"


def test_var_files_are_private(samples, tmp_path, monkeypatch):
    from pressroom.catalog.settings import CatalogSettings

    var = tmp_path / "var"
    monkeypatch.setenv("PRESSROOM_VAR", str(var))
    monkeypatch.delenv("PRESSROOM_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(CatalogSettings.from_env(output_dir=samples.output, order_rate_limit=0))
    with TestClient(app, follow_redirects=False) as client:
        client.csrf = csrf_of(client.get(f"/publications/{SLUG}/en").text)
        add(client, "1")
        assert client.post("/checkout/submit", data={"csrf_token": client.csrf,
                                                     "checkout": verified(client)}).status_code == 200
    app.state.engine.dispose()
    assert var.stat().st_mode & 0o777 == 0o700
    files = list(var.iterdir())
    assert {f.name for f in files} >= {"pressroom.db", "secret_key", "outbox"}
    files += list((var / "outbox").iterdir())  # the order's confirmation, as an .eml file
    assert all(f.stat().st_mode & 0o777 == (0o700 if f.is_dir() else 0o600) for f in files), {
        f.name: oct(f.stat().st_mode) for f in files}


@pytest.mark.parametrize("field, value, message", [
    ("name", "山田太郎", "Our mailing labels cannot print \u201c山\u201d, \u201c田\u201d, \u201c太\u201d, \u201c郎\u201d."),
    ("city", "Springfield \u0939", "cannot print \u201c\u0939\u201d"),
])
def test_what_the_label_font_cannot_print_is_a_field_error(web, field, value, message):
    add(web, "1")
    response = web.post("/checkout", data={"csrf_token": web.csrf, **{**ADDRESS, field: value}})
    assert response.status_code == 400 and f'id="{field}-error"' in response.text and message in response.text


def test_an_address_too_long_for_a_label_is_a_field_error(web):
    add(web, "1")
    long = {name: " ".join(["Wordy"] * 16)[:100] for name in ("name", "organization", "address1", "address2")}
    response = web.post("/checkout", data={"csrf_token": web.csrf, **{**ADDRESS, **long}})
    assert response.status_code == 400
    assert "This address is too long to fit on a mailing label." in response.text
    latin = {**ADDRESS, "name": "Zoë Łukasiewicz-Øster", "address1": "Ul. Świętokrzyska 12"}
    assert web.post("/checkout", data={"csrf_token": web.csrf, **latin}).status_code == 303


@GENERATED
@given(token=st.one_of(st.text(), st.sampled_from(["\x00", "a" * 43 + "\x00", "x" * 500])))
def test_generated_checkout_tokens_never_fail_or_place_an_order(web, app, token):
    if not cart_of(web):
        add(web, "1")
        verified(web)
    answer = web.post("/checkout/submit", data={"csrf_token": web.csrf, "checkout": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/checkout"
    assert orders_in(app) == 0


@GENERATED
@given(slug=st.one_of(st.text(), st.just(SLUG)), lang=st.one_of(st.text(max_size=5), st.sampled_from(["en", "es"])))
def test_generated_titles_and_languages_never_fail_or_add_what_cannot_be_ordered(web, slug, lang):
    before = cart_of(web)
    response = add(web, "1", slug=slug, lang=lang)
    assert response.status_code in (303, 400, 404)
    if response.status_code == 303:
        key = f"{SLUG}|{lang}|fact-sheet"
        assert slug == SLUG and lang == "en" and cart_of(web)[key] == before.get(key, 0) + 1
        web.post("/cart/update", data={"csrf_token": web.csrf, "remove": key})
    else:
        assert cart_of(web) == before
