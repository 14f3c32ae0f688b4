"""The accessibility report of every screen PDF (render/conformance.py):
written beside each sample, recorded in the manifest, every item passed;
and each item fails on a PDF broken on purpose."""

from __future__ import annotations

import json

import pikepdf
import pytest

from pressroom.render.conformance import ITEMS, accessibility_report
from pressroom.render.structtree import elements


def test_every_sample_screen_pdf_has_a_report_in_the_manifest_with_every_item_passed(samples):
    manifest = json.loads((samples.output / "manifest.json").read_text(encoding="utf-8"))
    screens = [e for e in manifest["files"] if e["variant"] == "screen"]
    assert len(screens) >= 10
    for entry in screens:
        report = json.loads((samples.output / entry["accessibility"]).read_text(encoding="utf-8"))
        assert report["failed"] == 0 and report["passed"] == len(ITEMS), entry["path"]
        assert {f["standard"] for f in report["findings"]} == {"PDF/UA-1", "HHS"}
        assert report["needs_review"]  # what a person must still judge is said, not passed


@pytest.fixture
def booklet(samples):
    with pikepdf.open(samples.pdf("myasthenia-gravis", "booklet")) as pdf:
        assert not accessibility_report(pdf).failed
        yield pdf


def failed(pdf) -> set[str]:
    return {f.requirement for f in accessibility_report(pdf).failed}


def _drop_alt(pdf):
    for element in elements(pdf):
        if element.get("/S") == "/Figure":
            del element["/Alt"]


def _skip_heading(pdf):
    next(e for e in elements(pdf) if e.get("/S") == "/H2").S = pikepdf.Name("/H4")


def _drop_unicode(pdf):
    font = next(iter(pdf.pages[0].Resources.Font.values()))
    del font["/ToUnicode"]


def _drop_outlines(pdf):
    del pdf.Root["/Outlines"]


def _list_item_loose(pdf):
    next(e for e in elements(pdf) if e.get("/S") == "/LI").P.S = pikepdf.Name("/Div")


def _untabbed(pdf):
    page = next(p for p in pdf.pages if p.get("/Annots"))
    del page.obj["/Tabs"]


def _no_ua_identifier(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        del meta["pdfuaid:part"]


BREAKS = {
    "every figure has alternative text": _drop_alt,
    "headings nest without skipping a level": _skip_heading,
    "every font is embedded and maps to Unicode": _drop_unicode,
    "documents of 9 or more pages have bookmarks": _drop_outlines,
    "lists are L, LI and LBody": _list_item_loose,
    "pages with annotations use the structure order for tabbing": _untabbed,
    "the natural language is set": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "the document is tagged (MarkInfo /Marked, a structure tree)": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "a title in the metadata, shown as the window title": lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"),
    "the file identifies itself as PDF/UA-1 in its XMP metadata": _no_ua_identifier,
}


@pytest.mark.parametrize("requirement", sorted(BREAKS))
def test_each_item_fails_on_a_pdf_broken_on_purpose(booklet, requirement):
    BREAKS[requirement](booklet)
    assert requirement in failed(booklet)


def test_a_screen_pdf_that_fails_its_report_is_an_error_and_not_written(tree, monkeypatch):
    """The report is a gate, not a note: a failing item fails the edition."""
    from pressroom.render import conformance

    tree.publication()
    broken = conformance.Item("PDF/UA-1", "0", "a requirement no file meets", lambda doc: ["never met"])
    monkeypatch.setattr(conformance, "ITEMS", (*conformance.ITEMS, broken))
    from pressroom.build import build

    result = build(tree.options(variants=("screen",)))
    assert any("a requirement no file meets" in str(e) for e in result.report.errors), result.report.errors
    assert not (tree.output / "pdf" / "en" / "sample.fact-sheet.pdf").exists()


def test_check_reports_each_editions_accessibility_without_writing_a_file(tree):
    tree.bilingual()
    result = tree.run("check", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(result.stdout)["accessibility"]
    assert {(f["source"].split("/")[-1], f["layout"]) for f in found} == {("en.md", "fact-sheet"),
                                                                          ("es.md", "fact-sheet")}
    assert all(f["failed"] == 0 and f["passed"] == len(ITEMS) for f in found)
    assert not tree.output.exists() or not any(tree.output.rglob("*.pdf"))
    shown = tree.run("check")
    assert f"accessibility: {len(ITEMS)} of {len(ITEMS)} PDF/UA-1 and HHS checklist items pass" in shown.stdout
