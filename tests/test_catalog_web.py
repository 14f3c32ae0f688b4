"""The catalog over HTTP: search, publication pages, downloads, cart and
checkout rules, safety, and the staff pages with their PDFs."""

from __future__ import annotations

import io
import logging
import re

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import select, update

from conftest import ADDRESS, csrf_of
from pressroom.catalog.fulfillment import LABEL_H, LABEL_W, label_origin
from pressroom.catalog.models import Item, Order
from pressroom.catalog.print_runs import run_queued
from pressroom.catalog.staff_auth import add_staff

SLUG = "paraneoplastic-syndromes"


def token(client, path: str) -> str:
    return csrf_of(client.get(path).text)


def order_one(client, quantity=3, slug=SLUG, address=None) -> str:
    csrf = token(client, f"/publications/{slug}/en")
    response = client.post("/cart/add", data={"csrf_token": csrf, "slug": slug, "lang": "en", "layout": "fact-sheet", "quantity": quantity})
    assert response.status_code == 303, response.text
    assert client.post("/checkout", data={"csrf_token": csrf, **(address or ADDRESS)}).status_code == 303
    verify = client.get("/checkout/verify")
    assert verify.status_code == 200
    placed = client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": checkout_token(verify.text)})
    assert placed.status_code == 200 and "Your order is placed." in placed.text, placed.text
    client.confirmation = placed.text
    return re.search(r"Order number <strong>(PR-[A-Z0-9]{8})</strong>", placed.text)[1]


