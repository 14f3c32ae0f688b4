"""One edition in one layout, laid out once, made into every output kind
the build asks for (the registry in outputs/: screen PDF, print file,
imposed sheets, thumbnail), checked for fit first (with the layout's
fallback), and written only when every kind succeeded."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pikepdf
from .content.images import embedded_profile
from .content.markdown import shown
from .content.model import Edition, Library
from .diagnostics import LocatedError, Report
from .manifest import ManifestEntry, sha256, write_atomic
from .options import BuildOptions
from .outputs import ACCESSIBILITY, PRINT, SCREEN, VARIANTS, OutputKind, to_make
from .prepress.impose import impose_booklet, trifold_sheets
from .prepress.press import ScreenFacts, finish_print_file, finish_screen_file
from .render.html import online_url, render_html
from .render.i18n import translations
from .render.layouts import Layout
from .render.links import link_descriptions
from .render.measure import added_hyphens, continued_elements, language_spans, overflow_in, raster_images, styled_labels
from .render.pdf import LaidOut, PdfRenderer


class LayoutDoesNotFit(Exception):
    pass


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
    """Lays out one edition in one layout once and writes each variant from
    those pages (see render/pdf.py).

    Layouts that pad with Notes pages are laid out with the most padding
    they can need; the surplus Notes pages (the last ones before the back
    cover) are dropped when a file is written. That gives the same result
    as laying out twice, at the cost of one layout.
    """

    def __init__(self, renderer: PdfRenderer, library: Library, edition: Edition, layout: Layout,
                 options: BuildOptions, fit: int = 0, asked: str | None = None):
        self.renderer, self.library, self.edition, self.layout = renderer, library, edition, layout
        self.options = options
        self.fit = fit  # copyfitting steps (layouts/shared/content.css: html.fit-1, html.fit-2)
        self.asked = asked or layout.name  # the job's own layout (``layout`` may be its fallback)
        self.padding = _most_padding(layout)
        self.html = ""  # the HTML of the last layout (the preview shows it)
        self._written: bytes | None = None  # the one PDF both files are finished from
        self._placed: list | None = None  # the raster images as placed on the kept pages, read once

    def _keep(self, pages: list) -> list:
        spec = self.layout.spec
        natural_pages = len(pages) - self.padding
        if natural_pages > spec.max_pages:
            return pages  # reported as overflow; nothing is written
        surplus = self.padding - _padding_needed(natural_pages, self.layout)
        end = len(pages) - spec.back_pages
        return pages[:end - surplus] + pages[end:]

    def page_count(self, laid: LaidOut) -> int:
        """Pages in the written files (the surplus Notes pages dropped)."""
        return len(self._keep(laid.pages)) if self.padding else len(laid.pages)

    def lay_out(self, report: Report, single_page: bool = False) -> LaidOut | None:
        """The edition's pages, or None (with the refusal reported) when a
        fetch was refused. An edition of one page is laid out again knowing
        it (its layout then numbers no pages: no "Page 1 of 1")."""
        self.html = render_html(self.edition, self.layout, self.library, self.padding, self.fit, single_page)
        laid = self.renderer.lay_out(self.html, self.layout.folder)
        if not laid.refused and not single_page and self.page_count(laid) == 1:
            return self.lay_out(report, single_page=True)  # this attempt's messages come again
        return None if self._report(laid, report) else laid

    def _write(self, laid: LaidOut, report: Report) -> bytes | None:
        """The one PDF of these pages (written on first use), or None."""
        if self._written is None:
            data = self.renderer.write(laid, self._keep if self.padding else None)
            if self._report(laid, report) or data is None:
                return None
            self._written = data
        return self._written

    def _report(self, laid: LaidOut, report: Report) -> bool:
        """Refusals and WeasyPrint's messages into the report; True if a fetch was refused."""
        for url, reason in laid.refused:
            report.error(self.edition.source, 1,
                         f"blocked fetch of '{shown(url)}' ({self.layout.name} layout): {reason or 'refused'}")
        if not laid.refused:
            for level, message in laid.log:
                if level in ("error", "critical"):
                    report.error(self.edition.source, 1, f"{self.layout.name} layout: {shown(message, 300)}")
                else:
                    report.warning(self.layout.template, 1, message)
        laid.log.clear()
        return bool(laid.refused)

    def check_fit(self, laid: LaidOut) -> None:
        """Raises LayoutDoesNotFit when the text needs more pages than the layout has."""
        if (overflow := self._overflow(laid.pages)) is not None:
            raise LayoutDoesNotFit(overflow)

    def screen_file(self, laid: LaidOut, report: Report) -> bytes | None:
        """The tagged screen PDF, cut at the trim, other editions' links marked with their language."""
        if (data := self._write(laid, report)) is None:
            return None
        words = translations(self.layout.folder.parent, self.edition.lang)
        kept = self.kept_pages(laid)
        return finish_screen_file(data, ScreenFacts(
            link_languages={online_url(self.library, self.edition.slug, lang): lang
                            for lang in self.edition.other_langs},
            link_descriptions=link_descriptions(laid.pages, words),
            label_words=styled_labels(kept),
            span_languages=language_spans(kept, self.edition.lang),
            continued=continued_elements(kept),
            added_hyphens=added_hyphens(kept),
            image_profiles=self._image_profiles(self.placed_images(laid))))

    @staticmethod
    def _image_profiles(placed: list) -> dict[str, bytes]:
        """The ICC profile each placed image's file carries, by XObject name (render/colour.py)."""
        return {image.xobject: icc for image in placed
                if (icc := embedded_profile(Path(url2pathname(urlsplit(image.url).path)))) is not None}

    def _overflow(self, pages: list) -> str | None:
        """What does not fit, in words, for pages laid out with the most padding."""
        spec = self.layout.spec
        if len(pages) - self.padding <= spec.max_pages:
            return None
        text_pages = pages[:len(pages) - spec.back_pages - self.padding] + pages[len(pages) - spec.back_pages:]
        extra = overflow_in(text_pages, spec.max_pages - spec.back_pages, spec.back_pages)
        return (f"the text overflows the {self.layout.name} layout by {extra:.1f} in "
                f"({len(text_pages) - spec.max_pages} {spec.page_name}(s) past the {spec.max_pages} it has)")

    @property
    def makes_edition_outputs(self) -> bool:
        """Kinds made once per edition (HTML, EPUB) come from its first layout's job."""
        return self.asked == self.edition.meta.layouts[0]

    def placed_images(self, laid: LaidOut) -> list:
        """The raster images as placed on the written pages (render/measure.py), for both files."""
        if self._placed is None:
            self._placed = raster_images(self.kept_pages(laid))
        return self._placed

    def kept_pages(self, laid: LaidOut) -> list:
        """The laid-out pages the written files have (the surplus Notes pages dropped)."""
        return self._keep(laid.pages) if self.padding else laid.pages

    def print_file(self, laid: LaidOut, placed: list, report: Report) -> bytes | None:
        """The print file: PDF/X-4, bleed, CMYK (images through the profile
        their files carry), the trifold's sheets, marks, a stable identity."""
        if (data := self._write(laid, report)) is None:
            return None
        return finish_print_file(data, self.layout.spec, self.options.cmyk_profile, self._image_profiles(placed))

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


