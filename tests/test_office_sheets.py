"""Imposed files for office printers: what they claim (no PDF/UA, no PDF/X,
title and dates alike in Info and XMP), their boxes, the 0.25 in they keep
clear of every sheet edge, and the booklet's centre fold mark."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest

from pdf_factory import IN, pdf_pages
from pressroom.prepress.impose import impose_booklet, trifold_sheets

MARGIN = 0.25 * IN


def _full_bleed(pdf, b, width, height):
    """Artwork to every edge of the page, as a cover has."""
    pdf.setFillColorRGB(0, 0, 0.3)
    pdf.rect(0, 0, width + 2 * b, height + 2 * b, stroke=0, fill=1)


def _inked(data: bytes, index: int) -> tuple[float, float, float, float]:
    """The box (points, PDF coordinates) holding every non-white pixel of a sheet, drawn at 72 dpi."""
    page = pdfium.PdfDocument(data)[index]
    image = page.render(scale=4).to_pil().convert("L").point(lambda v: 255 if v < 128 else 0)
    left, top, right, bottom = image.getbbox()
    height = page.get_height()
    return left / 4, height - bottom / 4, right / 4, height - top / 4


def _vertical_grey_lines(data: bytes, index: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[index]
        return [{"x": line["x0"], "bottom": line["y0"], "top": line["y1"], "width": line["linewidth"],
                 "colour": line["stroking_color"]}
                for line in page.lines if abs(line["x0"] - line["x1"]) < 0.01]


def test_booklet_sheets_keep_clear_of_the_unprintable_margin():
    data = impose_booklet(pdf_pages(8, bleed=False, draw=_full_bleed))
    for index in range(4):
        x0, y0, x1, y1 = _inked(data, index)
        assert x0 >= MARGIN - 0.5 and y0 >= MARGIN - 0.5, (index, x0, y0)
        assert x1 <= 11 * IN - MARGIN + 0.5 and y1 <= 8.5 * IN - MARGIN + 0.5, (index, x1, y1)
        # Proportions kept (a spread of 11 x 8.5 in) and the spread centred on the sheet.
        assert (x1 - x0) / (y1 - y0) == pytest.approx(11 / 8.5, abs=0.01)
        assert (x0 + x1) / 2 == pytest.approx(5.5 * IN, abs=0.5)
        assert (y0 + y1) / 2 == pytest.approx(4.25 * IN, abs=0.5)
        assert min(y0, 8.5 * IN - y1) == pytest.approx(MARGIN, abs=0.5)  # as large as the margin allows


def test_booklet_fronts_have_a_centre_fold_mark_and_backs_none():
    data = impose_booklet(pdf_pages(8, bleed=False, draw=_full_bleed))
    for index in range(4):
        marks = [m for m in _vertical_grey_lines(data, index) if m["colour"] in (0.55, (0.55,))]
        if index % 2:  # the back of a sheet
            assert marks == []
            continue
        assert len(marks) == 2, marks
        for mark in marks:
            assert mark["x"] == pytest.approx(5.5 * IN) and mark["width"] == pytest.approx(0.5)
            assert mark["top"] - mark["bottom"] == pytest.approx(0.15 * IN)
        bottom, top = sorted(marks, key=lambda m: m["bottom"])
        assert bottom["bottom"] == pytest.approx(MARGIN) and top["top"] == pytest.approx(8.5 * IN - MARGIN)


def test_trifold_office_sheets_shrink_inside_the_margin_with_ticks_at_the_folds():
    panel = 11 * IN / 3
    data = trifold_sheets(pdf_pages(6, size=(panel, 8.5 * IN), bleed=False, draw=_full_bleed), fold_ticks=True)
    for index in range(2):
        x0, y0, x1, y1 = _inked(data, index)
        assert x0 >= MARGIN - 0.5 and y0 >= MARGIN - 0.5 and x1 <= 11 * IN - MARGIN + 0.5
        assert y1 <= 8.5 * IN - MARGIN + 0.5
        ticks = sorted({round(m["x"], 2) for m in _vertical_grey_lines(data, index)})
        expected = [x0 + (x1 - x0) / 3, x0 + 2 * (x1 - x0) / 3]  # the shrunk panels' folds
        assert ticks == pytest.approx(expected, abs=0.6)


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    with pdf.open_metadata() as xmp:
        return {key: str(xmp.get(key) or "") for key in
                ("pdfuaid:part", "pdfuaid:rev", "pdfxid:GTS_PDFXVersion", "dc:title", "xmp:CreateDate",
                 "xmp:ModifyDate")}


def test_imposed_files_claim_only_what_they_are(samples):
    files = sorted((samples.output / "print").rglob("*.imposed.pdf"))
    assert len(files) >= 4
    for path in files:
        pdf = pikepdf.open(path)
        xmp = _xmp(pdf)
        assert not (xmp["pdfuaid:part"] or xmp["pdfuaid:rev"] or xmp["pdfxid:GTS_PDFXVersion"]), path.name
        for key in ("/StructTreeRoot", "/MarkInfo", "/OutputIntents"):
            assert key not in pdf.Root, (path.name, key)
        info = pdf.docinfo
        assert xmp["dc:title"] and str(info.Title) == xmp["dc:title"], path.name
        for info_key, xmp_key in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            assert xmp[xmp_key], (path.name, xmp_key)
            info_date = pikepdf.models.metadata.decode_pdf_date(str(info[info_key]))
            assert info_date.isoformat().replace("+00:00", "Z") == xmp[xmp_key], path.name
        for page in pdf.pages:
            assert [float(v) for v in page.obj.TrimBox] == [float(v) for v in page.mediabox], path.name
