"""The authoring loop: `new` scaffolds a publication that checks and builds;
`preview` serves it as HTML and PDF, reloads the browser when a file changes
and shows source errors in the page (Debian's Chromium via Playwright).
Screenshots go to output/test-artifacts/preview/."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import shutil

import httpx
import pdfplumber
import pytest
from playwright.sync_api import expect

from conftest import LiveServer, pdf_text
from pressroom.options import PROJECT_ROOT
from pressroom.preview import Preview, create_preview_app
from pressroom.scaffold import next_number

ARTIFACTS = PROJECT_ROOT / "output" / "test-artifacts" / "preview"


def test_new_publication_checks_and_builds(tree):
    created = tree.run("new", "vertigo", "--title", "Vertigo and Dizziness")
    assert created.returncode == 0, created.stderr
    assert created.stdout.split() == ["sources/vertigo/publication.yaml", "sources/vertigo/en.md"]
    checked = tree.run("check", "vertigo")
    assert checked.returncode == 0 and "0 error(s), 0 warning(s)" in checked.stderr, checked.stderr
    strict = tree.run("check", "vertigo", "--strict")
    assert strict.returncode == 0, strict.stderr
    built = tree.run("build", "vertigo", "--variant", "screen")
    assert built.returncode == 0, built.stderr
    text = pdf_text(tree.output / "pdf/en/vertigo.fact-sheet.pdf", page=0)
    assert "Vertigo and Dizziness" in text and "What is Vertigo and Dizziness?" in text


def test_new_spanish_publication_and_awkward_titles(tree):
    created = tree.run("new", "vertigo", "--title", "Vértigo (VPPB)", "--lang", "es")
    assert created.returncode == 0, created.stderr
    text = (tree.sources / "vertigo" / "es.md").read_text(encoding="utf-8")
    assert text.startswith("## ¿Qué es Vértigo \\(VPPB\\)?\n") and "### Síntomas" in text
    assert "Qué es Vértigo (VPPB), sus síntomas" in (tree.sources / "vertigo" / "publication.yaml").read_text()
    question = tree.run("new", "als", "--title", "What is ALS?")
    assert (tree.sources / "als" / "en.md").read_text().startswith("## What is ALS?\n")
    assert question.returncode == 0
    for slug in ("vertigo", "als"):
        assert tree.run("check", slug, "--strict").returncode == 0, slug
    built = tree.run("build", "vertigo", "--variant", "screen")
    assert built.returncode == 0, built.stderr
    page = pdf_text(tree.output / "pdf/es/vertigo.fact-sheet.pdf", page=0)
    assert "¿Qué es Vértigo (VPPB)?" in page and "Página" not in page  # one page: no page number


def test_new_refuses_bad_slugs_and_existing_folders(tree):
    tree.publication()
    existing = tree.run("new", "sample", "--title", "Again")
    assert existing.returncode == 2 and "already exists" in existing.stderr
    bad = tree.run("new", "Not A Slug", "--title", "X")
    assert bad.returncode == 2 and "is not a slug" in bad.stderr
    assert tree.run("new", "x-y", "--title", "X", "--layout", "poster").returncode == 2
    html = tree.run("new", "x-y", "--title", "Vertigo <BPPV>")
    assert html.returncode == 2 and "may not contain '<', '>'" in html.stderr
    french = tree.run("new", "x-y", "--title", "Vertige", "--lang", "fr")
    assert french.returncode == 2 and "no message catalogue for 'fr'" in french.stderr
    assert sorted(p.name for p in tree.sources.iterdir() if p.is_dir()) == ["sample"]


def test_new_numbers_follow_the_office_series(tree):
    today = dt.date(2026, 11, 24)
    assert next_number(tree.sources, today) == "26-NS-0001"
    tree.publication(meta=None)
    meta = tree.sources / "sample" / "publication.yaml"
    meta.write_text(meta.read_text().replace("24-NS-9999", "24-NS-0041"))
    assert next_number(tree.sources, today) == "24-NS-0042"
    highest = max(int(p.read_text().split("number: 24-NS-")[1][:4])
                  for p in (PROJECT_ROOT / "sources").glob("*/publication.yaml"))
    assert next_number(PROJECT_ROOT / "sources", today) == f"24-NS-{highest + 1:04d}"


@pytest.fixture
def preview_server(tree):
    tree.publication(text="## About this\n\nThe first version of the text.\n")
    preview = Preview(tree.options().resolved(), "sample", "en", None)
    with LiveServer(create_preview_app(preview)) as url:
        yield url, tree


def test_preview_serves_html_pdf_and_only_project_files(preview_server):
    url, _tree = preview_server
    page = httpx.get(url + "/")
    assert page.status_code == 200 and "Sample Publication" in page.text
    document = httpx.get(url + "/document").text
    assert '<base href="/files/layouts/fact-sheet/">' in document and "The first version of the text." in document
    assert httpx.get(url + "/files/layouts/shared/fonts.css").status_code == 200
    (_tree.sources / "sample" / "passwd.svg").symlink_to("/etc/passwd")
    host, port = url.removeprefix("http://").split(":")
    for escape in ("/files/layouts/../../../etc/passwd", "/files/sources/..%2F..%2F..%2Fetc%2Fpasswd",
                   "/files/sources/%2Fetc%2Fpasswd", "/files/etc/passwd", "/files/sources/sample/passwd.svg",
                   "/files/sources/a%00b"):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", escape)  # sent as written: no client-side clean-up of "..".
        response = connection.getresponse()
        assert response.status == 404 and b"root:" not in response.read(), escape
        connection.close()
    pdf = httpx.get(url + "/document.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "The first version of the text." in pdf_text(pdf.content, page=0)


def test_preview_reloads_on_save_and_shows_errors_in_the_page(preview_server, chromium):
    url, tree = preview_server
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    text = tree.sources / "sample" / "en.md"
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url + "/")
    document = page.frame_locator("iframe")
    expect(document.locator("main")).to_contain_text("The first version of the text.")
    page.screenshot(path=str(ARTIFACTS / "1-first.png"))

    text.write_text("## About this\n\nThe second version, saved by the author.\n", encoding="utf-8")
    expect(page.frame_locator("iframe").locator("main")).to_contain_text("The second version", timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "2-reloaded.png"))

    text.write_text("## About this\n\nA script: <script>alert(1)</script>\n", encoding="utf-8")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("sources/sample/en.md:3: error: raw HTML is not allowed", timeout=15_000)
    expect(page.locator("iframe")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "3-error.png"))

    text.write_text("## About this\n\nFixed again.\n", encoding="utf-8")
    expect(page.frame_locator("iframe").locator("main")).to_contain_text("Fixed again.", timeout=15_000)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_preview_picks_up_layout_and_catalogue_changes(tree, layouts_copy):
    layouts = layouts_copy
    # Two pages, so the page number is printed ("Página 1 de 2"; a one-page sheet has none).
    tree.bilingual(es_text="## Acerca de esto\n\n" + ("Un párrafo que sigue y sigue. " * 40 + "\n\n") * 2)
    preview = Preview(tree.options(layouts_dir=layouts).resolved(), "sample", "es", None)

    def first_page() -> str:
        return pdf_text(preview.rendering().pdf, page=0)

    assert "Página 1 de 2" in first_page() and preview.poll() is False
    catalogue = layouts / "shared/locale/es/LC_MESSAGES/messages.po"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        'msgstr "Página %(page)s de %(pages)s"', 'msgstr "Pág. %(page)s de %(pages)s"'), encoding="utf-8")
    assert preview.poll() is True and preview.version == 1
    assert "Pág. 1 de 2" in first_page()
    style = layouts / "fact-sheet" / "style.css"
    style.write_text(style.read_text() + "\n.title { color: #b50909; }\n")
    assert preview.poll() is True and preview.version == 2
    with pdfplumber.open(io.BytesIO(preview.rendering().pdf)) as pdf:
        title = [c for c in pdf.pages[0].chars if c["size"] > 20]
    assert title and all(tuple(round(v, 2) for v in c["non_stroking_color"]) == (0.71, 0.04, 0.04) for c in title)

    # A broken catalogue or template: the page still loads and says where.
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        'msgstr "Pág. %(page)s de %(pages)s"', 'msgstr "Pág. %(pagina)s de %(pages)s"'), encoding="utf-8")
    assert preview.poll() is True
    broken = preview.rendering()
    assert not broken.pdf and any("messages.po" in p and "unknown named placeholder 'pagina'" in p
                                  for p in broken.problems), broken.problems
    partial = layouts / "shared" / "back-matter.html.j2"
    lines = partial.read_text().splitlines()
    partial.write_text("\n".join(lines + ["{{ no_such_name.attribute }}"]) + "\n")
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("%(pagina)s", "%(page)s"), encoding="utf-8")
    assert preview.poll() is True
    assert any(p.endswith(f"shared/back-matter.html.j2:{len(lines) + 1}: error: template error: "
                          "'no_such_name' is undefined") for p in preview.rendering().problems), \
        preview.rendering().problems
