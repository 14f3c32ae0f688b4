"""TrueType fonts for the PDFs ReportLab draws (job tickets, labels, packing
slips), so that every font is embedded: ReportLab's built-in Helvetica is
not, and a printer or archive may substitute it."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..diagnostics import PressroomError


def register_ttf(fonts: dict[str, Path], missing_hint: str, family: str | None = None) -> None:
    """Make ``fonts`` (ReportLab name -> .ttf) known to ReportLab, each once
    per process. With ``family``, the names in order regular, bold, italic,
    bold italic make the family that <b> and <i> in paragraphs pick from."""
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, path in fonts.items():
        if name in known:
            continue
        if not path.is_file():
            raise PressroomError(f"{path}: the font is missing; {missing_hint}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    if family is not None:
        regular, bold, italic, bold_italic = fonts
        pdfmetrics.registerFontFamily(family, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
