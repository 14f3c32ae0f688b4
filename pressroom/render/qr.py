"""QR codes laid out by ReportLab's QR widget, written as one vector SVG path.

ReportLab's own SVG renderer writes one element per module run (hundreds per
code), which costs more to draw than the rest of a fact sheet's page; the
same rectangles joined into a single path look identical and draw at once.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from reportlab import rl_config
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Group, Rect


def _rects(node) -> list[Rect]:
    if isinstance(node, Rect):
        return [node]
    if isinstance(node, Group):
        return [rect for child in node.contents for rect in _rects(child)]
    return []


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    """SVG for ``url`` (error correction M, quiet zone included), in points."""
    checking, rl_config.shapeChecking = rl_config.shapeChecking, 0  # attribute checks cost more than the QR
    try:
        drawn = QrCodeWidget(url, barLevel="M").draw()  # the widget's getBounds would draw it again
        x0, y0, x1, y1 = drawn.getBounds()
        background, *modules = _rects(drawn)
    finally:
        rl_config.shapeChecking = checking
    width, height = x1 - x0, y1 - y0
    path = "".join(
        f"M{r.x - x0:.3f} {height - (r.y - y0) - r.height:.3f}h{r.width:.3f}v{r.height:.3f}h{-r.width:.3f}z"
        for r in modules)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.3f} {height:.3f}">'
            f'<rect width="{width:.3f}" height="{height:.3f}" fill="#fff"/>'
            f'<path d="{path}" fill="#000"/></svg>')


def qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode()).decode()
