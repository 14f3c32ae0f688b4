"""The build: load and check sources, render every edition in every layout and
variant, preflight print files, write PDFs and the manifest. One process, one
FontConfiguration.

Variants of one edition in one layout:
  screen   output/pdf/<lang>/<slug>.<layout>.pdf            tagged PDF/UA-1, sRGB
  print    output/print/<lang>/<slug>.<layout>.print.pdf    PDF/X-4, CMYK, bleed, marks
  imposed  output/print/<lang>/<slug>.<layout>.imposed.pdf  sheets for office printers
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from jinja2 import TemplateError
import pikepdf

from .content.library import load_library
from .content.model import Edition, Library
from .diagnostics import Report, UsageError
from .incremental import BuildState, build_config, plan_build
from .manifest import MANIFEST_NAME, ManifestEntry, sha256, write_atomic, write_manifest
from .options import VARIANTS, BuildOptions
from .prepress import BLEED_PT
from .prepress.identity import stable_identity
from .prepress.impose import impose_booklet, trifold_sheets
from .prepress.marks import add_marks
from .prepress.preflight import errors as preflight_errors
from .prepress.preflight import preflight
from .render.html import render_html
from .render.layouts import Layout, discover_layouts
from .render.measure import overflow_in
from .render.thumbnail import thumbnail_png
from .render.pdf import PRINT_OPTIONS, SCREEN_OPTIONS, PdfRenderer, RenderedPdf


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
    built: int = 0  # jobs rendered
    skipped: int = 0  # jobs unchanged since the last build
    failed: int = 0
    peak_worker_rss_kb: int = 0  # the largest worker process's peak resident memory

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries if e.variant == "screen")


class LayoutDoesNotFit(Exception):
    pass


def load(options: BuildOptions) -> Loaded:
    """Read layouts and sources and check the command's selections against them."""
    if not options.layouts_dir.is_dir():
        raise UsageError(f"layouts folder not found: {options.layouts_dir}")
    layouts = discover_layouts(options.layouts_dir)
    report = Report()
    library = load_library(options.sources_dir, report, set(layouts))
    if options.sources_dir.is_dir():
        known = {p.parent.name for p in options.sources_dir.glob("*/publication.yaml")}
        if unknown := sorted(set(options.slugs) - known):
            raise UsageError(f"unknown publication(s): {', '.join(unknown)} (see 'generate.py list')")
    if unknown := sorted(set(options.layouts) - set(layouts)):
        raise UsageError(f"unknown layout(s): {', '.join(unknown)}; known: {', '.join(sorted(layouts))}")
    return Loaded(library, layouts, report)


def selected_jobs(options: BuildOptions, loaded: Loaded) -> list[tuple[Edition, Layout]]:
    if loaded.library is None:
        return []
    return [
        (edition, loaded.layouts[name])
        for edition in loaded.library.editions
        if (not options.slugs or edition.slug in options.slugs)
        and (not options.langs or edition.lang in options.langs)
        for name in edition.meta.layouts
        if not options.layouts or name in options.layouts
    ]


def output_path(output_dir: Path, edition: Edition, layout: Layout, variant: str = "screen") -> Path:
    if variant == "screen":
        return output_dir / "pdf" / edition.lang / f"{edition.slug}.{layout.name}.pdf"
    return output_dir / "print" / edition.lang / f"{edition.slug}.{layout.name}.{variant}.pdf"


def _padding_needed(pages: int, layout: Layout) -> int:
    """Intended pages to add (Notes) to reach the minimum and the page multiple."""
    spec = layout.spec
    target = max(pages, spec.min_pages)
    target += -target % spec.page_multiple
    return target - pages


def _most_padding(layout: Layout) -> int:
    """The most Notes pages a layout can need: a cover, one page of text and
    the back pages, padded to the minimum and the multiple."""
    spec = layout.spec
    return max(_padding_needed(pages, layout) for pages in range(2 + spec.back_pages, 2 + spec.back_pages + 4))


