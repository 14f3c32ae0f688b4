"""Crop and fold marks outside the bleed, and the page boxes printers read.

WeasyPrint writes MediaBox = BleedBox = trim + bleed, which leaves no room
for marks outside the bleed. This widens the MediaBox by a slug area, keeps
BleedBox = trim + 0.125 in and TrimBox = the finished page, and draws the
marks in registration colour (all four inks) so they print on every plate.
The page's own content is kept as it is, wrapped in q/Q.
"""

from __future__ import annotations

import pikepdf

from . import BLEED_PT, POINTS_PER_INCH
from .sheets import line

SLUG_PT = 0.5 * POINTS_PER_INCH  # media beyond the trim on each side
MARK_OFFSET_PT = 13.5  # marks start 0.1875 in from the trim: outside the 0.125 in bleed
MARK_LENGTH_PT = 15.0
MARK_WIDTH_PT = 0.3


def _expanded(box: list[float], by: float) -> pikepdf.Array:
    return pikepdf.Array([box[0] - by, box[1] - by, box[2] + by, box[3] + by])


def _marks(trim: list[float], folds_pt: list[float]) -> bytes:
    left, bottom, right, top = trim
    near, far = MARK_OFFSET_PT, MARK_OFFSET_PT + MARK_LENGTH_PT
    crops = []
    for x in (left, right):
        crops += [line(x, top + near, x, top + far), line(x, bottom - near, x, bottom - far)]
    for y in (bottom, top):
        crops += [line(left - near, y, left - far, y), line(right + near, y, right + far, y)]
    folds = []
    for fold in folds_pt:
        folds += [line(left + fold, top + near, left + fold, top + far),
                  line(left + fold, bottom - near, left + fold, bottom - far)]
    text = f"q 1 1 1 1 K {MARK_WIDTH_PT} w " + " ".join(crops)
    if folds:
        text += " [2 2] 0 d " + " ".join(folds)
    return (text + " Q\n").encode()


def add_marks(pdf: pikepdf.Pdf, folds_in: list[list[float]] | None = None) -> None:
    """Boxes and crop marks on every page, in place; fold marks where
    ``folds_in[page]`` lists fold positions in inches from the left trim edge."""
    for index, page in enumerate(pdf.pages):
        trim = [float(v) for v in page.trimbox]
        folds = [f * POINTS_PER_INCH for f in (folds_in[index] if folds_in and index < len(folds_in) else [])]
        media = _expanded(trim, SLUG_PT)
        page.obj.MediaBox = media
        page.obj.CropBox = media
        page.obj.BleedBox = _expanded(trim, BLEED_PT)
        page.obj.TrimBox = pikepdf.Array(trim)
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + _marks(trim, folds)))
