"""What a page's content stream marks and shows, read in one walk: its
marked-content sequences with an MCID, and the text it shows, decoded
through each font's /ToUnicode map, with the marked-content id it belongs
to and its baseline (enough to see where a line of tagged text ends without
a word boundary). The finishing passes share one reading per page
(pagecontent.py); the checks read the finished file the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pikepdf

from .structtree import TextPlacement, properties

HEX = re.compile(rb"<([0-9a-fA-F]+)>")
SHOW = {"Tj", "TJ"}
QUOTE_SHOW = {"'", '"'}  # move to the next line and show: drawn text, no string we decode


@dataclass
class MarkedRun:
    """One marked-content sequence with an MCID in a page's content stream."""
    index: int  # of its BDC in the parsed content stream
    tag: str
    mcid: int
    y: float | None  # page-space height of its first text, if any
    text_ops: int  # text-showing operators inside it


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


@dataclass
class PageText:
    runs: list[MarkedRun]  # every marked-content sequence with an MCID, outermost and nested
    shows: list[TextShow]  # every Tj/TJ, in stream order


def _opened(page, operands, index: int, enclosing) -> tuple[MarkedRun | None, tuple[int | None, str | None]]:
    """The run a BDC opens (if it has an MCID) and the (MCID, ActualText)
    its text belongs to: its own, none for an Artifact, else its enclosing one's."""
    props = properties(page, operands[1])
    if props is not None and "/MCID" in props:
        mcid = int(props.MCID)
        actual = str(props.ActualText) if "/ActualText" in props else None
        return MarkedRun(index, str(operands[0]), mcid, None, 0), (mcid, actual)
    if str(operands[0]) == "/Artifact":
        return None, (None, None)
    return None, enclosing


def read_content(page: pikepdf.Page, instructions) -> PageText:
    """One walk of a page's parsed content stream (two-byte Identity-H fonts,
    as WeasyPrint writes them)."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    runs, shows, maps = [], [], {}
    open_marks: list[tuple[MarkedRun | None, tuple[int | None, str | None]]] = []
    placement, font, size = TextPlacement(), "", 0.0
    for index, (operands, operator) in enumerate(instructions):
        op = str(operator)
        if placement.follow(op, operands):
            continue
        if op == "Tf":
            font, size = str(operands[0]), float(operands[1])
        elif op == "BMC":
            open_marks.append((None, (None, None)))
        elif op == "BDC":
            run, mark = _opened(page, operands, index, open_marks[-1][1] if open_marks else (None, None))
            if run is not None:
                runs.append(run)
            open_marks.append((run, mark))
        elif op == "EMC" and open_marks:
            open_marks.pop()
        elif op in SHOW or op in QUOTE_SHOW:
            y = placement.y
            for run, _ in open_marks:
                if run is not None:
                    run.text_ops += 1
                    if run.y is None:
                        run.y = y
            if op in SHOW:
                mcid, actual = open_marks[-1][1] if open_marks else (None, None)
                if font not in maps:
                    maps[font] = to_unicode(fonts[font]) if font in fonts else {}
                shows.append(TextShow(index, mcid, font, size, decode(_shown(operands, op), maps[font]), y, actual))
    return PageText(runs, shows)


def parsed(page: pikepdf.Page) -> list:
    return list(pikepdf.parse_content_stream(page))


def text_shows(page: pikepdf.Page, instructions=None) -> list[TextShow]:
    return read_content(page, instructions if instructions is not None else parsed(page)).shows


BOUNDARY = re.compile(r"[\s\-\u00ad\u2010\u2011\u2013\u2014/]$")


def line_ends(shows: list[TextShow]) -> list[TextShow]:
    """Tagged text that ends a line: the next tagged text is on another
    baseline, or there is none."""
    tagged = [s for s in shows if s.mcid is not None and s.text]
    return [show for show, after in zip(tagged, [*tagged[1:], None])
            if after is None or abs(after.y - show.y) > 0.5]


def unbounded(shows: list[TextShow]) -> list[TextShow]:
    """Line ends with no space, hyphen or dash to end a word."""
    return [show for show in line_ends(shows) if not BOUNDARY.search(show.actual_text or show.text)]
