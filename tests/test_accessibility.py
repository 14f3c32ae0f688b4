"""The project's own checks of the screen PDFs, for what veraPDF's PDF/UA-1
profile does not look at (pressroom/render/accessibility.py): every sample
passes each, and each fails on a PDF broken on purpose."""

from __future__ import annotations

import io
import re
import subprocess

import pdfplumber
import pikepdf
import pytest

from pressroom.options import PROJECT_ROOT
from pressroom.render import accessibility
from pressroom.render.i18n import translations
from pressroom.render.links import describe
from pressroom.render.pdf import PdfRenderer
from pressroom.render.structtree import elements, kids, number_tree

FURNITURE = re.compile(r"^(Page|Página) \d+ (of|de) \d+$|^(Publication No\.|Publicación n\.º)")


def screen_pdfs(samples) -> list:
    pdfs = sorted((samples.output / "pdf").glob("*/*.pdf"))
    assert len(pdfs) >= 10, pdfs
    return pdfs


def test_every_sample_screen_pdf_passes_every_check(samples):
    failures = {}
    for path in screen_pdfs(samples):
        with pikepdf.open(path) as pdf:
            for name, problems in accessibility.check(pdf).items():
                if problems:
                    failures[f"{path.parent.name}/{path.name}: {name}"] = problems[:3]
    assert not failures, failures


# The page margins (top, bottom) where the layouts' margin boxes put running
# heads, footers and page numbers: layouts/*/style.css.
MARGINS = {"fact-sheet": (0.8 * 72, 0.8 * 72), "booklet": (0.65 * 72, 0.75 * 72)}


def margin_lines(path):
    """(page number, line) of each text line inside the top or bottom margin
    of a page that has margin boxes."""
    layout = path.name.split(".")[-2]
    top, bottom = MARGINS[layout]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if layout == "booklet" and page.page_number in (1, len(pdf.pages)):
                continue  # cover and back cover: no margin boxes
            for line in page.extract_text_lines(extra_attrs=["tag"]):
                in_top = line["bottom"] <= top and not (layout == "fact-sheet" and page.page_number == 1)
                if in_top or line["top"] >= page.height - bottom:
                    yield page.page_number, line


def test_running_heads_footers_and_page_numbers_are_pagination_artifacts(samples):
    found = []
    for path in screen_pdfs(samples):
        if path.name.split(".")[-2] not in MARGINS:
            continue
        for number, line in margin_lines(path):
            found.append(line["text"])
            assert {c["tag"] for c in line["chars"]} == {"Artifact"}, (path.name, number, line["text"])
    assert len(found) >= 40 and sum(bool(FURNITURE.search(text)) for text in found) >= 10, found
    with pikepdf.open(samples.pdf("stiff-person-syndrome")) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert b"/Pagination" in content and b"/Footer" in content


@pytest.fixture
def sample(samples):
    with pikepdf.open(samples.pdf("lambert-eaton-myasthenic-syndrome")) as pdf:
        assert not any(accessibility.check(pdf).values())
        yield pdf


def first(pdf, tag):
    return next(e for e in elements(pdf) if e.get("/S") == tag)


def test_content_left_out_of_the_tree_fails(sample):
    heading = first(sample, "/H1")
    parent = heading.P
    parent.K = pikepdf.Array([k for k in kids(parent) if not (isinstance(k, pikepdf.Dictionary)
                                                              and k.objgen == heading.objgen)])
    assert accessibility.unreachable_content(sample)
    assert accessibility.parent_tree_disagreements(sample)


def test_parent_tree_naming_another_element_fails(sample):
    parents = number_tree(sample.Root.StructTreeRoot.ParentTree)
    entries = parents[int(sample.pages[0].StructParents)]
    entries[0] = first(sample, "/P")
    assert accessibility.parent_tree_disagreements(sample)
    assert not accessibility.unreachable_content(sample)


