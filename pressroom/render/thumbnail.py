"""Pages as PNG: cover thumbnails for the catalog, proofs for job tickets."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

THUMBNAIL_WIDTH = 240  # px; shown at 120 CSS px, sharp on high-density screens


def page_png(page: pdfium.PdfPage, scale: float) -> bytes:
    """One rendered page (pdfium) as an optimised RGB PNG."""
    buffer = io.BytesIO()
    page.render(scale=scale).to_pil().convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def thumbnail_png(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        return page_png(page, width / page.get_width())
    finally:
        document.close()
