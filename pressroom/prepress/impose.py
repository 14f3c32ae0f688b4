"""Imposition: pages placed on printer sheets (see sheets.py).

- Saddle-stitch booklets, 2-up on Letter landscape, duplex: for n pages
  (a multiple of 4), sheet k = 1..n/4 has front [n-2k+2 | 2k-1] and back
  [2k | n-2k+1]. For 8 pages: 8|1, 2|7, 6|3, 4|5.
- Tri-folds: six panels (reading order) placed on the two sides of one sheet,
  outside 5 | 6 | 1 and inside 2 | 3 | 4, for print (with bleed on the sheet's
  outer edges) or for an office printer (with fold marks).

Office sheets (booklets and the tri-fold's imposed file) are shrunk to stay
clear of the 0.25 in that office printers cannot reach, so covers whose
artwork runs to the edge are not cut off; booklet fronts get a centre fold
mark.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

from ..render.layouts import TRIFOLD_SHEETS
from . import POINTS_PER_INCH
from .office import declare_office
from .sheets import fit_inside, line, page_form, place, replace_pages

OFFICE_MARGIN_PT = 0.25 * POINTS_PER_INCH  # unprintable on most office printers


def saddle_stitch_order(pages: int) -> list[int]:
    """Page numbers (1-based) in the order they go on sheet sides, left then
    right: front of sheet 1, back of sheet 1, front of sheet 2, ..."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    order = []
    for k in range(1, pages // 4 + 1):
        order += [pages - 2 * k + 2, 2 * k - 1, 2 * k, pages - 2 * k + 1]
    return order


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _trim(page: pikepdf.Page) -> list[float]:
    return [float(v) for v in page.trimbox]


def impose_booklet(data: bytes) -> bytes:
    """Screen pages (no bleed) two-up on sheets twice their width, for an
    office printer."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        left, bottom, right, top = _trim(pages[0])
        width, height = right - left, top - bottom
        media = [0, 0, 2 * width, height]
        fit = fit_inside(media, OFFICE_MARGIN_PT)
        forms = [page_form(pdf, page) for page in pages]
        order = saddle_stitch_order(len(pages))
        sheets = []
        for side in range(0, len(order), 2):
            placements = []
            for slot, number in enumerate(order[side:side + 2]):
                x0, y0, _, _ = _trim(pages[number - 1])
                clip = [slot * width, 0, (slot + 1) * width, height]
                placements.append((forms[number - 1], clip, slot * width - x0, -y0))
            front = side % 4 == 0  # sides alternate front, back
            mark = _centre_fold_mark(width, height) if front else b""
            sheets.append(place(pdf, media, placements, {Name.TrimBox: media}, mark, fit))
        replace_pages(pdf, sheets)
        declare_office(pdf)
        return _saved(pdf)


def _centre_fold_mark(x: float, height: float) -> bytes:
    """Where the sheet folds: 0.15 in at the top and bottom, just inside
    what an office printer reaches, in the pages' own blank margin."""
    near, far = OFFICE_MARGIN_PT, OFFICE_MARGIN_PT + 0.15 * POINTS_PER_INCH
    return ("q 0.55 G 0.5 w " + line(x, height - near, x, height - far) + " "
            + line(x, near, x, far) + " Q\n").encode()


def trifold_sheets(data: bytes, bleed_pt: float = 0.0, fold_ticks: bool = False) -> bytes:
    """The tri-fold's two sheet sides for an office printer."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        impose_trifold(pdf, bleed_pt, fold_ticks, margin_pt=OFFICE_MARGIN_PT)
        declare_office(pdf)
        return _saved(pdf)


def impose_trifold(pdf: pikepdf.Pdf, bleed_pt: float = 0.0, fold_ticks: bool = False,
                   margin_pt: float = 0.0) -> None:
    """Panels 1..6 to the two sheet sides, in place. With ``bleed_pt`` the
    panels' own bleed is kept on the sheet's outer edges and cut at the
    folds; with ``fold_ticks`` short grey ticks mark the folds for office
    folding; with ``margin_pt`` the panels shrink to stay that far from
    every sheet edge."""
    panels = list(pdf.pages)
    if len(panels) != 6:
        raise ValueError(f"a tri-fold has 6 panels, not {len(panels)}")
    forms = [page_form(pdf, page) for page in panels]
    sheets = []
    for order in TRIFOLD_SHEETS:
        trims = [_trim(panels[p - 1]) for p in order]
        widths = [t[2] - t[0] for t in trims]
        height = trims[0][3] - trims[0][1]
        sheet_w = sum(widths)
        placements, x = [], 0.0
        for slot, number in enumerate(order):
            first, last = slot == 0, slot == len(order) - 1
            clip = [x - (bleed_pt if first else 0), -bleed_pt, x + widths[slot] + (bleed_pt if last else 0),
                    height + bleed_pt]
            placements.append((forms[number - 1], clip, x - trims[slot][0], -trims[slot][1]))
            x += widths[slot]
        media = [-bleed_pt, -bleed_pt, sheet_w + bleed_pt, height + bleed_pt]
        fit = fit_inside(media, margin_pt) if margin_pt else None
        folds = [widths[0], widths[0] + widths[1]]
        if fit is not None:
            folds = [fit[0] * x + fit[1] for x in folds]
        ticks = _fold_ticks(folds, height) if fold_ticks else b""
        sheets.append(place(pdf, media, placements, {Name.TrimBox: [0, 0, sheet_w, height],
                                                     Name.BleedBox: media}, ticks, fit))
    replace_pages(pdf, sheets)


def _fold_ticks(folds: list[float], height: float) -> bytes:
    """Grey ticks 0.25-0.45 in from the top and bottom edges, inside the
    margin office printers can reach and away from any text."""
    near, far = 0.25 * POINTS_PER_INCH, 0.45 * POINTS_PER_INCH
    lines = [line(x, height - near, x, height - far) + " " + line(x, near, x, far) for x in folds]
    return ("q 0.55 G 0.5 w " + " ".join(lines) + " Q\n").encode()
