"""Preflight: check a print PDF as a printer's prepress department would.

Checks: trim and bleed boxes and bleed size, trim size against the layout,
every font embedded, effective image resolution at placed size, a PDF/X
output intent and no device RGB, the layout's page-count rule, text inside
the safety margin (from trim edges and folds, measured on character boxes),
the minimum type size, and small type in a mix of inks (a warning; inks.py). Each finding names the page and, where it has
one, the position in inches from the trim's top-left corner.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..render.layouts import LayoutSpec
from . import BLEED_PT, MIN_PPI, MIN_TYPE_PT, POINTS_PER_INCH, SAFETY_PT, inches
from .inks import INK_THRESHOLD, SMALL_TYPE_PT, mixed_small_type

RGB_OPERATORS = {"rg", "RG"}
MAX_EXAMPLES = 3  # text findings of one kind on one page are summarised after this


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    pages: tuple[int, ...]  # 1-based; empty for the whole file
    message: str
    x_in: float | None = None  # from the trim's left edge (on the first of its pages)
    y_in: float | None = None  # from the trim's top edge
    subject: str = ""  # what it is about, for a caller to find its source: an image's XObject name or "WxH" px

    @property
    def where(self) -> str:
        if not self.pages:
            return "file"
        where = f"page {self.pages[0]}" if len(self.pages) == 1 else f"pages {page_list(self.pages)}"
        if self.x_in is not None:
            where += f" at x {self.x_in:.2f} in, y {self.y_in:.2f} in"
        return where

    def format(self, name: str) -> str:
        return f"{name}: {self.where}: {self.level}: {self.message}"


def page_list(pages: tuple[int, ...]) -> str:
    """1, 2, 3, 5 as "1-3, 5"."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def merged(findings: list[Finding]) -> list[Finding]:
    """One finding per level and message, with every page it is on (the
    position is kept for a finding on one page only)."""
    grouped: dict[tuple, list[Finding]] = {}
    for number, finding in enumerate(findings):
        # "N more words ..." counts one page's words: such summaries stay per page
        key = (finding.level, finding.message) if " more words " not in finding.message else (number,)
        grouped.setdefault(key, []).append(finding)
    result = []
    for same in grouped.values():
        pages = tuple(sorted({page for f in same for page in f.pages}))
        first = same[0] if len(same) == 1 else Finding(same[0].level, pages, same[0].message, subject=same[0].subject)
        result.append(first)
    return result


def preflight(source: bytes | Path, spec: LayoutSpec | None = None) -> list[Finding]:
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        return merged(_preflight(data, spec))
    except (pikepdf.PdfError, pdfium.PdfiumError):
        return [Finding("error", (), "not a PDF file, or a damaged one")]


def _preflight(data: bytes, spec: LayoutSpec | None) -> list[Finding]:
    findings: list[Finding] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        findings += _check_output_intent(pdf)
        findings += _check_page_count(len(pdf.pages), spec)
        for number, page in enumerate(pdf.pages, start=1):
            findings += _check_boxes(number, page, spec)
            findings += _check_fonts(number, page)
            findings += _check_colour(number, page)
            findings += _check_small_mixed_type(number, page)
    document = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(document, start=1):
            trim = page.get_trimbox()  # (left, bottom, right, top), PDF coordinates
            findings += _check_images(number, page, trim)
            findings += _check_text(number, page, trim, spec)
            page.close()
    finally:
        document.close()
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


# --- file-level ------------------------------------------------------------


def _check_output_intent(pdf: pikepdf.Pdf) -> list[Finding]:
    intents = pdf.Root.get("/OutputIntents")
    if not intents or not any(i.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i for i in intents):
        return [Finding("error", (), "no PDF/X output intent with a CMYK profile (/OutputIntents)")]
    return []


def _check_page_count(pages: int, spec: LayoutSpec | None) -> list[Finding]:
    if spec is None or spec.page_multiple == 1:
        return []
    if pages % spec.page_multiple:
        return [Finding("error", (), f"{pages} pages: a {spec.imposition} booklet needs a multiple of "
                                       f"{spec.page_multiple}")]
    return []


# --- page boxes, fonts, colour (pikepdf) --------------------------------------


def _box(page: pikepdf.Page, name: str):
    value = page.obj.get(name)
    return [float(v) for v in value] if value is not None else None


