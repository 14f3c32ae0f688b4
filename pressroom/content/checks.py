"""Checks across a loaded library that need more than one file: translations
against the English text, and reading level against the target."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..diagnostics import Report, display_path
from .model import SOURCE_LANGUAGE, Edition, Section
from .readability import MIN_WORDS, Reading, reading_level



def check_translations(editions: list[Edition], report: Report, langs: set[str] | None = None) -> None:
    """Every edition (of ``langs``, if given) has the sections of the English
    one, in order, each with the same subsections and blocks (callouts,
    tables, figures, contacts) and text where the English has text."""
    by_slug: dict[str, dict[str, Edition]] = {}
    for edition in editions:
        by_slug.setdefault(edition.slug, {})[edition.lang] = edition
    for group in by_slug.values():
        reference = group.get(SOURCE_LANGUAGE)
        if reference is None:
            continue
        for lang, edition in sorted(group.items()):
            if lang != SOURCE_LANGUAGE and (langs is None or lang in langs):
                _compare_sections(reference, edition, report)


def _name(section) -> str:
    return f"'{section.heading}'" if section.heading else "the opening text"


def _subject(section) -> str:
    return f"section '{section.heading}'" if section.heading else "the opening text"


# Alignment costs: a section missing on one side costs GAP (a little less
# near the end, where unfinished translations stop); pairing sections with
# different blocks costs MISMATCH; pairing the lead text with a headed
# section is never worth it.
GAP, MISMATCH, LEAD_WITH_HEADED = 1.0, 0.6, 3.0


def _pair_cost(theirs: Section, ours: Section) -> float:
    if (theirs.heading is None) != (ours.heading is None):
        return LEAD_WITH_HEADED
    return 0.0 if theirs.shape == ours.shape else MISMATCH


def _align(ref: list[Section], ours: list[Section]) -> list[tuple[Section | None, Section | None]]:
    """Pair the sections of two texts in order, leaving out as few as
    possible (an edit-distance alignment), so that one missing or extra
    section is reported once instead of shifting every later comparison."""
    def gap(index: int, total: int) -> float:
        return GAP + 0.001 * (total - index)

    n, m = len(ref), len(ours)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = cost[i - 1][0] + gap(i - 1, n)
    for j in range(1, m + 1):
        cost[0][j] = cost[0][j - 1] + gap(j - 1, m)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j - 1] + _pair_cost(ref[i - 1], ours[j - 1]),
                             cost[i - 1][j] + gap(i - 1, n), cost[i][j - 1] + gap(j - 1, m))
    pairs: list[tuple[Section | None, Section | None]] = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + _pair_cost(ref[i - 1], ours[j - 1]):
            pairs.append((ref[i - 1], ours[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + gap(i - 1, n):
            pairs.append((ref[i - 1], None))
            i -= 1
        else:
            pairs.append((None, ours[j - 1]))
            j -= 1
    return pairs[::-1]


def _compare_sections(reference: Edition, edition: Edition, report: Report) -> None:
    ref_file = display_path(reference.source)
    previous = None
    for theirs, section in _align(reference.sections, edition.sections):
        if section is None:
            report.warning(edition.source, previous.line if previous else 1,
                           f"no section matches {_name(theirs)} ({ref_file}:{theirs.line})"
                           + (f": it belongs after {_name(previous)}" if previous else ": it comes first"))
            continue
        previous = section
        if theirs is None:
            report.warning(edition.source, section.line, f"{_subject(section)} has no counterpart in {ref_file}")
        elif theirs.shape != section.shape:
            report.warning(edition.source, section.line,
                           f"{_subject(section)} has {_describe(section.shape)}; its counterpart "
                           f"{_name(theirs)} ({ref_file}:{theirs.line}) has {_describe(theirs.shape)}")
        elif theirs.text and not section.text:
            report.warning(edition.source, section.line,
                           f"{_subject(section)} has no text; {_name(theirs)} ({ref_file}:{theirs.line}) has")


def _describe(shape: tuple[str, ...]) -> str:
    if not shape:
        return "no subsections or blocks"
    return ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in Counter(shape).items())


@dataclass(frozen=True)
class ReadingReport:
    """One figure for the reports: a whole edition (section None) or one section."""

    path: str
    line: int
    section: str | None
    target: float
    reading: Reading

    def as_dict(self) -> dict:
        r = self.reading
        return {"path": self.path, "line": self.line, "section": self.section, "formula": r.formula,
                "score": round(r.score, 1), "grade": round(r.grade, 1), "target": self.target, "words": r.words}


def check_reading_level(editions: list[Edition], default_grade: float, report: Report) -> list[ReadingReport]:
    """Warn where an edition or one of its sections reads above its target
    grade (the publication's ``reading_grade``, else ``default_grade``);
    return every figure. Texts under MIN_WORDS words are not judged (a few
    sentences give a meaningless score)."""
    readings = []
    for edition in editions:
        target = edition.meta.reading_grade or default_grade
        path = display_path(edition.source)
        whole = reading_level(" ".join(s.text for s in edition.sections), edition.lang)
        if whole is None or whole.words < MIN_WORDS:
            continue
        readings.append(ReadingReport(path, 1, None, target, whole))
        if whole.grade > target:
            report.warning(edition.source, 1, f"the text reads at {whole.describe()}; the target is grade "
                                              f"{target:g}: shorter sentences and words bring it down")
        for section in edition.sections:
            level = reading_level(section.text, edition.lang)
            if level is None or level.words < MIN_WORDS:
                continue
            readings.append(ReadingReport(path, section.line, section.heading or "", target, level))
            if level.grade > target:
                report.warning(edition.source, section.line,
                               f"{_subject(section)} reads at {level.describe()}; the target is grade {target:g}")
    return readings
