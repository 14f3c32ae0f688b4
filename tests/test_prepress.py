"""Print geometry measured on the files the build made: boxes, bleed, marks,
panel boundaries and folds, imposition order, booklet padding."""

from __future__ import annotations

import io
import json
import re

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdf_factory import IN, pdf_pages
from pressroom.manifest import sha256
from pressroom.prepress.impose import impose_booklet, saddle_stitch_order

BLEED, SLUG = 9.0, 36.0
OUTSIDE_FOLDS = [3.625 * IN, 7.3125 * IN]  # from the left trim edge: panels 5 | 6 | 1
INSIDE_FOLDS = [3.6875 * IN, 7.375 * IN]  # panels 2 | 3 | 4


def boxes(page: pikepdf.Page) -> dict[str, list[float]]:
    return {k: [float(v) for v in page.obj[k]] for k in ("/MediaBox", "/TrimBox", "/BleedBox")}


# --- imposition order ---------------------------------------------------------


def test_eight_pages_impose_as_the_design_says():
    assert saddle_stitch_order(8) == [8, 1, 2, 7, 6, 3, 4, 5]


@given(st.integers(min_value=1, max_value=16))
def test_saddle_stitch_order_for_4_to_64_pages(sheets):
    pages = sheets * 4
    order = saddle_stitch_order(pages)
    assert sorted(order) == list(range(1, pages + 1))
    for k in range(1, sheets + 1):
        front, back = order[4 * (k - 1):4 * (k - 1) + 2], order[4 * (k - 1) + 2:4 * k]
        assert front == [pages - 2 * k + 2, 2 * k - 1]
        assert back == [2 * k, pages - 2 * k + 1]
        # Facing pages on a sheet side always add up to n + 1 (they are opposite in the booklet).
        assert sum(front) == sum(back) == pages + 1


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=1, max_value=16))
def test_imposed_sheets_hold_the_right_pages(sheets):
    """Impose a PDF whose pages show their numbers, then read each half back."""
    pages = sheets * 4
    imposed = impose_booklet(pdf_pages(pages, bleed=False))
    found = []
    with pdfplumber.open(io.BytesIO(imposed)) as pdf:
        assert len(pdf.pages) == pages // 2
        for page in pdf.pages:
            assert (page.width, page.height) == (11 * IN, 8.5 * IN)
            for half in (page.crop((0, 0, 5.5 * IN, 8.5 * IN)), page.crop((5.5 * IN, 0, 11 * IN, 8.5 * IN))):
                found.append(int(re.search(r"P(\d+)", half.extract_text()).group(1)))
    assert found == saddle_stitch_order(pages)


def test_page_counts_that_cannot_be_stitched_are_refused():
    with pytest.raises(ValueError, match="multiple of 4 pages, not 10"):
        saddle_stitch_order(10)


# --- print boxes, bleed, marks -------------------------------------------------


def test_print_files_have_trim_bleed_and_marks_outside_the_bleed(samples):
    for path in sorted((samples.output / "print").rglob("*.print.pdf")):
        pdf = pikepdf.open(path)
        for page in pdf.pages:
            b = boxes(page)
            trim = b["/TrimBox"]
            assert b["/BleedBox"] == [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED], path.name
            assert b["/MediaBox"] == [trim[0] - SLUG, trim[1] - SLUG, trim[2] + SLUG, trim[3] + SLUG], path.name
        with pdfplumber.open(path) as plumber:
            for page, pike_page in zip(plumber.pages, pdf.pages):
                bleed = boxes(pike_page)["/BleedBox"]
                media_top = boxes(pike_page)["/MediaBox"][3]
                marks = [line for line in page.lines if line["stroking_color"] == (1, 1, 1, 1)]
                assert len(marks) >= 8, f"{path.name}: crop marks missing"
                for line in marks:  # every mark lies outside the bleed box (PDF coordinates)
                    x0, x1 = line["x0"], line["x1"]
                    y0 = page.bbox[1] + media_top - line["bottom"]
                    y1 = page.bbox[1] + media_top - line["top"]
                    outside = (x1 <= bleed[0] + 0.01 or x0 >= bleed[2] - 0.01
                               or y1 <= bleed[1] + 0.01 or y0 >= bleed[3] - 0.01)
                    assert outside, (path.name, x0, y0, y1)


