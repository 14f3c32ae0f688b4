"""A word boundary at every line end of the screen PDF's tagged text.

WeasyPrint draws each line as its own run of glyphs with no space at the
end, so text read in structure order runs the last word of a line into the
first of the next ("meet|muscles" -> "meetmuscles"). After each such line a
space is shown (it draws nothing and moves nothing that follows, as every
line is placed by its own text matrix): in the line's own font, or, when
that font's subset has no space, in another font of the page that has one.
A page with no space in any font gets /ActualText on that marked content
instead, its text with a space after.
"""

from __future__ import annotations

import pikepdf

from .pagecontent import FontSpaces, PageContent
from .textruns import unbounded


def _space(fonts, spaces: FontSpaces, end) -> list[pikepdf.ContentStreamInstruction]:
    """Instructions that show a space after ``end``, or none if no font of the page has one."""
    show = pikepdf.Operator("Tj")
    if (code := spaces.code(fonts.get(end.font))) is not None:
        return [pikepdf.ContentStreamInstruction([pikepdf.String(code)], show)]
    for name, font in fonts.items():
        if (code := spaces.code(font)) is not None:
            set_font = pikepdf.Operator("Tf")
            return [pikepdf.ContentStreamInstruction([pikepdf.Name(name), end.size], set_font),
                    pikepdf.ContentStreamInstruction([pikepdf.String(code)], show),
                    pikepdf.ContentStreamInstruction([pikepdf.Name(end.font), end.size], set_font)]
    return []


def _actual_text(content: PageContent, mcid: int) -> tuple[int, pikepdf.ContentStreamInstruction] | None:
    """(index, the BDC opening ``mcid`` with /ActualText: its text and a space)."""
    text = "".join(s.text for s in content.shows if s.mcid == mcid)
    run = next((r for r in content.runs if r.mcid == mcid), None)
    if run is None or "\ufffd" in text:
        return None
    props = pikepdf.Dictionary(MCID=mcid, ActualText=pikepdf.String(text + " "))
    return run.index, pikepdf.ContentStreamInstruction([pikepdf.Name(run.tag), props], pikepdf.Operator("BDC"))


def add_line_end_spaces(pages: list[PageContent]) -> int:
    """Give every unbounded line end a space; how many."""
    added, spaces = 0, FontSpaces()
    for content in pages:
        fonts = content.page.obj.get("/Resources", {}).get("/Font", {})
        for end in unbounded(content.shows):
            if space := _space(fonts, spaces, end):
                content.insert_after(end.index, space)
            elif (bdc := _actual_text(content, end.mcid)) is not None:
                content.replace(*bdc)
            else:
                continue
            added += 1
    return added
