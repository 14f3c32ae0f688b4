"""The PDFs ReportLab draws (job tickets, mailing labels, packing slips)
embed every font they use, and none refers to the unembedded Helvetica."""

from __future__ import annotations

import io

import pikepdf
import pytest

from pressroom.catalog.fulfillment import mailing_labels, packing_slips
from pressroom.prepress.jobticket import JobTicket, ticket_pdf
from test_catalog_labels import LATIN, order


def _fonts(data: bytes) -> list[pikepdf.Dictionary]:
    """Every font dictionary any page uses (descendants of Type 0 fonts included)."""
    fonts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                fonts += list(font.get("/DescendantFonts") or []) if font.Subtype == "/Type0" else [font]
        return [(str(f.BaseFont), "/FontFile2" in (f.get("/FontDescriptor") or {})) for f in fonts]


def _ticket() -> JobTicket:
    return JobTicket(ticket="JT-24-NS-0004-en-booklet-20260914-01", created="2026-09-14",
                     title="Myasthenia Gravis — Miastenia grave", publication_number="24-NS-0004", language="en",
                     layout="booklet", trim_size="5.5 x 8.5 in", pages=12, colours="4/4 CMYK", paper="gloss",
                     finishing="saddle-stitched", quantity=5000, file="x.print.pdf", file_sha256="0" * 64,
                     file_bytes=1, file_pages="single pages in reading order", preflight="passed",
                     preflight_findings=[], deliver_to=["Office", "1 Office Way"], proofs=[])


@pytest.mark.parametrize("make", [
    lambda: ticket_pdf(_ticket(), None),
    lambda: mailing_labels([order("PR-LATIN01", name=LATIN[:60])]),
    lambda: packing_slips([order("PR-SLIP0001")], "Office", ["1 Office Way"]),
], ids=["job ticket", "mailing labels", "packing slips"])
def test_every_font_is_embedded_and_none_is_helvetica(make):
    fonts = _fonts(make())
    assert fonts
    for name, embedded in fonts:
        assert embedded, name
        assert "Helvetica" not in name


def test_the_job_ticket_is_set_in_the_publications_sans():
    names = {name.split("+")[-1] for name, _ in _fonts(ticket_pdf(_ticket(), None))}
    assert names and all(name.startswith("PublicSans") for name in names), names
