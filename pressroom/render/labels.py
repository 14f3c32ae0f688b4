"""Structure elements found by the text they show on a page, for what the
look or the markup of that text says and the tags do not:

- labels whose look changes how they read: letter-spaced or case-changed
  text ("FACT SHEET" drawn from "Fact Sheet" with 0.14em between letters)
  is extracted as single letters or read as an acronym. Such a label's
  element gets /ActualText with the words as the source has them;
- a line the layout hyphenated ("tras-" + "torno") gets /ActualText
  without the added hyphen, so the word reads whole;
- text in another language than the document's (a phone line's label that
  the sources give only in English, in a Spanish edition) gets /Lang, so a
  screen reader switches voice.

measure.styled_labels, added_hyphens and language_spans find them on the
laid-out pages.
"""

from __future__ import annotations

import pikepdf

from .measure import normal_space
from .pagecontent import PageContent
from .structtree import reachable_mcids


def _element_texts(reachable, content: PageContent) -> dict[tuple[int, int], list]:
    """Element objgen -> [element, its text on this page]."""
    texts: dict[tuple[int, int], list] = {}
    last_y: dict[tuple[int, int], float] = {}
    for show in content.shows:
        element = reachable.get((content.page.obj.objgen, show.mcid)) if show.mcid is not None else None
        if element is None:
            continue
        key = element.objgen
        entry = texts.setdefault(key, [element, ""])
        # a new line of the same element is a word boundary (wordspace.py puts a space there)
        entry[1] += (" " if key in last_y and abs(last_y[key] - show.y) > 0.5 else "") + show.text
        last_y[key] = show.y
    return texts


def _matching(pdf: pikepdf.Pdf, pages: list[PageContent], by_page: dict[int, dict[str, str]]):
    """(element, value) for every element whose text is a key of its page's entries."""
    if not by_page:
        return
    reachable = reachable_mcids(pdf)
    for index, entries in by_page.items():
        for element, text in _element_texts(reachable, pages[index]).values():
            if (value := entries.get(normal_space(text))) is not None:
                yield element, value


def set_label_words(pdf: pikepdf.Pdf, pages: list[PageContent],
                    labels_by_page: dict[int, dict[str, str]]) -> None:
    """/ActualText on every structure element whose text is a key of its
    page's labels, in place; only the pages that have labels are looked at."""
    for element, words in _matching(pdf, pages, labels_by_page):
        element.ActualText = pikepdf.String(words + " ")


def set_span_languages(pdf: pikepdf.Pdf, pages: list[PageContent],
                       spans_by_page: dict[int, dict[str, str]]) -> None:
    """/Lang on every structure element whose text is a key of its page's spans."""
    for element, lang in _matching(pdf, pages, spans_by_page):
        element.Lang = pikepdf.String(lang)


def set_unhyphenated(pdf: pikepdf.Pdf, pages: list[PageContent],
                     lines_by_page: dict[int, dict[str, str]]) -> None:
    """/ActualText without the added hyphen on every line element that ends in one."""
    for element, text in _matching(pdf, pages, lines_by_page):
        element.ActualText = pikepdf.String(text)