MAX_FIT_STEPS = 2  # copyfitting: at most this many layouts more, each a step tighter (never smaller type)


def _copyfit(renderer: PdfRenderer, library: Library, edition: Edition, layout: Layout, options: BuildOptions,
             report: Report, asked: str) -> tuple[EditionRenderer, LaidOut | None]:
    """The edition laid out in ``layout`` at the loosest spacing its text
    fits; raises LayoutDoesNotFit (the loosest overflow) when none does.
    Each attempt's messages are kept only from the attempt that counts."""
    first: tuple[LayoutDoesNotFit, Report] | None = None
    for fit in range(MAX_FIT_STEPS + 1):
        job, attempt = EditionRenderer(renderer, library, edition, layout, options, fit, asked), Report()
        laid = job.lay_out(attempt)
        try:
            if laid is not None:
                job.check_fit(laid)
            report.items.extend(attempt.items)
            return job, laid
        except LayoutDoesNotFit as exc:
            first = first or (exc, attempt)
    report.items.extend(first[1].items)
    raise first[0]


@dataclass(frozen=True)
class Fitting:
    """How build, check and preview choose a layout when the text does not fit."""
    instead: str  # what the warning says happens instead, with {fallback}
    own_layouts_stop: bool = True  # a fallback the edition is made in anyway is not made twice


def lay_out_fitting(renderer: PdfRenderer, library: Library, layouts: dict[str, Layout], edition: Edition,
                    layout: Layout, options: BuildOptions, report: Report,
                    rule: Fitting) -> tuple[EditionRenderer, LaidOut] | None:
    """The one rule for page fitting and fallback: lay the edition out in
    ``layout``; when its text does not fit, follow the publication's fallback
    layouts, each at most once. None when nothing is to be made (the
    reasons are in the report)."""
    tried: list[str] = []
    while True:
        tried.append(layout.name)
        try:
            fitted = _copyfit(renderer, library, edition, layout, options, report, asked=tried[0])
            return fitted if fitted[1] is not None else None
        except LocatedError as exc:  # a template or message catalogue that does not work
            exc.report_to(report)
            return None
        except LayoutDoesNotFit as exc:
            fallback = report_overflow(edition, layout, str(exc), report, rule.instead)
            if fallback in tried:  # the source check refuses loops; this keeps a render from going round
                report.error(edition.source, 1, f"the text fits none of its fallback layouts "
                                                f"({' -> '.join(tried + [fallback])}): shorten it")
                return None
            if fallback is None or (rule.own_layouts_stop and fallback in edition.meta.layouts):
                return None  # failed, or made in its own right
            layout = layouts[fallback]


