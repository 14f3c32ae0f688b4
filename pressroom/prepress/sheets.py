"""Pages placed on new sheets as form XObjects (pikepdf): the content
streams are referenced, never parsed or rewritten, so placing costs the
same whatever is on the page."""

from __future__ import annotations

import pikepdf
from pikepdf import Name


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def page_form(pdf: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Object:
    """``page`` as a form XObject that keeps everything on its MediaBox
    (qpdf's own form is cut at the TrimBox, which would lose the bleed)."""
    form = page.as_form_xobject(handle_transformations=True)
    form.BBox = pikepdf.Array([float(v) for v in page.mediabox])
    return pdf.make_indirect(form)


def fit_inside(media: list[float], margin: float) -> tuple[float, float, float]:
    """(scale, dx, dy) that shrink everything on ``media`` to fit inside
    ``margin`` on every side, proportions kept and centred."""
    x0, y0, x1, y1 = media
    width, height = x1 - x0, y1 - y0
    # Rounded as the content stream writes it, so marks placed with it line up.
    scale = round(min((width - 2 * margin) / width, (height - 2 * margin) / height), 4)
    return scale, (x0 + x1) / 2 * (1 - scale), (y0 + y1) / 2 * (1 - scale)


def place(pdf: pikepdf.Pdf, media: list[float], placements: list[tuple], boxes: dict | None = None,
          extra: bytes = b"", fit: tuple[float, float, float] | None = None) -> pikepdf.Dictionary:
    """A new page of ``media`` (x0, y0, x1, y1) with each (form, clip, dx, dy)
    drawn moved by (dx, dy) and cut at ``clip`` (a rectangle on the sheet);
    ``extra`` is drawn on top. ``boxes`` sets TrimBox/BleedBox; ``fit``
    (from fit_inside) shrinks the placed pages, not ``extra``."""
    content, forms = [], {}
    for index, (form, clip, dx, dy) in enumerate(placements):
        name = f"/P{index}"
        forms[name] = form
        x0, y0, x1, y1 = clip
        content.append(f"q {_number(x0)} {_number(y0)} {_number(x1 - x0)} {_number(y1 - y0)} re W n "
                       f"1 0 0 1 {_number(dx)} {_number(dy)} cm {name} Do Q")
    if fit is not None:
        scale, dx, dy = fit
        content = [f"q {_number(scale)} 0 0 {_number(scale)} {_number(dx)} {_number(dy)} cm", *content, "Q"]
    stream = ("\n".join(content) + "\n").encode() + extra
    sheet = pikepdf.Dictionary(
        Type=Name.Page, MediaBox=pikepdf.Array(media),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary({k: v for k, v in forms.items()})),
        Contents=pdf.make_stream(stream))
    for key, box in (boxes or {}).items():
        sheet[key] = pikepdf.Array(box)
    return pdf.make_indirect(sheet)


def replace_pages(pdf: pikepdf.Pdf, sheets: list[pikepdf.Dictionary]) -> None:
    """The document's pages become ``sheets``; the structure tree, which
    points at the old pages, goes (imposed sheets are not read on screen)."""
    for key in ("/StructTreeRoot", "/MarkInfo", "/Outlines", "/Names"):
        if key in pdf.Root:
            del pdf.Root[key]
    while len(pdf.pages):
        del pdf.pages[-1]
    for sheet in sheets:
        pdf.pages.append(pikepdf.Page(sheet))


def line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"{_number(x0)} {_number(y0)} m {_number(x1)} {_number(y1)} l S"
