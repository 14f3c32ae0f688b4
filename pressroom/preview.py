"""``generate.py preview SLUG``: the edition as HTML and PDF on localhost,
reloaded in the browser when a source or layout file changes.

A watcher thread compares file times under sources/ and layouts/ twice a
second and bumps a version number; the page listens on /events (server-sent
events) and reloads when the number changes. Each version is rendered once,
on the first request. Source errors are shown in the page, at their file and
line, until they are fixed.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader
from .project import load
from .diagnostics import PressroomError
from .options import BuildOptions
from .render.fetcher import MIME_TYPES, FetchRefused, SandboxedFetcher
from .render.html import forget_layout_files
from .render.pdf import PdfRenderer
from .variants import Fitting, lay_out_fitting

POLL_SECONDS = 0.5
CACHED_RENDERINGS = 8


@dataclass
class Rendering:
    version: int
    title: str = ""
    html: str = ""
    pdf: bytes = b""
    problems: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    shown_layout: str | None = None


class Preview:
    """What the server shows for one publication; safe to use from threads."""

    def __init__(self, options: BuildOptions, slug: str, lang: str, layout: str | None):
        self.options, self.slug, self.lang, self.layout = options, slug, lang, layout
        self.version = 0
        self._stamps = self._scan()
        self._lock = threading.Lock()
        self._cache: dict[tuple, Rendering] = {}
        self._renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
        self._fetcher = SandboxedFetcher([options.layouts_dir, options.sources_dir])

    # --- watching ---------------------------------------------------------------

    def _scan(self) -> dict[Path, int]:
        stamps = {}
        for root in (self.options.sources_dir, self.options.layouts_dir):
            for path in root.rglob("*"):
                try:
                    if path.is_file():
                        stamps[path] = path.stat().st_mtime_ns
                except OSError:  # removed while scanning
                    continue
        return stamps

    def poll(self) -> bool:
        """Look for changed files once; True (and a new version) when some changed."""
        stamps = self._scan()
        if stamps == self._stamps:
            return False
        self._stamps = stamps
        with self._lock:
            self.version += 1
            self._cache.clear()
            forget_layout_files()
        return True

    def watch(self, stop: threading.Event) -> None:
        while not stop.wait(POLL_SECONDS):
            self.poll()

    # --- rendering --------------------------------------------------------------

    def rendering(self, lang: str | None = None, layout: str | None = None) -> Rendering:
        lang = lang or self.lang
        with self._lock:
            key = (self.version, lang, layout or self.layout)
            if key not in self._cache:
                while len(self._cache) >= CACHED_RENDERINGS:  # any ?lang= makes an entry: keep a few
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = self._render_safely(self.version, lang, layout or self.layout)
            return self._cache[key]

    def _render_safely(self, version: int, lang: str, layout_name: str | None) -> Rendering:
        """A rendering, or the reason there is none: the page must always load
        (it holds the script that reloads it once the problem is fixed)."""
        try:
            return self._render(version, lang, layout_name)
        except PressroomError as exc:
            problem = f"error: {exc}"
        except Exception as exc:  # an internal failure: shown, not a bare 500
            problem = f"internal error: {type(exc).__name__}: {exc}"
        print(problem, file=sys.stderr)
        return Rendering(version, problems=[problem])

    def _render(self, version: int, lang: str, layout_name: str | None) -> Rendering:
        result = Rendering(version)
        loaded = load(self.options, only={self.slug})
        report, library = loaded.report, loaded.library
        editions = library.editions if library else []  # just this publication's (only=)
        # From the publication's files, so the switches stay while a text has errors.
        meta = library.metas.get(self.slug) if library else None
        result.languages = library.languages.get(self.slug, []) if library else []
        result.layouts = list(meta.layouts) if meta else []
        result.title = meta.title.get(lang, "") if meta else ""
        edition = next((e for e in editions if e.lang == lang), None)
        result.shown_layout = layout_name or (result.layouts[0] if result.layouts else None)
        if edition is not None:
            layout = loaded.layouts.get(layout_name or edition.meta.layouts[0])
            if layout is None:
                report.error(edition.source, 1, f"unknown layout '{layout_name}'")
            else:
                self._render_edition(result, library, edition, layout, report, loaded.layouts)
        elif not report.errors:
            report.error(self.options.sources_dir / self.slug, 1, f"no '{lang}' edition")
        result.problems = [str(d) for d in report.sorted()]
        for problem in result.problems:  # in the terminal too, once per version
            print(problem, file=sys.stderr)
        return result

    def _render_edition(self, result, library, edition, layout, report, layouts) -> None:
        rule = Fitting("shown in the '{fallback}' layout instead", own_layouts_stop=False)
        fitted = lay_out_fitting(self._renderer, library, layouts, edition, layout, self.options, report, rule)
        if fitted is None:
            return
        job, laid = fitted
        result.shown_layout = job.layout.name
        result.html = self._browser_html(job.html, job.layout.name)
        if (screen := job.screen_file(laid, report)) is not None:
            result.pdf = screen

    def _browser_html(self, document: str, layout: str) -> str:
        """The HTML WeasyPrint reads, with its local file URLs turned into this
        server's /files/ URLs so that a browser can show it too."""
        # Browsers ignore @page: give the screen view the page's side margins.
        document = document.replace("<head>", f'<head>\n  <base href="/files/layouts/{quote(layout)}/">'
                                    '\n  <style>@media screen { body { padding: 0 0.75in 0.75in; } }</style>', 1)
        for name, folder in (("sources", self.options.sources_dir), ("layouts", self.options.layouts_dir)):
            document = document.replace(folder.resolve().as_uri() + "/", f"/files/{name}/")
        return document

    def file(self, root: str, relative: str) -> tuple[bytes, str]:
        """A file under sources/ or layouts/, through the same sandbox as the renderer."""
        folders = {"sources": self.options.sources_dir, "layouts": self.options.layouts_dir}
        if root not in folders:
            raise FetchRefused("unknown folder")
        try:
            path = self._fetcher.resolve((folders[root].resolve() / relative).as_uri())
        except ValueError as exc:  # e.g. a NUL byte in the path
            raise FetchRefused(str(exc)) from None
        return path.read_bytes(), MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")


