"""What an SVG image may refer to, checked before it is rendered: only
fragments (``#id``), ``data:`` URLs and files beside it in the publication
folder. External entities and any DTD, style-sheet processing instructions,
``@import`` and references anywhere else (``file:``, ``http:``, paths that
climb out) are errors at the SVG's line, the same things the renderer's
sandbox refuses while building."""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from xml.parsers import expat

from ..diagnostics import LocatedError

CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
MAX_EMBEDDED = 3  # SVGs in data: URLs inside SVGs, checked as deep as this (and refused deeper)

# Text in SVG figures is set in the shipped fonts only (render/fonts.py maps
# the generic families to them); any other family falls back to the sans.
SHIPPED_FAMILIES = ("Public Sans", "Merriweather")
FALLBACK_FAMILY = "Public Sans"
GENERIC_FAMILIES = {"sans-serif": "Public Sans", "serif": "Merriweather", "monospace": "Public Sans",
                    "system-ui": "Public Sans", "ui-sans-serif": "Public Sans", "ui-serif": "Merriweather",
                    "ui-monospace": "Public Sans", "cursive": "Public Sans", "fantasy": "Public Sans"}
FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)


class SvgProblem(LocatedError):
    """A reference or declaration in an SVG file the build would refuse."""


def reference_problem(reference: str, folder: Path) -> str | None:
    """Why an SVG may not use ``reference``, or None."""
    reference = reference.strip()
    if not reference or reference.startswith("#") or reference.lower().startswith("data:"):
        return None
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("/", "\\")):
        return "is not a file beside the SVG"
    name = unquote(parts.path)
    target = Path(os.path.normpath(folder / name))
    if not name.isprintable() or not target.is_relative_to(folder):
        return "points outside the publication folder"
    return None


class _Stop(Exception):
    """Raised from a handler: nothing after a DTD is read."""


def _refuse_dtd(walker, message: str):
    walker.problem(message)
    raise _Stop


class _Walker:
    def __init__(self, path: Path, parser, depth: int):
        self.path, self.parser, self.folder = path, parser, Path(os.path.abspath(path.parent))
        self.depth = depth
        self.problems: list[SvgProblem] = []
        self.families: list[tuple[int, str]] = []  # (line, font family) as written
        self.in_style = 0

    def problem(self, message: str) -> None:
        self.problems.append(SvgProblem(self.path, self.parser.CurrentLineNumber, message))

    def references(self, value: str, what: str) -> None:
        if CSS_IMPORT.search(value):
            self.problem(f"{what} has '@import': style sheets may not load other files")
        for match in CSS_URL.finditer(value):
            self.reference(next(g for g in match.groups() if g is not None), what)

    def reference(self, reference: str, what: str) -> None:
        if (embedded := _embedded_svg(reference)) is not None:
            if self.depth >= MAX_EMBEDDED:
                self.problem(f"{what} embeds SVGs in data: URLs more than {MAX_EMBEDDED} deep")
                return
            for inner in svg_problems(self.path, embedded, self.depth + 1):
                self.problem(f"{what} embeds an SVG (data: URL) that {inner.message}")
            return
        if (reason := reference_problem(reference, self.folder)) is not None:
            shown = reference if len(reference) <= 80 else reference[:80] + "…"
            self.problem(f"{what} refers to '{shown}', which {reason}: SVG images may use only "
                         f"files beside them and data: URLs")

    def fonts(self, css: str) -> None:
        for match in FONT_FAMILY.finditer(css):
            self.family_list(next(g for g in match.groups() if g is not None))

    def family_list(self, value: str) -> None:
        line = self.parser.CurrentLineNumber
        self.families += [(line, f.strip().strip("'\"")) for f in value.split(",") if f.strip()]

    def start(self, name: str, attributes: dict) -> None:
        self.in_style += name.rpartition(":")[2] == "style"
        if "font-family" in attributes:
            self.family_list(attributes["font-family"])
        if "style" in attributes:
            self.fonts(attributes["style"])
        for attribute, value in attributes.items():
            if attribute == "href" or attribute.endswith(":href"):
                self.reference(value, f"<{name} {attribute}>")
            elif "url(" in value.lower() or "@import" in value.lower():
                self.references(value, f"<{name} {attribute}>")

    def end(self, name: str) -> None:
        self.in_style -= name.rpartition(":")[2] == "style"

    def text(self, data: str) -> None:
        if self.in_style:
            self.references(data, "<style>")
            self.fonts(data)


def _embedded_svg(reference: str) -> bytes | None:
    """The bytes of an SVG given as a data: URL, else None."""
    reference = reference.strip()
    if not reference[:5].lower() == "data:":
        return None
    header, _, payload = reference[5:].partition(",")
    if header.split(";")[0].strip().lower() != "image/svg+xml":
        return None
    try:
        return base64.b64decode(payload) if ";base64" in header.lower() else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return b"<not-base64"  # reported as not well-formed


def svg_problems(path: Path, data: bytes, depth: int = 0) -> list[SvgProblem]:
    return _walk(path, data, depth).problems


def font_warnings(path: Path, data: bytes) -> list[SvgProblem]:
    """Each font family the SVG names that is neither shipped nor generic,
    at its line: its text is set in the shipped sans instead."""
    warnings, reported = [], set()
    for line, family in _walk(path, data, 0).families:
        known = family in SHIPPED_FAMILIES or family.lower() in GENERIC_FAMILIES \
            or family.lower() in ("inherit", "initial", "unset")
        if not known and (line, family) not in reported:
            reported.add((line, family))
            warnings.append(SvgProblem(path, line, f"uses the font family '{family}', which is not shipped: its "
                                                   f"text is set in {FALLBACK_FAMILY} (name sans-serif, serif or "
                                                   f"{' or '.join(repr(f) for f in SHIPPED_FAMILIES)})"))
    return warnings


def _walk(path: Path, data: bytes, depth: int) -> _Walker:
    parser = expat.ParserCreate()
    walker = _Walker(path, parser, depth)
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.text
    parser.StartDoctypeDeclHandler = lambda *args: _refuse_dtd(
        walker, "has a DOCTYPE: SVG images may not declare a DTD or entities")
    parser.EntityDeclHandler = lambda *args: _refuse_dtd(walker, "declares an entity: SVG images may not")
    parser.ProcessingInstructionHandler = lambda target, _data: target.lower() == "xml-stylesheet" and \
        walker.problem("has an xml-stylesheet instruction: style sheets may not load other files")
    parser.ExternalEntityRefHandler = lambda *args: walker.problem("refers to an external entity") or 0
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        if not walker.problems:
            walker.problems.append(SvgProblem(path, exc.lineno, f"is not well-formed SVG: {expat.ErrorString(exc.code)}"))
    return walker
