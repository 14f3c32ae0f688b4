"""Open the PDFs the build made and check what a reader, a screen reader and a
printer would: page size, text order, fonts, tags, links, bookmarks."""

from __future__ import annotations

import collections
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import zxingcpp
from fontTools.ttLib import TTFont

from pressroom.project import load
from pressroom.options import BuildOptions
from pressroom.manifest import sha256

from conftest import LAYOUTS

FONT_DIR = LAYOUTS / "shared" / "fonts"


def sample_pdfs(samples) -> list[Path]:
    return sorted((samples.output / "pdf").rglob("*.pdf"))


def source_headings(slug: str) -> list[str]:
    text = (LAYOUTS.parent / "sources" / slug / "en.md").read_text()
    return [m.group(2).strip() for m in re.finditer(r"^(#{2,3}) (.+)$", text, re.M)]


def test_every_publication_is_built_with_a_manifest(samples):
    manifest = json.loads((samples.output / "manifest.json").read_text())
    entries = {(f["slug"], f["lang"], f["layout"], f["variant"]): f for f in manifest["files"]}
    loaded = load(BuildOptions().resolved())
    expected = {(e.slug, e.lang, layout, variant) for e in loaded.library.editions for layout in e.meta.layouts
                for variant in ("screen", "print", "imposed") if variant != "imposed" or layout != "fact-sheet"}
    # The HTML and EPUB editions: one each per edition, on its first layout's entry.
    expected |= {(e.slug, e.lang, e.meta.layouts[0], variant) for e in loaded.library.editions
                 for variant in ("html", "epub")}
    assert set(entries) == expected
    layouts = {layout for *_, layout, _ in expected}
    assert layouts == {"fact-sheet", "trifold", "booklet"}, "the samples exercise every layout"
    for entry in manifest["files"]:
        data = (samples.output / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == sha256(data)
        assert f"sources/{entry['slug']}/{entry['lang']}.md" in entry["sources"]
        if entry["variant"] in ("html", "epub"):  # not PDFs; tests/test_html_edition.py, test_epub.py
            assert entry["pages"] == 1
            continue
        assert entry["pages"] == len(pikepdf.open(samples.output / entry["path"]).pages)
        name = f"{entry['slug']}.{entry['layout']}"
        assert entry["path"] == (f"pdf/{entry['lang']}/{name}.pdf" if entry["variant"] == "screen"
                                 else f"print/{entry['lang']}/{name}.{entry['variant']}.pdf")
        assert f"sources/{entry['slug']}/{entry['lang']}.md" in entry["sources"]
        assert entry["title"] and entry["number"]


def test_build_reports_no_warnings(samples):
    """WeasyPrint warnings (bad CSS, fonts it could not subset with HarfBuzz) fail the build's report."""
    assert samples.result.report.items == []


PAGE_SIZES = {"fact-sheet": [[0, 0, 612, 792]], "booklet": [[0, 0, 396, 612]],
              "trifold": [[0, 0, 265.5, 612], [0, 0, 261, 612]]}


def test_pages_have_the_layout_size(samples):
    for path in sample_pdfs(samples):
        layout = path.name.split(".")[1]
        for page in pikepdf.open(path).pages:
            assert [float(v) for v in page.mediabox] in PAGE_SIZES[layout], path.name


def test_sample_lengths_stress_the_layout(samples):
    pages = {e.slug: e.pages for e in samples.result.entries if e.layout == "fact-sheet" and e.variant == "screen"}
    assert pages["opsoclonus-myoclonus-syndrome"] == 1
    assert pages["myasthenia-gravis"] >= 3
    assert max(pages.values()) <= 4


def test_text_reads_in_source_order(samples):
    with pdfplumber.open(samples.pdf("paraneoplastic-syndromes")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        first = pdf.pages[0].extract_text()
    order = ["Neurological Health Information Office", "Paraneoplastic Syndromes",
             *source_headings("paraneoplastic-syndromes"), "National Cancer Institute (NCI)",
             "844-259-7178(Spanish)", "Learn about related topics", "Lambert-Eaton Myasthenic Syndrome",
             "Free printed copies"]
    flat = " ".join(text.split())
    position = 0
    for item in order:  # each found after the one before it
        found = flat.find(" ".join(item.split()), position)
        assert found >= 0, f"{item!r} missing or out of order"
        position = found + 1
    assert "Page 1 of 3" in first and "Publication No. 24-NS-0001" in first and "Reviewed November 2026" in first
    assert "All materials are free of charge" in flat
    assert "NHIO Publication Catalog" in flat


def test_body_type_is_readable(samples):
    """10.5-12 pt in fact sheets and booklets; narrow tri-fold panels use 9.5 pt."""
    for path in sample_pdfs(samples):
        low = 9.5 if ".trifold." in path.name else 10.5
        with pdfplumber.open(path) as pdf:
            sizes = collections.Counter(round(c["size"], 1) for page in pdf.pages for c in page.chars)
        body_size = sizes.most_common(1)[0][0]
        assert low <= body_size <= 12, (path.name, sizes.most_common(3))


def _family(font: TTFont) -> str:
    return font["name"].getDebugName(1)


def _shipped_families() -> set[str]:
    return {_family(TTFont(path)) for path in FONT_DIR.rglob("*.ttf")}


def _embedded_fonts(pdf: pikepdf.Pdf):
    seen = {}

    def visit(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            seen[font.objgen] = font
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return list(seen.values())


def test_every_font_is_a_shipped_font_and_embedded(samples):
    """Both the name in the PDF and the embedded font program itself must be
    ours: a system fallback (DejaVu and the like) fails here."""
    shipped = _shipped_families()
    assert len(shipped) >= 2
    used_names = set()
    for path in sample_pdfs(samples):
        pdf = pikepdf.open(path)
        for font in _embedded_fonts(pdf):
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            name = str(descendant.BaseFont).lstrip("/").split("+", 1)[-1]
            assert name.replace("-", "").startswith(("PublicSans", "Merriweather")), f"{path.name}: font {name}"
            descriptor = descendant.FontDescriptor
            streams = [descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            assert streams, f"{path.name}: {name} is not embedded"
            program = TTFont(io.BytesIO(streams[0].read_bytes()))
            assert _family(program) in shipped, f"{path.name}: {name} embeds {_family(program)}"
            assert "/ToUnicode" in font, name
            used_names.add(name)
    assert {"Public-Sans", "Public-Sans-Bold", "Merriweather-Bold"} <= used_names


def _struct_elements(pdf: pikepdf.Pdf):
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                stack.append(kid)


def test_screen_pdfs_are_tagged_pdf_ua(samples):
    for path in sample_pdfs(samples):
        pdf = pikepdf.open(path)
        root = pdf.Root
        assert "/StructTreeRoot" in root, path.name
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == path.parent.name  # output/pdf/<lang>/
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) and str(pdf.docinfo.Title) in {e.title for e in samples.result.entries}
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        elements = list(_struct_elements(pdf))
        figures = [e for e in elements if e.S == "/Figure"]
        assert figures, "every fact sheet has at least the QR code figure"
        for figure in figures:
            assert len(str(figure.get("/Alt", ""))) > 10, path.name
        tags = collections.Counter(str(e.S) for e in elements)
        assert tags["/H1"] == 1 and tags["/H2"] >= 2 and tags["/L"] >= 1


def test_figure_alt_text_comes_from_the_source(samples):
    pdf = pikepdf.open(samples.pdf("cerebellar-degeneration"))
    alts = [str(e.Alt) for e in _struct_elements(pdf) if e.S == "/Figure"]
    assert any(a.startswith("Side view of the brain. The cerebellum") for a in alts)
    assert any(a.startswith("QR code linking to the online version") for a in alts)


def test_struct_tree_headings_follow_the_source(samples):
    for slug in ("paraneoplastic-syndromes", "myasthenia-gravis"):
        output = subprocess.run(["pdfinfo", "-struct-text", str(samples.pdf(slug))],
                                capture_output=True, text=True, check=True).stdout
        lines = output.splitlines()
        headings = []
        for i, line in enumerate(lines):
            if re.match(r"\s*H[1-3] \(block\)", line):
                texts = []
                for follow in lines[i + 1:]:
                    if re.match(r"\s*\"", follow):
                        texts.append(follow.strip().strip('"'))
                    elif not follow.strip().startswith("Span"):
                        break
                headings.append(" ".join("".join(texts).split()))  # each line ends with its own space
        loaded = load(BuildOptions().resolved())
        edition = next(e for e in loaded.library.editions if e.slug == slug)
        expected = [edition.title, *source_headings(slug)]
        assert headings[:len(expected)] == expected


def test_bookmarks_follow_the_headings(samples):
    pdf = pikepdf.open(samples.pdf("paraneoplastic-syndromes"))
    with pdf.open_outline() as outline:
        (top,) = outline.root
        assert top.title == "Paraneoplastic Syndromes"
        titles = [child.title for child in top.children]
    h2 = [h for h in re.findall(r"^## (.+)$", (LAYOUTS.parent / "sources/paraneoplastic-syndromes/en.md").read_text(), re.M)]
    assert titles[:len(h2)] == h2


def test_links_are_clickable(samples):
    pdf = pikepdf.open(samples.pdf("paraneoplastic-syndromes"))
    uris = {str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A}
    assert "https://clinicaltrials.gov" in uris
    assert "https://www.cancer.gov/" in uris
    assert "https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/en" in uris
    assert "tel:+1-844-259-7178" in uris


def test_qr_code_is_vector_and_scans_to_the_online_address(samples):
    pdf = pikepdf.open(samples.pdf("paraneoplastic-syndromes"))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            assert obj.get("/Subtype") != "/Image", "the fact sheet holds a raster image"
    document = pdfium.PdfDocument(samples.pdf("paraneoplastic-syndromes"))
    image = document[len(document) - 1].render(scale=4).to_pil()
    codes = [(c.format.name, c.text) for c in zxingcpp.read_barcodes(image)]
    assert codes == [("QRCode", "https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/en")]


def test_build_subsets_fonts_with_harfbuzz(tmp_path):
    """Without libharfbuzz-subset0 WeasyPrint warns and falls back to fontTools
    (20x slower): a build that shows that warning fails here."""
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    result = subprocess.run(
        [sys.executable, "generate.py", "build", "paraneoplastic-syndromes", "--output", str(tmp_path)],
        capture_output=True, text=True, cwd=LAYOUTS.parent, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    for sign in ("HarfBuzz-Subset", "with fontTools", "warning:"):
        assert sign not in result.stderr
    import weasyprint.text.ffi

    assert weasyprint.text.ffi.harfbuzz_subset is not None
