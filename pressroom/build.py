"""The build: plan what changed, render those jobs (one edition in one
layout, every output kind; see variants.py and outputs/) in worker
processes (workers.py), then write the manifest and the build state."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .content.files import sources_problem
from .diagnostics import Report, UsageError
from .incremental import BuildState, Plan, build_config, plan_build
from .manifest import MANIFEST_NAME, ManifestEntry, output_lock, write_manifest
from .options import VARIANTS, BuildOptions
from .outputs import OUTPUTS
from .project import JobId, check_selection, library_of, layouts_of, publication_facts, site_facts, wanted
from .render.layouts import SHARED, Layout
from .verdict import kept_removals, report_stale, unplanned_publications

if TYPE_CHECKING:
    from .content.model import Library


@dataclass
class BuildResult:
    report: Report
    entries: list[ManifestEntry] = field(default_factory=list)  # every output the manifest lists for this run
    seconds: float = 0.0
    built_jobs: list[JobId] = field(default_factory=list)  # the jobs rendered
    reasons: dict[JobId, str] = field(default_factory=dict)  # why each planned job was rendered
    skipped: int = 0  # jobs unchanged since the last build
    failed: int = 0
    partial: set[JobId] = field(default_factory=set)  # failed, but some outputs written (tried again next build)
    peak_worker_rss_kb: int = 0  # the largest worker process's peak resident memory

    @property
    def built(self) -> int:
        return len(self.built_jobs)

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries if e.variant == "screen")


class Progress(Protocol):
    def start(self, total: int, skipped: int) -> None: ...
    def advance(self, label: str, failed: bool) -> None: ...
    def finish(self) -> None: ...


# --- the build -----------------------------------------------------------------------


def _remove_outputs(output_dir: Path, entries: list[dict]) -> None:
    for entry in entries:
        attached = (entry.get(kind.attach_as) for kind in OUTPUTS if kind.attached_to)
        for relative in (entry.get("path"), *attached):
            if relative:
                (output_dir / relative).unlink(missing_ok=True)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build what changed since the last build (everything with --force);
    problems are in the report, and one failing publication never stops the
    others. The output folder's lock is held from reading the build state to
    writing it and the manifest, so concurrent builds never lose entries."""
    options = options.resolved()
    started = time.perf_counter()
    layouts = layouts_of(options)
    if (problem := sources_problem(options.sources_dir)) is not None:
        result = BuildResult(Report())
        result.report.error(options.sources_dir, 1, problem)
        return result
    known = check_selection(options, layouts)
    if not options.cmyk_profile.is_file() and "print" in (options.variants or VARIANTS):
        raise UsageError(f"CMYK profile not found: {options.cmyk_profile} (install libgs-common, "
                         f"or give the printer's profile with --cmyk-profile)")
    with output_lock(options.output_dir):
        state = BuildState.read(options.output_dir)
        config = build_config(options.variants or VARIANTS, options.cmyk_profile)
        plan = plan_build(state, options.sources_dir, options.layouts_dir, sorted(layouts), config,
                          options.output_dir, lambda job: wanted(options, job), options.force)
        result = BuildResult(Report(), skipped=len(plan.keep), reasons=plan.reasons)
        unplanned = unplanned_publications(options.slugs, known, plan.keys)
        vouched = plan.inputs == state.inputs and plan.config == state.config  # the last full build was clean
        if plan.is_noop() and vouched and not unplanned and not options.force \
                and (options.output_dir / MANIFEST_NAME).is_file():
            result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
        else:
            # Loaded even with nothing to render: shared data and unplanned publications give the verdict.
            library = library_of(options, layouts, result.report, {job.slug for job in plan.build} | unplanned)
            new_jobs = _render(plan, library, layouts, options, result, progress)
            _record(options, plan, state, new_jobs, library, known, unplanned, result)
    result.seconds = time.perf_counter() - started
    return result


