"""Publication text: CommonMark with a small, documented set of blocks.

Supported: ``##``/``###`` headings, paragraphs, emphasis, lists, links,
tables, definition lists, images (a paragraph holding only an image becomes
a figure; its title is the caption), and two fenced blocks::

    ::: callout Optional title
    Text that stands out.
    :::

    ::: contacts
    :::        (where the publication's contact cards go)

Raw HTML is refused, never passed through. Problems are reported with the
line they are on; rendering only happens for text without errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin

from ..diagnostics import Report
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
PHONE_LIKE = re.compile(r"(?<![\w.,-])\+?\(?\d[\d\-(). ]{5,}\d(?![\w-]|[.,]\d)")
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
    img = f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}">'
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
        for child in inline.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                self._check_phone_numbers(child.content, line)
            elif child.type == "html_inline":
                self.error(line, f"raw HTML is not allowed: {_excerpt(child.content)}")
            elif child.type == "image":
                self._check_image(child, line)
            elif child.type == "link_open":
                self._check_link(child.attrGet("href") or "", line)

    def _check_link(self, href: str, line: int) -> None:
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme not in LINK_SCHEMES:
            self.error(line, f"link '{href}' must be a full http(s), mailto: or tel: address")
        elif scheme in ("http", "https") and (not HOST.match(parts.hostname or "") or any(c.isspace() for c in href)):
            self.error(line, f"link '{href}' is not a valid web address")
        elif scheme == "mailto" and not EMAIL.match(unquote(parts.path)):
            self.error(line, f"link '{href}' is not a valid e-mail address")
        elif scheme == "tel" and not _is_phone_number(parts.path):
            self.error(line, f"link '{href}' is not a valid US phone number (tel:+1-800-555-0100)")

    def _check_phone_numbers(self, text: str, line: int) -> None:
        for match in PHONE_LIKE.finditer(text):
            for number in re.split(r" {2,}", match.group(0)):  # two runs that merely stand close
                number = number.strip(" .")
                digits = sum(c.isdigit() for c in number)
                if digits not in PHONE_DIGITS or NOT_PHONES.match(number) or " " in number.strip() and \
                        not re.fullmatch(r"[+1 ]*\(?\d{3}\)?[ -]\d{3}[ -]\d{4}", number):
                    continue
                if not US_PHONE.match(number):
                    self.report.warning(self.path, line, f"phone number '{number}' is malformed: "
                                        f"write US numbers as 800-555-0100")

    def _check_image(self, image: Token, line: int) -> None:
        src = image.attrGet("src") or ""
        alt = "".join(c.content for c in image.children or []).strip()
        if not alt:
            self.error(line, f"image '{src}' has no alt text")
        target = self._resolve_local(src, line)
        if target is None:
            return
        if target.suffix.lower() not in IMAGE_TYPES:
            self.error(line, f"image '{src}' must be one of {', '.join(IMAGE_TYPES)}")
        elif not target.is_file():
            self.error(line, f"image '{src}' not found")
        else:
            self.images.append(target)
            self.image_lines.setdefault(target, line)
            image.attrSet("src", target.as_uri())

    def _resolve_local(self, src: str, line: int) -> Path | None:
        """Images are files beside the source; anything else is refused here
        (and again by the renderer's sandboxed fetcher)."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.error(line, f"image '{src}' must be a file in the publication folder, not a URL")
            return None
        if src.startswith("/"):
            self.error(line, f"image '{src}' must be a relative path inside the publication folder")
            return None
        target = (self.base_dir / unquote(parts.path)).resolve()
        if not target.is_relative_to(self.base_dir.resolve()):
            self.error(line, f"image '{src}' points outside the publication folder")
            return None
        return target


def _is_phone_number(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    # A US (NANP) number: ten digits, the area code not starting with 0 or 1.
    return len(digits) == 10 and digits[0] not in "01" and not set(number) - set("+0123456789-(). ")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _mark_column_lists(tokens: list[Token]) -> None:
    """Give long lists of short items a class so the layout can set them in columns."""
    for i, token in enumerate(tokens):
        if token.type != "bullet_list_open":
            continue
        depth, items, longest = 0, 0, 0
        for inner in tokens[i:]:
            if inner.type == "bullet_list_open":
                depth += 1
            elif inner.type == "bullet_list_close":
                depth -= 1
                if depth == 0:
                    break
            elif inner.type == "list_item_open" and depth == 1:
                items += 1
            elif inner.type == "inline":
                longest = max(longest, len(inner.content))
        if items >= COLUMN_LIST_MIN_ITEMS and longest <= COLUMN_LIST_MAX_CHARS and depth == 0:
            token.attrSet("class", "list-columns")


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
        anchor = slugify(heading or "introduction")
        while anchor in used:
            anchor += "-2"
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


def parse_text(text: str, path: Path, report: Report) -> ParsedText | None:
    """Check and render one ``<lang>.md``; None when it has errors."""
    md = _new_parser()
    tokens = md.parse(text)
    before = len(report.errors)
    checker = TextChecker(path, path.parent, report)
    checker.check(tokens)
    if not any(t.type == "heading_open" and t.tag == "h2" for t in tokens):
        report.error(path, 1, "the text has no sections: start one with '## Heading'")
    if len(report.errors) > before:
        return None
    _mark_column_lists(tokens)
    return ParsedText(_split_sections(md, tokens), checker.images, checker.has_contacts_block, checker.image_lines)
