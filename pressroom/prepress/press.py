"""The print file's finishing, in one pass over one open PDF: colours to
CMYK, a tri-fold's panels onto its two sheet sides, marks and page boxes,
and a content-derived identity."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ..render.colour import convert_to_cmyk
from ..render.layouts import LayoutSpec
from . import BLEED_PT
from .identity import stable_identity
from .impose import impose_trifold
from .marks import add_marks


def finish_print_file(data: bytes, spec: LayoutSpec, cmyk_profile: Path) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        convert_to_cmyk(pdf, cmyk_profile)
        trifold = spec.imposition == "trifold"
        if trifold:
            impose_trifold(pdf, bleed_pt=BLEED_PT)
        add_marks(pdf, [spec.folds_in(1), spec.folds_in(2)] if trifold else None)
        stable_identity(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
