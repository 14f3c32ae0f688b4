"""Labels whose look changes how they read: letter-spaced or case-changed
text ("FACT SHEET" drawn from "Fact Sheet" with 0.14em between letters)
is extracted as single letters or read as an acronym. Such a label's
structure element gets /ActualText with the words as the source has them
(measure.styled_labels finds them on the laid-out pages).
"""

from __future__ import annotations

import pikepdf

from .measure import normal_space
from .pagecontent import PageContent
from .structtree import reachable_mcids


def set_label_words(pdf: pikepdf.Pdf, pages: list[PageContent],
                    labels_by_page: dict[int, dict[str, str]]) -> None:
    """/ActualText on every structure element whose text is a key of its
    page's labels, in place; only the pages that have labels are looked at."""
    if not labels_by_page:
        return
    reachable = reachable_mcids(pdf)
    for index, labels in labels_by_page.items():
        content = pages[index]
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
        for element, text in texts.values():
            if (words := labels.get(normal_space(text))) is not None:
                element.ActualText = pikepdf.String(words + " ")
