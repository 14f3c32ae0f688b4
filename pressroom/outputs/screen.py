"""The accessible download: tagged PDF/UA-1, sRGB, cut at the trim."""

from __future__ import annotations

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    return job.screen_file(laid, report)


SCREEN = OutputKind("screen", "pdf", ".pdf", "tagged PDF/UA-1 for download (sRGB)", make, downloadable=True)
