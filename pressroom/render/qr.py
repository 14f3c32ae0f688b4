"""QR codes drawn with ReportLab as vector SVG, so they stay sharp in print."""

from __future__ import annotations

import base64
from functools import lru_cache

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors


@lru_cache(maxsize=1024)
def qr_svg(url: str, size: float = 72.0) -> str:
    """SVG markup of a QR code for ``url``, ``size`` points square (quiet zone included)."""
    widget = QrCodeWidget(url, barLevel="M", barFillColor=colors.black)
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, -x0 * size / width, -y0 * size / height])
    drawing.add(widget)
    return renderSVG.drawToString(drawing)


def qr_data_uri(url: str, size: float = 72.0) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, size).encode()).decode()