def _check_boxes(number: int, page: pikepdf.Page, spec: LayoutSpec | None) -> list[Finding]:
    media, trim, bleed = _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")
    if trim is None or bleed is None:
        missing = " and ".join(n for n, b in (("TrimBox", trim), ("BleedBox", bleed)) if b is None)
        return [Finding("error", (number,), f"no {missing}: the printer cannot tell the trim or the bleed")]
    findings = []
    sides = {"left": trim[0] - bleed[0], "bottom": trim[1] - bleed[1],
             "right": bleed[2] - trim[2], "top": bleed[3] - trim[3]}
    short = {side: size for side, size in sides.items() if size < BLEED_PT - 0.01}
    if short:
        detail = ", ".join(f"{inches(size):.3f} in on the {side}" for side, size in short.items())
        findings.append(Finding("error", (number,), f"bleed is {detail}; it must be 0.125 in on every side"))
    if any(b < m - 0.01 for b, m in zip(bleed[:2], media[:2])) or any(b > m + 0.01 for b, m in zip(bleed[2:], media[2:])):
        findings.append(Finding("error", (number,), "BleedBox extends beyond the MediaBox"))
    if spec is not None:
        width, height = inches(trim[2] - trim[0]), inches(trim[3] - trim[1])
        if abs(width - spec.page_width_in) > 0.01 or abs(height - spec.page_height_in) > 0.01:
            findings.append(Finding("error", (number,), f"trim is {width:.3f} x {height:.3f} in; the layout's trim is "
                                                     f"{spec.page_width_in:g} x {spec.page_height_in:g} in"))
    return findings


def _resources_walk(resources, seen: set):
    """Yield (resources, stream) for every content stream reachable from a page's resources."""
    if resources is None:
        return
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            yield xobject
            yield from _resources_walk(xobject.get("/Resources"), seen)
    for pattern in (resources.get("/Pattern") or {}).values():
        if isinstance(pattern, pikepdf.Stream) and pattern.objgen not in seen:
            seen.add(pattern.objgen)
            yield pattern
            yield from _resources_walk(pattern.get("/Resources"), seen)


def _all_resources(page: pikepdf.Page):
    yield page.obj.get("/Resources")
    for form in _resources_walk(page.obj.get("/Resources"), set()):
        yield form.get("/Resources")


def _check_fonts(number: int, page: pikepdf.Page) -> list[Finding]:
    findings, seen = [], set()
    for resources in _all_resources(page):
        for font in ((resources or {}).get("/Font") or {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn by the PDF itself
            target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                name = str(target.get("/BaseFont", "?")).lstrip("/")
                findings.append(Finding("error", (number,), f"font {name} is not embedded"))
    return findings


def _uses_rgb_space(space) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return space == "/DeviceRGB"
    if isinstance(space, pikepdf.Array) and len(space) >= 2:
        if space[0] == "/Indexed":
            return _uses_rgb_space(space[1])
        if space[0] == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
    return False


def _rgb_drawn(holder, resources, seen: set) -> tuple[int, list[str], int]:
    """What one content stream (and the forms and patterns it draws) paints
    in RGB: fill/stroke colours, image names, shadings."""
    colours, images, shadings = 0, [], 0
    try:  # only these operators: qpdf filters, Python sees few instructions
        instructions = pikepdf.parse_content_stream(holder, "rg RG cs CS Do sh scn SCN")
    except pikepdf.PdfError:
        return 0, [], 0
    resources = resources if resources is not None else pikepdf.Dictionary()
    for operands, operator in instructions:
        op = str(operator)
        if op in RGB_OPERATORS or (op in ("cs", "CS") and operands and operands[0] == "/DeviceRGB"):
            colours += 1
            continue
        group = {"Do": "/XObject", "sh": "/Shading", "scn": "/Pattern", "SCN": "/Pattern"}.get(op)
        if group is None or not operands or not isinstance(operands[-1], pikepdf.Name):
            continue
        item = (resources.get(group) or {}).get(operands[-1])
        if item is None:
            continue
        if item.get("/Subtype") == "/Image":
            images += [str(operands[-1]).lstrip("/")] if _uses_rgb_space(item.get("/ColorSpace")) else []
        elif group == "/Shading" or "/Shading" in item:
            shadings += _uses_rgb_space((item.get("/Shading") or item).get("/ColorSpace"))
        elif isinstance(item, pikepdf.Stream) and item.objgen not in seen:  # a form or tiling pattern
            seen.add(item.objgen)
            shadings += _uses_rgb_space((item.get("/Group") or {}).get("/CS"))
            inner = _rgb_drawn(item, item.get("/Resources") or resources, seen)
            colours, images, shadings = colours + inner[0], images + inner[1], shadings + inner[2]
    return colours, images, shadings


def _check_colour(number: int, page: pikepdf.Page) -> list[Finding]:
    """Device RGB in what the page draws: fill/stroke colours, images, gradients."""
    colours, images, shadings = _rgb_drawn(page, page.obj.get("/Resources"), set())
    findings = [Finding("error", (number,), f"image {name} is in RGB: print files must be CMYK", subject=name)
                for name in dict.fromkeys(images)]
    if colours:
        findings.append(Finding("error", (number,), "fill or stroke colours in device RGB: print files must be CMYK"))
    if shadings:
        findings.append(Finding("error", (number,), "a gradient or transparency group in RGB: print files must be CMYK"))
    return findings


def _check_small_mixed_type(number: int, page: pikepdf.Page) -> list[Finding]:
    findings = []
    for size, fill in dict.fromkeys((round(size, 1), fill) for size, fill in
                                    mixed_small_type(page, page.obj.get("/Resources"))):
        inks = " ".join(f"{name} {value * 100:.0f}%" for name, value in zip("CMYK", fill) if value > INK_THRESHOLD)
        findings.append(Finding("warning", (number,), f"text of {size:.1f} pt is printed in a mix of inks ({inks}): "
                                                      f"under {SMALL_TYPE_PT:g} pt use black or a single ink, "
                                                      f"as plates never register exactly"))
    return findings


# --- images and text (pypdfium2: character boxes and placed images) ---------


def _check_images(number: int, page: pdfium.PdfPage, trim) -> list[Finding]:
    findings = []
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8):
        left, bottom, right, top = image.get_bounds()
        px_w, px_h = image.get_px_size()
        placed_w, placed_h = right - left, top - bottom
        if placed_w <= 0 or placed_h <= 0:
            continue
        ppi = min(px_w / (placed_w / POINTS_PER_INCH), px_h / (placed_h / POINTS_PER_INCH))
        if ppi < MIN_PPI - 0.5:
            findings.append(Finding(
                "error", (number,), f"image of {px_w} x {px_h} px is {ppi:.0f} ppi at its placed size "
                                    f"({inches(placed_w):.2f} x {inches(placed_h):.2f} in); print needs {MIN_PPI}",
                inches(left - trim[0]), inches(trim[3] - top), subject=f"{px_w}x{px_h}"))
    return findings


def _placed_size(textpage: pdfium.PdfTextPage, index: int) -> float:
    """A character's size as printed: its font size scaled by its text and
    graphics matrices (text in a figure scaled to fit the column is smaller
    than its font size says)."""
    matrix = pdfium_c.FS_MATRIX()
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix):
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * scale


