"""The build: load and check sources, render every edition in every layout,
write PDFs and the manifest. One process, one FontConfiguration."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from jinja2 import TemplateError

from .content.library import load_library
from .content.model import Edition, Library
from .diagnostics import Report, UsageError
from .manifest import ManifestEntry, sha256, write_atomic, write_manifest
from .options import BuildOptions
from .render.html import render_html
from .render.layouts import Layout, discover_layouts
from .render.pdf import PdfRenderer


@dataclass
class Loaded:
    library: Library | None
    layouts: dict[str, Layout]
    report: Report


@dataclass
class BuildResult:
    report: Report
    entries: list[ManifestEntry] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries)


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


def pdf_path(output_dir: Path, edition: Edition, layout: Layout) -> Path:
    return output_dir / "pdf" / edition.lang / f"{edition.slug}.{layout.name}.pdf"


def build_one(renderer: PdfRenderer, library: Library, edition: Edition, layout: Layout,
              options: BuildOptions, report: Report) -> ManifestEntry | None:
    """Render one edition in one layout; report problems instead of raising."""
    try:
        html = render_html(edition, layout, library)
    except TemplateError as exc:
        where = Path(getattr(exc, "filename", None) or layout.template)
        report.error(where, getattr(exc, "lineno", 1), f"template error: {exc.message or exc}")
        return None
    rendered = renderer.render(html, layout.folder)
    before = len(report.errors)
    for url, reason in rendered.refused:
        report.error(edition.source, 1, f"blocked fetch of '{url}' ({layout.name} layout): {reason}")
    if not rendered.refused:
        for level, message in rendered.log:
            if level in ("error", "critical"):
                report.error(edition.source, 1, f"{layout.name} layout: {message}")
            else:
                report.warning(layout.template, 1, message)
    spec = layout.spec
    if not spec.min_pages <= rendered.pages <= spec.max_pages:
        report.error(edition.source, 1,
                     f"{rendered.pages} pages in the {layout.name} layout, which takes "
                     f"{spec.min_pages} to {spec.max_pages}: shorten the text or choose another layout")
    if len(report.errors) > before:
        return None
    target = pdf_path(options.output_dir, edition, layout)
    write_atomic(target, rendered.data)
    root = options.sources_dir.parent
    return ManifestEntry(
        slug=edition.slug, lang=edition.lang, layout=layout.name, variant="screen",
        path=target.relative_to(options.output_dir).as_posix(),
        title=edition.title, summary=edition.summary, number=edition.meta.number,
        reviewed=edition.meta.reviewed.isoformat(), pages=rendered.pages,
        bytes=len(rendered.data), sha256=sha256(rendered.data),
        sources=[_relative(p, root) for p in edition.source_files],
        topics=list(edition.meta.topics), audience=list(edition.meta.audience),
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def build(options: BuildOptions, on_progress: Callable[[str], None] | None = None) -> BuildResult:
    """Build everything selected that can be built; problems are in the report."""
    options = options.resolved()
    started = time.perf_counter()
    loaded = load(options)
    result = BuildResult(loaded.report)
    jobs = selected_jobs(options, loaded)
    if jobs:
        renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
        for edition, layout in jobs:
            entry = build_one(renderer, loaded.library, edition, layout, options, result.report)
            if entry:
                result.entries.append(entry)
                if on_progress:
                    on_progress(f"built {entry.path} ({entry.pages} page{'s' * (entry.pages != 1)})")
        write_manifest(options.output_dir, result.entries)
    result.seconds = time.perf_counter() - started
    return result


def check(options: BuildOptions) -> Report:
    """Validate sources only."""
    return load(options.resolved()).report