def check_fit(renderer: PdfRenderer, library: Library, layouts: dict[str, Layout], edition: Edition,
              layout: Layout, options: BuildOptions, report: Report) -> dict | None:
    """For ``check``: lay the pages out as the build would, with the same
    fitting rule, and make (not write) the screen and print files with the
    build's own makers: the same preflight, the same findings. Returns the
    screen file's accessibility report."""
    rule = Fitting("the '{fallback}' layout is used instead")
    if (fitted := lay_out_fitting(renderer, library, layouts, edition, layout, options, report, rule)) is None:
        return None
    job, laid = fitted
    kinds = [SCREEN, ACCESSIBILITY] + ([PRINT] if options.cmyk_profile.is_file() else [])
    made = _make_outputs(job, laid, kinds, report)
    if "accessibility" not in made:
        return None
    return {"source": str(edition.source), "layout": job.layout.name, **json.loads(made["accessibility"])}


def build_one(renderer: PdfRenderer, library: Library, layouts: dict[str, Layout], edition: Edition,
              layout: Layout, options: BuildOptions, report: Report) -> list[ManifestEntry]:
    """Every wanted output of one edition in one layout (or its fallback);
    problems go to the report and leave nothing half-written."""
    wanted = options.variants or VARIANTS
    rule = Fitting("built in the '{fallback}' layout instead")
    fitted = lay_out_fitting(renderer, library, layouts, edition, layout, options, report, rule)
    if fitted is None:
        return []
    job, laid = fitted
    return _write_outputs(job, laid, to_make(wanted), report)


def _fails_with(kind: OutputKind, failed: set[str]) -> bool:
    """A kind fails with a kind it needs or is attached to."""
    return bool(set(kind.needs) & failed) or kind.attached_to in failed


def _make_outputs(job: "EditionRenderer", laid: LaidOut, kinds: list[OutputKind], report: Report) -> dict[str, bytes]:
    """Each kind made from the laid-out pages (and the kinds it needs); only
    those that succeeded. A kind whose making reported an error fails, and
    so does what needs it, what is attached to it and what it is attached
    to (a screen file that fails its accessibility report)."""
    made: dict[str, bytes] = {}
    failed: set[str] = set()
    for kind in kinds:
        if kind.per_edition and not job.makes_edition_outputs:
            continue  # another layout's job makes it
        if _fails_with(kind, failed):
            failed.add(kind.name)
            continue
        errors_before = len(report.errors)
        data = kind.make(job, laid, made, report)
        if len(report.errors) > errors_before:
            failed |= {kind.name} | ({kind.attached_to} if kind.attached_to else set())
        elif data is not None:
            made[kind.name] = data
    failed |= {kind.name for kind in kinds if _fails_with(kind, failed)}
    return {name: data for name, data in made.items() if name not in failed}


def _write_outputs(job: "EditionRenderer", laid: LaidOut, kinds: list[OutputKind], report: Report) -> list[ManifestEntry]:
    """Make the kinds, then write those that succeeded: a print problem
    leaves the screen file and its download."""
    made = _make_outputs(job, laid, kinds, report)
    options, edition, layout = job.options, job.edition, job.layout
    entries: dict[str, ManifestEntry] = {}
    for kind in kinds:
        if kind.name not in made:
            continue
        target = kind.path(options.output_dir, edition.slug, edition.lang, layout.name)
        if kind.beside:
            _write_beside(target, kind.beside(job))
        write_atomic(target, made[kind.name])
        relative = target.relative_to(options.output_dir).as_posix()
        if kind.attached_to:
            setattr(entries[kind.attached_to], kind.attach_as, relative)
        else:
            entries[kind.name] = _entry(edition, job.asked if kind.per_edition else layout.name, kind.name,
                                        target, made[kind.name], options, _pages(job, laid, kind, made))
    return list(entries.values())


def _pages(job: "EditionRenderer", laid: LaidOut, kind: OutputKind, made: dict[str, bytes]) -> int:
    if kind.name == "screen":
        return job.page_count(laid)
    return 1 if kind.per_edition else _page_count(made[kind.name])  # one web page, one e-book


def _write_beside(target: Path, files: dict[str, Path]) -> None:
    """Copy ``files`` into ``target``'s folder (the edition owns it) and drop
    what an earlier build left there that the edition no longer has."""
    folder = target.parent
    for name, source in files.items():
        write_atomic(folder / name, source.read_bytes())
    keep = {folder / name for name in files} | {target}
    if folder.is_dir():
        for old in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            if old.is_file() and old not in keep:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()


def _entry(edition: Edition, layout: str, variant: str, target: Path, data: bytes,
           options: BuildOptions, pages: int) -> ManifestEntry:
    root = options.sources_dir.parent
    return ManifestEntry(
        slug=edition.slug, lang=edition.lang, layout=layout, variant=variant,
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