def _words(page: pdfium.PdfPage):
    """(text, left, bottom, right, top, size) for each run of non-space characters."""
    textpage = page.get_textpage()
    try:
        word, box, size = [], None, 0.0
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters outside the BMP: read them one by one
            text = [textpage.get_text_range(index, 1) for index in range(count)]
        for index in range(count):
            char = text[index]
            if not char.strip():
                if word:
                    yield ("".join(word), *box, size)
                word, box = [], None
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            if right <= left:  # generated or zero-width characters have no box
                continue
            size = _placed_size(textpage, index)
            word.append(char)
            box = (left, bottom, right, top) if box is None else (
                min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top))
        if word:
            yield ("".join(word), *box, size)
    finally:
        textpage.close()


def _check_text(number: int, page: pdfium.PdfPage, trim, spec: LayoutSpec | None) -> list[Finding]:
    folds = [trim[0] + f * POINTS_PER_INCH for f in (spec.folds_in(number) if spec and number <= 2 else [])]
    safe = (trim[0] + SAFETY_PT, trim[1] + SAFETY_PT, trim[2] - SAFETY_PT, trim[3] - SAFETY_PT)
    unsafe, small = [], []
    for text, left, bottom, right, top, size in _words(page):
        inside = (left >= safe[0] - 0.01 and right <= safe[2] + 0.01
                  and bottom >= safe[1] - 0.01 and top <= safe[3] + 0.01)
        near_fold = any(left - SAFETY_PT < f < right + SAFETY_PT for f in folds)
        where = (text, inches(left - trim[0]), inches(trim[3] - top))
        if not inside or near_fold:
            unsafe.append((*where, "a fold" if inside else "the trim edge"))
        if size < MIN_TYPE_PT - 0.05:
            small.append((*where, size))
    findings = []
    for text, x, y, edge in unsafe[:MAX_EXAMPLES]:
        findings.append(Finding("error", (number,), f"text '{text}' is within 0.125 in of {edge}", x, y))
    if len(unsafe) > MAX_EXAMPLES:
        findings.append(Finding("error", (number,), f"{len(unsafe) - MAX_EXAMPLES} more words within the safety margin"))
    for text, x, y, size in small[:MAX_EXAMPLES]:
        findings.append(Finding("error", (number,), f"text '{text}' is {size:.1f} pt; the minimum is {MIN_TYPE_PT:g} pt",
                                x, y))
    if len(small) > MAX_EXAMPLES:
        findings.append(Finding("error", (number,), f"{len(small) - MAX_EXAMPLES} more words below {MIN_TYPE_PT:g} pt"))
    return findings
