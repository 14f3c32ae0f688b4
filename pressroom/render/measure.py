"""Measurements on WeasyPrint's laid-out pages, for messages about fit."""

from __future__ import annotations

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


def raster_images(pages) -> list[tuple[str, float]]:
    """(source URL, pixels per inch at the placed width) of every raster image."""
    found = []
    for page in pages:
        for box in page._page_box.descendants():
            if isinstance(box, ReplacedBox) and isinstance(box.replacement, RasterImage) and box.width:
                url = box.element.get("src", "") if box.element is not None else ""
                found.append((url, box.replacement.width / (box.width / CSS_PX_PER_INCH)))
    return found
