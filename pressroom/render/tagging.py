"""Finishing touches to the structure tree WeasyPrint writes.

- WeasyPrint tags the document's language (/Lang on the catalog) but not a
  change of language inside it, so a screen reader would read "También
  disponible en español" with an English voice. The links to other editions
  are found by their address and their structure elements get their /Lang.
- Elements carry /ID (table header cells, named by the data cells' /Headers)
  but the root has no /IDTree to find them by: one is made.
- Link annotations' /Contents, the raw target as WeasyPrint writes it,
  becomes what the link does in words (render/links.py).
- Table header cells (TH) get a /Scope: Column in a header row group, Row
  when the cell opens a body row.
"""

from __future__ import annotations

import pikepdf

from .structtree import elements, is_element, kids


def _link_uri(element: pikepdf.Dictionary) -> str | None:
    for kid in kids(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            action = kid.Obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
                return str(action.URI)
    return None


def set_link_languages(pdf: pikepdf.Pdf, languages: dict[str, str]) -> None:
    """Set /Lang on every Link element whose address is a key of ``languages``
    (address -> language code), in place."""
    for element in elements(pdf):
        if element.get("/S") == "/Link" and (lang := languages.get(_link_uri(element) or "")):
            element.Lang = pikepdf.String(lang)


def add_id_tree(pdf: pikepdf.Pdf) -> None:
    """An /IDTree on the structure root listing every element's /ID, in place."""
    root = pdf.Root.get("/StructTreeRoot")
    ids = {bytes(e.ID): e for e in elements(pdf) if "/ID" in e}
    if root is None or not ids:
        return
    names = pikepdf.Array()
    for name in sorted(ids):
        names.append(pikepdf.String(name))
        names.append(ids[name])
    root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))


def _scope(cell: pikepdf.Dictionary) -> str:
    row = cell.get("/P")
    if isinstance(row, pikepdf.Dictionary) and row.get("/P", {}).get("/S") == "/THead":
        return "/Column"
    cells = [k for k in kids(row) if is_element(k)] if isinstance(row, pikepdf.Dictionary) else []
    return "/Row" if cells and cells[0].objgen == cell.objgen else "/Column"


def set_header_scopes(pdf: pikepdf.Pdf) -> None:
    """A Table attribute /Scope on every TH that has none, in place."""
    for cell in (e for e in elements(pdf) if e.get("/S") == "/TH"):
        attributes = cell.get("/A")
        listed = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes] if attributes else []
        table = next((a for a in listed if isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table"), None)
        if table is None:
            table = pikepdf.Dictionary(O=pikepdf.Name.Table)
            cell.A = pikepdf.Array([*listed, table]) if listed else table
        if "/Scope" not in table:
            table.Scope = pikepdf.Name(_scope(cell))


def set_link_descriptions(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> None:
    """Each Link annotation's /Contents from ``descriptions`` (its address or
    destination name -> words), in place."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            target = annot.get("/Dest") if "/Dest" in annot else action.get("/URI") if action is not None else None
            if isinstance(target, pikepdf.String) and str(target) in descriptions:
                annot.Contents = pikepdf.String(descriptions[str(target)])