def create_preview_app(preview: Preview) -> FastAPI:
    stop = threading.Event()

    @asynccontextmanager
    async def watching(_app):
        threading.Thread(target=preview.watch, args=(stop,), daemon=True, name="preview-watch").start()
        yield
        stop.set()

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=watching)

    @app.get("/", response_class=HTMLResponse)
    def page(lang: str | None = None, layout: str | None = None) -> HTMLResponse:
        shown = preview.rendering(lang, layout)
        return HTMLResponse(_page(preview, shown, lang or preview.lang, layout))

    @app.get("/document", response_class=HTMLResponse)
    def document(lang: str | None = None, layout: str | None = None) -> HTMLResponse:
        shown = preview.rendering(lang, layout)
        if not shown.html:
            return HTMLResponse('<!DOCTYPE html><meta charset="utf-8">'
                                + _PAGE.get_template("preview_problems.html").render(problems=shown.problems),
                                status_code=500)
        return HTMLResponse(shown.html)

    @app.get("/document.pdf")
    def pdf(lang: str | None = None, layout: str | None = None) -> Response:
        shown = preview.rendering(lang, layout)
        if not shown.pdf:
            raise HTTPException(500, "the PDF could not be made: see the preview page")
        return Response(shown.pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{preview.slug}.pdf"'})

    @app.get("/files/{root}/{relative:path}")
    def files(root: str, relative: str) -> Response:
        try:
            body, mime = preview.file(root, relative)
        except FetchRefused:
            raise HTTPException(404) from None
        return Response(body, media_type=mime, headers={"Cache-Control": "no-store"})

    @app.get("/events")
    async def events(request: Request) -> StreamingResponse:
        async def stream():
            seen = -1
            started = time.monotonic()
            while not stop.is_set() and not await request.is_disconnected():
                if preview.version != seen:
                    seen = preview.version
                    yield f"data: {seen}\n\n"
                elif time.monotonic() - started > 15:
                    started = time.monotonic()
                    yield ": keep-alive\n\n"
                await asyncio.sleep(0.2)
        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    return app


def _query(values: dict) -> str:
    return urlencode({k: v for k, v in values.items() if v is not None})


_PAGE = Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
                    trim_blocks=True, lstrip_blocks=True)
_PAGE.filters["query"] = _query


def _page(preview: Preview, shown: Rendering, lang: str, layout: str | None) -> str:
    return _PAGE.get_template("preview_page.html").render(shown=shown, slug=preview.slug, lang=lang, layout=layout)
