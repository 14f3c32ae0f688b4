"""HTML to PDF with WeasyPrint: one FontConfiguration per renderer, a
sandboxed fetcher per document, WeasyPrint's own log turned into
diagnostics, and one layout written as every PDF an edition needs.

An edition is laid out once, with the print bleed (0.125 in) around each
page: WeasyPrint lays out the page area the same whatever the bleed, so the
same boxes give the screen file (written with the bleed cut off, tagged
PDF/UA-1, sRGB) and the print file (written with its bleed, PDF/X-4, then
converted to CMYK by :mod:`.colour` when it is finished).
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import RenderStopped, SandboxedFetcher

SCREEN_OPTIONS = {"pdf_variant": "pdf/ua-1"}
PRINT_OPTIONS = {"pdf_variant": "pdf/x-4"}
NO_BLEED = {"top": 0, "right": 0, "bottom": 0, "left": 0}


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
        self.font_config = FontConfiguration()

    def lay_out(self, html: str, base_dir: Path, cmyk_profile: Path | None = None) -> LaidOut:
        """Lay ``html`` out; the first refused fetch stops it (nothing is
        laid out or written past a refusal). ``cmyk_profile`` is the one file
        outside the project the document may read (its @color-profile)."""
        fetcher = SandboxedFetcher(self.allowed_dirs, cmyk_profile)
        with _captured() as capture:
            try:
                document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher).render(
                    font_config=self.font_config, **SCREEN_OPTIONS)
            except RenderStopped:
                document = None
        return LaidOut(document, fetcher, capture.messages)

    def write_screen(self, laid: LaidOut, select_pages: Callable[[list], list] | None = None) -> bytes | None:
        """The tagged screen PDF: the pages cut at the trim, no output intent;
        None if a fetch was refused."""
        pages = select_pages(laid.pages) if select_pages else laid.pages
        trimmed = []
        for page in pages:
            page = copy.copy(page)
            page.bleed = NO_BLEED
            trimmed.append(page)
        document = laid.document.copy(trimmed)
        document.color_profiles = {}  # the CMYK profile belongs to the print file only
        with _captured() as capture:
            data = document.write_pdf(**SCREEN_OPTIONS)
        laid.log.extend(capture.messages)
        return None if laid.refused else data

    def write_print(self, laid: LaidOut, select_pages: Callable[[list], list] | None = None) -> bytes | None:
        """The PDF/X-4 file with its bleed, still in sRGB (see prepress/press.py);
        None if a fetch was refused."""
        pages = select_pages(laid.pages) if select_pages else laid.pages
        document = laid.document.copy(pages)
        document.output_intent = "device-cmyk"
        with _captured() as capture:
            data = document.write_pdf(**PRINT_OPTIONS)
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