def checkout_token(html: str) -> str:
    return re.search(r'name="checkout" value="([^"]+)"', html)[1]


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/publications/[^"]+">([^<]+)</a></h3>', html)


# --- public pages ---------------------------------------------------------------


def test_catalog_lists_and_searches(client):
    page = client.get("/").text
    assert '<html lang="en">' in page and "New and updated" in page
    assert len(set(titles_in(page))) == 6
    assert titles_in(client.get("/?q=myasthenia").text) == ["Lambert-Eaton Myasthenic Syndrome", "Myasthenia Gravis"]
    assert titles_in(client.get("/?q=cancer").text)  # topic names are searched too
    assert titles_in(client.get("/?topic=eye-movement").text) == ["Opsoclonus-Myoclonus Syndrome"]
    assert "Myasthenia Gravis" in titles_in(client.get("/?audience=health-professionals").text)
    assert set(titles_in(client.get("/?format=booklet").text)) == {"Myasthenia Gravis",
                                                                 "Paraneoplastic Cerebellar Degeneration"}
    spanish = client.get("/?lang=es").text  # in Spanish, linking to the Spanish pages
    assert set(titles_in(spanish)) == {
        "Síndrome de opsoclonía-mioclonía", "Síndromes paraneoplásicos", "Síndrome de la persona rígida"}
    assert '<a href="/publications/paraneoplastic-syndromes/es">' in spanish
    assert titles_in(client.get("/?q=rígida").text) == ["Stiff-Person Syndrome"]  # Spanish words are searched
    none = client.get("/?q=zzzz").text
    assert "0 publications found" in none and "No publication matches" in none


def test_cards_show_cover_languages_and_formats(client):
    page = client.get("/?q=paraneoplastic+syndromes").text
    assert '<img class="cover" src="/thumbs/thumbs/en/paraneoplastic-syndromes.fact-sheet.png"' in page
    assert "English, Español · Fact sheet, Brochure" in " ".join(page.split())
    thumb = client.get("/thumbs/thumbs/en/paraneoplastic-syndromes.fact-sheet.png")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"
    assert thumb.content.startswith(b"\x89PNG")


def test_publication_page(client, samples):
    page = " ".join(client.get(f"/publications/{SLUG}/en").text.split())
    assert '<h1 lang="en">Paraneoplastic Syndromes</h1>' in page
    assert "24-NS-0001" in page and "November 1, 2026" in page
    assert re.search(r"Download Fact sheet \(PDF\)</a> <span class=\"meta\">3 pages, \d+ KB", page), page
    assert 'href="/files/pdf/en/paraneoplastic-syndromes.trifold.pdf"' in page
    assert "<td>Fact sheet</td><td>Orderable</td><td>up to 25</td>" in page
    assert '<option value="fact-sheet">Fact sheet (up to 25)</option>' in page
    # Each edition links to the other, in the other's language.
    assert (f'<p class="other-language" lang="es"><a href="/publications/{SLUG}/es" hreflang="es">'
            "También disponible en español</a></p>") in page
    spanish = " ".join(client.get(f"/publications/{SLUG}/es").text.split())
    assert '<html lang="en">' in spanish and '<h1 lang="es">Síndromes paraneoplásicos</h1>' in spanish
    assert f'<a href="/publications/{SLUG}/en" hreflang="en">Also available in English</a>' in spanish
    assert 'href="/files/pdf/es/paraneoplastic-syndromes.fact-sheet.pdf"' in spanish
    assert client.get(f"/publications/{SLUG}").headers["location"] == f"/publications/{SLUG}/en"
    assert client.get("/publications/nothing/en").status_code == 404


def test_not_printed_or_out_of_stock_is_download_only(client, catalog_app):
    not_printed = client.get("/publications/opsoclonus-myoclonus-syndrome/en").text
    assert "Download only." in not_printed and "This publication is not printed." in not_printed
    assert 'action="/cart/add"' not in not_printed
    out = client.get("/publications/cerebellar-degeneration/en").text  # stock: 0 in its source
    assert "Printed copies are out of stock." in out


def test_downloads_have_types_etags_and_ranges(client, samples):
    path = "pdf/en/paraneoplastic-syndromes.fact-sheet.pdf"
    data = (samples.output / path).read_bytes()
    response = client.get(f"/files/{path}")
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert 'filename="paraneoplastic-syndromes.fact-sheet.pdf"' in response.headers["content-disposition"]
    etag, modified = response.headers["etag"], response.headers["last-modified"]
    assert client.get(f"/files/{path}", headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"/files/{path}", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(f"/files/{path}", headers={"If-None-Match": '"other"'}).status_code == 200
    part = client.get(f"/files/{path}", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == data[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(data)}"
    for bad in ("../manifest.json", "manifest.json", "pdf/en/missing.pdf", "../../etc/passwd"):
        assert client.get(f"/files/{bad}").status_code == 404


# --- cart and checkout ------------------------------------------------------------


def test_order_through_verify_to_confirmation(client, catalog_app):
    number = order_one(client, quantity=3)
    confirmation = client.confirmation
    assert f"Order number <strong>{number}</strong>" in confirmation
    assert "Paraneoplastic Syndromes <span class=\"meta\">(24-NS-0001, English, Fact sheet)</span></td><td>3</td>" in confirmation
    assert client.get("/cart").text.count("Your order is empty") == 1
    with catalog_app.state.sessions() as session:
        order = session.scalar(select(Order).where(Order.number == number))
        assert (order.name, order.zip, order.copies, order.status) == ("Dana Example", "62701-1234", 3, "new")
        assert session.scalar(select(Item.stock).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet")) == 1200 - 3


def test_an_order_is_shown_again_only_with_its_number_and_email(client, catalog_app):
    number = order_one(client)
    # The browser keeps nothing of it: no confirmation, no address for the next person.
    assert number not in client.get(f"/orders/{number}").text.replace(f'value="{number}"', "")
    token(client, f"/publications/{SLUG}/en")
    csrf = token(client, "/orders")
    client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 1})
    assert "Dana" not in client.get("/checkout").text
    wrong = client.post("/orders", data={"csrf_token": csrf, "number": number, "email": "other@example.com"})
    assert wrong.status_code == 404 and "Dana" not in wrong.text
    right = client.post("/orders", data={"csrf_token": csrf, "number": number.lower(), "email": "DANA@example.com"})
    assert right.status_code == 200 and "Dana Example" in right.text and f"Order {number}" in right.text


def test_limits_are_enforced_on_the_server(client):
    csrf = token(client, f"/publications/{SLUG}/en")
    over_title = client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 26})
    assert over_title.status_code == 400
    assert "Paraneoplastic Syndromes (Fact sheet): at most 25 copies per order." in over_title.text
    assert client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet",
                                          "quantity": 15}).status_code == 303
    over_order = client.post("/cart/add", data={"csrf_token": csrf, "slug": "stiff-person-syndrome", "lang": "en", "layout": "fact-sheet",
                                                "quantity": 6})
    assert over_order.status_code == 400
    assert "An order can have at most 20 copies in all; this one has 21." in over_order.text
    not_printed = client.post("/cart/add", data={"csrf_token": csrf, "slug": "opsoclonus-myoclonus-syndrome",
                                                 "lang": "en", "layout": "fact-sheet", "quantity": 1})
    assert not_printed.status_code == 400 and "This publication is not printed" in not_printed.text


