"""Checks of a tagged screen PDF for what the PDF/UA-1 validator (veraPDF)
does not look at: each returns problems in words, empty when it passes.

- every marked-content id on every page belongs to an element reachable
  from the structure tree's root, and the ParentTree says the same;
- every Link annotation's /Contents says in words what it does, not its raw
  target;
- the root has an /IDTree when elements carry /ID, listing each of them;
- every TH cell has a /Scope;
- every line of tagged text ends with a word boundary (a space, a hyphen or
  dash, or /ActualText saying so), so text read in structure order does not
  run words together across line ends.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable, Iterator

import pikepdf

from .structtree import element_mcids, elements, number_tree, reachable_mcids, tree_leaves
from .textruns import MarkedRun, PageText, parsed, read_content, unbounded

RAW_TARGET = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|www\.)|^[\w.-]+$", re.IGNORECASE)


class Reading:
    """A finished PDF read once for every check: each page's content stream
    parsed and walked once, the structure tree walked once."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf

    @cached_property
    def texts(self) -> list[PageText]:
        return [read_content(page, parsed(page)) for page in self.pdf.pages]

    @cached_property
    def elements(self) -> list[pikepdf.Dictionary]:
        return list(elements(self.pdf))

    @cached_property
    def reachable(self) -> dict:
        return reachable_mcids(self.pdf)

    def runs(self) -> Iterator[tuple[int, pikepdf.Page, MarkedRun]]:
        """(page number from 1, page, run) for every MCID marked on every page."""
        for number, (page, text) in enumerate(zip(self.pdf.pages, self.texts), 1):
            for run in text.runs:
                yield number, page, run


def reading(doc: Reading | pikepdf.Pdf) -> Reading:
    return doc if isinstance(doc, Reading) else Reading(doc)


def unreachable_content(doc: Reading | pikepdf.Pdf) -> list[str]:
    """Marked content the structure tree's root does not reach."""
    doc = reading(doc)
    return [f"page {number}: marked content {run.mcid} ({run.tag}, {run.text_ops} text runs) "
            f"is in no structure element reachable from the root"
            for number, page, run in doc.runs() if (page.obj.objgen, run.mcid) not in doc.reachable]


def parent_tree_disagreements(doc: Reading | pikepdf.Pdf) -> list[str]:
    """Where the ParentTree and the elements' /K differ about who holds an MCID."""
    doc = reading(doc)
    pdf, reachable = doc.pdf, doc.reachable
    root = pdf.Root.get("/StructTreeRoot")
    parents = number_tree(root.get("/ParentTree")) if root is not None else {}
    problems = []
    for number, page, run in doc.runs():
        key = page.obj.get("/StructParents")
        entries = parents.get(int(key)) if key is not None else None
        listed = entries[run.mcid] if isinstance(entries, pikepdf.Array) and run.mcid < len(entries) else None
        holder = reachable.get((page.obj.objgen, run.mcid))
        if not isinstance(listed, pikepdf.Dictionary) or holder is None or listed.objgen != holder.objgen:
            problems.append(f"page {number}: the ParentTree and the structure tree disagree "
                            f"about marked content {run.mcid}")
    pages = {page.obj.objgen for page in pdf.pages}
    problems += [f"element {element.get('/S')} lists marked content {mcid} of no page"
                 for element in doc.elements for page, mcid in element_mcids(element) if page not in pages]
    return problems


def raw_link_descriptions(doc: Reading | pikepdf.Pdf) -> list[str]:
    """Link annotations without /Contents, or whose /Contents is a raw target."""
    problems = []
    for number, page in enumerate(reading(doc).pdf.pages, 1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            contents = str(annot.get("/Contents", "")).strip()
            if not contents or " " not in contents or RAW_TARGET.match(contents):
                problems.append(f"page {number}: link described as {contents!r}, not in words")
    return problems


def missing_id_tree(doc: Reading | pikepdf.Pdf) -> list[str]:
    """Elements with /ID that the root's /IDTree does not list."""
    doc = reading(doc)
    root = doc.pdf.Root.get("/StructTreeRoot")
    ids = {str(e.ID): e for e in doc.elements if "/ID" in e}
    if not ids:
        return []
    tree = root.get("/IDTree")
    listed = _name_tree(tree) if tree is not None else {}
    return [f"element {element.get('/S')} with /ID {name!r} is not in the /IDTree"
            for name, element in ids.items()
            if not isinstance(listed.get(name), pikepdf.Dictionary) or listed[name].objgen != element.objgen]


def _name_tree(node) -> dict[str, object]:
    return {str(key): value for key, value in tree_leaves(node, "/Names")}


def header_cells_without_scope(doc: Reading | pikepdf.Pdf) -> list[str]:
    """TH elements with no Table attribute /Scope."""
    return [f"TH cell {n} has no /Scope" for n, element in
            enumerate((e for e in reading(doc).elements if e.get("/S") == "/TH"), 1) if table_scope(element) is None]


def table_scope(element: pikepdf.Dictionary) -> str | None:
    attributes = element.get("/A")
    for attribute in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(attribute, pikepdf.Dictionary) and attribute.get("/O") == "/Table" and "/Scope" in attribute:
            return str(attribute.Scope)
    return None


def words_run_together(doc: Reading | pikepdf.Pdf) -> list[str]:
    """Line ends of tagged text with no word boundary."""
    return [f"page {number}: line ending {end.text[-30:]!r} has no word boundary after it"
            for number, text in enumerate(reading(doc).texts, 1) for end in unbounded(text.shows)]


CHECKS: dict[str, Callable[[Reading | pikepdf.Pdf], list[str]]] = {
    "content reachable from the structure root": unreachable_content,
    "ParentTree agrees with the structure tree": parent_tree_disagreements,
    "link descriptions in words": raw_link_descriptions,
    "IDTree lists every element /ID": missing_id_tree,
    "table header cells have /Scope": header_cells_without_scope,
    "a word boundary at every line end": words_run_together,
}


def check(doc: Reading | pikepdf.Pdf) -> dict[str, list[str]]:
    """Each check's name -> its problems (empty: passed)."""
    doc = reading(doc)
    return {name: run(doc) for name, run in CHECKS.items()}