@pytest.mark.parametrize("contents", ["tel:+1-800-541-5454", "related", "https://rarediseases.org/", ""])
def test_link_described_by_its_raw_target_fails(sample, contents):
    annot = next(a for page in sample.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link")
    annot.Contents = pikepdf.String(contents)
    assert accessibility.raw_link_descriptions(sample)


def test_element_id_missing_from_the_id_tree_fails(sample):
    first(sample, "/P").ID = pikepdf.String("not-listed")
    assert accessibility.missing_id_tree(sample)
    del sample.Root.StructTreeRoot["/IDTree"]
    assert accessibility.missing_id_tree(sample)


def test_header_cell_without_scope_fails(sample):
    cell = first(sample, "/TH")
    del cell["/A"]
    assert accessibility.header_cells_without_scope(sample)


def test_pdf_with_words_run_together_at_line_ends_fails(tmp_path):
    """WeasyPrint's own output, before the screen file is finished: each
    line is drawn without a space after its last word."""
    html = "<html lang=en><title>T</title><p style='width: 4em'>one two three four five six</p></html>"
    renderer = PdfRenderer([tmp_path])
    data = renderer.write(renderer.lay_out(html, tmp_path))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = accessibility.words_run_together(pdf)
    assert len(problems) >= 3, problems


def structure_text(path) -> str:
    """The text of the structure tree in its order, as pdfinfo reads it."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join("".join(re.findall(r'^\s*"(.*)"$', out, re.M)).split())


def plain_paragraphs(markdown: str) -> list[str]:
    """The source's paragraphs that are plain text (no markup, no typographic quotes to make)."""
    paragraphs = (" ".join(p.split()) for p in markdown.split("\n\n"))
    return [p for p in paragraphs if p and not re.search(r"[#*\[\]_|>`<{}:'\"]|^\d+\.|^- ", p)]


def actual_structure_text(path) -> str:
    """The structure tree's text in its order as a screen reader takes it:
    an element's /ActualText stands for everything under it (poppler's
    -struct-text does not read /ActualText)."""
    from pressroom.render.textruns import parsed, read_content

    with pikepdf.open(path) as pdf:
        shown = {}
        for page in pdf.pages:
            for show in read_content(page, parsed(page)).shows:
                if show.mcid is not None:
                    shown[(page.obj.objgen, show.mcid)] = shown.get((page.obj.objgen, show.mcid), "") + show.text
        parts, stack = [], [(pdf.Root.StructTreeRoot, None)]
        while stack:
            node, page = stack.pop()
            if isinstance(node, int):
                parts.append(shown.get((page, node), ""))
                continue
            if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/MCR":
                parts.append(shown.get((node.Pg.objgen, int(node.MCID)), ""))
                continue
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == "/OBJR":
                continue
            if "/ActualText" in node:
                parts.append(str(node.ActualText))
                continue
            own = node.Pg.objgen if "/Pg" in node else page
            stack.extend((kid, own) for kid in reversed(kids(node)))
    return " ".join("".join(parts).split())


def test_structure_text_reads_as_the_source_reads(samples):
    """Every plain paragraph of the source is in the structure text of every
    screen PDF word for word, as poppler reads it (lines joined at their
    word boundaries), and, for the tri-fold, which hyphenates, as a screen
    reader reads it (/ActualText without the added hyphens)."""
    compared = 0
    for path in screen_pdfs(samples):
        trifold = path.name.split(".")[-2] == "trifold"
        text = actual_structure_text(path) if trifold else structure_text(path)
        source = PROJECT_ROOT / "sources" / path.name.split(".")[0] / f"{path.parent.name}.md"
        for paragraph in plain_paragraphs(source.read_text(encoding="utf-8")):
            assert paragraph in text, (path.name, paragraph)
            compared += 1
    assert compared >= 40


def test_letter_spaced_labels_read_as_written(samples):
    """'FACT SHEET' is drawn letter-spaced in capitals from 'Fact Sheet':
    its element says the words as written."""
    for lang, words in (("en", "Fact Sheet "), ("es", "Hoja informativa ")):
        with pikepdf.open(samples.pdf("stiff-person-syndrome", lang=lang)) as pdf:
            actual = [str(e.ActualText) for e in elements(pdf) if "/ActualText" in e]
        assert actual == [words]


def test_links_are_described_in_the_editions_language(samples):
    for lang, expected in (("en", {"Call NORD at 203-744-0100", "Web site: rarediseases.org"}),
                           ("es", {"Llame a NORD al 203-744-0100", "Sitio web: rarediseases.org"})):
        with pikepdf.open(samples.pdf("stiff-person-syndrome", lang=lang)) as pdf:
            contents = {str(a.Contents) for page in pdf.pages for a in page.get("/Annots", [])}
        assert expected <= contents, contents
    words = translations(PROJECT_ROOT / "layouts", "es")
    assert describe("tel:+1-800-541-5454", "800-541-5454", words) == "Llame al 800-541-5454"
    assert describe("https://clinicaltrials.gov", "ClinicalTrials.gov", words) == "Sitio web: ClinicalTrials.gov"
    assert describe("treatment", "Tratamiento", words) == "Ir a la sección Tratamiento"


def test_a_list_a_table_and_a_paragraph_that_cross_page_breaks_stay_one_element_each(tree):
    """WeasyPrint makes one element per page of a split element (its issues
    2902/2903); the screen file joins them, and the repeated header row of
    the table's second part leaves the tree as an Artifact."""
    items = "\n".join(f"- Item {n}, a line of words that a reader reads in order" for n in range(60))
    rows = "\n".join(f"| Row {n} | Value {n} |" for n in range(70))
    paragraph = " ".join(["A long paragraph runs on across the page break and reads as one."] * 40)
    tree.publication(text=f"## A long list\n\n{items}\n\n## A long table\n\n| Name | Value |\n|---|---|\n{rows}\n\n"
                          f"## A long paragraph\n\n{paragraph}\n", meta=None)
    meta = (tree.sources / "sample" / "publication.yaml").read_text(encoding="utf-8")
    tree.write("sample/publication.yaml", meta.replace("layouts: [fact-sheet]", "layouts: [booklet]"))
    result = tree.run("build", "--variant", "screen", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    path = tree.output / "pdf" / "en" / "sample.booklet.pdf"
    with pikepdf.open(path) as pdf:
        found = [e for e in elements(pdf)]
        lists = [e for e in found if e.get("/S") == "/L" and len([k for k in kids(e) if "/S" in k]) >= 10]
        tables = [e for e in found if e.get("/S") == "/Table"]
        pages_of = {str(k.get("/Pg", e.get("/Pg")).objgen) for e in lists for k in kids(e) if "/S" in k}
        assert len(lists) == 1 and len(pages_of) >= 2, [len(kids(e)) for e in lists]
        assert len([k for k in kids(lists[0]) if k.get("/S") == "/LI"]) == 60
        assert len(tables) == 1
        heads = [e for e in found if e.get("/S") == "/THead"]
        rows_found = [e for e in found if e.get("/S") == "/TR" and e.P.get("/S") == "/TBody"]
        assert len(heads) == 1 and len(rows_found) == 70
        assert not any(accessibility.check(pdf).values()), accessibility.check(pdf)
    text = structure_text(path)
    assert len(re.findall(r"Name ?Value Row 0", text)) == 1 and len(re.findall(r"Name ?Value", text)) == 1  # read once
    assert paragraph[:60] in text and text.count("A long paragraph runs on") == 40
    from verapdf_harness import validate_ua1

    verdict = validate_ua1([path])[path]
    assert verdict.compliant, verdict.failed_rules
