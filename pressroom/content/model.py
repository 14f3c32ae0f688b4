"""Typed schemas for what authors write, and the objects the renderers use.

The schemas (pydantic) describe ``publication.yaml`` and the shared data files;
they reject unknown keys so that a typo is an error, not a silent default.
The dataclasses at the bottom are the loaded, cross-referenced result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from .names import LANG_PATTERN, PUBLICATION_NUMBER_PATTERN, SLUG_PATTERN, SOURCE_LANGUAGE  # noqa: F401
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
# Text goes into PDF metadata (XMP is XML) and CSS strings: characters XML
# cannot hold, and the other control characters, are refused, not dropped.
# No control characters (PDF metadata cannot carry them) and no bidi
# overrides, embeddings or isolates (they can make a title read as another).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=TEXT_PATTERN)]


def _canonical_url(url: HttpUrl) -> HttpUrl:
    """Web addresses as a browser reads them, with no user name or password."""
    if url.username or url.password:
        raise ValueError("a web address may not hold a user name or password")
    return url


WebUrl = Annotated[HttpUrl, AfterValidator(_canonical_url)]
# One address, nothing a mail program would read as more recipients or headers.
EMAIL_PATTERN = r"^[A-Za-z0-9._+-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254)]
Localized = dict[Lang, Text]

AUDIENCES = ("patients", "caregivers", "health-professionals", "general-public", "educators")
Audience = Literal[AUDIENCES]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phone(Schema):
    number: Annotated[str, StringConstraints(pattern=r"^(\d{3}-\d{3}-\d{4}|\d{3}-\d{4})$")] = Field(
        description="US phone number written 800-555-0100")
    label: Localized | None = Field(None, description="what the line is for, per language")


class Organization(Schema):
    name: Text
    abbreviation: Text | None = None
    url: WebUrl
    phones: list[Phone] = []
    email: Email | None = None


class Topic(Schema):
    name: Localized


class Office(Schema):
    """The publishing office: branding on every page and the addresses it serves."""

    name: Text
    short_name: Text
    url: WebUrl = Field(description="home page of the office")
    publications_url: WebUrl = Field(description="base address of the online publications")
    catalog_name: Localized
    address: list[Text] = []
    reading_grade: float = Field(8, ge=1, le=20, description="reading level publications aim at (school grade)")


class Ordering(Schema):
    printed: bool = False
    limit_per_order: int = Field(25, ge=1, le=10_000)
    stock: int = Field(0, ge=0)


class PublicationMeta(Schema):
    """``sources/<slug>/publication.yaml``."""

    title: Localized
    summary: Localized
    number: Annotated[str, StringConstraints(pattern=PUBLICATION_NUMBER_PATTERN)] = Field(
        description="the office's publication number, e.g. 24-NS-0001")
    reviewed: dt.date
    audience: list[Audience] = Field(min_length=1)
    topics: list[Slug] = []
    layouts: list[Slug] = Field(min_length=1)
    fallback: dict[Slug, Slug] = Field({}, description="layout to use instead when the text does not fit one")
    ordering: Ordering = Ordering()
    contacts: list[Slug] = []
    related: list[Slug] = []
    reading_grade: float | None = Field(None, ge=1, le=20,
                                        description="this publication's reading-level target, if not the office's")


# --- loaded objects -------------------------------------------------------


@dataclass
class Section:
    heading: str | None  # None for the lead text before the first heading
    anchor: str
    html: str
    line: int
    text: str = ""  # plain sentences, for the reading level
    # What a translation must match: ("h3", "callout", "figure", "table", "contacts") in order.
    shape: tuple[str, ...] = ()


@dataclass
class Edition:
    """One language of one publication, ready to render."""

    slug: str
    lang: str
    meta: PublicationMeta
    title: str
    summary: str
    sections: list[Section]
    source: Path  # the <lang>.md file
    source_files: list[Path]  # everything this edition depends on
    contacts: list[Organization]
    topics: list[str]  # localized topic names
    related: list[tuple[str, str, str]]  # (slug, title, its language: the edition's when it has one, else another)
    has_contacts_block: bool = False
    other_langs: list[str] = field(default_factory=list)
    image_lines: dict[Path, int] = field(default_factory=dict)  # image file -> line in the text

    @property
    def key(self) -> str:
        return f"{self.slug}/{self.lang}"


@dataclass
class Library:
    office: Office
    organizations: dict[str, Organization]
    topics: dict[str, Topic]
    editions: list[Edition]
    sources_dir: Path
    metas: dict[str, PublicationMeta] = field(default_factory=dict)  # every valid publication.yaml
    languages: dict[str, list[str]] = field(default_factory=dict)  # slug -> languages with a text

    def slugs(self) -> list[str]:
        return sorted({e.slug for e in self.editions})
