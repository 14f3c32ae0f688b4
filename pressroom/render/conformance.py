"""The accessibility report of one screen PDF: the machine-checkable items
of PDF/UA-1 (ISO 14289-1) and of the HHS PDF accessibility checklist, each
pass or fail, read from the finished file.

These are the project's own readings of the file. The test suite also runs
veraPDF's PDF/UA-1 profile over every sample (tests/verapdf_harness.py);
what a person must still judge (meaningful alternative text, colour
contrast of images, a logical reading order) is listed under
``needs_review`` and never reported as passed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import pikepdf

from . import accessibility
from .accessibility import Reading

BOOKMARKS_FROM_PAGES = 9  # HHS: documents of nine or more pages have bookmarks
HEADING = {f"/H{level}": level for level in range(1, 7)}
NEEDS_REVIEW = (
    "alternative text describes each figure's meaning",
    "colour is not the only way information is given, and images of text have enough contrast",
    "the reading order is the logical order of the content",
)


@dataclass(frozen=True)
class Item:
    standard: str  # "PDF/UA-1" (clause of ISO 14289-1) or "HHS" (the HHS PDF checklist)
    clause: str
    requirement: str
    test: Callable[[Reading], list[str]]


@dataclass
class Finding:
    standard: str
    clause: str
    requirement: str
    passed: bool
    problems: list[str]


def _tagged(doc: Reading) -> list[str]:
    root = doc.pdf.Root
    problems = [] if root.get("/MarkInfo", {}).get("/Marked") is True else ["/MarkInfo /Marked is not true"]
    return problems + ([] if doc.elements else ["the document has no structure tree"])


def _identified(doc: Reading) -> list[str]:
    with doc.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        part = str(meta.get("pdfuaid:part", ""))
    return [] if part == "1" else [f"XMP pdfuaid:part is {part or 'missing'}, not 1"]


def _titled(doc: Reading) -> list[str]:
    with doc.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        title = str(meta.get("dc:title", "")).strip()
    shown = doc.pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True
    return ([] if title else ["XMP dc:title is empty"]) + ([] if shown else ["DisplayDocTitle is not true"])


def _language(doc: Reading) -> list[str]:
    return [] if str(doc.pdf.Root.get("/Lang", "")).strip() else ["the catalog has no /Lang"]


def _fonts(doc: Reading) -> list[str]:
    problems = []
    for number, page in enumerate(doc.pdf.pages, 1):
        for name, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
            described = font.get("/DescendantFonts", [font])[0].get("/FontDescriptor", {})
            if not any(key in described for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"page {number}: font {name} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"page {number}: font {name} has no /ToUnicode map")
    return problems


def _figures(doc: Reading) -> list[str]:
    return [f"Figure {n} has no /Alt" for n, e in
            enumerate((e for e in doc.elements if e.get("/S") == "/Figure"), 1)
            if not str(e.get("/Alt", e.get("/ActualText", ""))).strip()]


def _headings(doc: Reading) -> list[str]:
    problems, last = [], 0
    for element in doc.elements:
        if (level := HEADING.get(str(element.get("/S")))) is None:
            continue
        if level > last + 1:
            problems.append(f"H{level} follows H{last or '(none)'}: a heading level is skipped")
        last = level
    return problems


def _lists(doc: Reading) -> list[str]:
    problems = []
    for element in doc.elements:
        kind = str(element.get("/S"))
        parent = str(element.get("/P", {}).get("/S", ""))
        if kind == "/LI" and parent != "/L":
            problems.append(f"LI inside {parent or 'nothing'}, not L")
        if kind == "/LBody" and parent != "/LI":
            problems.append(f"LBody inside {parent or 'nothing'}, not LI")
    return problems


def _annotations_in_order(doc: Reading) -> list[str]:
    return [f"page {n}: annotations but no /Tabs /S" for n, page in enumerate(doc.pdf.pages, 1)
            if page.obj.get("/Annots") and page.obj.get("/Tabs") != "/S"]


def _not_locked(doc: Reading) -> list[str]:
    return ["the file is encrypted"] if doc.pdf.is_encrypted else []


def _bookmarks(doc: Reading) -> list[str]:
    if len(doc.pdf.pages) < BOOKMARKS_FROM_PAGES:
        return []
    outlines = doc.pdf.Root.get("/Outlines")
    return [] if outlines is not None and "/First" in outlines else \
        [f"{len(doc.pdf.pages)} pages and no bookmarks"]


ITEMS: tuple[Item, ...] = (
    Item("PDF/UA-1", "5", "the file identifies itself as PDF/UA-1 in its XMP metadata", _identified),
    Item("PDF/UA-1", "7.1", "the document is tagged (MarkInfo /Marked, a structure tree)", _tagged),
    Item("PDF/UA-1", "7.1", "page furniture is Artifact and all other content is in the structure tree",
         accessibility.unreachable_content),
    Item("PDF/UA-1", "7.1", "the ParentTree and the structure tree agree", accessibility.parent_tree_disagreements),
    Item("PDF/UA-1", "7.1", "a title in the metadata, shown as the window title", _titled),
    Item("PDF/UA-1", "7.2", "the natural language is set", _language),
    Item("PDF/UA-1", "7.3", "every figure has alternative text", _figures),
    Item("PDF/UA-1", "7.4", "headings nest without skipping a level", _headings),
    Item("PDF/UA-1", "7.5", "table header cells are TH with a /Scope", accessibility.header_cells_without_scope),
    Item("PDF/UA-1", "7.6", "lists are L, LI and LBody", _lists),
    Item("PDF/UA-1", "7.16", "no encryption stands in the way of assistive technology", _not_locked),
    Item("PDF/UA-1", "7.18.3", "pages with annotations use the structure order for tabbing", _annotations_in_order),
    Item("PDF/UA-1", "7.18.5", "every link says in words what it does", accessibility.raw_link_descriptions),
    Item("PDF/UA-1", "7.21", "every font is embedded and maps to Unicode", _fonts),
    Item("PDF/UA-1", "14.7.2", "element IDs are listed in the /IDTree", accessibility.missing_id_tree),
    Item("HHS", "text", "text read in structure order keeps a word boundary at every line end",
         accessibility.words_run_together),
    Item("HHS", "bookmarks", f"documents of {BOOKMARKS_FROM_PAGES} or more pages have bookmarks", _bookmarks),
    Item("HHS", "title", "the document title is set and displayed", _titled),
    Item("HHS", "language", "the document language is set", _language),
    Item("HHS", "tagged", "the document is tagged", _tagged),
    Item("HHS", "links", "links are tagged and described", accessibility.raw_link_descriptions),
)


@dataclass
class AccessibilityReport:
    findings: list[Finding]
    needs_review: tuple[str, ...] = NEEDS_REVIEW

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed]

    def as_dict(self) -> dict:
        return {"passed": len(self.findings) - len(self.failed), "failed": len(self.failed),
                "findings": [asdict(f) for f in self.findings], "needs_review": list(self.needs_review)}


def accessibility_report(pdf: pikepdf.Pdf) -> AccessibilityReport:
    doc, findings, seen = Reading(pdf), [], {}
    for item in ITEMS:
        if item.test not in seen:  # an item both standards name is read once
            seen[item.test] = item.test(doc)
        problems = seen[item.test]
        findings.append(Finding(item.standard, item.clause, item.requirement, not problems, problems[:20]))
    return AccessibilityReport(findings)
