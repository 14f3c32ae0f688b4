"""The EPUB edition of every sample edition: Debian's epubcheck finds no
error and no warning, and the package carries what a reader's software
needs: language, navigation, reading order, alt text and the EPUB
Accessibility 1.1 metadata."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epub_entries(output) -> list[dict]:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in manifest["files"] if e["variant"] == "epub"]


def test_every_edition_has_an_epub(samples):
    manifest = json.loads((samples.output / "manifest.json").read_text(encoding="utf-8"))
    editions = sorted({(e["slug"], e["lang"]) for e in manifest["files"] if e["variant"] == "screen"})
    entries = epub_entries(samples.output)
    assert sorted((e["slug"], e["lang"]) for e in entries) == editions
    assert all(e["path"] == f"epub/{e['lang']}/{e['slug']}.epub" for e in entries)


def test_epubcheck_finds_no_errors_and_no_warnings(samples):
    """`make test` installs Debian's epubcheck; missing is a failure."""
    java = shutil.which("java")
    if not EPUBCHECK_JAR.is_file() or java is None:
        pytest.fail("epubcheck is missing: `make test` installs Debian's epubcheck package")
    paths = [str(samples.output / e["path"]) for e in epub_entries(samples.output)]
    assert len(paths) >= 9
    for path in paths:
        done = subprocess.run([java, "-jar", str(EPUBCHECK_JAR), path], capture_output=True, text=True, timeout=300)
        summary = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", done.stdout + done.stderr)
        assert summary and summary.groups() == ("0", "0", "0"), f"{path}:\n{done.stdout}{done.stderr}"
        assert done.returncode == 0


def test_package_language_navigation_and_accessibility_metadata(samples):
    with zipfile.ZipFile(samples.output / "epub/es/paraneoplastic-syndromes.epub") as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        package = book.read("EPUB/package.opf").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
        content = book.read("EPUB/content.xhtml").decode()
    assert "<dc:language>es</dc:language>" in package
    for prop in ("dcterms:conformsTo", "schema:accessMode", "schema:accessModeSufficient",
                 "schema:accessibilityFeature", "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert f'property="{prop}"' in package, prop
    assert "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" in package
    assert re.search(r'property="schema:accessibilitySummary">Esta publicación', package)
    assert '<itemref idref="content"/>' in package and 'properties="nav"' in package
    assert 'epub:type="toc"' in nav and '<h1>Contenido</h1>' in nav
    anchors = re.findall(r'href="content.xhtml#([^"]+)"', nav)
    assert len(anchors) > 3 and all(f'id="{a}"' in content for a in anchors)
    assert 'lang="es"' in content and 'xml:lang="es"' in content


def test_images_are_inside_with_their_alt_text(samples):
    with zipfile.ZipFile(samples.output / "epub/en/cerebellar-degeneration.epub") as book:
        names = set(book.namelist())
        package = book.read("EPUB/package.opf").decode()
        content = book.read("EPUB/content.xhtml").decode()
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', content)
    assert len(images) == 2
    for src, alt in images:
        assert f"EPUB/{src}" in names and f'href="{src}"' in package and len(alt) > 20
    assert 'schema:accessMode">visual<' in package and "alternativeText" in package
    assert "file:" not in content
