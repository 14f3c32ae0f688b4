"""The text a page's content stream shows, decoded through each font's
/ToUnicode map, with the marked-content id it belongs to and its baseline:
enough to see where a line of tagged text ends without a word boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import pikepdf

from .structtree import TextPlacement, properties

HEX = re.compile(rb"<([0-9a-fA-F]+)>")
SHOW = {"Tj", "TJ"}


@dataclass
class TextShow:
    index: int  # of the text-showing instruction in the parsed content stream
    mcid: int | None  # innermost marked-content id around it (None: artifact or untagged)
    font: str  # resource name
    size: float  # font size set with it
    text: str
    y: float  # baseline height in page space
    actual_text: str | None = None  # /ActualText of the marked content around it


def to_unicode(font: pikepdf.Dictionary) -> dict[bytes, str]:
    """A font's /ToUnicode map: character code -> text (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    cmap = stream.read_bytes()
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        codes = HEX.findall(block)
        for code, text in zip(codes[::2], codes[1::2]):
            mapping[bytes.fromhex(code.decode())] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first, width = int(low, 16), len(low) // 2
            base = bytes.fromhex(start.decode()).decode("utf-16-be", "replace")
            for offset in range(int(high, 16) - first + 1):
                mapping[(first + offset).to_bytes(width, "big")] = base[:-1] + chr(ord(base[-1]) + offset)
    return mapping


def decode(data: bytes, mapping: dict[bytes, str], width: int = 2) -> str:
    return "".join(mapping.get(data[i:i + width], "\ufffd") for i in range(0, len(data), width))


def _shown(operands, operator: str) -> bytes:
    if operator == "Tj":
        return bytes(operands[0])
    return b"".join(bytes(item) for item in operands[0] if isinstance(item, pikepdf.String))


def text_shows(page: pikepdf.Page, instructions) -> Iterator[TextShow]:
    """Every Tj/TJ of the page's content, in stream order (two-byte
    Identity-H fonts, as WeasyPrint writes them)."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    maps: dict[str, dict[bytes, str]] = {}
    marks: list[tuple[int | None, str | None]] = []
    placement, font, size = TextPlacement(), "", 0.0
    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        if placement.follow(op, operands):
            continue
        if op == "Tf":
            font, size = str(operands[0]), float(operands[1])
        elif op == "BMC":
            marks.append((None, None))
        elif op == "BDC":
            marks.append(_mark(page, operands, marks))
        elif op == "EMC" and marks:
            marks.pop()
        elif op in SHOW:
            if font not in maps:
                maps[font] = to_unicode(fonts.get(font)) if font in fonts else {}
            mcid, actual = marks[-1] if marks else (None, None)
            yield TextShow(index, mcid, font, size, decode(_shown(operands, op), maps[font]), placement.y, actual)


def _mark(page, operands, marks) -> tuple[int | None, str | None]:
    """(MCID, ActualText) a BDC opens: its own, or else its enclosing one's."""
    props = properties(page, operands[1])
    if props is not None and "/MCID" in props:
        return int(props.MCID), str(props.ActualText) if "/ActualText" in props else None
    if str(operands[0]) == "/Artifact":
        return None, None
    return marks[-1] if marks else (None, None)


BOUNDARY = re.compile(r"[\s\-\u00ad\u2010\u2011\u2013\u2014/]$")


def unbounded_line_ends(page: pikepdf.Page, instructions=None) -> list[TextShow]:
    """Tagged text that ends a line (the next tagged text is on another
    baseline, or there is none) with no space, hyphen or dash to end a word."""
    instructions = instructions if instructions is not None else list(pikepdf.parse_content_stream(page))
    shows = [s for s in text_shows(page, instructions) if s.mcid is not None and s.text]
    ends = []
    for show, after in zip(shows, [*shows[1:], None]):
        bounded = BOUNDARY.search(show.actual_text or show.text)
        if (after is None or abs(after.y - show.y) > 0.5) and not bounded:
            ends.append(show)
    return ends
