"""Publication text: CommonMark with a small, documented set of blocks.

Supported: ``##``/``###`` headings, paragraphs, emphasis, lists, links,
tables, definition lists, images (a paragraph holding only an image becomes
a figure; its title is the caption; ``{width=3in}`` or ``{width="60%"}``
after an image sets its width, in inches or as a share of the column), and
two fenced blocks::

    ::: callout Optional title
    Text that stands out.
    :::

    ::: contacts
    :::        (where the publication's contact cards go)

Raw HTML is refused, never passed through. Problems are reported with the
line they are on; rendering only happens for text without errors.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin

from ..diagnostics import LocatedError, Report
from . import bounds
from .images import image_problem
from .svg import SvgProblem, font_warnings
from .model import Section

BLOCKS = ("callout", "contacts")
IMAGE_TYPES = (".svg", ".png", ".jpg", ".jpeg")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
HOST = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
# US numbers as the office writes them: 800-555-0100, 1-800-555-0100, (800) 555-0100.
US_PHONE = re.compile(r"^(\+?1-)?((\d{3}-|\(\d{3}\) )\d{3}-\d{4}|\d{3}-\d{4})$")
# Digit runs in prose that may be phone numbers: digits in groups joined by
# "-", ".", " " or parentheses. Not phone numbers: dates, year ranges and
# thousands ("1.200.000", "12,000"); what remains with 7, 10 or 11 digits is.
# A run is matched once, possessively (no backtracking), and cut back to its
# last digit that ends a number (see _phone_candidates): linear time.
PHONE_RUN = re.compile(r"(?<![\w.,-])\+?\(?\d[\d\-(). ]*+")
PHONE_MIN_CHARS = 7  # a digit, five more characters, a digit
NOT_PHONES = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}\s*[-–]\s*\d{2,4}|\d{1,3}([.,]\d{3})+|\d+)$")
PHONE_DIGITS = (7, 10, 11)
# Lists of many short items read better in two columns.
COLUMN_LIST_MIN_ITEMS = 7
COLUMN_LIST_MAX_CHARS = 40


@dataclass
class ParsedText:
    sections: list[Section]
    images: list[Path] = field(default_factory=list)
    has_contacts_block: bool = False
    image_lines: dict[Path, int] = field(default_factory=dict)


def _new_parser() -> MarkdownIt:
    # The typographer's curly quotes suit English and Spanish alike; an author
    # who wants «comillas angulares» types them.
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "replacements", "smartquotes"])
    # Let every link and image through the parser so TextChecker reports the
    # unsafe ones (javascript:, file:) as errors instead of silently dropping them.
    md.validateLink = lambda url: True
    md.use(deflist_plugin)
    # {width=3in} or {width=60%} after an image: its size (see _check_image_size).
    md.use(attrs_plugin, after=("image",))
    for name in BLOCKS:
        md.use(container_plugin, name=name)
    md.add_render_rule("html_block", _render_refused_html)
    md.add_render_rule("html_inline", _render_refused_html)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("container_callout_open", _render_callout_open)
    md.add_render_rule("container_callout_close", lambda *a: "</aside>\n")
    md.add_render_rule("container_contacts_open", lambda *a: '<div class="contacts-slot"></div>\n')
    md.add_render_rule("container_contacts_close", lambda *a: "")
    return md


def _render_refused_html(self, tokens, idx, options, env) -> str:
    # Never reached for valid sources (raw HTML is an error); escape as a last guard.
    return escapeHtml(tokens[idx].content)


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = token.attrGet("src")
    title = token.attrGet("title")
    width = token.attrGet("width")  # checked by TextChecker: "<n>in" or "<n>%"
    size = f' style="width: {escapeHtml(str(width))}"' if width else ""
    img = f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{size}>'
    if token.meta.get("figure"):
        caption = f"<figcaption>{escapeHtml(title)}</figcaption>" if title else ""
        return f'<figure class="figure">{img}{caption}</figure>\n'
    return img


def _callout_title(token: Token) -> str:
    """The optional title after '::: callout'."""
    return token.info.strip()[len("callout"):].strip()


def _render_callout_open(self, tokens, idx, options, env) -> str:
    title = _callout_title(tokens[idx])
    heading = f'<p class="callout-title">{escapeHtml(title)}</p>' if title else ""
    return f'<aside class="callout">{heading}\n'


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


class TextChecker:
    """Walks the token stream once: reports problems, resolves images, marks figures."""

    def __init__(self, path: Path, base_dir: Path, report: Report):
        self.path = path
        self.base_dir = base_dir
        self.report = report
        self.images: list[Path] = []
        self.image_lines: dict[Path, int] = {}
        self.has_contacts_block = False

    def error(self, line: int, message: str) -> None:
        self.report.error(self.path, line, message)

    def check(self, tokens: list[Token]) -> None:
        deepest = 1
        for i, token in enumerate(tokens):
            line = token.map[0] + 1 if token.map else 1
            if token.type == "html_block":
                self.error(line, f"raw HTML is not allowed: {_excerpt(token.content)}")
            elif token.type == "heading_open":
                level = int(token.tag[1])
                if level == 1:
                    self.error(line, "use '##' for sections: the title comes from publication.yaml")
                elif level > 3:
                    self.error(line, f"heading level {level} is too deep: use '##' or '###'")
                elif level > deepest + 1:
                    self.error(line, f"heading level {level} follows level {deepest}: do not skip levels")
                deepest = level
            elif token.type == "paragraph_open" and tokens[i + 1].content.startswith(":::"):
                name = tokens[i + 1].content[3:].split()[0] if tokens[i + 1].content[3:].split() else ""
                self.error(line, f"unknown block '{name}': known blocks are {', '.join(BLOCKS)}")
            elif token.type == "container_contacts_open":
                self.has_contacts_block = True
            elif token.type == "container_callout_open":
                self._check_phone_numbers(_callout_title(token), line)
            elif token.type == "inline":
                self._check_inline(token, line)
                if (tokens[i - 1].type == "paragraph_open" and len(token.children or []) == 1
                        and token.children[0].type == "image"):
                    token.children[0].meta["figure"] = True
                    tokens[i - 1].hidden = tokens[i + 1].hidden = True

    def _check_inline(self, inline: Token, line: int) -> None:
        children = inline.children or []
        for index, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                self._check_phone_numbers(child.content, line)
            elif child.type == "html_inline":
                self.error(line, f"raw HTML is not allowed: {_excerpt(child.content)}")
            elif child.type == "image":
                src = child.attrGet("src") or ""
                self._check_image(child, line)
                following = children[index + 1:index + 2]
                if following and following[0].type == "text" and following[0].content.startswith("{"):
                    self.error(line, f"the braces after image '{shown(src)}' cannot be "
                                     f"read: write {{width=3in}} or, for a percentage, {{width=\"60%\"}}")
            elif child.type == "link_open":
                self._check_link(child.attrGet("href") or "", line)

    def _check_link(self, href: str, line: int) -> None:
        if (problem := link_problem(href)) is not None:
            self.error(line, f"link '{shown(href)}' {problem}")

    def _check_phone_numbers(self, text: str, line: int) -> None:
        for candidate in _phone_candidates(text):
            for number in re.split(r" {2,}", candidate):  # two runs that merely stand close
                number = number.strip(" .")
                digits = sum(c.isdigit() for c in number)
                if digits not in PHONE_DIGITS or NOT_PHONES.match(number) or " " in number.strip() and \
                        not re.fullmatch(r"[+1 ]*\(?\d{3}\)?[ -]\d{3}[ -]\d{4}", number):
                    continue
                if not US_PHONE.match(number):
                    self.report.warning(self.path, line, f"phone number '{number}' is malformed: "
                                        f"write US numbers as 800-555-0100")

    def _check_image_size(self, image: Token, src: str, line: int) -> None:
        """Only a width may follow an image: inches (0.5 to 7.5) or a percentage of the column (10 to 100)."""
        for name in sorted(set(image.attrs) - {"src", "alt", "title", "width"}):
            self.error(line, f"image '{shown(src)}' has '{name}' in braces: only a width is allowed, "
                             f"e.g. {{width=3in}} or {{width=\"60%\"}}")
            image.attrs.pop(name)
        width = image.attrGet("width")
        if width is None:
            return
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(in|%)", str(width))
        bounds = {"in": (0.5, 7.5), "%": (10, 100)}
        if match is None or not bounds[match[2]][0] <= float(match[1]) <= bounds[match[2]][1]:
            self.error(line, f"image '{shown(src)}' width '{shown(str(width))}' is not usable: give inches from "
                             f"0.5 to 7.5 (e.g. 3in) or a percentage of the column from 10 to 100 (e.g. \"60%\")")
            image.attrs.pop("width")

    def _check_image(self, image: Token, line: int) -> None:
        src = image.attrGet("src") or ""
        self._check_image_size(image, src, line)
        alt = "".join(c.content for c in image.children or []).strip()
        if not alt:
            self.error(line, f"image '{shown(src)}' has no alt text")
        target = self._resolve_local(src, line)
        if target is None:
            return
        if target.suffix.lower() not in IMAGE_TYPES:
            self.error(line, f"image '{shown(src)}' must be one of {', '.join(IMAGE_TYPES)}")
            return
        if not os.path.lexists(target):
            self.error(line, f"image '{shown(src)}' not found")
            return
        try:
            problem = image_problem(target)
        except SvgProblem as exc:  # at their own lines in the SVG
            for each in getattr(exc, "all", [exc]):
                each.report_to(self.report)
            problem = f"cannot be used: see {exc.path.name}:{exc.line}"
        except LocatedError as exc:  # a link, a device, a pipe, or too large a file
            problem = exc.message
        if problem is not None:
            self.error(line, f"image '{shown(src)}' {problem}")
            return
        if target.suffix.lower() == ".svg" and target not in self.image_lines:  # each SVG's warnings once
            for warning in font_warnings(target, target.read_bytes()):
                self.report.warning(warning.path, warning.line, warning.message)
        self.images.append(target)
        self.image_lines.setdefault(target, line)
        image.attrSet("src", target.as_uri())

    def _resolve_local(self, src: str, line: int) -> Path | None:
        """Images are files beside the source; anything else is refused here
        (and again by the renderer's sandboxed fetcher). The path is resolved
        by its words, not by following links: a link is refused where it is."""
        parts = urlsplit(src)
        name = unquote(parts.path)
        if parts.scheme or parts.netloc:
            self.error(line, f"image '{shown(src)}' must be a file in the publication folder, not a URL")
        elif src.startswith("/"):
            self.error(line, f"image '{shown(src)}' must be a relative path inside the publication folder")
        elif not name.isprintable() or "\\" in name:
            self.error(line, f"image '{shown(src)}' has a control character or a backslash in its name")
        else:
            base = Path(os.path.abspath(self.base_dir))
            target = Path(os.path.normpath(base / name))
            if target.is_relative_to(base) and target != base:
                return target
            self.error(line, f"image '{shown(src)}' points outside the publication folder")
        return None


def _ends_number(text: str, end: int) -> bool:
    """Whether a number may end just before ``end``: no letter, digit, "_" or
    "-" follows, nor "." or "," and a digit (as in 1.5 or 12,000)."""
    after = text[end:end + 1]
    if after and (after.isalnum() or after in "_-"):
        return False
    return not (after in (".", ",") and text[end + 1:end + 2].isdigit())


def _phone_candidates(text: str):
    """Runs of digits and separators that start and end with a digit, each
    character looked at a bounded number of times."""
    position = 0
    while (run := PHONE_RUN.search(text, position)) is not None:
        first_digit = run.start() + len(run.group(0)) - len(run.group(0).lstrip("+("))
        end = run.end()
        while end > first_digit and not (text[end - 1].isdigit() and _ends_number(text, end)):
            end -= 1
        if end - first_digit >= PHONE_MIN_CHARS:
            yield text[run.start():end]
            position = end
        else:
            position = run.end()


MAILTO_PARAMETERS = ("subject", "body")  # the others (to, cc, bcc) add recipients
MAX_LINK_CHARS = 2_000


def link_problem(href: str) -> str | None:
    """Why a link from a source may not be printed, or None. Links are
    canonical: one of the allowed schemes, http(s) hosts as a browser reads
    them (no credentials, no backslashes), mailto: to one address."""
    if len(href) > MAX_LINK_CHARS:
        return f"is longer than {MAX_LINK_CHARS:,} characters"
    if not href.isprintable() or any(c.isspace() for c in href):
        return "holds spaces or control characters"
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return "must be a full http(s), mailto: or tel: address"
    if scheme in ("http", "https"):
        if "\\" in href or "@" in parts.netloc:
            return "is not a valid web address: no user names, passwords or backslashes before the host"
        if len(parts.hostname or "") > 253 or not HOST.match(parts.hostname or ""):
            return "is not a valid web address"
    elif scheme == "mailto":
        if len(parts.path) > 254 or not EMAIL.match(unquote(parts.path)):
            return "is not a valid e-mail address"
        names = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        if parts.fragment or (parts.query and not names) or names - set(MAILTO_PARAMETERS):
            return (f"has '{shown(href.partition('?')[2] or parts.fragment, 40)}' after the address: "
                    f"only {' and '.join(MAILTO_PARAMETERS)} may follow '?'")
    elif scheme == "tel" and not _is_phone_number(parts.path):
        return "is not a valid US phone number (tel:+1-800-555-0100)"
    return None


def _is_phone_number(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    # A US (NANP) number: ten digits, the area code not starting with 0 or 1.
    return len(digits) == 10 and digits[0] not in "01" and not set(number) - set("+0123456789-(). ")


def _excerpt(text: str) -> str:
    text = " ".join(text[:200].split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def shown(value: str, limit: int = 80) -> str:
    """A value from a source as an error message quotes it: at most ``limit``
    characters (a data: URL can be megabytes), control characters escaped."""
    short = value[:limit].encode("unicode_escape").decode("ascii") if not value[:limit].isprintable() \
        else value[:limit]
    return short + (f"… ({len(value):,} characters)" if len(value) > limit else "")


KEEP_LIST_MAX_ITEMS = 6  # a list this short is never split by a page or column break,
KEEP_LIST_MAX_CHARS = 420  # when its text also fits in about six lines (a list of long items may split between items)
KEEP_TABLE_MAX_ROWS = 8  # nor a table with this many body rows (longer ones repeat their header row)


def _block_extent(tokens: list[Token], start: int) -> tuple[int, int, int]:
    """(items or rows at the first level, longest inline text, all its text's length) of the
    list or table opening at ``start``."""
    opening = tokens[start].type
    table = opening == "table_open"
    opens = {"table_open"} if table else {"bullet_list_open", "ordered_list_open"}
    closes = {name.replace("_open", "_close") for name in opens}
    item = "tr_open" if table else "list_item_open"
    depth, items, longest, total = 0, 0, 0, 0
    for index in range(start, len(tokens)):
        inner = tokens[index]
        depth += (inner.type in opens) - (inner.type in closes)
        if depth == 0:
            break
        if inner.type == item and depth == 1:
            items += 1
        elif inner.type == "inline":
            longest, total = max(longest, len(inner.content)), total + len(inner.content)
    return items, longest, total


def _mark_lists_and_tables(tokens: list[Token]) -> None:
    """Classes for the layout: long lists of short items go in columns
    (list-columns); short lists and tables are kept whole (keep-together)."""
    for i, token in enumerate(tokens):
        if token.type not in ("bullet_list_open", "ordered_list_open", "table_open"):
            continue
        items, longest, total = _block_extent(tokens, i)
        classes = []
        if token.type == "bullet_list_open" and items >= COLUMN_LIST_MIN_ITEMS and longest <= COLUMN_LIST_MAX_CHARS:
            classes.append("list-columns")
        if token.type == "table_open":
            keep = items - 1 <= KEEP_TABLE_MAX_ROWS  # the header row is not a body row
        else:
            keep = items <= KEEP_LIST_MAX_ITEMS and total <= KEEP_LIST_MAX_CHARS
        if keep:
            classes.append("keep-together")
        if classes:
            token.attrSet("class", " ".join(classes))


# Token types that make up a section's shape, which every language must share.
SHAPE_TOKENS = {"heading_open": "subsection", "container_callout_open": "callout", "table_open": "table",
                "container_contacts_open": "contacts", "dl_open": "definition list"}
# Blocks whose text is read: lists and table cells count as sentences of their own.
READ_BLOCKS = ("paragraph_open", "td_open", "th_open", "dt_open")
SENTENCE_END = (".", "!", "?", ":", ";", "…")


def _shape(body: list[Token]) -> tuple[str, ...]:
    shape = []
    for token in body:
        if token.type == "inline" and (token.children or []) and token.children[0].meta.get("figure"):
            shape.append("figure")
        elif token.type in SHAPE_TOKENS:
            shape.append(SHAPE_TOKENS[token.type])
    return tuple(shape)


def _plain_text(body: list[Token]) -> str:
    """The section's prose as sentences: each paragraph, list item or cell ends
    one, so a list of short items reads as short sentences (as readers take it)."""
    sentences = []
    for i, token in enumerate(body[1:], start=1):
        if token.type != "inline" or body[i - 1].type not in READ_BLOCKS:
            continue
        words = []
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        text = " ".join("".join(words).split())
        if text:
            sentences.append(text if text.rstrip("”’»)\"'").endswith(SENTENCE_END) else text + ".")
    return " ".join(sentences)


def _split_sections(md: MarkdownIt, tokens: list[Token]) -> list[Section]:
    sections: list[Section] = []
    start, heading, line = 0, None, 1
    used: set[str] = set()

    def close(end: int) -> None:
        body = tokens[start:end]
        if heading is None and not body:
            return
        anchor = base = slugify(heading or "introduction")
        number = 1
        while anchor in used:
            number += 1
            anchor = f"{base}-{number}"
        used.add(anchor)
        html = md.renderer.render(body, md.options, {})
        sections.append(Section(heading, anchor, html, line, _plain_text(body), _shape(body)))

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.tag == "h2":
            close(i)
            # The heading as plain text: escapes resolved, emphasis markers dropped.
            heading = md.renderer.renderInlineAsText(tokens[i + 1].children or [], md.options, {})
            line = token.map[0] + 1
            i += 3  # heading_open, inline, heading_close
            start = i
            continue
        i += 1
    close(len(tokens))
    return sections


def check_bounds(text: str, tokens: list[Token], path: Path) -> None:
    """BoundExceeded at the first token past a bound on the size of one text."""
    bounds.CHARACTERS.check(path, 1, len(text), "characters")
    counts = {"blocks": 0, "items": 0, "cells": 0, "sections": 0}
    counted = {"list_item_open": ("items", bounds.LIST_ITEMS), "td_open": ("cells", bounds.TABLE_CELLS),
               "th_open": ("cells", bounds.TABLE_CELLS), "heading_open": ("sections", bounds.SECTIONS)}
    for token in tokens:
        line = token.map[0] + 1 if token.map else None
        depth = token.level + max((child.level + 1 for child in token.children or []), default=0)
        bounds.NESTING.check(path, line, depth, "levels")
        if token.nesting < 0 or token.type == "inline":
            continue
        counts["blocks"] += 1
        bounds.BLOCKS.check(path, line, counts["blocks"])
        if token.type in counted and (token.type != "heading_open" or token.tag == "h2"):
            name, bound = counted[token.type]
            counts[name] += 1
            bound.check(path, line, counts[name])


def parse_text(text: str, path: Path, report: Report) -> ParsedText | None:
    """Check and render one ``<lang>.md``; None when it has errors."""
    md = _new_parser()
    try:
        bounds.CHARACTERS.check(path, 1, len(text), "characters")
        tokens = md.parse(text)
        check_bounds(text, tokens, path)
    except LocatedError as exc:
        exc.report_to(report)
        return None
    before = len(report.errors)
    checker = TextChecker(path, path.parent, report)
    checker.check(tokens)
    if not any(t.type == "heading_open" and t.tag == "h2" for t in tokens):
        report.error(path, 1, "the text has no sections: start one with '## Heading'")
    if len(report.errors) > before:
        return None
    _mark_lists_and_tables(tokens)
    return ParsedText(_split_sections(md, tokens), checker.images, checker.has_contacts_block, checker.image_lines)
