"""Each page's content stream parsed and read once for all the screen
file's finishing passes (furniture.py, wordspace.py, labels.py), and
written back once: parsing and walking a content stream in Python costs
more than anything those passes do with it.

A pass changes a page only through ``replace`` and ``insert_after``, which
keep every instruction index of the one reading valid until ``write``.
"""

from __future__ import annotations

import pikepdf

from .textruns import PageText, parsed, read_content, to_unicode


class PageContent:
    def __init__(self, page: pikepdf.Page):
        self.page = page
        self.instructions = parsed(page)
        reading: PageText = read_content(page, self.instructions)
        self.runs, self.shows = reading.runs, reading.shows
        self._replaced: dict[int, pikepdf.ContentStreamInstruction] = {}
        self._inserted: dict[int, list[pikepdf.ContentStreamInstruction]] = {}

    def replace(self, index: int, instruction: pikepdf.ContentStreamInstruction) -> None:
        self._replaced[index] = instruction

    def insert_after(self, index: int, instructions: list[pikepdf.ContentStreamInstruction]) -> None:
        self._inserted.setdefault(index, []).extend(instructions)

    def untag(self, mcids: set[int]) -> None:
        """The text of these marked-content ids is no longer tagged (it was made an Artifact)."""
        for show in self.shows:
            if show.mcid in mcids:
                show.mcid, show.actual_text = None, None

    def write(self, pdf: pikepdf.Pdf) -> None:
        if not (self._replaced or self._inserted):
            return
        rewritten = []
        for index, instruction in enumerate(self.instructions):
            rewritten.append(self._replaced.get(index, instruction))
            rewritten.extend(self._inserted.get(index, ()))
        self.page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))


class FontSpaces:
    """The character code of a space in each font of the document, read once per font."""

    def __init__(self):
        self._codes: dict[tuple[int, int], bytes | None] = {}

    def code(self, font: pikepdf.Dictionary | None) -> bytes | None:
        if font is None:
            return None
        key = font.objgen
        if key not in self._codes:
            self._codes[key] = next((c for c, text in to_unicode(font).items() if text == " "), None)
        return self._codes[key]


def read_pages(pdf: pikepdf.Pdf) -> list[PageContent]:
    return [PageContent(page) for page in pdf.pages]


def write_pages(pdf: pikepdf.Pdf, pages: list[PageContent]) -> None:
    for content in pages:
        content.write(pdf)