def test_cart_change_and_remove(client):
    csrf = token(client, f"/publications/{SLUG}/en")
    client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 2})
    client.post("/cart/add", data={"csrf_token": csrf, "slug": "stiff-person-syndrome", "lang": "en", "layout": "fact-sheet",
                                   "quantity": 1})
    key = f"{SLUG}|en|fact-sheet"
    assert client.post("/cart/update", data={"csrf_token": csrf, f"quantity:{key}": 5,
                                             "quantity:stiff-person-syndrome|en|fact-sheet": 1}).status_code == 303
    cart = client.get("/cart").text
    assert f'name="quantity:{key}" type="number" min="1" max="25" value="5"' in cart
    client.post("/cart/update", data={"csrf_token": csrf, "remove": "stiff-person-syndrome|en|fact-sheet"})
    assert "Stiff-Person Syndrome" not in client.get("/cart").text
    assert client.post("/cart/update", data={"csrf_token": csrf, f"quantity:{key}": 0}).status_code == 400
    client.post("/cart/update", data={"csrf_token": csrf, "remove": key})
    assert "Your order is empty" in client.get("/cart").text


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Enter your full name."),
    ({"state": "ZZ"}, "state", "Choose a US state, territory or armed forces code."),
    ({"zip": "1234"}, "zip", "Enter a ZIP code as 12345 or 12345-6789."),
    ({"zip": "12345-12"}, "zip", "Enter a ZIP code as 12345 or 12345-6789."),
    ({"email": "dana@"}, "email", "Enter an email address like name@example.com."),
    ({"city": "APO", "state": "IL"}, "state", "Military mail uses APO, FPO or DPO as the city with AA, AE or AP"),
    ({"city": "Springfield", "state": "AE"}, "city", "Military mail uses APO, FPO or DPO as the city"),
    ({"address1": "x" * 101}, "address1", "at most 100 characters"),
])
def test_address_errors_name_the_field(client, changes, field, message):
    csrf = token(client, f"/publications/{SLUG}/en")
    client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 1})
    response = client.post("/checkout", data={"csrf_token": csrf, **ADDRESS, **changes})
    assert response.status_code == 400
    page = response.text
    assert f'<li><a href="#{field}">' in page and message in page  # summary at the top, linked to the field
    assert f'id="{field}-error"' in page and f'aria-describedby="{field}-error"' in page  # and next to it
    assert f'<label for="{field}">' in page


@pytest.mark.parametrize("address", [
    {**ADDRESS, "city": "APO", "state": "AE", "zip": "09012", "address1": "Unit 2050 Box 4190"},
    {**ADDRESS, "city": "San Juan", "state": "PR", "zip": "00901"},
    {**ADDRESS, "city": "Washington", "state": "DC", "zip": "20001"},
    {**ADDRESS, "city": "Hagatna", "state": "GU", "zip": "96910-0001"},
])
def test_territories_and_military_addresses_are_accepted(client, address):
    assert order_one(client, quantity=1, address=address).startswith("PR-")


