"""Prepress: what turns rendered pages into files a printer accepts: marks,
imposition, preflight and job tickets."""

from __future__ import annotations

POINTS_PER_INCH = 72.0
BLEED_PT = 9.0  # 0.125 in on every side
SAFETY_PT = 9.0  # no text within 0.125 in of a trim edge or a fold
MIN_TYPE_PT = 7.0
MIN_PPI = 300


def inches(points: float) -> float:
    return points / POINTS_PER_INCH
