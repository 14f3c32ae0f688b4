"""``generate.py check``: everything that can be known about the sources
without writing a PDF. Loading reports schema, reference, Markdown, link and
phone-number problems; then translations are compared with the English text,
reading levels measured, message catalogues checked, and every edition laid
out in each of its layouts to find text that does not fit and images too
coarse for print; its screen file is made (not written) for its
accessibility report."""

from __future__ import annotations

from dataclasses import dataclass, field

from .project import load, selected_jobs
from .content.checks import ReadingReport, check_reading_level, check_translations
from .diagnostics import ERROR, WARNING, Diagnostic, Report
from .options import BuildOptions
from .render.i18n import SOURCE_LANGUAGE, catalogue_languages, check_catalogue


@dataclass
class CheckResult:
    report: Report
    readings: list[ReadingReport] = field(default_factory=list)
    editions: int = 0
    accessibility: list[dict] = field(default_factory=list)  # per edition and layout (render/conformance.py)

    def as_dict(self) -> dict:
        return {
            "errors": len(self.report.errors),
            "warnings": len(self.report.warnings),
            "editions": self.editions,
            "diagnostics": [vars(d) for d in self.report.sorted()],
            "readings": [r.as_dict() for r in self.readings],
            "accessibility": self.accessibility,
        }


def check(options: BuildOptions, strict: bool = False, render: bool = True) -> CheckResult:
    """Check the selected publications (all by default). With ``strict``,
    warnings count as errors. ``render=False`` skips the layout checks."""
    options = options.resolved()
    loaded = load(options, only=set(options.slugs) or None)
    report, library = loaded.report, loaded.library
    result = CheckResult(report)
    if library is not None:
        selected = [e for e in library.editions if not options.langs or e.lang in options.langs]
        result.editions = len(selected)
        # Compared with the English text even when only other languages are checked.
        check_translations(library.editions, report, set(options.langs) or None)
        result.readings = check_reading_level(selected, library.office.reading_grade, report)
        used = {lang for e in selected for lang in (e.lang, *e.other_langs)}
        unusable = {lang for lang in sorted(catalogue_languages(options.layouts_dir) & used - {SOURCE_LANGUAGE})
                    if not check_catalogue(options.layouts_dir, lang, report)}
        if render:
            result.accessibility = _check_layouts(options, loaded, report, unusable)
    if strict:
        report.items = [Diagnostic(d.path, d.line, ERROR if d.level == WARNING else d.level, d.message)
                        for d in report.items]
    return result


def _check_layouts(options: BuildOptions, loaded, report: Report, unusable: set[str]) -> list[dict]:
    """Lay out every selected edition in each of its layouts, except those
    whose words would come from a catalogue already reported as unusable;
    the accessibility report of each."""
    from .render.pdf import PdfRenderer  # only here: `check --no-layout` never imports WeasyPrint
    from .variants import check_fit

    renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
    reports = []
    for edition, layout in selected_jobs(options, loaded):
        if unusable & {edition.lang, *edition.other_langs}:
            continue
        if (found := check_fit(renderer, loaded.library, loaded.layouts, edition, layout, options, report)):
            reports.append(found)
    return reports