def test_forms_need_the_csrf_token(client):
    client.get("/cart")
    for path, data in [("/cart/add", {"slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 1}),
                       ("/checkout", ADDRESS), ("/checkout/submit", {}), ("/staff/login", {"email": "a@b.c"})]:
        for bad in ({}, {"csrf_token": "forged"}):
            response = client.post(path, data={**data, **bad})
            assert response.status_code == 403, path
            assert "This form had expired" in response.text


def test_order_rate_limit_per_client(samples, tmp_path):
    from fastapi.testclient import TestClient

    from conftest import catalog_settings
    from pressroom.catalog.web import create_app

    app = create_app(catalog_settings(f"sqlite:///{tmp_path / 'c.db'}", samples.output, order_rate_limit=2))
    with TestClient(app, follow_redirects=False) as client:
        order_one(client, quantity=1)
        order_one(client, quantity=1)
        csrf = token(client, f"/publications/{SLUG}/en")
        client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 1})
        client.post("/checkout", data={"csrf_token": csrf, **ADDRESS})
        verify = client.get("/checkout/verify").text
        third = client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": checkout_token(verify)})
        assert third.status_code == 429 and "Too many orders" in third.text


def test_session_cookie_is_httponly_and_samesite(client):
    cookie = client.get("/cart").headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_everything_is_escaped(client):
    page = client.get("/?q=<script>alert(1)</script>").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csrf = token(client, f"/publications/{SLUG}/en")
    client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 1})
    evil = {**ADDRESS, "name": '<img src=x onerror="alert(1)">'}
    client.post("/checkout", data={"csrf_token": csrf, **evil})
    verify = client.get("/checkout/verify").text
    assert "<img src=x" not in verify and "&lt;img src=x onerror=" in verify


def test_logs_hold_no_personal_data(client, caplog):
    with caplog.at_level(logging.DEBUG):
        order_one(client, quantity=1)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /checkout/submit 200" in logged
    for personal in ("Dana", "dana@example.com", "Main Street", "62701", "testclient"):
        assert personal not in logged


# --- staff ---------------------------------------------------------------------------


def staff_login(client, catalog_app, email="staff@example.gov", password="correct horse battery"):
    with catalog_app.state.sessions() as session:
        add_staff(session, email, password)
    csrf = csrf_of(client.get("/staff/login").text)
    return client.post("/staff/login", data={"csrf_token": csrf, "email": email, "password": password,
                                             "next": "/staff"})


