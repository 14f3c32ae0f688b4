"""Editions to HTML with the layout's Jinja2 template.

Everything from sources reaches the template either escaped by Jinja's
autoescape or as HTML rendered by the Markdown module (which escapes text
and refuses raw HTML), so sources cannot inject markup.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..content.model import Edition, Library
from .layouts import SHARED, Layout
from .qr import qr_data_uri
from .strings import messages

CONTACTS_SLOT = '<div class="contacts-slot"></div>'


def css_string(value: str) -> Markup:
    """A CSS string literal, for text placed in ``content:`` of margin boxes."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=None)
def _environment(layouts_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(layouts_dir)]),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def language_name(lang: str, in_lang: str) -> str:
    return Locale.parse(lang).get_display_name(in_lang).split(" (")[0]


def online_url(library: Library, slug: str, lang: str) -> str:
    """Where the office publishes an edition online (the QR code's target)."""
    return f"{str(library.office.publications_url).rstrip('/')}/{slug}/{lang}"


def render_html(edition: Edition, layout: Layout, library: Library, variant: str = "screen",
                cmyk_profile: Path | None = None, padding_pages: int = 0) -> str:
    """HTML for one edition in one layout. ``variant`` is "screen" or "print";
    ``padding_pages`` asks the layout for that many intended blank pages
    (booklet "Notes") to reach its page multiple."""
    env = _environment(layout.folder.parent)
    t = messages(edition.lang)
    url = online_url(library, edition.slug, edition.lang)
    context = {
        "office": library.office,
        "edition": edition,
        "layout": layout,
        "variant": variant,
        "layout_has_print_css": layout.has_print_css,
        "cmyk_profile_uri": cmyk_profile.as_uri() if cmyk_profile else "",
        "padding_pages": padding_pages,
        "lang": edition.lang,
        "t": t,
        # The locale's own month-year pattern: "November 2026", "noviembre de 2026".
        "reviewed": format_skeleton("yMMMM", edition.meta.reviewed, locale=edition.lang),
        "online_url": url,
        "qr_uri": qr_data_uri(url),
        "catalog_name": library.office.catalog_name.get(edition.lang) or library.office.catalog_name.get("en", ""),
        "related": [(title, online_url(library, slug, edition.lang)) for slug, title in edition.related],
        "other_languages": [(lang, language_name(lang, edition.lang), online_url(library, edition.slug, lang))
                            for lang in edition.other_langs],
    }
    contacts_html = env.get_template(f"{SHARED}/contacts.html.j2").render(context)
    sections = []
    for section in edition.sections:
        html = section.html.replace(CONTACTS_SLOT, contacts_html)
        sections.append({"heading": section.heading, "anchor": section.anchor, "html": Markup(html),
                         "has_contacts": CONTACTS_SLOT in section.html})
    context["sections"] = sections
    context["contacts_html"] = Markup(contacts_html)
    template = env.get_template(f"{layout.name}/template.html.j2")
    return template.render(context)
