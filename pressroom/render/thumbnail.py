"""Cover thumbnails for the catalog: page 1 of a PDF as a small PNG."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

THUMBNAIL_WIDTH = 240  # px; shown at 120 CSS px, sharp on high-density screens


def thumbnail_png(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
