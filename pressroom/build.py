"""The build: plan what changed, render those jobs (one edition in one
layout, every variant; see variants.py) in worker processes, each with one
FontConfiguration, then write the manifest and the build state."""

from __future__ import annotations

import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .content.library import load_library, sources_problem
from .content.model import Edition, Library
from .diagnostics import PressroomError, Report, UsageError
from .incremental import BuildState, build_config, plan_build
from .manifest import MANIFEST_NAME, ManifestEntry, write_manifest
from .options import VARIANTS, BuildOptions
from .render.i18n import catalogue_languages
from .render.layouts import Layout, discover_layouts
from .render.pdf import PdfRenderer
from .variants import build_one
from .verdict import kept_removals, report_stale, unplanned_publications


@dataclass
class Loaded:
    library: Library | None
    layouts: dict[str, Layout]
    report: Report


@dataclass
class BuildResult:
    report: Report
    entries: list[ManifestEntry] = field(default_factory=list)  # every output the manifest lists for this run
    seconds: float = 0.0
    built_jobs: list[str] = field(default_factory=list)  # "slug/lang/layout" of the jobs rendered
    skipped: int = 0  # jobs unchanged since the last build
    failed: int = 0
    peak_worker_rss_kb: int = 0  # the largest worker process's peak resident memory

    @property
    def built(self) -> int:
        return len(self.built_jobs)

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries if e.variant == "screen")


def load(options: BuildOptions, only: set[str] | None = None) -> Loaded:
    """Read layouts and sources (just the ``only`` publications' texts, if
    given) and check the command's selections against them."""
    layouts = _layouts(options)
    check_selection(options, layouts)
    report = Report()
    return Loaded(_library(options, layouts, report, only), layouts, report)


def _layouts(options: BuildOptions) -> dict[str, Layout]:
    if not options.layouts_dir.is_dir():
        raise UsageError(f"layouts folder not found: {options.layouts_dir}")
    return discover_layouts(options.layouts_dir)


def _library(options: BuildOptions, layouts: dict[str, Layout], report: Report,
             only: set[str] | None) -> Library | None:
    return load_library(options.sources_dir, report, set(layouts), only=only,
                        languages=catalogue_languages(options.layouts_dir))


def check_selection(options: BuildOptions, layouts: dict[str, Layout]) -> set[str]:
    """The publications there are; a usage error for any unknown one or layout asked for."""
    known = {p.parent.name for p in options.sources_dir.glob("*/publication.yaml")}
    if unknown := sorted(set(options.slugs) - known):
        raise UsageError(f"unknown publication(s): {', '.join(unknown)} (see 'generate.py list')")
    if unknown := sorted(set(options.layouts) - set(layouts)):
        raise UsageError(f"unknown layout(s): {', '.join(unknown)}; known: {', '.join(sorted(layouts))}")
    if unknown := sorted(set(options.langs) - (languages := catalogue_languages(options.layouts_dir))):
        raise UsageError(f"unknown language(s): {', '.join(map(repr, unknown))}; the layouts have words for "
                         f"{', '.join(sorted(languages))} (see 'Adding a language' in README.md)")
    return known


def wanted(options: BuildOptions, slug: str, lang: str, layout: str) -> bool:
    """Whether the command's selections (SLUG..., --lang, --layout) take in this job."""
    return ((not options.slugs or slug in options.slugs) and (not options.langs or lang in options.langs)
            and (not options.layouts or layout in options.layouts))


def selected_jobs(options: BuildOptions, loaded: Loaded) -> list[tuple[Edition, Layout]]:
    if loaded.library is None:
        return []
    return [(edition, loaded.layouts[name]) for edition in loaded.library.editions
            for name in edition.meta.layouts if wanted(options, edition.slug, edition.lang, name)]


def publication_facts(library: Library) -> dict[str, dict]:
    """What the catalog shows about each publication, from its sources."""
    return {slug: {
        "number": meta.number,
        "reviewed": meta.reviewed.isoformat(),
        "title": dict(meta.title),
        "summary": dict(meta.summary),
        "topics": {t: dict(library.topics[t].name) for t in meta.topics if t in library.topics},
        "audience": list(meta.audience),
        "layouts": list(meta.layouts),
        "languages": library.languages.get(slug, []),
        "ordering": meta.ordering.model_dump(),
        "related": list(meta.related),
    } for slug, meta in library.metas.items()}


class Progress(Protocol):
    def start(self, total: int, skipped: int) -> None: ...
    def advance(self, label: str, failed: bool) -> None: ...
    def finish(self) -> None: ...


# --- one job in a worker process ---------------------------------------------------

_worker_renderer: PdfRenderer | None = None
_worker_layouts: dict[str, Layout] | None = None


def _run_job(task: tuple) -> tuple[str, list[ManifestEntry], list, int]:
    """Render one job; runs in a worker process (or in-process for --jobs 1).
    Each process keeps one FontConfiguration for all its documents."""
    global _worker_renderer, _worker_layouts
    job, edition, layout_name, library, options = task
    if _worker_renderer is None:
        _worker_renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
        _worker_layouts = discover_layouts(options.layouts_dir)
    report = Report()
    try:
        entries = build_one(_worker_renderer, library, _worker_layouts, edition, _worker_layouts[layout_name],
                            options, report)
    except PressroomError as exc:  # e.g. a broken message catalogue: its file and line are in the message
        report.error(edition.source, 1, f"{layout_name} layout: {exc}")
        entries = []
    except Exception as exc:  # one broken publication must not stop the others
        if options.debug:
            raise
        report.error(edition.source, 1, f"{layout_name} layout: internal error: {type(exc).__name__}: {exc}")
        entries = []
    return job, entries, report.items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run_all(tasks: list[tuple], jobs: int):
    """Yield results as jobs finish, from ``jobs`` worker processes. A fresh
    pool serves each chunk of tasks, so no worker lives for more than
    TASKS_PER_WORKER documents and memory stays flat. (ProcessPoolExecutor's
    own max_tasks_per_child can hang on Python 3.11.)"""
    if jobs <= 1 or len(tasks) < SMALL_BUILD:
        for task in tasks:
            yield _run_job(task)
        return
    # fork starts a worker in milliseconds with everything already imported;
    # forkserver (elsewhere) pays for the imports once per worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = jobs * TASKS_PER_WORKER
    for first in range(0, len(tasks), chunk):
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_run_job, task): task for task in tasks[first:first + chunk]}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    job, edition, layout_name, _library, _options = futures[future]
                    report = Report()
                    report.error(edition.source, 1,
                                 f"{layout_name} layout: worker failed: {type(exc).__name__}: {exc}")
                    yield job, [], report.items, 0


