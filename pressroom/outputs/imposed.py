"""Sheets for office printers: booklets two-up in reading order, tri-folds
on the two sides of one sheet with fold ticks."""

from __future__ import annotations

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    return job.imposed_file(made["screen"])


IMPOSED = OutputKind("imposed", "print", ".imposed.pdf", "imposed sheets for office printers (booklets, tri-folds)",
                     make, needs=("screen",))
