"""Page furniture as Artifacts in the screen PDF.

WeasyPrint tags the text of page-margin boxes (running heads, footers,
page numbers, publication number and date lines) into structure elements
that the structure tree's root does not list, so that text is neither read
nor an Artifact, and the ParentTree names elements outside the tree. Every
marked-content sequence the root does not reach is made an Artifact of
type Pagination (Header above the middle of the page, Footer below) and
its ParentTree entry is emptied.
"""

from __future__ import annotations

import pikepdf

from .pagecontent import PageContent
from .structtree import number_tree, reachable_mcids


def _artifact(page: pikepdf.Page, y: float | None) -> pikepdf.ContentStreamInstruction:
    box = [float(v) for v in page.trimbox]
    subtype = "/Header" if y is not None and y > (box[1] + box[3]) / 2 else "/Footer"
    operands = [pikepdf.Name.Artifact,
                pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name(subtype))]
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator("BDC"))


def mark_furniture(pdf: pikepdf.Pdf, pages: list[PageContent]) -> int:
    """Make unreachable marked content Artifacts; how many runs."""
    reachable = reachable_mcids(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    parents = number_tree(root.get("/ParentTree")) if root is not None else {}
    changed = 0
    for content in pages:
        page = content.page
        furniture = [run for run in content.runs if (page.obj.objgen, run.mcid) not in reachable]
        for run in furniture:
            content.replace(run.index, _artifact(page, run.y))
        content.untag({run.mcid for run in furniture})
        entries = parents.get(int(page.obj.get("/StructParents", -1)))
        for run in furniture:
            if isinstance(entries, pikepdf.Array) and run.mcid < len(entries):
                entries[run.mcid] = None
        changed += len(furniture)
    return changed
