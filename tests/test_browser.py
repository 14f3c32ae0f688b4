"""A person's path through the catalog in Debian's Chromium, driven by
Playwright: search, open a publication, download its PDF, order 3 copies
through verify and submit, and find the order in the staff queue.
Screenshots of each step are kept in output/test-artifacts/browser/."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from conftest import LiveServer, catalog_settings
from pressroom.catalog.staff_auth import add_staff
from pressroom.catalog.web import create_app
from pressroom.options import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "output" / "test-artifacts" / "browser"
@pytest.fixture
def browser_page(chromium):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_search_download_order_and_staff_queue(browser_page, samples, tmp_path):
    app = create_app(catalog_settings(f"sqlite:///{tmp_path / 'catalog.db'}", samples.output))
    with app.state.sessions() as session:
        add_staff(session, "staff@example.gov", "correct horse battery")
    page = browser_page
    with LiveServer(app) as base:
        page.goto(base + "/")
        expect(page.get_by_role("heading", name="Find health publications")).to_be_visible()
        shot(page, "01-catalog")

        page.get_by_label("Search titles, summaries and topics").fill("paraneoplastic")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name=re.compile(r"2 publications found"))).to_be_visible()
        shot(page, "02-search")

        page.get_by_role("link", name="Paraneoplastic Syndromes", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Paraneoplastic Syndromes")
        shot(page, "03-publication")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download Fact sheet (PDF)").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        expected = samples.output / "pdf/en/paraneoplastic-syndromes.fact-sheet.pdf"
        assert download.suggested_filename == "paraneoplastic-syndromes.fact-sheet.pdf"
        assert saved.read_bytes() == expected.read_bytes()

        page.get_by_label("Number of copies").fill("3")
        page.get_by_role("button", name="Add to order").click()
        expect(page.get_by_role("heading", name="Your order")).to_be_visible()
        shot(page, "04-cart")

        page.get_by_role("link", name="Continue to shipping address").click()
        page.get_by_role("button", name="Review your order").click()  # empty form: errors first
        expect(page.get_by_role("alert")).to_contain_text("Enter your full name.")
        shot(page, "05-address-errors")
        page.get_by_label("Full name").fill("Dana Example")
        page.get_by_label("Street address or PSC/Unit and box").fill("12 Main Street")
        page.get_by_label("City (APO, FPO or DPO for military mail)").fill("Springfield")
        page.get_by_label("State, territory or armed forces code").select_option("IL")
        page.get_by_label("ZIP code (12345 or 12345-6789)").fill("62701")
        page.get_by_label("Email, for questions about the order").fill("dana@example.com")
        page.keyboard.press("Enter")  # keyboard submits the form
        expect(page.get_by_role("heading", name="Check your order")).to_be_visible()
        shot(page, "06-verify")

        page.get_by_role("button", name="Place order").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. Your order is placed.")
        number = re.search(r"PR-[A-Z0-9]{8}", page.locator(".order-number").inner_text()).group(0)
        shot(page, "07-confirmation")

        page.goto(base + "/staff")
        page.get_by_label("Email").fill("staff@example.gov")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        row = page.get_by_role("row", name=re.compile(number))
        expect(row).to_contain_text("Paraneoplastic Syndromes (en) × 3")
        shot(page, "08-staff-queue")
    assert sorted(p.name for p in ARTIFACTS.iterdir()) == [
        "01-catalog.png", "02-search.png", "03-publication.png", "04-cart.png", "05-address-errors.png",
        "06-verify.png", "07-confirmation.png", "08-staff-queue.png"]
