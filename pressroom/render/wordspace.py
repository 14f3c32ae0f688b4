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

from .structtree import marked_runs
from .textruns import text_shows, to_unicode, unbounded_line_ends


def _space_code(font: pikepdf.Dictionary | None) -> bytes | None:
    if font is None:
        return None
    return next((code for code, text in to_unicode(font).items() if text == " "), None)


def _space(fonts, end) -> list[pikepdf.ContentStreamInstruction]:
    """Instructions that show a space after ``end``, or none if no font of the page has one."""
    show = pikepdf.Operator("Tj")
    if (code := _space_code(fonts.get(end.font))) is not None:
        return [pikepdf.ContentStreamInstruction([pikepdf.String(code)], show)]
    for name, font in fonts.items():
        if (code := _space_code(font)) is not None:
            set_font = pikepdf.Operator("Tf")
            return [pikepdf.ContentStreamInstruction([pikepdf.Name(name), end.size], set_font),
                    pikepdf.ContentStreamInstruction([pikepdf.String(code)], show),
                    pikepdf.ContentStreamInstruction([pikepdf.Name(end.font), end.size], set_font)]
    return []


def _actual_text(page, instructions, runs, mcid: int) -> pikepdf.ContentStreamInstruction | None:
    """The BDC opening ``mcid`` with /ActualText: its text and a space."""
    text = "".join(s.text for s in text_shows(page, instructions) if s.mcid == mcid)
    run = next((r for r in runs if r.mcid == mcid), None)
    if run is None or "\ufffd" in text:
        return None
    props = pikepdf.Dictionary(MCID=mcid, ActualText=pikepdf.String(text + " "))
    return pikepdf.ContentStreamInstruction([pikepdf.Name(run.tag), props], pikepdf.Operator("BDC"))


def add_line_end_spaces(pdf: pikepdf.Pdf) -> int:
    """Give every unbounded line end a space, in place; how many."""
    added = 0
    for page in pdf.pages:
        instructions = list(pikepdf.parse_content_stream(page))
        ends = unbounded_line_ends(page, instructions)
        if not ends:
            continue
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        runs = marked_runs(page, instructions)
        replaced, inserted = {}, {}
        for end in ends:
            if space := _space(fonts, end):
                inserted[end.index] = space
            elif (bdc := _actual_text(page, instructions, runs, end.mcid)) is not None:
                replaced[next(r.index for r in runs if r.mcid == end.mcid)] = bdc
        rewritten = []
        for index, instruction in enumerate(instructions):
            rewritten.append(replaced.get(index, instruction))
            rewritten.extend(inserted.get(index, []))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rewritten))
        added += len(inserted) + len(replaced)
    return added