def test_staff_pages_need_a_login(client, catalog_app):
    for path in ("/staff", "/staff/stock", "/staff/orders.csv", "/staff/batches/1", "/staff/batches/1/labels.pdf"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    csrf = csrf_of(client.get("/staff/login").text)
    with catalog_app.state.sessions() as session:
        add_staff(session, "staff@example.gov", "correct horse battery")
    wrong = client.post("/staff/login", data={"csrf_token": csrf, "email": "staff@example.gov", "password": "nope"})
    assert wrong.status_code == 401 and "Email or password is not right." in wrong.text
    assert client.get("/staff").status_code == 303


def test_passwords_are_hashed(catalog_app):
    from pressroom.catalog.models import StaffUser

    with catalog_app.state.sessions() as session:
        add_staff(session, "staff@example.gov", "correct horse battery")
        stored = session.scalar(select(StaffUser.password_hash))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    with pytest.raises(Exception, match="at least 12 characters"):
        with catalog_app.state.sessions() as session:
            add_staff(session, "other@example.gov", "short")


def test_fulfilment_batch_slips_labels_ship_and_csv(client, catalog_app):
    numbers = [order_one(client, quantity=q) for q in (1, 2, 3)]
    assert staff_login(client, catalog_app).status_code == 303
    queue = client.get("/staff").text
    assert all(n in queue for n in numbers) and "New (3)" in queue
    csrf = csrf_of(queue)
    with catalog_app.state.sessions() as session:
        ids = [str(i) for i in session.scalars(select(Order.id).order_by(Order.id))]
    batch = client.post("/staff/batches", data={"csrf_token": csrf, "order": ids})
    assert batch.status_code == 303
    page = client.get(batch.headers["location"]).text
    assert "<td>Paraneoplastic Syndromes</td><td>24-NS-0001</td><td>English</td><td>Fact sheet</td><td>6</td>" in page

    slips = client.get(batch.headers["location"] + "/packing-slips.pdf")
    assert slips.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(slips.content)
    assert len(document) == 3
    for index, number in enumerate(numbers):
        image = document[index].render(scale=3).to_pil()
        codes = [(c.format.name, c.text) for c in zxingcpp.read_barcodes(image)]
        assert ("Code128", number) in codes

    labels = client.get(batch.headers["location"] + "/labels.pdf")
    with pdfplumber.open(io.BytesIO(labels.content)) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == (612, 792)
        for index in range(3):  # each address inside its Avery 5160 cell
            x, y = label_origin(index)
            cell = page.crop((x, 792 - y - LABEL_H, x + LABEL_W, 792 - y))
            assert "Dana Example" in cell.extract_text() and numbers[index] in cell.extract_text()

    csrf = csrf_of(client.get(batch.headers["location"]).text)
    missing = client.post(batch.headers["location"] + "/ship", data={"csrf_token": csrf, f"tracking:{ids[0]}": "x"})
    assert missing.status_code == 400
    assert f"Tracking number of {numbers[0]}: enter 8 to 40 letters, digits or hyphens." in missing.text
    assert f"Tracking number of {numbers[1]}: enter 8 to 40 letters, digits or hyphens (it is missing)." in missing.text
    assert "Shipped (0)" in client.get("/staff?status=shipped").text
    tracking = {f"tracking:{order_id}": f"9400-1000-{order_id:04d}" for order_id in map(int, ids)}
    assert client.post(batch.headers["location"] + "/ship", data={"csrf_token": csrf, **tracking}).status_code == 303
    assert "Shipped (3)" in client.get("/staff?status=shipped").text
    csv_text = client.get("/staff/orders.csv").text
    assert csv_text.splitlines()[0].startswith("order,status,placed,shipped,name")
    assert sum(1 for line in csv_text.splitlines()[1:] if ",shipped," in line) == 3


def test_csv_cells_cannot_be_formulas(client, catalog_app):
    order_one(client, quantity=1, address={**ADDRESS, "name": "=HYPERLINK(\"http://x\")"})
    staff_login(client, catalog_app)
    assert "'=HYPERLINK" in client.get("/staff/orders.csv").text


def test_stock_receive_and_low_stock_print_run(client, catalog_app):
    staff_login(client, catalog_app)
    stock = client.get("/staff/stock").text
    assert "Low stock (under 100 copies)" in stock
    assert 'href="/staff/stock/stiff-person-syndrome/print-run"' in stock  # 15 copies in its source
    csrf = csrf_of(stock)
    with catalog_app.state.sessions() as session:
        item_id = session.scalar(select(Item.id).where(Item.slug == "stiff-person-syndrome", Item.lang == "en",
                                                       Item.layout == "fact-sheet"))
    assert client.post(f"/staff/stock/{item_id}/receive",
                       data={"csrf_token": csrf, "quantity": "500"}).status_code == 303
    with catalog_app.state.sessions() as session:
        assert session.scalar(select(Item.stock).where(Item.slug == "stiff-person-syndrome", Item.lang == "en", Item.layout == "fact-sheet")) == 515
    bad = client.post(f"/staff/stock/{item_id}/receive", data={"csrf_token": csrf, "quantity": "-5"})
    assert bad.status_code == 400
    form = client.get("/staff/stock/stiff-person-syndrome/print-run").text
    bad = client.post("/staff/stock/stiff-person-syndrome/print-run",
                      data={"csrf_token": csrf_of(form), "layout": "booklet", "lang": "en", "quantity": "2500"})
    assert bad.status_code == 400 and "Format: choose one of" in bad.text
    queued = client.post("/staff/stock/stiff-person-syndrome/print-run",
                         data={"csrf_token": csrf_of(form), "layout": "trifold", "lang": "en", "quantity": "2500"})
    assert queued.status_code == 303 and queued.headers["location"] == "/staff/print-runs"  # not built in the request
    assert "Waiting" in client.get("/staff/print-runs").text
    assert run_queued(catalog_app.state.sessions, catalog_app.state.settings) == 1  # what the worker does
    runs = client.get("/staff/print-runs").text
    assert "Ready" in runs and 'href="/staff/print-runs/1/ticket.pdf"' in runs
    ticket = client.get("/staff/print-runs/1/ticket.pdf")
    assert ticket.status_code == 200 and ticket.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(ticket.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "2,500 copies" in text and "C-fold" in text


def test_out_of_stock_title_cannot_be_ordered_even_if_in_cart(client, catalog_app):
    csrf = token(client, f"/publications/{SLUG}/en")
    client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": "en", "layout": "fact-sheet", "quantity": 2})
    client.post("/checkout", data={"csrf_token": csrf, **ADDRESS})
    checkout = checkout_token(client.get("/checkout/verify").text)
    with catalog_app.state.sessions() as session:
        session.execute(update(Item).where(Item.slug == SLUG, Item.lang == "en", Item.layout == "fact-sheet").values(stock=1))
        session.commit()
    refused = client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": checkout})
    assert refused.status_code == 409
    assert "Sorry, only 1 copy of \u201cParaneoplastic Syndromes\u201d is left." in refused.text


def test_the_print_run_worker_builds_queued_runs_outside_the_request(samples, tmp_path):
    import time

    from fastapi.testclient import TestClient

    from conftest import catalog_settings
    from pressroom.catalog.web import create_app

    app = create_app(catalog_settings(f"sqlite:///{tmp_path / 'catalog.db'}", samples.output, print_worker=True))
    with TestClient(app, follow_redirects=False) as client:
        staff_login(client, app)
        form = client.get("/staff/stock/myasthenia-gravis/print-run").text
        queued = client.post("/staff/stock/myasthenia-gravis/print-run",
                             data={"csrf_token": csrf_of(form), "layout": "booklet", "lang": "en", "quantity": "1000"})
        assert queued.status_code == 303
        for _ in range(240):  # the worker polls; a build takes seconds
            if "Ready" in (page := client.get("/staff/print-runs").text) or "Failed" in page:
                break
            time.sleep(0.5)
        assert "Ready" in page, page
        assert client.get("/staff/print-runs/1/ticket.pdf").headers["content-type"] == "application/pdf"


def test_the_catalog_needs_only_the_output_folder(samples, tmp_path):
    from fastapi.testclient import TestClient

    from conftest import catalog_settings
    from pressroom.catalog.web import create_app

    app = create_app(catalog_settings(f"sqlite:///{tmp_path / 'catalog.db'}", samples.output,
                                      sources_dir=tmp_path / "no-sources", layouts_dir=tmp_path / "no-layouts"))
    with TestClient(app) as client:
        home = client.get("/")
        assert home.status_code == 200 and "Neurological Health Information Office" in home.text
        page = client.get("/publications/paraneoplastic-syndromes/en").text
        assert "También disponible en español" in page
        assert client.get("/fonts/public-sans/public-sans-latin-400-normal.ttf").status_code == 200
