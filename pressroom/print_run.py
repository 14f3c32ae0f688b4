"""Handing files to a printer: preflight built files, and order a print run
with a job ticket."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .build import build
from .project import load
from .diagnostics import PressroomError, UsageError
from .manifest import read_manifest
from .options import BuildOptions
from .outputs import PRINT
from .prepress.jobticket import JobTicket, make_ticket, write_ticket
from .prepress.preflight import Finding, errors, preflight
from .prepress.ticket_folders import claim_run_folder
from .render.layouts import discover_layouts



@dataclass
class PreflightResult:
    path: Path
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)


def preflight_targets(options: BuildOptions, targets: list[str]) -> list[PreflightResult]:
    """Preflight the named files, the print files of the named publications,
    or, with no targets, every print file in the manifest."""
    options = options.resolved()
    layouts = discover_layouts(options.layouts_dir)
    manifest = [e for e in read_manifest(options.output_dir) if e.variant == PRINT.name]
    paths: list[Path] = []
    for target in targets or [None]:
        if target is not None and Path(target).is_file():
            paths.append(Path(target).resolve())
            continue
        matches = [options.output_dir / e.path for e in manifest if target is None or e.slug == target]
        if target is not None and not matches:
            raise UsageError(f"'{target}' is neither a PDF file nor a publication with built print files "
                             f"(build it first)")
        paths += matches
    results = []
    for path in paths:
        named = PRINT.parse(path.name)
        layout = layouts.get(named[1]) if named else None
        results.append(PreflightResult(path, preflight(path, layout.spec if layout else None)))
    return results


def order_print_run(options: BuildOptions, slug: str, layout_name: str, quantity: int, lang: str = "en",
                    today: dt.date | None = None) -> tuple[JobTicket, list[Path]]:
    """Build the print file afresh, preflight it and write the job ticket to
    a new folder output/jobs/<slug>.<layout>.<lang>/<YYYYMMDD>-<NN>/ (the
    tickets of earlier runs are kept)."""
    if quantity < 1:
        raise UsageError("--quantity must be at least 1")
    options = replace(options, slugs=(slug,), langs=(lang,), layouts=(layout_name,)).resolved()
    loaded = load(options, only={slug})
    if loaded.library is None:
        raise PressroomError("sources have errors: run 'generate.py check'")
    edition = next((e for e in loaded.library.editions if e.slug == slug and e.lang == lang), None)
    if edition is None:
        raise UsageError(f"'{slug}' has no '{lang}' edition that loads without errors")
    if layout_name not in edition.meta.layouts:
        raise UsageError(f"'{slug}' is not published in the '{layout_name}' layout "
                         f"(its layouts: {', '.join(edition.meta.layouts)})")
    result = build(options)
    if result.report.errors:
        raise PressroomError("the print file could not be built:\n" + "\n".join(map(str, result.report.errors)))
    layout = loaded.layouts[layout_name]
    print_file = PRINT.path(options.output_dir, slug, lang, layout_name)
    data = print_file.read_bytes()
    screen = next(e for e in result.entries if e.variant == "screen")
    findings = preflight(data, layout.spec)
    today = today or dt.date.today()
    folder, run = claim_run_folder(options.output_dir / "jobs" / f"{slug}.{layout_name}.{lang}", today)
    ticket = make_ticket(
        print_file=print_file, data=data, title=edition.title, number=edition.meta.number, lang=lang,
        layout=layout_name, spec=layout.spec, screen_pages=screen.pages, quantity=quantity,
        findings=findings, deliver_to=list(loaded.library.office.address), today=today, run=run)
    return ticket, write_ticket(ticket, data, folder)