def _render(plan: Plan, library: Library | None, layouts: dict[str, Layout], options: BuildOptions,
            result: BuildResult, progress: Progress | None) -> dict[JobId, list[ManifestEntry]]:
    """Render the plan's jobs; the entries of each job that built."""
    if not plan.build:
        return {}
    from .content.model import Library  # the content model is imported only when there is work
    from .workers import Task, run_tasks  # and so is WeasyPrint

    editions = {(e.slug, e.lang): e for e in (library.editions if library else [])}
    shell = Library(library.office, library.organizations, library.topics, [], library.sources_dir) \
        if library else None
    tasks = []
    for job in plan.build:
        if (edition := editions.get((job.slug, job.lang))) is not None and job.layout in layouts:
            tasks.append(Task(job, edition, shell))
        else:
            result.failed += 1  # its errors are already in the report
    if progress:
        progress.start(len(tasks), len(plan.keep))
    new_jobs = {}
    for done in run_tasks(tasks, options):
        result.peak_worker_rss_kb = max(result.peak_worker_rss_kb, done.peak_rss_kb)
        result.report.items.extend(done.diagnostics)
        # No entries and no error: the job wrote nothing on purpose (its
        # fallback layout is built in its own right).
        failed = any(d.level == "error" for d in done.diagnostics)
        result.failed += failed
        if not failed or done.entries:  # a print problem still leaves the screen file
            new_jobs[done.job] = done.entries
        if not failed:
            result.built_jobs.append(done.job)
        elif done.entries:
            result.partial.add(done.job)
        if progress:
            progress.advance(str(done.job), failed)
    if progress:
        progress.finish()
    return new_jobs


def _record(options: BuildOptions, plan: Plan, state: BuildState, new_jobs: dict[JobId, list[ManifestEntry]],
            library: Library | None, known: set[str], unplanned: set[str], result: BuildResult) -> None:
    """Remove what is gone (never the last good outputs of a publication
    that cannot be read now), then write the manifest and the build state."""
    stale = kept_removals(plan.remove, unplanned, set(library.metas) if library else set())
    result.failed += len(stale)
    for job, entries in plan.remove.items():
        if job not in stale:
            _remove_outputs(options.output_dir, entries)
    for job, entries in new_jobs.items():  # what a rebuilt job no longer makes
        made = {e.path for e in entries}
        _remove_outputs(options.output_dir, [e for e in state.jobs.get(str(job), {}).get("entries", [])
                                             if e.get("path") not in made])
    result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
    result.entries += [e for entries in new_jobs.values() for e in entries]
    facts = publication_facts(library) if library else None
    site = site_facts(library, options.layouts_dir) if library else None
    if library:
        _copy_fonts(options)
    write_manifest(options.output_dir, result.entries, facts, removed={job.slug for job in plan.remove} - known,
                   site=site)
    if not (options.slugs or options.langs or options.layouts or result.report.errors):
        # Only a clean build that looked at every job may vouch for the inputs:
        # after a partial one, the next full build recomputes the keys it skipped.
        state.inputs, state.config = plan.inputs, plan.config
    for job in set(plan.remove) - stale:
        state.jobs.pop(str(job), None)
    failed = {job: state.jobs.get(str(job), {}).get("entries", [])
              for job in [*plan.build, *stale] if job not in new_jobs}
    report_stale(result.report, options.output_dir, failed)
    for job, entries in failed.items():  # remembered, so an unchanged failing job is tried again
        state.jobs[str(job)] = {"key": plan.keys.get(job), "parts": _parts(plan, state, job), "config": plan.config,
                                "entries": entries, "failed": True}
    for job, entries in new_jobs.items():
        state.jobs[str(job)] = {"key": plan.keys[job], "parts": _parts(plan, state, job), "config": plan.config,
                                "entries": [dict(e.__dict__) for e in entries]}
        if job in result.partial:
            state.jobs[str(job)]["failed"] = True
    state.write(options.output_dir)


def _copy_fonts(options: BuildOptions) -> None:
    """The shared fonts into output/fonts/, for the catalog's pages (it reads only output/)."""
    fonts = options.layouts_dir / SHARED / "fonts"
    if fonts.is_dir():
        shutil.copytree(fonts, options.output_dir / "fonts", dirs_exist_ok=True)


def _parts(plan: Plan, state: BuildState, job: JobId) -> dict[str, str]:
    """The job's key parts: recomputed, or (inputs unchanged) the ones it had."""
    return plan.parts.get(job) or state.jobs.get(str(job), {}).get("parts", {})
