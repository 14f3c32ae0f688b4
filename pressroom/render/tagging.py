"""Finishing touches to the structure tree WeasyPrint writes.

WeasyPrint tags the document's language (/Lang on the catalog) but not a
change of language inside it, so a screen reader would read "También
disponible en español" with an English voice. The links to other editions
are found by their address and their structure elements get their /Lang.
"""

from __future__ import annotations

import pikepdf


def _children(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids] if kids is not None else []


def _link_uri(element: pikepdf.Dictionary) -> str | None:
    for kid in _children(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            action = kid.Obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
                return str(action.URI)
    return None


def set_link_languages(pdf: pikepdf.Pdf, languages: dict[str, str]) -> None:
    """Set /Lang on every Link element whose address is a key of ``languages``
    (address -> language code), in place."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = [root] if root is not None else []
    while stack:
        element = stack.pop()
        if element.get("/S") == "/Link" and (lang := languages.get(_link_uri(element) or "")):
            element.Lang = pikepdf.String(lang)
        stack.extend(k for k in _children(element) if isinstance(k, pikepdf.Dictionary) and "/S" in k)
