"""An edition's text as a web page holds it (the HTML and EPUB editions):
images by their names beside the page instead of their file: URLs in the
sources, and table header cells with their scope.

Both rewrite HTML that render_edition made: sources reach it escaped, so a
``<th`` or a ``src="file:`` in it is always markup the renderer wrote.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from markupsafe import escape

from ..content.model import Edition

_HEADER_CELL = re.compile(r"<th(?=[\s>])")
_TABLE = re.compile(r"<table(?: [^>]*)?>.*?</table>", re.S)
_EMPTY_CORNER = re.compile(r"(<thead>\s*<tr>\s*)<th( [^>]*)?></th>")
_ROW_START = re.compile(r"(<tr>\s*)<td( [^>]*)?>(.*?)</td>", re.S)


def image_files(edition: Edition) -> dict[str, Path]:
    """The edition's images by their path inside its publication folder
    (the name each copy gets beside the page)."""
    base = Path(os.path.abspath(edition.source.parent))
    return {path.relative_to(base).as_posix(): path for path in sorted(edition.image_lines)}


def with_local_images(html: str, names: dict[str, Path], prefix: str = "") -> str:
    """``html`` with each image's file: URL replaced by its name (after ``prefix``)."""
    for name, path in names.items():
        html = html.replace(f'src="{escape(path.as_uri())}"', f'src="{escape(prefix + quote(name))}"')
    return html


def with_header_scopes(html: str) -> str:
    """Markdown tables have one header row: each of its cells heads a
    column. A table whose top-left cell is empty compares things row by
    row: that cell is no header, and each row's first cell heads its row."""
    return _TABLE.sub(lambda table: _scoped(table[0]), html)


def _scoped(table: str) -> str:
    corner = _EMPTY_CORNER.search(table)
    if corner:
        table = _EMPTY_CORNER.sub(lambda m: f"{m[1]}<td{m[2] or ''}></td>", table, count=1)
    table = _HEADER_CELL.sub('<th scope="col"', table)
    if corner:
        body_start = table.index("<tbody>") if "<tbody>" in table else len(table)
        body = _ROW_START.sub(lambda m: f'{m[1]}<th scope="row"{m[2] or ""}>{m[3]}</th>', table[body_start:])
        table = table[:body_start] + body
    return table
