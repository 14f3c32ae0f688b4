"""HTML to PDF with WeasyPrint: one FontConfiguration per process, a sandboxed
fetcher per document, and WeasyPrint's own log turned into diagnostics."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import SandboxedFetcher

# Screen (download) files: tagged PDF/UA-1. Print files: PDF/X-4, whose CMYK
# output intent comes from the @color-profile rule the print variant adds.
SCREEN_OPTIONS = {"pdf_variant": "pdf/ua-1"}
PRINT_OPTIONS = {"pdf_variant": "pdf/x-4"}


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelname.lower(), record.getMessage()))


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    log: list[tuple[str, str]] = field(default_factory=list)  # (level, message)
    document: object | None = None  # weasyprint Document, kept only on request


class PdfRenderer:
    """Renders many documents in one process, sharing fonts between them."""

    def __init__(self, allowed_dirs: list[Path]):
        self.allowed_dirs = allowed_dirs
        self.font_config = FontConfiguration()

    def render(self, html: str, base_dir: Path, options: dict | None = None,
               keep_document: bool = False, cmyk_profile: Path | None = None,
               select_pages: Callable[[list], list] | None = None, write: bool = True) -> RenderedPdf:
        """Render ``html``; with ``cmyk_profile`` the colours are converted for
        print and the profile file may be read; ``select_pages`` may drop laid
        out pages before the PDF is written; ``write=False`` stops after the
        layout (the document is kept)."""
        fetcher = SandboxedFetcher(self.allowed_dirs, cmyk_profile)
        capture = _Capture()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(capture)
        try:
            document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher).render(
                font_config=self.font_config, **(options or SCREEN_OPTIONS))
            if select_pages is not None:
                document = document.copy(select_pages(document.pages))
            data = document.write_pdf(**(options or SCREEN_OPTIONS)) if write else b""
        finally:
            logger.removeHandler(capture)
        return RenderedPdf(data, len(document.pages), fetcher.refused, capture.messages,
                           document if keep_document or not write else None)

    def lay_out(self, html: str, base_dir: Path) -> RenderedPdf:
        """The laid-out pages of a screen document, no PDF written: for checks
        that measure (fit, image resolution)."""
        return self.render(html, base_dir, write=False)