class EditionRenderer:
    """Renders one edition in one layout, in each variant, with the same pages.

    Layouts that pad with Notes pages are rendered once with the most padding
    they can need; the surplus Notes pages (the last ones before the back
    cover) are dropped before the PDF is written. That gives the same result
    as rendering twice, at the cost of one render.
    """

    def __init__(self, renderer: PdfRenderer, library: Library, edition: Edition, layout: Layout,
                 options: BuildOptions):
        self.renderer, self.library, self.edition, self.layout = renderer, library, edition, layout
        self.options = options
        self.padding = _most_padding(layout)
        self.natural_pages: int | None = None

    def _keep(self, pages: list) -> list:
        spec = self.layout.spec
        self.natural_pages = len(pages) - self.padding
        if self.natural_pages > spec.max_pages:
            return pages  # reported as overflow; nothing is written
        surplus = self.padding - _padding_needed(self.natural_pages, self.layout)
        end = len(pages) - spec.back_pages
        return pages[:end - surplus] + pages[end:]

    def render(self, variant: str, report: Report) -> RenderedPdf | None:
        print_file = variant == "print"
        html = render_html(self.edition, self.layout, self.library, variant,
                           self.options.cmyk_profile if print_file else None, self.padding)
        rendered = self.renderer.render(html, self.layout.folder, PRINT_OPTIONS if print_file else SCREEN_OPTIONS,
                                        keep_document=not print_file,
                                        cmyk_profile=self.options.cmyk_profile if print_file else None,
                                        select_pages=self._keep if self.padding else None)
        for url, reason in rendered.refused:
            report.error(self.edition.source, 1, f"blocked fetch of '{url}' ({self.layout.name} layout): {reason}")
        if not rendered.refused:
            for level, message in rendered.log:
                if level in ("error", "critical"):
                    report.error(self.edition.source, 1, f"{self.layout.name} layout: {message}")
                else:
                    report.warning(self.layout.template, 1, message)
        return None if rendered.refused else rendered

    def render_screen(self, report: Report) -> RenderedPdf | None:
        """Screen variant, padded with intended pages; raises LayoutDoesNotFit."""
        rendered = self.render("screen", report)
        if rendered is None:
            return None
        spec = self.layout.spec
        if rendered.pages - self.padding > spec.max_pages:
            pages = rendered.document.pages
            text_pages = pages[:len(pages) - spec.back_pages - self.padding] + pages[len(pages) - spec.back_pages:]
            extra = overflow_in(text_pages, spec.max_pages - spec.back_pages, spec.back_pages)
            raise LayoutDoesNotFit(
                f"the text overflows the {self.layout.name} layout by {extra:.1f} in "
                f"({len(text_pages) - spec.max_pages} {spec.page_name}(s) past the {spec.max_pages} it has): "
                f"shorten it or name a fallback layout")
        return rendered

    def print_file(self, report: Report) -> bytes | None:
        rendered = self.render("print", report)
        if rendered is None:
            return None
        data = rendered.data
        spec = self.layout.spec
        if spec.imposition == "trifold":
            data = trifold_sheets(data, bleed_pt=BLEED_PT)
        data = add_marks(data, [spec.folds_in(1), spec.folds_in(2)] if spec.imposition == "trifold" else None)
        return stable_identity(data)

    def imposed_file(self, screen: bytes) -> bytes | None:
        imposition = self.layout.spec.imposition
        if imposition == "saddle-stitch":
            return impose_booklet(screen)
        if imposition == "trifold":
            return trifold_sheets(screen, fold_ticks=True)
        return None


def build_one(renderer: PdfRenderer, loaded: Loaded, edition: Edition, layout: Layout,
              options: BuildOptions, report: Report) -> list[ManifestEntry]:
    """All variants of one edition in one layout (or its fallback); problems
    go to the report and leave nothing half-written."""
    job = EditionRenderer(renderer, loaded.library, edition, layout, options)
    try:
        screen = job.render_screen(report)
    except TemplateError as exc:
        where = Path(getattr(exc, "filename", None) or layout.template)
        report.error(where, getattr(exc, "lineno", 1), f"template error: {exc.message or exc}")
        return []
    except LayoutDoesNotFit as exc:
        fallback = edition.meta.fallback.get(layout.name)
        if fallback is None:
            report.error(edition.source, 1, str(exc))
            return []
        report.warning(edition.source, 1, f"{exc}; built in the '{fallback}' layout instead")
        if fallback in edition.meta.layouts:
            return []  # built in its own right
        return build_one(renderer, loaded, edition, loaded.layouts[fallback], options, report)
    if screen is None:
        return []
    wanted = options.variants or VARIANTS
    files = {"screen": screen.data}
    if "print" in wanted:
        printed = job.print_file(report)
        if printed is None:
            return []
        print_path = output_path(options.output_dir, edition, layout, "print")
        failed = preflight_errors(preflight(printed, layout.spec))
        for finding in failed:
            report.error(edition.source, 1, f"preflight: {finding.format(print_path.name)}")
        if failed:
            return []
        files["print"] = printed
    if "imposed" in wanted and (imposed := job.imposed_file(screen.data)) is not None:
        files["imposed"] = imposed
    entries = []
    for variant, data in files.items():
        if variant not in wanted:
            continue
        target = output_path(options.output_dir, edition, layout, variant)
        write_atomic(target, data)
        entry = _entry(edition, layout, variant, target, data, options)
        if variant == "screen":
            thumbnail = options.output_dir / "thumbs" / edition.lang / f"{edition.slug}.{layout.name}.png"
            write_atomic(thumbnail, thumbnail_png(data))
            entry.thumbnail = thumbnail.relative_to(options.output_dir).as_posix()
        entries.append(entry)
    return entries


