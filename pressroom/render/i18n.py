"""The layouts' fixed words, per language, from gettext message catalogues.

English is the source language: the templates' own strings. Every other
language has ``layouts/shared/locale/<lang>/LC_MESSAGES/messages.po``, read
with Babel at build time (no compiled ``.mo`` files to keep in step). Adding a
language is adding that file: nothing in the code lists the languages.
"""

from __future__ import annotations

import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ..content.names import SOURCE_LANGUAGE
from ..diagnostics import LocatedError, Report

LOCALE_DIR = Path("shared") / "locale"
DOMAIN = "messages"


def catalogue_path(layouts_dir: Path, lang: str) -> Path:
    return layouts_dir / LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(layouts_dir: Path) -> Path:
    return layouts_dir / LOCALE_DIR / f"{DOMAIN}.pot"


def catalogue_languages(layouts_dir: Path) -> set[str]:
    """Languages the layouts can print: English and every language with a catalogue."""
    folder = layouts_dir / LOCALE_DIR
    found = {p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()} \
        if folder.is_dir() else set()
    return found | {SOURCE_LANGUAGE}


class CatalogueError(LocatedError):
    """A catalogue the layouts cannot use, at its file and line."""


def _read_catalogue(path: Path, lang: str):
    """Parse and validate one catalogue; CatalogueError for anything that
    would break a build: bad syntax, a locale Babel does not know, a
    placeholder that differs from the English message's."""
    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        raise CatalogueError(path, 1, f"Babel has no locale data for '{lang}': use a language code it knows "
                                      f"(dates and language names come from it)") from None
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        # Babel counts lines from 0 and repeats its own count in the text.
        line = getattr(exc, "lineno", 0) + 1
        raise CatalogueError(path, line, "cannot be read: " + re.sub(r" on \d+$", "", str(exc))) from None
    for message, errors in catalog.check():
        raise CatalogueError(path, message.lineno, f"'{message.id}': {errors[0]}")
    return catalog


@lru_cache(maxsize=None)
def translations(layouts_dir: Path, lang: str) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalogue_path(layouts_dir, lang)
    if not path.is_file():
        raise CatalogueError(path, 1, f"no message catalogue for '{lang}' (see 'Adding a language' in README.md)")
    buffer = io.BytesIO()
    write_mo(buffer, _read_catalogue(path, lang), use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def check_catalogue(layouts_dir: Path, lang: str, report: Report) -> bool:
    """Report a catalogue's problems at their lines: untranslated or fuzzy
    messages and ones missing from it (warnings), and whatever makes it
    unusable (an error). False when the layouts cannot use it."""
    path = catalogue_path(layouts_dir, lang)
    try:
        catalog = _read_catalogue(path, lang)
    except CatalogueError as exc:
        exc.report_to(report)
        return False
    wanted = set()
    template = template_path(layouts_dir)
    if template.is_file():
        with template.open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
    for message in catalog:
        if not message.id:
            continue
        if not message.string:
            report.warning(path, message.lineno, f"'{message.id}' is not translated: English will be printed")
        elif message.fuzzy:
            report.warning(path, message.lineno,
                           f"'{message.id}' is marked fuzzy: English will be printed until it is checked")
    for missing in sorted(wanted - {m.id for m in catalog if m.id}):
        report.warning(path, 1, f"'{missing}' is missing: run 'make messages' to update the catalogue")
    return True


def language_name(lang: str) -> str:
    """A language's name in that language itself ("español")."""
    try:
        return Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, UnknownLocaleError):
        return lang


def language_label(lang: str) -> str:
    """A language's own name as a label: "English", "Español", "Français"."""
    name = language_name(lang)
    return name[:1].upper() + name[1:]


def other_language_link(layouts_dir: Path, lang: str) -> str:
    """The link to another edition, written in that edition's language for the
    readers who need it: "También disponible en español"."""
    message = translations(layouts_dir, lang).gettext("Also available in %(language)s")
    return message % {"language": language_name(lang)}


def other_language_label(layouts_dir: Path, lang: str) -> str:
    """The same link text for pages that must not fail (the web catalog):
    English words when the language's catalogue is unusable."""
    try:
        return other_language_link(layouts_dir, lang)
    except CatalogueError:
        return f"Also available in {language_label(lang)}"
