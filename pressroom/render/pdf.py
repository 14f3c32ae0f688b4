"""HTML to PDF with WeasyPrint: one FontConfiguration per renderer, a
sandboxed fetcher per document, WeasyPrint's own log turned into
diagnostics, and one layout written once for every file an edition needs.

An edition is laid out once, with the print bleed (0.125 in) around each
page, and written once as tagged PDF/UA-1 in sRGB. WeasyPrint lays out the
page area the same whatever the bleed, so that one file gives the screen
file (cut at the trim) and the print file (PDF/X-4, converted to CMYK);
see prepress/press.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import RenderStopped, SandboxedFetcher
from .fonts import use_shipped_fonts_only

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelname.lower(), record.getMessage()))


@dataclass
class LaidOut:
    """One document laid out, or stopped at a refused fetch (``document`` None)."""
    document: object | None  # weasyprint Document
    fetcher: SandboxedFetcher
    log: list[tuple[str, str]] = field(default_factory=list)  # (level, message)

    @property
    def refused(self) -> list[tuple[str, str]]:
        """(url, reason) of every refused fetch, while laying out or writing
        (an SVG's own images are fetched as it is drawn)."""
        return self.fetcher.refused

    @property
    def pages(self) -> list:
        return self.document.pages if self.document is not None else []


class PdfRenderer:
    """Lays out and writes many documents in one process, sharing fonts between them."""

    def __init__(self, allowed_dirs: list[Path]):
        self.allowed_dirs = allowed_dirs
        use_shipped_fonts_only()  # before the first layout: Pango caches what it matched
        self.font_config = FontConfiguration()

    def lay_out(self, html: str, base_dir: Path) -> LaidOut:
        """Lay ``html`` out; the first refused fetch stops it (nothing is
        laid out or written past a refusal)."""
        fetcher = SandboxedFetcher(self.allowed_dirs)
        with _captured() as capture:
            try:
                document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher).render(
                    font_config=self.font_config, **PDF_OPTIONS)
            except RenderStopped:
                document = None
        return LaidOut(document, fetcher, capture.messages)

    def write(self, laid: LaidOut, select_pages: Callable[[list], list] | None = None) -> bytes | None:
        """The one PDF written from the laid-out pages: tagged PDF/UA-1, sRGB,
        each page with its bleed (TrimBox = the finished page). The screen
        and print files are both finished from it (prepress/press.py); None
        if a fetch was refused."""
        pages = select_pages(laid.pages) if select_pages else laid.pages
        with _captured() as capture:
            data = laid.document.copy(pages).write_pdf(**PDF_OPTIONS)
        laid.log.extend(capture.messages)
        return None if laid.refused else data


class _captured:
    """WeasyPrint's log messages while the block runs."""

    def __enter__(self) -> _Capture:
        self.capture = _Capture()
        logging.getLogger("weasyprint").addHandler(self.capture)
        return self.capture

    def __exit__(self, *exc) -> None:
        logging.getLogger("weasyprint").removeHandler(self.capture)
