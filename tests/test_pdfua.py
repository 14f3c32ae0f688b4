"""Screen PDFs against PDF/UA-1: veraPDF's validation engine finds no
failed rule in any of them, and it does find them in a PDF broken on purpose."""

from __future__ import annotations

import pikepdf

from verapdf_harness import validate_ua1


def screen_pdfs(samples) -> list:
    pdfs = sorted((samples.output / "pdf").glob("*/*.pdf"))
    assert len(pdfs) >= 10, pdfs
    return pdfs


def test_every_sample_screen_pdf_passes_pdfua1(samples):
    verdicts = validate_ua1(screen_pdfs(samples))
    failures = {str(path): v.error or v.failed_rules for path, v in verdicts.items()
                if v.error or v.failed_rules or not v.compliant}
    assert not failures, failures


def test_verapdf_finds_failed_rules_in_a_broken_pdf(samples, tmp_path):
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(samples.pdf("stiff-person-syndrome")) as pdf:
        del pdf.Root["/Lang"]  # no natural language
        del pdf.Root["/MarkInfo"]  # not declared tagged
        pdf.save(broken)
    verdict = validate_ua1([broken])[broken]
    assert not verdict.compliant
    rules = " ".join(verdict.failed_rules)
    assert "6.2-1" in rules, verdict.failed_rules  # the catalog's MarkInfo says it is tagged
    assert "7.2-" in rules, verdict.failed_rules  # natural language determined