def _entry(edition: Edition, layout: Layout, variant: str, target: Path, data: bytes,
           options: BuildOptions) -> ManifestEntry:
    root = options.sources_dir.parent
    return ManifestEntry(
        slug=edition.slug, lang=edition.lang, layout=layout.name, variant=variant,
        path=target.relative_to(options.output_dir).as_posix(),
        title=edition.title, summary=edition.summary, number=edition.meta.number,
        reviewed=edition.meta.reviewed.isoformat(), pages=_page_count(data),
        bytes=len(data), sha256=sha256(data),
        sources=[_relative(p, root) for p in edition.source_files],
        topics=list(edition.meta.topics), audience=list(edition.meta.audience),
    )


def _page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
    loaded = Loaded(library, _worker_layouts, report)
    try:
        entries = build_one(_worker_renderer, loaded, edition, _worker_layouts[layout_name], options, report)
    except Exception as exc:  # one broken publication must not stop the others
        if options.debug:
            raise
        report.error(edition.source, 1, f"{layout_name} layout: internal error: {type(exc).__name__}: {exc}")
        entries = []
    return job, entries, report.items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run_all(tasks: list[tuple], jobs: int, progress: Progress | None):
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


def _selector(options: BuildOptions):
    def selected(job: str) -> bool:
        slug, lang, layout = job.split("/")
        return ((not options.slugs or slug in options.slugs) and (not options.langs or lang in options.langs)
                and (not options.layouts or layout in options.layouts))
    return selected


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
    if not options.layouts_dir.is_dir():
        raise UsageError(f"layouts folder not found: {options.layouts_dir}")
    if not options.sources_dir.is_dir():
        result = BuildResult(Report())
        result.report.error(options.sources_dir, 1, "sources folder not found")
        return result
    layouts = discover_layouts(options.layouts_dir)
    known = {p.parent.name for p in options.sources_dir.glob("*/publication.yaml")}
    if unknown := sorted(set(options.slugs) - known):
        raise UsageError(f"unknown publication(s): {', '.join(unknown)} (see 'generate.py list')")
    if unknown := sorted(set(options.layouts) - set(layouts)):
        raise UsageError(f"unknown layout(s): {', '.join(unknown)}; known: {', '.join(sorted(layouts))}")
    if not options.cmyk_profile.is_file() and "print" in (options.variants or VARIANTS):
        raise UsageError(f"CMYK profile not found: {options.cmyk_profile} (install libgs-common, "
                         f"or give the printer's profile with --cmyk-profile)")

    state = BuildState.read(options.output_dir)
    config = build_config(options.variants or VARIANTS, options.cmyk_profile)
    plan = plan_build(state, options.sources_dir, options.layouts_dir, sorted(layouts), config,
                      options.output_dir, _selector(options), options.force)
    result = BuildResult(Report(), skipped=len(plan.keep))
    if plan.is_noop() and not options.force and (options.output_dir / MANIFEST_NAME).is_file():
        result.seconds = time.perf_counter() - started
        result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
        return result

    new_jobs: dict[str, list[ManifestEntry]] = {}
    library = None
    if plan.build:
        library = load_library(options.sources_dir, result.report, set(layouts),
                               only={job.split("/")[0] for job in plan.build})
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
        for job, entries, items, rss_kb in _run_all(tasks, options.jobs, progress):
            result.peak_worker_rss_kb = max(result.peak_worker_rss_kb, rss_kb)
            result.report.items.extend(items)
            failed = any(d.level == "error" for d in items) or not entries
            result.failed += failed
            if not failed:
                new_jobs[job] = entries
                result.built += 1
                result.built_jobs.append(job)
            if progress:
                progress.advance(job, failed)
        if progress:
            progress.finish()

    for entries in plan.remove.values():
        _remove_outputs(options.output_dir, entries)
    result.entries = [ManifestEntry(**e) for entries in plan.keep.values() for e in entries]
    result.entries += [e for entries in new_jobs.values() for e in entries]
    facts = publication_facts(library) if library else None
    write_manifest(options.output_dir, result.entries, facts,
                   removed={j.split("/")[0] for j in plan.remove} - known)

    state.inputs, state.config = plan.inputs, plan.config
    for job in plan.remove:
        state.jobs.pop(job, None)
    for job in plan.build:  # failures are remembered, so an unchanged failing job is tried again
        state.jobs[job] = {"key": plan.keys[job], "entries": [], "failed": True}
    for job, entries in new_jobs.items():
        state.jobs[job] = {"key": plan.keys[job], "entries": [dict(e.__dict__) for e in entries]}
    state.write(options.output_dir)
    result.seconds = time.perf_counter() - started
    return result


def check(options: BuildOptions) -> Report:
    """Validate sources only."""
    return load(options.resolved()).report
