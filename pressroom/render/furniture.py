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

from .structtree import marked_runs, number_tree, reachable_mcids


def _artifact(page: pikepdf.Page, y: float | None) -> list:
    box = [float(v) for v in page.trimbox]
    subtype = "/Header" if y is not None and y > (box[1] + box[3]) / 2 else "/Footer"
    return [pikepdf.Name.Artifact,
            pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name(subtype))]


def mark_furniture(pdf: pikepdf.Pdf) -> int:
    """Make unreachable marked content Artifacts, in place; how many runs."""
    reachable = reachable_mcids(pdf)
    root = pdf.Root.get("/StructTreeRoot")
    parents = number_tree(root.get("/ParentTree")) if root is not None else {}
    changed = 0
    for page in pdf.pages:
        instructions = list(pikepdf.parse_content_stream(page))
        furniture = [run for run in marked_runs(page, instructions)
                     if (page.obj.objgen, run.mcid) not in reachable]
        if not furniture:
            continue
        for run in furniture:
            instructions[run.index] = pikepdf.ContentStreamInstruction(
                _artifact(page, run.y), pikepdf.Operator("BDC"))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        entries = parents.get(int(page.obj.get("/StructParents", -1)))
        for run in furniture:
            if isinstance(entries, pikepdf.Array) and run.mcid < len(entries):
                entries[run.mcid] = None
        changed += len(furniture)
    return changed
