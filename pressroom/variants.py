"""One edition in one layout, in every variant: the screen PDF (padded with
Notes pages as the layout needs, checked for overflow), the print file
(CMYK, bleed, marks, preflighted, byte-stable) and the imposed sheets.

Variants of one edition in one layout:
  screen   output/pdf/<lang>/<slug>.<layout>.pdf            tagged PDF/UA-1, sRGB
  print    output/print/<lang>/<slug>.<layout>.print.pdf    PDF/X-4, CMYK, bleed, marks
  imposed  output/print/<lang>/<slug>.<layout>.imposed.pdf  sheets for office printers
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pikepdf
from .content.markdown import shown
from .content.model import Edition, Library
from .diagnostics import LocatedError, Report
from .manifest import ManifestEntry, sha256, write_atomic
from .options import VARIANTS, BuildOptions
from .prepress import BLEED_PT, MIN_PPI
from .prepress.identity import stable_identity
from .prepress.impose import impose_booklet, trifold_sheets
from .prepress.marks import add_marks
from .prepress.preflight import errors as preflight_errors
from .prepress.preflight import preflight
from .render.html import online_url, render_html
from .render.layouts import Layout
from .render.measure import overflow_in, raster_images
from .render.pdf import PRINT_OPTIONS, SCREEN_OPTIONS, PdfRenderer, RenderedPdf
from .render.tagging import tag_link_languages
from .render.thumbnail import thumbnail_png


class LayoutDoesNotFit(Exception):
    pass


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
        self.screen_html = ""  # the HTML of the last screen rendering (the preview shows it)

    def _keep(self, pages: list) -> list:
        spec = self.layout.spec
        natural_pages = len(pages) - self.padding
        if natural_pages > spec.max_pages:
            return pages  # reported as overflow; nothing is written
        surplus = self.padding - _padding_needed(natural_pages, self.layout)
        end = len(pages) - spec.back_pages
        return pages[:end - surplus] + pages[end:]

    def render(self, variant: str, report: Report) -> RenderedPdf | None:
        print_file = variant == "print"
        html = render_html(self.edition, self.layout, self.library, variant,
                           self.options.cmyk_profile if print_file else None, self.padding)
        if not print_file:
            self.screen_html = html
        rendered = self.renderer.render(html, self.layout.folder, PRINT_OPTIONS if print_file else SCREEN_OPTIONS,
                                        keep_document=not print_file,
                                        cmyk_profile=self.options.cmyk_profile if print_file else None,
                                        select_pages=self._keep if self.padding else None)
        self._report_refused(rendered, report)
        if not rendered.refused:
            for level, message in rendered.log:
                if level in ("error", "critical"):
                    report.error(self.edition.source, 1, f"{self.layout.name} layout: {shown(message, 300)}")
                else:
                    report.warning(self.layout.template, 1, message)
        return None if rendered.refused else rendered

    def render_screen(self, report: Report) -> RenderedPdf | None:
        """Screen variant, padded with intended pages; raises LayoutDoesNotFit."""
        rendered = self.render("screen", report)
        if rendered is None:
            return None
        if (overflow := self._overflow(rendered.document.pages)) is not None:
            raise LayoutDoesNotFit(overflow)
        if self.edition.other_langs:
            rendered.data = tag_link_languages(rendered.data, {
                online_url(self.library, self.edition.slug, lang): lang for lang in self.edition.other_langs})
        return rendered

    def _report_refused(self, rendered: RenderedPdf, report: Report) -> None:
        for url, reason in rendered.refused:
            report.error(self.edition.source, 1,
                         f"blocked fetch of '{shown(url)}' ({self.layout.name} layout): {reason or 'refused'}")

    def _overflow(self, pages: list) -> str | None:
        """What does not fit, in words, for pages laid out with the most padding."""
        spec = self.layout.spec
        if len(pages) - self.padding <= spec.max_pages:
            return None
        text_pages = pages[:len(pages) - spec.back_pages - self.padding] + pages[len(pages) - spec.back_pages:]
        extra = overflow_in(text_pages, spec.max_pages - spec.back_pages, spec.back_pages)
        return (f"the text overflows the {self.layout.name} layout by {extra:.1f} in "
                f"({len(text_pages) - spec.max_pages} {spec.page_name}(s) past the {spec.max_pages} it has)")

    def check_fit(self, report: Report) -> None:
        """For ``check``: lay the screen pages out (no PDF) and report text that
        does not fit and raster images under MIN_PPI at their placed size."""
        html = render_html(self.edition, self.layout, self.library, "screen", None, self.padding)
        laid = self.renderer.lay_out(html, self.layout.folder)
        self._report_refused(laid, report)
        pages = laid.document.pages
        if (overflow := self._overflow(pages)) is not None:
            report_overflow(self.edition, self.layout, overflow, report, "the '{fallback}' layout is used instead")
        for url, ppi in raster_images(pages):
            if ppi < MIN_PPI:
                path = Path(url2pathname(urlsplit(url).path))
                report.warning(self.edition.source, self.edition.image_lines.get(path, 1),
                               f"image '{path.name}' is {ppi:.0f} ppi at its size in the {self.layout.name} "
                               f"layout; print needs {MIN_PPI} ppi (use a larger image or place it smaller)")

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


def report_overflow(edition: Edition, layout: Layout, overflow: str, report: Report, instead: str) -> str | None:
    """Text that does not fit is an error, unless the publication names a
    fallback layout: then a warning that says what happens ``instead`` (a
    format with ``{fallback}``). Returns the fallback's name, if any."""
    fallback = edition.meta.fallback.get(layout.name)
    if fallback is None:
        report.error(edition.source, 1, f"{overflow}: shorten it or name a fallback layout")
    else:
        report.warning(edition.source, 1, f"{overflow}; {instead.format(fallback=fallback)}")
    return fallback


def build_one(renderer: PdfRenderer, library: Library, layouts: dict[str, Layout], edition: Edition,
              layout: Layout, options: BuildOptions, report: Report) -> list[ManifestEntry]:
    """All variants of one edition in one layout (or its fallback); problems
    go to the report and leave nothing half-written."""
    job = EditionRenderer(renderer, library, edition, layout, options)
    try:
        screen = job.render_screen(report)
    except LocatedError as exc:  # a template or message catalogue that does not work
        exc.report_to(report)
        return []
    except LayoutDoesNotFit as exc:
        fallback = report_overflow(edition, layout, str(exc), report, "built in the '{fallback}' layout instead")
        if fallback is None or fallback in edition.meta.layouts:
            return []  # failed, or built in its own right
        return build_one(renderer, library, layouts, edition, layouts[fallback], options, report)
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
        entry = _entry(edition, layout, variant, target, data, options,
                       screen.pages if variant == "screen" else _page_count(data))
        if variant == "screen":
            thumbnail = options.output_dir / "thumbs" / edition.lang / f"{edition.slug}.{layout.name}.png"
            write_atomic(thumbnail, thumbnail_png(data))
            entry.thumbnail = thumbnail.relative_to(options.output_dir).as_posix()
        entries.append(entry)
    return entries


def _entry(edition: Edition, layout: Layout, variant: str, target: Path, data: bytes,
           options: BuildOptions, pages: int) -> ManifestEntry:
    root = options.sources_dir.parent
    return ManifestEntry(
        slug=edition.slug, lang=edition.lang, layout=layout.name, variant=variant,
        path=target.relative_to(options.output_dir).as_posix(),
        title=edition.title, summary=edition.summary, number=edition.meta.number,
        reviewed=edition.meta.reviewed.isoformat(), pages=pages,
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
