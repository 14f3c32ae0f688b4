"""Mailing labels and packing slips: a shipped font with full Latin coverage
(DejaVu Sans), and long lines that wrap inside their label, never cut."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber

from pressroom.catalog.fulfillment import mailing_labels, packing_slips
from pressroom.catalog.labels import LABEL_H, LABEL_W, unprintable
from pressroom.catalog.fulfillment import label_origin
from pressroom.catalog.models import Order, OrderLine

LATIN = "Zoë Łukasiewicz-Øster Ğüneş Dvořák Nguyễn Ærøskøbing Þórunn Šťastná"
LONG_STREET = "1234 Extraordinarily Long Boulevard Name Northwest Building Seventeen Suite Forty"


def order(number: str, **changes) -> Order:
    values = dict(number=number, status="batched", name="Dana Example", organization="", address1="12 Main Street",
                  address2="", city="Springfield", state="IL", zip="62701", email="dana@example.com",
                  created_at=dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))
    values.update(changes)
    placed = Order(**values)
    placed.lines = [OrderLine(slug="s", lang="en", layout="fact-sheet", number="24-NS-0001", title="Paraneoplastic Syndromes", quantity=2)]
    return placed


def cell_text(page, index: int) -> tuple[str, list[dict]]:
    x, y = label_origin(index)
    top, bottom = 792 - y - LABEL_H, 792 - y
    chars = [c for c in page.chars if x <= c["x0"] and c["x1"] <= x + LABEL_W and top <= c["top"] <= bottom]
    return " ".join(page.crop((x, top, x + LABEL_W, bottom)).extract_text().split()), chars


def test_labels_print_full_latin_in_the_shipped_font():
    assert unprintable(LATIN) == []
    pdf = mailing_labels([order("PR-LATIN01", name=LATIN[:60], address2=LATIN[60:])])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text, chars = cell_text(page, 0)
        assert LATIN[:60].split()[0] in text and "Łukasiewicz-Øster" in text and "Šťastná" in text
        assert {c["fontname"].split("+")[-1] for c in page.chars} == {"DejaVuSans"}
        assert len(chars) == len(page.chars)  # nothing outside the label


def test_long_lines_wrap_inside_the_label_and_keep_every_word():
    pdf = mailing_labels([order("PR-LONG0001", address1=LONG_STREET, organization="Neurology Clinic of the "
                                "Greater Springfield Metropolitan Area Hospital")])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text, chars = cell_text(page, 0)
    for word in LONG_STREET.split() + ["Metropolitan", "Hospital", "PR-LONG0001"]:
        assert word in text, word
    assert len(chars) == len(page.chars)


def test_characters_the_font_lacks_are_named():
    assert unprintable("山田 Dana ह ก") == ["山", "田", "ह", "ก"]


def test_packing_slips_wrap_long_titles_and_addresses():
    title = "A Very Long Publication Title About Paraneoplastic Neurological Syndromes And Their Treatment Today"
    slip = order("PR-SLIP0001", address1=LONG_STREET, name=LATIN[:60])
    slip.lines = [OrderLine(slug="s", lang="en", layout="fact-sheet", number="24-NS-0001", title=title, quantity=3)]
    pdf = packing_slips([slip], "Office", ["1 Office Way"])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        text = " ".join(page.extract_text().split())
        assert all(c["x1"] <= 612 - 0.5 * 72 for c in page.chars)
    for word in title.split() + LONG_STREET.split() + ["Łukasiewicz-Øster"]:
        assert word in text, word
