"""A project as the commands see it: its layouts, its library of sources,
the jobs they ask for (typed ids) and the command's selection of them.
Loading and selecting import no renderer (WeasyPrint, pikepdf, pypdf), so
`list`, `check --no-layout`, `new` and a no-op build stay fast."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .content.names import SOURCE_LANGUAGE
from .diagnostics import Report, UsageError
from .options import BuildOptions
from .render.i18n import catalogue_languages, other_language_label
from .render.layouts import Layout, discover_layouts

if TYPE_CHECKING:
    from .content.model import Edition, Library


class JobId(NamedTuple):
    """One edition in one layout: what one task renders."""
    slug: str
    lang: str
    layout: str

    def __str__(self) -> str:  # the form the build state and messages use
        return f"{self.slug}/{self.lang}/{self.layout}"

    @classmethod
    def parse(cls, text: str) -> "JobId | None":
        parts = text.split("/")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


@dataclass
class Loaded:
    library: Library | None
    layouts: dict[str, Layout]
    report: Report


def load(options: BuildOptions, only: set[str] | None = None, read_texts: bool = True) -> Loaded:
    """Read layouts and sources (just the ``only`` publications' texts, if
    given; none with ``read_texts=False``) and check the command's
    selections against them."""
    layouts = layouts_of(options)
    check_selection(options, layouts)
    report = Report()
    return Loaded(library_of(options, layouts, report, only, read_texts), layouts, report)


def layouts_of(options: BuildOptions) -> dict[str, Layout]:
    if not options.layouts_dir.is_dir():
        raise UsageError(f"layouts folder not found: {options.layouts_dir}")
    return discover_layouts(options.layouts_dir)


def library_of(options: BuildOptions, layouts: dict[str, Layout], report: Report,
               only: set[str] | None, read_texts: bool = True) -> Library | None:
    from .content.library import load_library  # the content model: only when sources are read

    return load_library(options.sources_dir, report, set(layouts), only=only,
                        languages=catalogue_languages(options.layouts_dir), read_texts=read_texts)


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


def wanted(options: BuildOptions, job: JobId) -> bool:
    """Whether the command's selections (SLUG..., --lang, --layout) take in this job."""
    return ((not options.slugs or job.slug in options.slugs) and (not options.langs or job.lang in options.langs)
            and (not options.layouts or job.layout in options.layouts))


def selected_jobs(options: BuildOptions, loaded: Loaded) -> list[tuple[Edition, Layout]]:
    if loaded.library is None:
        return []
    return [(edition, loaded.layouts[name]) for edition in loaded.library.editions
            for name in edition.meta.layouts if wanted(options, JobId(edition.slug, edition.lang, name))]


def site_facts(library: Library, layouts_dir) -> dict:
    """What the catalog shows about the office, and the words of its links
    to other languages, so that it needs nothing but output/."""
    languages = sorted(catalogue_languages(layouts_dir) | {SOURCE_LANGUAGE})  # whatever part was built
    return {"office": library.office.model_dump(mode="json"),
            "language_links": {lang: other_language_label(layouts_dir, lang) for lang in languages}}


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