def test_print_files_are_pdf_x4_with_cmyk_output_intent(samples):
    for path in sorted((samples.output / "print").rglob("*.print.pdf")):
        pdf = pikepdf.open(path)
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"


@pytest.mark.parametrize("name, where", [
    ("myasthenia-gravis.booklet.print.pdf", "left"),  # cover background
    ("paraneoplastic-syndromes.fact-sheet.print.pdf", "top"),  # masthead band
])
def test_backgrounds_run_into_the_bleed(samples, name, where):
    document = pdfium.PdfDocument(samples.output / "print/en" / name)
    image = document[0].render(scale=1).to_pil().convert("RGB")
    x, y = (SLUG - BLEED / 2, image.height / 2) if where == "left" else (image.width / 2, SLUG - BLEED / 2)
    r, g, b = image.getpixel((int(x), int(y)))
    assert r < 80 and g < 90 and b < 130, (r, g, b)  # dark navy, not paper white
    # Beyond the bleed (the slug area) the paper stays white.
    outer = (int(SLUG / 3), int(y)) if where == "left" else (int(x), int(SLUG / 3))
    assert image.getpixel(outer) == (255, 255, 255)


# --- tri-fold geometry -----------------------------------------------------------


def _words_by_text(page) -> dict[str, dict]:
    return {w["text"]: w for w in page.extract_words()}


def test_trifold_panels_sit_where_the_design_says(samples):
    path = samples.output / "print/en/paraneoplastic-syndromes.trifold.print.pdf"
    with pdfplumber.open(path) as pdf:
        outside, inside = pdf.pages
        assert len(pdf.pages) == 2
        for page in (outside, inside):
            trim = [float(v) for v in page.page_obj.attrs["TrimBox"]]
            assert trim == [0, 0, 11 * IN, 8.5 * IN]

        def panel_of(x: float, folds: list[float]) -> int:
            return sum(x > f for f in folds)

        words = outside.extract_words(extra_attrs=["size"])
        cover_title = [w for w in words if w["size"] > 18]
        assert cover_title and all(panel_of(w["x0"], OUTSIDE_FOLDS) == 2 for w in cover_title)  # panel 1, right
        contacts = next(w for w in words if w["text"] == "Where")
        assert panel_of(contacts["x0"], OUTSIDE_FOLDS) == 1  # back cover, middle
        notes = next(w for w in words if w["text"] == "Notes")
        assert panel_of(notes["x0"], OUTSIDE_FOLDS) == 0  # fold-in flap, left
        first_heading = next(w for w in inside.extract_words() if w["text"] == "What")
        assert panel_of(first_heading["x0"], INSIDE_FOLDS) == 0  # panel 2 opens the inside


def test_trifold_fold_marks_are_at_the_folds(samples):
    path = samples.output / "print/en/paraneoplastic-syndromes.trifold.print.pdf"
    with pdfplumber.open(path) as pdf:
        for page, folds in zip(pdf.pages, (OUTSIDE_FOLDS, INSIDE_FOLDS)):
            dashed = {round(line["x0"], 2) for line in page.lines
                      if line["x0"] == line["x1"] and line.get("dash") and line["dash"][0]}
            assert dashed == {round(f, 2) for f in folds}


def test_trifold_screen_panels_have_the_narrow_fold_in(samples):
    pdf = pikepdf.open(samples.pdf("paraneoplastic-syndromes", "trifold"))
    widths = [round(float(p.mediabox[2]) / IN, 4) for p in pdf.pages]
    assert widths == [3.6875, 3.6875, 3.6875, 3.625, 3.625, 3.6875]
    imposed = pikepdf.open(samples.output / "print/en/paraneoplastic-syndromes.trifold.imposed.pdf")
    assert [[float(v) for v in p.mediabox] for p in imposed.pages] == [[0, 0, 792, 612]] * 2


# --- booklets ---------------------------------------------------------------------


def test_booklets_are_padded_with_notes_pages_to_a_multiple_of_four(samples):
    for slug in ("myasthenia-gravis", "cerebellar-degeneration"):
        with pdfplumber.open(samples.pdf(slug, "booklet")) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
        assert len(texts) % 4 == 0
        notes = [i for i, t in enumerate(texts) if t.splitlines()[1:2] == ["Notes"]]
        body_end = max(i for i, t in enumerate(texts) if i not in notes and i != len(texts) - 1)
        assert all(i > body_end for i in notes), "notes pages come after the text, before the back cover"
        assert "Published by" in texts[-1]


