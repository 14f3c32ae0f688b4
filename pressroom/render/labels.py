"""Labels whose look changes how they read: letter-spaced or case-changed
text ("FACT SHEET" drawn from "Fact Sheet" with 0.14em between letters)
is extracted as single letters or read as an acronym. Such a label's
structure element gets /ActualText with the words as the source has them
(measure.styled_labels finds them on the laid-out pages).
"""

from __future__ import annotations

import pikepdf

from .measure import normal_space
from .structtree import reachable_mcids
from .textruns import text_shows


def set_label_words(pdf: pikepdf.Pdf, labels_by_page: dict[int, dict[str, str]]) -> None:
    """/ActualText on every structure element whose text is a key of its
    page's labels, in place; only the pages that have labels are read."""
    if not labels_by_page:
        return
    reachable = reachable_mcids(pdf)
    for index, labels in labels_by_page.items():
        page = pdf.pages[index]
        texts: dict[tuple[int, int], list] = {}
        for show in text_shows(page, list(pikepdf.parse_content_stream(page))):
            element = reachable.get((page.obj.objgen, show.mcid)) if show.mcid is not None else None
            if element is not None:
                texts.setdefault(element.objgen, [element, ""])[1] += show.text
        for element, text in texts.values():
            if (words := labels.get(normal_space(text))) is not None:
                element.ActualText = pikepdf.String(words + " ")
