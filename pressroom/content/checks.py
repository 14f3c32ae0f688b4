"""Checks across a loaded library that need more than one file: translations
against the English text, and reading level against the target."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..diagnostics import Report, display_path
from .model import Edition, Library
from .readability import MIN_WORDS, reading_level

REFERENCE_LANGUAGE = "en"


def check_translations(library: Library, report: Report) -> None:
    """Every edition has the sections of the English one, in order, each with
    the same subsections and blocks (callouts, tables, figures, contacts)."""
    by_slug: dict[str, dict[str, Edition]] = {}
    for edition in library.editions:
        by_slug.setdefault(edition.slug, {})[edition.lang] = edition
    for editions in by_slug.values():
        reference = editions.get(REFERENCE_LANGUAGE)
        if reference is None:
            continue
        for lang, edition in sorted(editions.items()):
            if lang != REFERENCE_LANGUAGE:
                _compare_sections(reference, edition, report)


def _name(section) -> str:
    return f"'{section.heading}'" if section.heading else "the opening text"


def _compare_sections(reference: Edition, edition: Edition, report: Report) -> None:
    ref_file = display_path(reference.source)
    for i in range(max(len(reference.sections), len(edition.sections))):
        if i >= len(edition.sections):
            missing = reference.sections[i]
            report.warning(edition.source, edition.sections[-1].line if edition.sections else 1,
                           f"section {i + 1} is missing: {ref_file}:{missing.line} has {_name(missing)} there")
            continue
        section = edition.sections[i]
        if i >= len(reference.sections):
            report.warning(edition.source, section.line,
                           f"section {i + 1} {_name(section)} has no counterpart in {ref_file}")
            continue
        ref = reference.sections[i]
        if (ref.heading is None) != (section.heading is None):
            report.warning(edition.source, section.line,
                           f"section {i + 1} {_name(section)} does not match {_name(ref)} ({ref_file}:{ref.line})")
        elif ref.shape != section.shape:
            report.warning(edition.source, section.line,
                           f"section {_name(section)} has {_describe(section.shape)}; its counterpart {_name(ref)} "
                           f"({ref_file}:{ref.line}) has {_describe(ref.shape)}")


def _describe(shape: tuple[str, ...]) -> str:
    if not shape:
        return "no subsections or blocks"
    counts: dict[str, int] = {}
    for kind in shape:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.items())


@dataclass(frozen=True)
class ReadingReport:
    """One figure for the JSON report: a whole edition or one section."""

    path: str
    line: int
    section: str | None
    formula: str
    score: float
    grade: float
    target: float
    words: int

    def as_dict(self) -> dict:
        return asdict(self)


def check_reading_level(library: Library, report: Report) -> list[ReadingReport]:
    """Warn where an edition or one of its sections reads above its target
    grade; return every figure. Sections under MIN_WORDS words are not judged
    alone (a few sentences give a meaningless score)."""
    readings = []
    for edition in library.editions:
        target = edition.meta.reading_grade or library.office.reading_grade
        path = display_path(edition.source)
        whole = reading_level(" ".join(s.text for s in edition.sections), edition.lang)
        if whole is None or whole.words < MIN_WORDS:
            continue
        readings.append(ReadingReport(path, 1, None, whole.formula, round(whole.score, 1), round(whole.grade, 1),
                                      target, whole.words))
        if whole.grade > target:
            report.warning(edition.source, 1, f"the text reads at {whole.describe()}; the target is grade "
                                              f"{target:g}: shorter sentences and words bring it down")
        for section in edition.sections:
            level = reading_level(section.text, edition.lang)
            if level is None or level.words < MIN_WORDS:
                continue
            readings.append(ReadingReport(path, section.line, section.heading or "", level.formula,
                                          round(level.score, 1), round(level.grade, 1), target, level.words))
            if level.grade > target:
                report.warning(edition.source, section.line,
                               f"section {_name(section)} reads at {level.describe()}; the target is grade {target:g}")
    return readings
