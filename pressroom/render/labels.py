"""Labels whose look changes how they read: letter-spaced or case-changed
text ("FACT SHEET" drawn from "Fact Sheet" with 0.14em between letters)
is extracted as single letters or read as an acronym. Such a label's
structure element gets /ActualText with the words as the source has them.
"""

from __future__ import annotations

import pikepdf

from .structtree import reachable_mcids
from .textruns import text_shows


def _normal(text: str) -> str:
    return " ".join(text.split())


def _text_boxes(box):
    """Every text box under ``box``, absolutely placed ones included."""
    stack = [box]
    while stack:
        box = stack.pop()
        if hasattr(box, "text"):
            yield box
        stack.extend(getattr(box, "children", []))
        if (placed := getattr(box, "_box", None)) is not None:  # an absolute placeholder
            stack.append(placed)


def _letter_spaced(style) -> bool:
    spacing = style["letter_spacing"]
    return spacing != "normal" and spacing >= 0.05 * style["font_size"]


def styled_labels(pages) -> dict[str, str]:
    """Text as drawn -> as written, for every widely letter-spaced or
    case-changed element of WeasyPrint's laid-out pages whose text is all
    its own."""
    found: dict[str, str] = {}
    for page in pages:
        for box in _text_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None or len(element) or not element.text:
                continue
            shown, written = _normal(box.text), _normal(element.text)
            whole = shown.casefold() == written.casefold()  # not one line of a longer text
            if shown and whole and (shown != written or _letter_spaced(box.style)):
                found.setdefault(shown, written)
    return found


def set_label_words(pdf: pikepdf.Pdf, labels: dict[str, str]) -> None:
    """/ActualText on every structure element whose text is a key of
    ``labels``, in place."""
    if not labels:
        return
    reachable = reachable_mcids(pdf)
    for page in pdf.pages:
        texts: dict[tuple[int, int], list] = {}
        for show in text_shows(page, list(pikepdf.parse_content_stream(page))):
            element = reachable.get((page.obj.objgen, show.mcid)) if show.mcid is not None else None
            if element is not None:
                texts.setdefault(element.objgen, [element, ""])[1] += show.text
        for element, text in texts.values():
            if (words := labels.get(_normal(text))) is not None:
                element.ActualText = pikepdf.String(words + " ")
