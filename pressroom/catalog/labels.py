"""The font of mailing labels and packing slips (DejaVu Sans, from Debian's
fonts-dejavu-core: Latin, Greek and Cyrillic in full), which characters it
can print, and wrapping text to a width so that no line is ever cut."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics

from ..prepress.reportlab_fonts import register_ttf

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"LabelSans": FONT_DIR / "DejaVuSans.ttf", "LabelSans-Bold": FONT_DIR / "DejaVuSans-Bold.ttf"}
REGULAR, BOLD = FONTS
# Avery 5160: 30 labels per Letter sheet, 3 across and 10 down, each 2.625 x 1 in.
LABEL_W, LABEL_H = 2.625 * inch, 1.0 * inch
LABEL_PAD_X = 0.15 * inch
LABEL_FIRST_BASELINE = 0.25 * inch  # below the label's top; the order number sits above it
LABEL_TEXT_W = LABEL_W - 2 * LABEL_PAD_X
LABEL_TEXT_H = LABEL_H - LABEL_FIRST_BASELINE - 0.1 * inch  # first baseline to last


def address_lines(address) -> list[str]:
    """The lines of a postal address (an order or a checked address)."""
    lines = [address.name]
    if address.organization:
        lines.append(address.organization)
    lines.append(address.address1)
    if address.address2:
        lines.append(address.address2)
    lines.append(f"{address.city} {address.state} {address.zip}")
    return lines


def register_fonts() -> None:
    """Make the label fonts known to ReportLab (once per process)."""
    register_ttf(FONTS, "install Debian's fonts-dejavu-core (`make setup` does)")


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that the label font has no glyph for, each once."""
    register_fonts()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    missing: list[str] = []
    for char in text:
        if ord(char) not in glyphs and not char.isspace() and char not in missing:
            missing.append(char)
    return missing


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` points: broken at spaces,
    and inside a word only when the word alone is wider."""
    register_fonts()
    lines = []
    for line in simpleSplit(text, font, size, width) or [""]:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def fit(lines: list[str], width: float, height: float, sizes=(9, 8, 7, 6.5, 6)) -> tuple[float, list[str]] | None:
    """The largest size at which ``lines``, wrapped to ``width``, take at most
    ``height`` points (baseline of the first to baseline of the last line,
    at a leading of 1.15 x size); with the wrapped lines. None if none does."""
    for size in sizes:
        wrapped = [part for line in lines for part in wrap(line, REGULAR, size, width)]
        if (len(wrapped) - 1) * size * 1.15 <= height:
            return size, wrapped
    return None


def fit_label(address) -> tuple[float, list[str]] | None:
    """The type size and wrapped lines of ``address`` on a mailing label, or None when it cannot fit."""
    return fit(address_lines(address), LABEL_TEXT_W, LABEL_TEXT_H)
