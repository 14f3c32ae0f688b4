"""``generate.py check``: everything that can be known about the sources
without writing a PDF. Loading reports schema, reference, Markdown, link and
phone-number problems; then translations are compared with the English text,
reading levels measured, message catalogues checked, and every edition laid
out in each of its layouts to find text that does not fit and images too
coarse for print."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import TemplateError

from .build import load, selected_jobs
from .content.checks import ReadingReport, check_reading_level, check_translations
from .diagnostics import ERROR, WARNING, Diagnostic, Report
from .options import BuildOptions
from .render.i18n import SOURCE_LANGUAGE, catalogue_languages, check_catalogue
from .render.pdf import PdfRenderer
from .variants import EditionRenderer


@dataclass
class CheckResult:
    report: Report
    readings: list[ReadingReport] = field(default_factory=list)
    editions: int = 0

    def as_dict(self) -> dict:
        return {
            "errors": len(self.report.errors),
            "warnings": len(self.report.warnings),
            "editions": self.editions,
            "diagnostics": [vars(d) for d in self.report.sorted()],
            "readings": [r.as_dict() for r in self.readings],
        }


def check(options: BuildOptions, strict: bool = False, render: bool = True) -> CheckResult:
    """Check the selected publications (all by default). With ``strict``,
    warnings count as errors. ``render=False`` skips the layout checks."""
    options = options.resolved()
    loaded = load(options, only=set(options.slugs) or None)
    report, library = loaded.report, loaded.library
    result = CheckResult(report)
    if library is not None:
        library.editions = [e for e in library.editions if not options.langs or e.lang in options.langs]
        result.editions = len(library.editions)
        check_translations(library, report)
        result.readings = check_reading_level(library, report)
        used = {e.lang for e in library.editions}
        for lang in sorted(catalogue_languages(options.layouts_dir) & used - {SOURCE_LANGUAGE}):
            check_catalogue(options.layouts_dir, lang, report)
        if render:
            _check_layouts(options, loaded, report)
    if strict:
        report.items = [Diagnostic(d.path, d.line, ERROR if d.level == WARNING else d.level, d.message)
                        for d in report.items]
    return result


def _check_layouts(options: BuildOptions, loaded, report: Report) -> None:
    renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
    for edition, layout in selected_jobs(options, loaded):
        try:
            EditionRenderer(renderer, loaded.library, edition, layout, options).check_fit(report)
        except TemplateError as exc:
            report.error(getattr(exc, "filename", None) or layout.template, getattr(exc, "lineno", 1),
                         f"template error: {exc.message or exc}")
