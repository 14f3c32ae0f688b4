"""One structure element for one HTML element, however many pages it
crosses.

WeasyPrint builds the structure tree page by page, so a list, a table or a
section that crosses a page break becomes one element per page (WeasyPrint
issues 2902/2903): a screen reader announces two lists, and a table's second
part repeats its header row as new content. Here, at every page break that
the laid-out pages say splits an element (measure.continued_elements), the
last element of the page before and the first of the page after are made
one, level by level down the split: their kids joined under the first, the
second's integer MCIDs kept on their own page as marked-content references,
the ParentTree pointed at the element that now holds them. A table's repeated
header row leaves the tree (it becomes an Artifact with the rest of the page
furniture, furniture.py) and its data cells name the first part's headers.
"""

from __future__ import annotations

import pikepdf

from .structtree import is_element, kids

# The PDF structure type of each HTML element that can cross a page break.
SPLITS = {"/L": ("ul", "ol", "dl"), "/LI": ("li", "dt", "dd"), "/LBody": ("li", "dt", "dd"),
          "/Table": ("table",), "/TBody": ("tbody",), "/P": ("p",), "/Sect": ("section",), "/Div": ("div",),
          "/Part": ("main",), "/Art": ("article",), "/BlockQuote": ("blockquote",), "/TD": ("td",),
          "/TH": ("th",)}


def _page_of(element) -> tuple[int, int] | None:
    page = element.get("/Pg")
    return page.objgen if isinstance(page, pikepdf.Dictionary) else None


def _splits(element, continued: set[str]) -> bool:
    return any(tag in continued for tag in SPLITS.get(str(element.get("/S")), ()))


def _moved_kids(second: pikepdf.Dictionary, first: pikepdf.Dictionary) -> list:
    """The second part's kids, ready to live under the first: integer MCIDs
    become references that keep their page."""
    moved = []
    for kid in kids(second):
        if isinstance(kid, int):
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=second.Pg, MCID=int(kid))
        elif is_element(kid):
            kid.P = first
        elif isinstance(kid, pikepdf.Dictionary) and "/Pg" not in kid:
            kid.Pg = second.Pg
        moved.append(kid)
    return moved


def _drop_repeated_header(first, second, renamed: dict[str, str]) -> None:
    """A continued table's header row is a repeat: out of the tree, and its
    cells' IDs renamed to the first part's in ``renamed``."""
    heads = [k for k in kids(first) if is_element(k) and k.get("/S") == "/THead"]
    again = [k for k in kids(second) if is_element(k) and k.get("/S") == "/THead"]
    if not heads or not again:
        return
    first_ids = [str(c.ID) for c in _cells(heads[0]) if "/ID" in c]
    second_ids = [str(c.ID) for c in _cells(again[0]) if "/ID" in c]
    renamed.update(zip(second_ids, first_ids))
    second.K = pikepdf.Array([k for k in kids(second) if not (is_element(k) and k.objgen == again[0].objgen)])


def _cells(element):
    for kid in kids(element):
        if is_element(kid):
            if kid.get("/S") in ("/TH", "/TD"):
                yield kid
            else:
                yield from _cells(kid)


def _join(parent_kids: list, first, second, continued: set[str], merged: dict, renamed: dict) -> None:
    """Make ``second`` part of ``first``, then do the same one level down."""
    if second.get("/S") == "/Table":
        _drop_repeated_header(first, second, renamed)
    before = [k for k in kids(first) if is_element(k)]
    first.K = pikepdf.Array([*kids(first), *_moved_kids(second, first)])
    parent_kids[:] = [k for k in parent_kids if not (is_element(k) and k.objgen == second.objgen)]
    merged[second.objgen] = first
    after = [k for k in kids(first) if is_element(k)][len(before):]
    if before and after and before[-1].get("/S") == after[0].get("/S") and _splits(before[-1], continued):
        inner = list(kids(first))
        _join(inner, before[-1], after[0], continued, merged, renamed)
        first.K = pikepdf.Array(inner)


def join_split_elements(pdf: pikepdf.Pdf, continued: list[set[str]]) -> int:
    """Join the parts of every element that ``continued`` (per page break,
    the HTML tags it splits) says a break split, in place; how many joins."""
    root = pdf.Root.get("/StructTreeRoot")
    documents = [k for k in kids(root) if is_element(k)] if root is not None else []
    if len(documents) != 1 or not any(continued):
        return 0
    document, pages = documents[0], [p.obj.objgen for p in pdf.pages]
    merged, renamed = {}, {}
    ends_on: dict[tuple[int, int], tuple[int, int] | None] = {}  # element -> last page it now holds
    for index, tags in enumerate(continued[:len(pages) - 1]):
        top = [k for k in kids(document) if is_element(k)]
        on_before = [k for k in top if ends_on.get(k.objgen, _page_of(k)) == pages[index]]
        on_after = [k for k in top if _page_of(k) == pages[index + 1]]
        if on_before and on_after and on_before[-1].get("/S") == on_after[0].get("/S") \
                and _splits(on_before[-1], tags):
            first, second = on_before[-1], on_after[0]
            listed = list(kids(document))
            _join(listed, first, second, tags, merged, renamed)
            document.K = pikepdf.Array(listed)
            if second.objgen == on_after[-1].objgen:
                ends_on[first.objgen] = pages[index + 1]
    if merged:
        _point_parent_tree(root.get("/ParentTree"), merged)
        _rename_headers(document, renamed)
    return len(merged)


def _point_parent_tree(node, merged: dict) -> None:
    """Every ParentTree entry that names a joined-away part names the whole."""
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        stack.extend(node.get("/Kids", []))
        pairs = node.get("/Nums")
        for i in range(1, len(pairs) if pairs is not None else 0, 2):
            value = pairs[i]
            if isinstance(value, pikepdf.Array):
                for j, entry in enumerate(value):
                    if isinstance(entry, pikepdf.Dictionary) and entry.objgen in merged:
                        value[j] = _final(entry, merged)
            elif isinstance(value, pikepdf.Dictionary) and value.objgen in merged:
                pairs[i] = _final(value, merged)


def _final(element, merged: dict):
    while element.objgen in merged:
        element = merged[element.objgen]
    return element


def _rename_headers(document, renamed: dict[str, str]) -> None:
    if not renamed:
        return
    for cell in _cells(document):
        attributes = cell.get("/A")
        for attribute in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array([pikepdf.String(renamed.get(str(h), str(h)))
                                                   for h in attribute.Headers])
