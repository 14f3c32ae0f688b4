"""Crop and fold marks outside the bleed, and the page boxes printers read.

WeasyPrint writes MediaBox = BleedBox = trim + bleed, which leaves no room
for marks outside the bleed. This widens the MediaBox by a slug area, keeps
BleedBox = trim + 0.125 in and TrimBox = the finished page, and draws the
marks in registration colour (all four inks) so they print on every plate.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject
from reportlab.pdfgen import canvas

from . import BLEED_PT, POINTS_PER_INCH

SLUG_PT = 0.5 * POINTS_PER_INCH  # media beyond the trim on each side
MARK_OFFSET_PT = 13.5  # marks start 0.1875 in from the trim: outside the 0.125 in bleed
MARK_LENGTH_PT = 15.0
MARK_WIDTH_PT = 0.3


def _expanded(box: RectangleObject, by: float) -> RectangleObject:
    return RectangleObject([float(box.left) - by, float(box.bottom) - by, float(box.right) + by, float(box.top) + by])


def _marks_page(width: float, height: float, trim_w: float, trim_h: float, folds_pt: list[float]) -> bytes:
    """One page of marks, media-sized, with the trim at (SLUG_PT, SLUG_PT)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, invariant=1)
    pdf.setStrokeColorCMYK(1, 1, 1, 1)
    pdf.setLineWidth(MARK_WIDTH_PT)
    left, bottom, right, top = SLUG_PT, SLUG_PT, SLUG_PT + trim_w, SLUG_PT + trim_h
    near, far = MARK_OFFSET_PT, MARK_OFFSET_PT + MARK_LENGTH_PT
    for x in (left, right):
        pdf.line(x, top + near, x, top + far)
        pdf.line(x, bottom - near, x, bottom - far)
    for y in (bottom, top):
        pdf.line(left - near, y, left - far, y)
        pdf.line(right + near, y, right + far, y)
    pdf.setDash(2, 2)
    for fold in folds_pt:
        pdf.line(left + fold, top + near, left + fold, top + far)
        pdf.line(left + fold, bottom - near, left + fold, bottom - far)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# ReportLab starts every page by selecting its default font ("BT /F1 12 Tf
# 14.4 TL ET"), text or not.
_FONT_PREAMBLE = re.compile(rb"BT\s+/F\d+\s+[\d.]+\s+Tf\s+[\d.]+\s+TL\s+ET\s*")


def drawing_without_fonts(data: bytes):
    """The first page of a ReportLab drawing (marks, ticks) with no font at
    all: ReportLab lists Helvetica in every page's resources and selects it in
    the content, text or not. An unused, unembedded font would fail preflight,
    and a font tag without its resource upsets RIPs."""
    page = PdfWriter(clone_from=PdfReader(io.BytesIO(data))).pages[0]
    resources = page.get("/Resources")
    if resources is not None and "/Font" in resources:
        del resources["/Font"]
    contents = page.get_contents()
    if contents is not None:
        contents.set_data(_FONT_PREAMBLE.sub(b"", contents.get_data()))
        page.replace_contents(contents)
    return page


def add_marks(data: bytes, folds_in: list[list[float]] | None = None) -> bytes:
    """Boxes and crop marks on every page; fold marks where ``folds_in[page]``
    lists fold positions in inches from the left trim edge."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for index, page in enumerate(writer.pages):
        trim = page.trimbox
        trim_w, trim_h = float(trim.width), float(trim.height)
        media = _expanded(trim, SLUG_PT)
        folds = [f * POINTS_PER_INCH for f in (folds_in[index] if folds_in and index < len(folds_in) else [])]
        marks = drawing_without_fonts(_marks_page(float(media.width), float(media.height), trim_w, trim_h, folds))
        page.mediabox = media
        page.cropbox = media
        page.bleedbox = _expanded(trim, BLEED_PT)
        page.trimbox = trim
        page.merge_transformed_page(marks, Transformation().translate(float(media.left), float(media.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
