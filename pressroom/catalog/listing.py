"""What the catalog lists, read from output/manifest.json: publications, their
files, search and filters. Reloaded when the manifest changes."""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..content.model import AUDIENCES
from ..manifest import MANIFEST_NAME, read_manifest, read_raw
from ..outputs import DOWNLOADABLE

LAYOUT_NAMES = {"fact-sheet": "Fact sheet", "trifold": "Brochure", "booklet": "Booklet"}
# "health-professionals" -> "Health professionals", in the schema's order.
AUDIENCE_NAMES = {a: a.replace("-", " ").capitalize() for a in AUDIENCES}


def layout_name(layout: str) -> str:
    """What the catalog calls a layout ("trifold" is a "Brochure")."""
    return LAYOUT_NAMES.get(layout, layout)


@dataclass(frozen=True)
class Download:
    lang: str
    layout: str
    path: str  # relative to the output folder
    pages: int
    bytes: int
    sha256: str
    thumbnail: str | None

    @property
    def format_name(self) -> str:
        return layout_name(self.layout)

    @property
    def size_text(self) -> str:
        return f"{self.bytes / 1024:.0f} KB" if self.bytes < 1024 * 1024 else f"{self.bytes / 1048576:.1f} MB"


@dataclass
class Listing:
    slug: str
    number: str
    reviewed: dt.date
    title: dict[str, str]
    summary: dict[str, str]
    topics: dict[str, dict[str, str]]
    audience: list[str]
    languages: list[str]
    printed: bool
    limit_per_order: int
    initial_stock: int
    related: list[str]
    layouts: list[str] = field(default_factory=list)  # as publication.yaml lists them
    downloads: list[Download] = field(default_factory=list)
    # Set once when the manifest is read (see Catalog._load).
    formats: list[str] = field(default_factory=list)
    haystack: str = ""  # folded titles, summaries, topic names and number, for search

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or next(iter(self.title.values()))

    def summary_in(self, lang: str) -> str:
        return self.summary.get(lang) or next(iter(self.summary.values()))

    def downloads_in(self, lang: str) -> list[Download]:
        return [d for d in self.downloads if d.lang == lang]

    def printed_formats(self, lang: str) -> list[str]:
        """The layouts this edition was made in, in the source's order: its printed items' formats."""
        made = {d.layout for d in self.downloads_in(lang)}
        return [layout for layout in self.layouts if layout in made] + sorted(made - set(self.layouts))

    def item_keys(self) -> list[tuple[str, str]]:
        """(lang, layout) of every printed item; the first is the one the source's stock goes to."""
        first = "en" if "en" in self.languages else (self.languages or [""])[0]
        languages = [first, *(lang for lang in self.languages if lang != first)]
        return [(lang, layout) for lang in languages for layout in self.printed_formats(lang)]

    def cover(self, lang: str) -> str | None:
        for download in self.downloads_in(lang) or self.downloads:
            if download.thumbnail:
                return download.thumbnail
        return None

    def _index(self) -> None:
        self.formats = sorted({d.layout for d in self.downloads})
        topic_names = [name for names in self.topics.values() for name in names.values()]
        self.haystack = _fold(" ".join([*self.title.values(), *self.summary.values(), *topic_names, self.number]))


def _fold(text: str) -> str:
    """Lowercase without accents, so 'cancer' finds 'Cáncer'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


class Catalog:
    """The listings, read again when the manifest file changes. ``on_reload``
    is called with the new listings before they are served (the web app keeps
    stock rows in step with it)."""

    def __init__(self, output_dir: Path, on_reload: Callable[[dict[str, Listing]], None] | None = None):
        self.output_dir = output_dir
        self.on_reload = on_reload
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._listings: dict[str, Listing] = {}
        self._downloads: dict[str, Download] = {}  # path -> download, for O(1) file requests
        self._thumbnails: set[str] = set()
        self._languages: list[str] = []
        self._site: dict = {}

    def listings(self) -> dict[str, Listing]:
        try:
            stamp = (self.output_dir / MANIFEST_NAME).stat().st_mtime
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    listings = self._load()
                    if self.on_reload is not None:
                        self.on_reload(listings)
                    self._listings = listings
                    self._downloads = {d.path: d for item in listings.values() for d in item.downloads}
                    self._thumbnails = {d.thumbnail for d in self._downloads.values() if d.thumbnail}
                    self._languages = sorted({lang for item in listings.values() for lang in item.languages})
                    self._site = read_raw(self.output_dir).get("site") or {}
                    self._stamp = stamp
        return self._listings

    def site(self) -> dict:
        """The office facts the build put into the manifest ({} before the first build)."""
        self.listings()
        return self._site

    def office(self) -> dict | None:
        return self.site().get("office")

    def _load(self) -> dict[str, Listing]:
        raw = read_raw(self.output_dir)
        listings = {}
        for slug, facts in raw.get("publications", {}).items():
            ordering = facts.get("ordering", {})
            listings[slug] = Listing(
                slug=slug, number=facts["number"], reviewed=dt.date.fromisoformat(facts["reviewed"]),
                title=facts["title"], summary=facts["summary"], topics=facts.get("topics", {}),
                audience=facts.get("audience", []), languages=facts.get("languages", []),
                printed=ordering.get("printed", False), limit_per_order=ordering.get("limit_per_order", 0),
                initial_stock=ordering.get("stock", 0),
                related=facts.get("related", []), layouts=list(facts.get("layouts", [])))
        for entry in read_manifest(self.output_dir, raw):
            if entry.variant in DOWNLOADABLE and entry.slug in listings:
                listings[entry.slug].downloads.append(Download(
                    entry.lang, entry.layout, entry.path, entry.pages, entry.bytes, entry.sha256, entry.thumbnail))
        listings = {slug: listing for slug, listing in listings.items() if listing.downloads}
        for listing in listings.values():
            listing._index()
        return listings

    def get(self, slug: str) -> Listing | None:
        return self.listings().get(slug)

    def download(self, path: str) -> Download | None:
        self.listings()
        return self._downloads.get(path)

    def thumbnail_known(self, path: str) -> bool:
        self.listings()
        return path in self._thumbnails

    def languages(self) -> list[str]:
        self.listings()
        return self._languages

    def topics(self, lang: str = "en") -> list[tuple[str, str]]:
        found = {tid: names.get(lang) or names.get("en") or tid
                 for listing in self.listings().values() for tid, names in listing.topics.items()}
        return sorted(found.items(), key=lambda item: item[1])

    def search(self, query: str = "", topic: str = "", audience: str = "", lang: str = "",
               layout: str = "") -> list[Listing]:
        words = [w for w in re.split(r"\W+", _fold(query)) if w]
        results = []
        for listing in self.listings().values():
            if words and not all(w in listing.haystack for w in words):
                continue
            if topic and topic not in listing.topics:
                continue
            if audience and audience not in listing.audience:
                continue
            if lang and lang not in listing.languages:
                continue
            if layout and layout not in listing.formats:
                continue
            results.append(listing)
        return sorted(results, key=lambda item: item.title_in("en").lower())

    def new_and_updated(self, today: dt.date, days: int, limit: int = 4) -> list[Listing]:
        recent = [item for item in self.listings().values() if (today - item.reviewed).days <= days]
        return sorted(recent, key=lambda item: item.reviewed, reverse=True)[:limit]
