"""What the catalog lists, read from output/manifest.json: publications, their
files, search and filters. Reloaded when the manifest changes."""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..manifest import MANIFEST_NAME, read_manifest, read_publications

LAYOUT_NAMES = {"fact-sheet": "Fact sheet", "trifold": "Brochure", "booklet": "Booklet"}
AUDIENCE_NAMES = {"patients": "Patients", "caregivers": "Caregivers", "health-professionals": "Health professionals",
                  "general-public": "General public", "educators": "Educators"}


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
        return LAYOUT_NAMES.get(self.layout, self.layout)

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
    downloads: list[Download] = field(default_factory=list)

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or next(iter(self.title.values()))

    def summary_in(self, lang: str) -> str:
        return self.summary.get(lang) or next(iter(self.summary.values()))

    def downloads_in(self, lang: str) -> list[Download]:
        return [d for d in self.downloads if d.lang == lang]

    def cover(self, lang: str) -> str | None:
        for download in self.downloads_in(lang) or self.downloads:
            if download.thumbnail:
                return download.thumbnail
        return None

    @property
    def formats(self) -> list[str]:
        return sorted({d.layout for d in self.downloads})

    def _haystack(self) -> str:
        topic_names = [name for names in self.topics.values() for name in names.values()]
        return _fold(" ".join([*self.title.values(), *self.summary.values(), *topic_names, self.number]))


def _fold(text: str) -> str:
    """Lowercase without accents, so 'cancer' finds 'Cáncer'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


class Catalog:
    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._listings: dict[str, Listing] = {}
        self._downloads: dict[str, Download] = {}  # path -> download, for O(1) file requests
        self._thumbnails: set[str] = set()

    def listings(self) -> dict[str, Listing]:
        path = self.output_dir / MANIFEST_NAME
        stamp = path.stat().st_mtime if path.is_file() else None
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._listings = self._load()
                    self._downloads = {d.path: d for item in self._listings.values() for d in item.downloads}
                    self._thumbnails = {d.thumbnail for d in self._downloads.values() if d.thumbnail}
                    self._stamp = stamp
        return self._listings

    def _load(self) -> dict[str, Listing]:
        listings = {}
        for slug, facts in read_publications(self.output_dir).items():
            ordering = facts.get("ordering", {})
            listings[slug] = Listing(
                slug=slug, number=facts["number"], reviewed=dt.date.fromisoformat(facts["reviewed"]),
                title=facts["title"], summary=facts["summary"], topics=facts.get("topics", {}),
                audience=facts.get("audience", []), languages=facts.get("languages", []),
                printed=ordering.get("printed", False), limit_per_order=ordering.get("limit_per_order", 0),
                initial_stock=ordering.get("stock", 0),
                related=facts.get("related", []))
        for entry in read_manifest(self.output_dir):
            if entry.variant == "screen" and entry.slug in listings:
                listings[entry.slug].downloads.append(Download(
                    entry.lang, entry.layout, entry.path, entry.pages, entry.bytes, entry.sha256, entry.thumbnail))
        return {slug: listing for slug, listing in listings.items() if listing.downloads}

    def get(self, slug: str) -> Listing | None:
        return self.listings().get(slug)

    def download(self, path: str) -> Download | None:
        self.listings()
        return self._downloads.get(path)

    def thumbnail_known(self, path: str) -> bool:
        self.listings()
        return path in self._thumbnails

    def languages(self) -> list[str]:
        return sorted({lang for listing in self.listings().values() for lang in listing.languages})

    def topics(self, lang: str = "en") -> list[tuple[str, str]]:
        found = {tid: names.get(lang) or names.get("en") or tid
                 for listing in self.listings().values() for tid, names in listing.topics.items()}
        return sorted(found.items(), key=lambda item: item[1])

    def search(self, query: str = "", topic: str = "", audience: str = "", lang: str = "",
               layout: str = "") -> list[Listing]:
        words = [w for w in re.split(r"\W+", _fold(query)) if w]
        results = []
        for listing in self.listings().values():
            haystack = listing._haystack()
            if words and not all(w in haystack for w in words):
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
