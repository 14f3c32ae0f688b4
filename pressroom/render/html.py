"""Editions to HTML with the layout's Jinja2 template.

Everything from sources reaches the template either escaped by Jinja's
autoescape or as HTML rendered by the Markdown module (which escapes text
and refuses raw HTML), so sources cannot inject markup.
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from markupsafe import Markup

from ..content.model import Edition, Library
from ..diagnostics import LocatedError
from .layouts import SHARED, Layout
from .i18n import other_language_link, translations
from .qr import qr_data_uri

CONTACTS_SLOT = '<div class="contacts-slot"></div>'


# Stand-ins for CSS counters inside a translated message ("Page %(page)s of
# %(pages)s"): css_content turns them into counter(page) and counter(pages).
PAGE_COUNTER, PAGES_COUNTER = "\ue000", "\ue001"
_COUNTERS = {PAGE_COUNTER: "counter(page)", PAGES_COUNTER: "counter(pages)"}


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes, "<" and every control
    character (which could end the string) written as escapes."""
    escaped = "".join(f"\\{ord(c):X} " if c < " " or c in '"\\<\x7f' else c for c in text)
    return f'"{escaped}"'


def css_content(value: str) -> Markup:
    """A value for ``content:`` in a margin box: CSS strings, and counters
    where a message held PAGE_COUNTER or PAGES_COUNTER."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    parts, current = [], ""
    for char in text:
        if char in _COUNTERS:
            if current:
                parts.append(_css_string(current))
            parts.append(_COUNTERS[char])
            current = ""
        else:
            current += char
    if current or not parts:
        parts.append(_css_string(current))
    return Markup(" ".join(parts))


@lru_cache(maxsize=None)
def _environment(layouts_dir: Path, lang: str) -> Environment:
    """One environment per language: the i18n extension's ``_()`` reads that
    language's catalogue."""
    env = Environment(
        loader=FileSystemLoader([str(layouts_dir)]),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(layouts_dir, lang), newstyle=True)
    env.filters["css_content"] = css_content
    env.globals.update(PAGE_COUNTER=PAGE_COUNTER, PAGES_COUNTER=PAGES_COUNTER)
    return env


def forget_layout_files() -> None:
    """Drop cached templates and catalogues, for a long-running process
    (preview) after a layout file changed."""
    _environment.cache_clear()
    translations.cache_clear()


def online_url(library: Library, slug: str, lang: str) -> str:
    """Where the office publishes an edition online (the QR code's target)."""
    return f"{str(library.office.publications_url).rstrip('/')}/{slug}/{lang}"


def render_html(edition: Edition, layout: Layout, library: Library, padding_pages: int = 0, fit: int = 0,
                single_page: bool = False) -> str:
    """HTML for one edition in one layout, for every file made from it (the
    bleed CSS included; see render/pdf.py). ``padding_pages`` asks the
    layout for that many intended blank pages (booklet "Notes") to reach
    its page multiple; ``fit`` (0, 1, 2) for spacing that many steps
    tighter (copyfitting, see variants.py); ``single_page`` when the
    edition is known to fill one page (no "Page 1 of 1")."""
    layout_facts = {"layout": layout, "layout_has_print_css": layout.has_print_css, "padding_pages": padding_pages,
                    "fit": fit, "single_page": single_page}
    return render_edition(edition, library, layout.folder.parent, f"{layout.name}/template.html.j2", layout_facts)


def render_edition(edition: Edition, library: Library, layouts_dir: Path, template: str, extra: dict) -> str:
    """One edition through ``template`` (a path under ``layouts_dir``): the
    layouts' pages and the HTML and EPUB editions share this context, so
    they all say the same things. ``extra`` adds to it."""
    env = _environment(layouts_dir, edition.lang)
    context = {**_context(edition, library, layouts_dir), **extra}
    contacts_path = layouts_dir / SHARED / "contacts.html.j2"
    contacts_html = _render(env, f"{SHARED}/contacts.html.j2", context, contacts_path)
    sections = []
    for section in edition.sections:
        html = section.html.replace(CONTACTS_SLOT, contacts_html)
        sections.append({"heading": section.heading, "anchor": section.anchor, "html": Markup(html),
                         "has_contacts": CONTACTS_SLOT in section.html})
    context["sections"] = sections
    context["contacts_html"] = Markup(contacts_html)
    return _render(env, template, context, layouts_dir / template)


def _context(edition: Edition, library: Library, layouts_dir: Path) -> dict:
    url = online_url(library, edition.slug, edition.lang)
    return {
        "office": library.office,
        "edition": edition,
        "lang": edition.lang,
        # The locale's own month-year pattern: "November 2026", "noviembre de 2026".
        "reviewed": format_skeleton("yMMMM", edition.meta.reviewed, locale=edition.lang),
        "online_url": url,
        "qr_uri": qr_data_uri(url),
        "catalog_name": library.office.catalog_name.get(edition.lang) or library.office.catalog_name.get("en", ""),
        # (title, address, its language, and that language's name in the edition's, when it differs)
        "related": [(title, online_url(library, slug, shown), shown,
                     "" if shown == edition.lang else Locale.parse(edition.lang).languages.get(shown, shown))
                    for slug, title, shown in edition.related],
        "other_languages": [(lang, other_language_link(layouts_dir, lang), online_url(library, edition.slug, lang))
                            for lang in edition.other_langs],
    }


def _render(env: Environment, name: str, context: dict, path: Path) -> str:
    try:
        return env.get_template(name).render(context)
    except TemplateError as exc:
        raise LayoutTemplateError.from_jinja(exc, path) from None


class LayoutTemplateError(LocatedError):
    """A template that does not render, at the template file and line."""

    @classmethod
    def from_jinja(cls, exc: TemplateError, fallback: Path) -> "LayoutTemplateError":
        # Syntax errors carry their place; runtime errors (an undefined name)
        # only in the traceback, where Jinja maps frames to template lines.
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if not filename:
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
            if frames:
                filename, line = frames[-1].filename, frames[-1].lineno
        return cls(Path(filename or fallback), line, f"template error: {exc.message or exc}")
