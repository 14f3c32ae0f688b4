"""The print-ready file: PDF/X-4, CMYK, bleed, marks, preflighted."""

from __future__ import annotations

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    from ..prepress.preflight import errors, preflight

    printed = job.print_file(laid, report)
    if printed is None:
        return None
    name = PRINT.relative(job.edition.slug, job.edition.lang, job.layout.name).rsplit("/", 1)[-1]
    failed = errors(preflight(printed, job.layout.spec))
    for finding in failed:
        report.error(job.edition.source, 1, f"preflight: {finding.format(name)}")
    return None if failed else printed


PRINT = OutputKind("print", "print", ".print.pdf", "PDF/X-4 for a printer: CMYK, bleed, marks", make)