TASKS_PER_WORKER = 200
# A single job renders in-process: no worker to start.
SMALL_BUILD = 2


# --- the build -----------------------------------------------------------------------


def _remove_outputs(output_dir: Path, entries: list[dict]) -> None:
    for entry in entries:
        for relative in (entry.get("path"), entry.get("thumbnail")):
            if relative:
                (output_dir / relative).unlink(missing_ok=True)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build what changed since the last build (everything with --force);
    problems are in the report, and one failing publication never stops the others."""
    options = options.resolved()
    started = time.perf_counter()
    layouts = _layouts(options)
    if (problem := sources_problem(options.sources_dir)) is not None:
        result = BuildResult(Report())
        result.report.error(options.sources_dir, 1, problem)
        return result
    known = check_selection(options, layouts)
    if not options.cmyk_profile.is_file() and "print" in (options.variants or VARIANTS):
        raise UsageError(f"CMYK profile not found: {options.cmyk_profile} (install libgs-common, "
                         f"or give the printer's profile with --cmyk-profile)")

    state = BuildState.read(options.output_dir)
    config = build_config(options.variants or VARIANTS, options.cmyk_profile)
    plan = plan_build(state, options.sources_dir, options.layouts_dir, sorted(layouts), config,
                      options.output_dir, lambda job: wanted(options, *job.split("/", 2)), options.force)
    result = BuildResult(Report(), skipped=len(plan.keep))
    unplanned = unplanned_publications(options.slugs, known, plan.keys)
    vouched = plan.inputs == state.inputs and plan.config == state.config  # the last full build was clean
    if plan.is_noop() and vouched and not unplanned and not options.force \
            and (options.output_dir / MANIFEST_NAME).is_file():
        result.seconds = time.perf_counter() - started
        result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
        return result

    new_jobs: dict[str, list[ManifestEntry]] = {}
    # Loaded even with nothing to render: shared data and unplanned publications give the verdict.
    library = _library(options, layouts, result.report, {job.split("/")[0] for job in plan.build} | unplanned)
    if plan.build:
        editions = {(e.slug, e.lang): e for e in (library.editions if library else [])}
        shell = Library(library.office, library.organizations, library.topics, [], library.sources_dir) \
            if library else None
        tasks = []
        for job in plan.build:
            slug, lang, layout_name = job.split("/")
            if (edition := editions.get((slug, lang))) is not None and layout_name in layouts:
                tasks.append((job, edition, layout_name, shell, options))
            else:
                result.failed += 1  # its errors are already in the report
        if progress:
            progress.start(len(tasks), len(plan.keep))
        for job, entries, items, rss_kb in _run_all(tasks, options.jobs):
            result.peak_worker_rss_kb = max(result.peak_worker_rss_kb, rss_kb)
            result.report.items.extend(items)
            # No entries and no error: the job wrote nothing on purpose (its
            # fallback layout is built in its own right).
            failed = any(d.level == "error" for d in items)
            result.failed += failed
            if not failed:
                new_jobs[job] = entries
                result.built_jobs.append(job)
            if progress:
                progress.advance(job, failed)
        if progress:
            progress.finish()

    stale = kept_removals(plan.remove, unplanned, set(library.metas) if library else set())
    result.failed += len(stale)
    for job, entries in plan.remove.items():
        if job not in stale:
            _remove_outputs(options.output_dir, entries)
    for job, entries in new_jobs.items():  # what a rebuilt job no longer makes
        made = {e.path for e in entries}
        _remove_outputs(options.output_dir, [e for e in state.jobs.get(job, {}).get("entries", [])
                                             if e.get("path") not in made])
    result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
    result.entries += [e for entries in new_jobs.values() for e in entries]
    facts = publication_facts(library) if library else None
    write_manifest(options.output_dir, result.entries, facts,
                   removed={j.split("/")[0] for j in plan.remove} - known)

    if not (options.slugs or options.langs or options.layouts or result.report.errors):
        # Only a build that looked at every job may vouch for the inputs: after
        # a partial one, the next full build recomputes the keys it skipped.
        state.inputs, state.config = plan.inputs, plan.config
    for job in set(plan.remove) - stale:
        state.jobs.pop(job, None)
    failed = {job: state.jobs.get(job, {}).get("entries", []) for job in [*plan.build, *stale] if job not in new_jobs}
    report_stale(result.report, options.output_dir, failed)
    for job, entries in failed.items():  # remembered, so an unchanged failing job is tried again
        state.jobs[job] = {"key": plan.keys.get(job), "entries": entries, "failed": True}
    for job, entries in new_jobs.items():
        state.jobs[job] = {"key": plan.keys[job], "entries": [dict(e.__dict__) for e in entries]}
    state.write(options.output_dir)
    result.seconds = time.perf_counter() - started
    return result