def test_booklet_contents_page_numbers_are_right(samples):
    with pdfplumber.open(samples.pdf("myasthenia-gravis", "booklet")) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    entries = re.findall(r"^(.+?)[ .]*\s(\d+)$", texts[1], re.M)
    assert len(entries) >= 8
    for heading, number in entries:
        heading = heading.rstrip(" .")
        page = texts[int(number) - 1]
        assert heading in " ".join(page.split()), (heading, number)


def test_print_run_job_ticket(tmp_path, samples):
    import datetime as dt

    from pressroom.options import BuildOptions
    from pressroom.print_run import order_print_run

    day = dt.date(2026, 9, 14)
    ticket, files = order_print_run(BuildOptions(output_dir=tmp_path, quiet=True), "myasthenia-gravis",
                                    "booklet", 5000, today=day)
    folder = tmp_path / "jobs/myasthenia-gravis.booklet.en/20260914-01"
    data = json.loads((folder / "ticket.json").read_text())
    print_file = tmp_path / "print/en/myasthenia-gravis.booklet.print.pdf"
    assert data["quantity"] == 5000 and data["layout"] == "booklet" and data["trim_size"] == "5.5 x 8.5 in"
    assert data["pages"] == len(pikepdf.open(print_file).pages) == 12
    assert data["file"] == print_file.name and data["preflight"] == "passed"
    assert data["file_sha256"] == sha256(print_file.read_bytes())
    assert "saddle-stitched" in data["finishing"] and "gloss" in data["paper"]
    assert ticket.ticket == data["ticket"] == "JT-24-NS-0004-en-booklet-20260914-01"
    assert len(files) == 2 + 12 and files[1] == folder / "ticket.pdf"
    assert data["deliver_to"][0] == "Neurological Health Information Office"
    assert len(data["proofs"]) == 12
    with pdfplumber.open(folder / "ticket.pdf") as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "5,000 copies" in text and data["file_sha256"] in text and "Rockville, MD 20852" in text

    # A second run the same day gets its own ticket; the first is kept as it was.
    first = (folder / "ticket.json").read_bytes()
    again, _ = order_print_run(BuildOptions(output_dir=tmp_path, quiet=True), "myasthenia-gravis",
                               "booklet", 300, today=day)
    assert again.ticket == "JT-24-NS-0004-en-booklet-20260914-02"
    assert (folder / "ticket.json").read_bytes() == first
    second = json.loads((folder.parent / "20260914-02/ticket.json").read_text())
    assert second["quantity"] == 300


def test_a_job_ticket_is_never_overwritten(tmp_path):
    import datetime as dt

    from pressroom.prepress.jobticket import write_ticket
    from pressroom.manifest import write_new
    from pressroom.prepress.ticket_folders import claim_run_folder

    day = dt.date(2026, 9, 14)
    base = tmp_path / "jobs/x.booklet.en"
    (base / "20260914-03").mkdir(parents=True)  # an older run; numbering goes on after it
    folder, run = claim_run_folder(base, day)
    assert (folder.name, run) == ("20260914-04", 4)
    write_new(folder / "ticket.json", b"{}")
    with pytest.raises(FileExistsError):
        write_new(folder / "ticket.json", b"changed")
    assert (folder / "ticket.json").read_bytes() == b"{}"
    with pytest.raises(FileExistsError, match="already there"):
        write_ticket(None, b"", folder)


def test_print_and_imposed_files_have_no_stray_font_references(samples, tmp_path):
    """The marks and fold ticks are drawn with ReportLab, which selects a font
    on every page; nothing may refer to a font the page does not have (poppler
    reports "Unknown font tag", and a RIP may stop)."""
    import subprocess

    files = sorted((samples.output / "print").rglob("*.pdf"))
    assert len(files) >= 20
    for path in files:
        result = subprocess.run(["pdftoppm", "-r", "10", "-png", str(path), str(tmp_path / "p")],
                                capture_output=True, text=True, check=True)
        assert result.stderr == "", (path.name, result.stderr)
