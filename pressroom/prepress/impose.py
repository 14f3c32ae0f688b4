"""Imposition with pypdf page transforms: pages placed on printer sheets.

- Saddle-stitch booklets, 2-up on Letter landscape, duplex: for n pages
  (a multiple of 4), sheet k = 1..n/4 has front [n-2k+2 | 2k-1] and back
  [2k | n-2k+1]. For 8 pages: 8|1, 2|7, 6|3, 4|5.
- Tri-folds: six panels (reading order) placed on the two sides of one sheet,
  outside 5 | 6 | 1 and inside 2 | 3 | 4, for print (with bleed on the sheet's
  outer edges) or for an office printer (with fold marks).
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, RectangleObject
from reportlab.pdfgen import canvas

from ..render.layouts import TRIFOLD_SHEETS
from . import POINTS_PER_INCH
from .marks import drawing_without_fonts


def saddle_stitch_order(pages: int) -> list[int]:
    """Page numbers (1-based) in the order they go on sheet sides, left then
    right: front of sheet 1, back of sheet 1, front of sheet 2, ..."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    order = []
    for k in range(1, pages // 4 + 1):
        order += [pages - 2 * k + 2, 2 * k - 1, 2 * k, pages - 2 * k + 1]
    return order


def _write(writer: PdfWriter, source: PdfReader) -> bytes:
    """Write the sheets, keeping the source's output intent and metadata (PDF/X)."""
    for key in ("/OutputIntents", "/Metadata", "/Lang"):
        if key in source.trailer["/Root"]:
            writer._root_object[NameObject(key)] = writer._add_object(source.trailer["/Root"][key].get_object()) \
                if key == "/Metadata" else source.trailer["/Root"][key].clone(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def impose_booklet(data: bytes) -> bytes:
    """Screen pages (no bleed) two-up on sheets twice their width."""
    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages
    width, height = float(pages[0].trimbox.width), float(pages[0].trimbox.height)
    writer = PdfWriter()
    order = saddle_stitch_order(len(pages))
    for side in range(0, len(order), 2):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for slot, number in enumerate(order[side:side + 2]):
            page = pages[number - 1]
            trim = page.trimbox
            page.cropbox = trim
            sheet.merge_transformed_page(
                page, Transformation().translate(slot * width - float(trim.left), -float(trim.bottom)))
        writer.add_page(sheet)
    return _write(writer, reader)


def trifold_sheets(data: bytes, bleed_pt: float = 0.0, fold_ticks: bool = False) -> bytes:
    """Panels 1..6 to the two sheet sides. With ``bleed_pt`` the panels' own
    bleed is kept on the sheet's outer edges and cut at the folds; with
    ``fold_ticks`` short grey ticks mark the folds for office folding."""
    reader = PdfReader(io.BytesIO(data))
    panels = reader.pages
    if len(panels) != 6:
        raise ValueError(f"a tri-fold has 6 panels, not {len(panels)}")
    writer = PdfWriter()
    for order in TRIFOLD_SHEETS:
        widths = [float(panels[p - 1].trimbox.width) for p in order]
        height = float(panels[order[0] - 1].trimbox.height)
        sheet_w = sum(widths)
        sheet = PageObject.create_blank_page(width=sheet_w + 2 * bleed_pt, height=height + 2 * bleed_pt)
        sheet.mediabox = RectangleObject([-bleed_pt, -bleed_pt, sheet_w + bleed_pt, height + bleed_pt])
        x = 0.0
        for slot, number in enumerate(order):
            page = panels[number - 1]
            trim = page.trimbox
            first, last = slot == 0, slot == len(order) - 1
            page.cropbox = RectangleObject([
                float(trim.left) - (bleed_pt if first else 0), float(trim.bottom) - bleed_pt,
                float(trim.right) + (bleed_pt if last else 0), float(trim.top) + bleed_pt])
            sheet.merge_transformed_page(page, Transformation().translate(x - float(trim.left), -float(trim.bottom)))
            x += widths[slot]
        sheet.trimbox = RectangleObject([0, 0, sheet_w, height])
        sheet.bleedbox = RectangleObject([-bleed_pt, -bleed_pt, sheet_w + bleed_pt, height + bleed_pt])
        if fold_ticks:
            _draw_fold_ticks(sheet, [widths[0], widths[0] + widths[1]], height)
        writer.add_page(sheet)
    return _write(writer, reader)


def _draw_fold_ticks(sheet: PageObject, folds: list[float], height: float) -> None:
    """Grey ticks 0.25-0.45 in from the top and bottom edges, inside the
    margin office printers can reach and away from any text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(float(sheet.mediabox.width), height), invariant=1)
    pdf.setStrokeGray(0.55)
    pdf.setLineWidth(0.5)
    near, far = 0.25 * POINTS_PER_INCH, 0.45 * POINTS_PER_INCH
    for x in folds:
        pdf.line(x, height - near, x, height - far)
        pdf.line(x, near, x, far)
    pdf.showPage()
    pdf.save()
    sheet.merge_page(drawing_without_fonts(buffer.getvalue()))
