"""Readings of WeasyPrint's laid-out pages: fit, image resolution, styled
labels, spans in another language, hyphens the layout added, elements a
page break splits. The only module that touches WeasyPrint's private page
boxes."""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ReplacedBox
from weasyprint.images import RasterImage

CSS_PX_PER_INCH = 96.0


def used_height_in(page) -> float:
    """Height from the top of the page area to the bottom of its last line."""
    box = page._page_box
    top = box.content_box_y()
    bottom = top
    for child in box.children:
        if isinstance(child, MarginBox):
            continue
        for descendant in child.descendants():
            if isinstance(descendant, LineBox):
                bottom = max(bottom, descendant.position_y + descendant.height)
    return (bottom - top) / CSS_PX_PER_INCH


def overflow_in(pages, last_allowed: int, back_pages: int) -> float:
    """Inches of text set on pages past the ``last_allowed`` content page
    (not counting the ``back_pages`` kept for a back cover)."""
    return sum(used_height_in(page) for page in pages[last_allowed:len(pages) - back_pages])


@dataclass(frozen=True)
class PlacedImage:
    url: str  # the file it was read from (a file: URL)
    ppi: float  # pixels per inch at its placed width
    page: int  # 1-based, of the laid-out pages
    xobject: str  # the name WeasyPrint gives its image XObject, without the last character
    width_in: float  # placed width
    pixels: tuple[int, int]  # the image's width and height


def raster_images(pages) -> list[PlacedImage]:
    """Every raster image as placed on the pages. WeasyPrint names an
    image's XObject "i" + the image's id + one digit (interpolation)."""
    found = []
    for number, page in enumerate(pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, ReplacedBox) and isinstance(box.replacement, RasterImage) and box.width:
                url = box.element.get("src", "") if box.element is not None else ""
                width_in = box.width / CSS_PX_PER_INCH
                found.append(PlacedImage(url, box.replacement.width / width_in, number,
                                         f"i{box.replacement.id}", width_in,
                                         (box.replacement.width, box.replacement.height)))
    return found


def normal_space(text: str) -> str:
    return " ".join(text.split())


def _text_boxes(box):
    """Every text box under ``box``, absolutely placed ones included."""
    stack = [box]
    while stack:
        box = stack.pop()
        if hasattr(box, "text"):
            yield box
        stack.extend(getattr(box, "children", []))
        if (placed := getattr(box, "_box", None)) is not None:  # an absolute placeholder
            stack.append(placed)


def _letter_spaced(style) -> bool:
    spacing = style["letter_spacing"]
    return spacing != "normal" and spacing >= 0.05 * style["font_size"]


def styled_labels(pages) -> dict[int, dict[str, str]]:
    """Page index -> (text as drawn -> as written), for every widely
    letter-spaced or case-changed element of WeasyPrint's laid-out pages
    whose text is all its own; only pages that have one."""
    by_page: dict[int, dict[str, str]] = {}
    for index, page in enumerate(pages):
        found = by_page.setdefault(index, {})
        for box in _text_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None or len(element) or not element.text:
                continue
            shown, written = normal_space(box.text), normal_space(element.text)
            whole = shown.casefold() == written.casefold()  # not one line of a longer text
            if shown and whole and (shown != written or _letter_spaced(box.style)):
                found.setdefault(shown, written)
    return {index: found for index, found in by_page.items() if found}


def language_spans(pages, document_lang: str) -> dict[int, dict[str, str]]:
    """Page index -> (text as drawn -> language code) for every element with
    a ``lang`` other than the document's whose text is all its own; only
    pages that have one."""
    by_page: dict[int, dict[str, str]] = {}
    for index, page in enumerate(pages):
        for box in _text_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None or len(element) or not element.text:
                continue
            lang = element.get("lang")
            if lang and lang.split("-")[0].lower() != document_lang.split("-")[0].lower():
                if shown := normal_space(box.text):
                    by_page.setdefault(index, {}).setdefault(shown, lang)
    return by_page


def continued_elements(pages) -> list[set[str]]:
    """For each page break (after page i), the HTML tags of the elements
    laid out on both sides of it: what the break splits."""
    seen: list[dict[int, str]] = []
    for page in pages:
        on_page = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            tag = getattr(box, "element_tag", None)
            if element is not None and isinstance(tag, str) and tag not in ("html", "body"):
                on_page[id(element)] = tag
        seen.append(on_page)
    return [{tag for key, tag in after.items() if key in before} for before, after in zip(seen, seen[1:])]


def added_hyphens(pages, hyphen: str = "-") -> dict[int, dict[str, str]]:
    """Page index -> (line text as drawn -> without its last character) for
    every line that ends in a hyphen the layout added (automatic
    hyphenation): the drawn text is not in the element's own text, the text
    without the hyphen is. Real hyphens ("stiff-person-syndrome") are kept."""
    by_page: dict[int, dict[str, str]] = {}
    for index, page in enumerate(pages):
        for box in _text_boxes(page._page_box):
            element = getattr(box, "element", None)
            shown = normal_space(box.text)
            if element is None or not shown.endswith(hyphen) or len(shown) < 2:
                continue
            written = normal_space("".join(element.itertext()))
            if shown not in written and shown[:-1] in written:
                by_page.setdefault(index, {})[shown] = shown[:-1]
    return by_page
