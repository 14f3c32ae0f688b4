"""Incremental, parallel, reproducible builds: the cache key changes when an
input changes and only then; two builds give the same bytes; a failing
publication leaves the others built."""

from __future__ import annotations

import json
import shutil

import pytest

from pressroom.build import build
from pressroom.incremental import STATE_NAME, BuildState
from pressroom.manifest import sha256

TWO_LAYOUTS = """\
title: {{en: {title}}}
summary: {{en: A sample used by the tests.}}
number: 24-NS-9999
reviewed: 2026-11-01
audience: [patients]
topics: [{topic}]
layouts: [{layouts}]
contacts: [{contact}]
related: [{related}]
"""


@pytest.fixture
def catalog(tree, layouts_copy):
    """Three small publications: alpha (fact sheet + booklet, cites NCI),
    beta (fact sheet, cites NORD, links to alpha), gamma (fact sheet, NORD)."""
    layouts = layouts_copy
    for slug, contact, extra, related in (("alpha", "nci", ", booklet", ""), ("beta", "nord", "", "alpha"),
                                          ("gamma", "nord", "", "")):
        tree.publication(slug, meta=TWO_LAYOUTS.format(title=slug.title(), topic="cancer", contact=contact,
                                                       layouts="fact-sheet" + extra, related=related))
    tree.layouts = layouts
    return tree


def run(tree, **options):
    options.setdefault("jobs", 1)
    return build(tree.options(layouts_dir=tree.layouts, variants=("screen",), **options))


def test_unchanged_sources_render_nothing(catalog):
    first = run(catalog)
    assert (first.built, first.skipped) == (4, 0)
    second = run(catalog)
    assert (second.built, second.skipped, second.failed) == (0, 4, 0)
    (catalog.sources / "alpha" / "en.md").touch()  # a new time but the same bytes
    assert run(catalog).built == 0


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.write("alpha/en.md", "## About alpha\n\nChanged text.\n"), {"alpha/en/fact-sheet", "alpha/en/booklet"}),
    (lambda t: (t.layouts / "booklet" / "style.css").write_text(
        (t.layouts / "booklet" / "style.css").read_text() + "\n/* changed */\n"), {"alpha/en/booklet"}),
    (lambda t: (t.layouts / "shared" / "content.css").write_text(
        (t.layouts / "shared" / "content.css").read_text() + "\n/* changed */\n"),
     {"alpha/en/fact-sheet", "alpha/en/booklet", "beta/en/fact-sheet", "gamma/en/fact-sheet"}),
    (lambda t: t.write("organizations.yaml", (t.sources / "organizations.yaml").read_text().replace(
        "800-999-6673", "800-999-6674")), {"beta/en/fact-sheet", "gamma/en/fact-sheet"}),
    (lambda t: t.write("organizations.yaml", (t.sources / "organizations.yaml").read_text().replace(
        "800-541-5454", "800-541-5455")), set()),  # an organization nobody cites
    (lambda t: t.write("alpha/publication.yaml", (t.sources / "alpha" / "publication.yaml").read_text().replace(
        "{en: Alpha}", "{en: Alpha Renamed}")), {"alpha/en/fact-sheet", "alpha/en/booklet", "beta/en/fact-sheet"}),
    (lambda t: t.write("office.yaml", (t.sources / "office.yaml").read_text().replace(
        "Rockville", "Bethesda")), {"alpha/en/fact-sheet", "alpha/en/booklet", "beta/en/fact-sheet",
                                    "gamma/en/fact-sheet"}),
])
def test_each_kind_of_input_rebuilds_only_what_uses_it(catalog, change, expected):
    run(catalog)
    change(catalog)
    result = run(catalog)
    assert not result.report.errors
    assert set(map(str, result.built_jobs)) == expected
    assert result.skipped == 4 - len(expected)


def test_a_partial_build_does_not_hide_changes_from_the_next_full_one(catalog):
    run(catalog)
    catalog.write("alpha/publication.yaml", (catalog.sources / "alpha" / "publication.yaml").read_text().replace(
        "title: {en: Alpha}", "title: {en: Alpha, es: Alfa}").replace(
        "summary: {en: A sample used by the tests.}", "summary: {en: A sample used by the tests., es: Una muestra.}"))
    catalog.write("alpha/es.md", "## Acerca de\n\nTexto.\n")
    assert set(map(str, run(catalog, langs=("es",)).built_jobs)) == {"alpha/es/fact-sheet", "alpha/es/booklet"}
    # The English editions now link to the Spanish one: the full build must redo them.
    assert set(map(str, run(catalog).built_jobs)) == {"alpha/en/fact-sheet", "alpha/en/booklet", "beta/en/fact-sheet"}
    assert run(catalog).built == 0


def test_force_rebuilds_everything(catalog):
    run(catalog)
    assert run(catalog, force=True).built == 4


def test_deleted_sources_remove_their_outputs(catalog):
    run(catalog)
    assert (catalog.output / "pdf/en/gamma.fact-sheet.pdf").is_file()
    shutil.rmtree(catalog.sources / "gamma")
    result = run(catalog)
    assert result.built == 0
    assert not (catalog.output / "pdf/en/gamma.fact-sheet.pdf").exists()
    assert not (catalog.output / "thumbs/en/gamma.fact-sheet.png").exists()
    manifest = json.loads((catalog.output / "manifest.json").read_text())
    assert {f["slug"] for f in manifest["files"]} == {"alpha", "beta"}
    assert set(manifest["publications"]) == {"alpha", "beta"}
    assert "gamma/en/fact-sheet" not in BuildState.read(catalog.output).jobs


def test_a_deleted_output_file_is_rebuilt(catalog):
    run(catalog)
    (catalog.output / "pdf/en/beta.fact-sheet.pdf").unlink()
    assert set(map(str, run(catalog).built_jobs)) == {"beta/en/fact-sheet"}


def _hashes(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != STATE_NAME}


def test_two_builds_give_identical_bytes(catalog, tmp_path):
    """Every variant: screen, print (PDF/X) and imposed, plus thumbnails and the manifest."""
    first = build(catalog.options(layouts_dir=catalog.layouts, output_dir=tmp_path / "one", jobs=2))
    second = build(catalog.options(layouts_dir=catalog.layouts, output_dir=tmp_path / "two", jobs=1))
    assert not first.report.errors and not second.report.errors
    one, two = _hashes(tmp_path / "one"), _hashes(tmp_path / "two")
    assert len(one) > 10 and one == two


def test_a_failing_publication_leaves_the_others_built(catalog):
    catalog.write("beta/en.md", "## Long\n\n" + ("A paragraph of text that goes on. " * 60 + "\n\n") * 14)
    result = catalog.run("build", "--layouts", str(catalog.layouts), "--jobs", "2", "--variant", "screen")
    assert result.returncode == 1
    assert "sources/beta/en.md:1: error: the text overflows the fact-sheet layout" in result.stderr
    assert "4 built" not in result.stderr and "3 built, 0 unchanged, 1 failed" in result.stderr
    for name in ("alpha.fact-sheet.pdf", "alpha.booklet.pdf", "gamma.fact-sheet.pdf"):
        assert (catalog.output / "pdf/en" / name).is_file()
    # The failure is not cached: the next build tries beta again.
    again = catalog.run("build", "--layouts", str(catalog.layouts), "--variant", "screen")
    assert again.returncode == 1 and "0 built, 3 unchanged, 1 failed" in again.stderr


def test_plain_progress_lines_when_not_a_terminal(catalog):
    result = catalog.run("build", "--layouts", str(catalog.layouts), "--jobs", "1", "--variant", "screen")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "building 4 job(s), 0 unchanged"
    assert lines[1].startswith("[1/4] built ") and lines[4].startswith("[4/4] built ")
    assert lines[-1].startswith("4 built, 0 unchanged, 0 failed; ")


def test_a_fallback_built_in_its_own_right_is_not_a_failure(tree):
    """A tri-fold that overflows into a booklet the publication lists anyway
    writes nothing for the tri-fold: that job is done, not failed, so the next
    build renders nothing; and the tri-fold files of an earlier build that did
    fit are removed."""
    meta = TWO_LAYOUTS.format(title="Sample", topic="cancer", contact="nci", layouts="trifold, booklet",
                              related="") + "fallback: {trifold: booklet}\n"
    tree.publication(meta=meta)
    options = dict(variants=("screen",), jobs=1)
    first = build(tree.options(**options))
    assert (first.built, first.failed) == (2, 0)
    assert (tree.output / "pdf/en/sample.trifold.pdf").is_file()

    tree.write("sample/en.md", "## Long\n\n" + ("A paragraph of text that goes on. " * 40 + "\n\n") * 8)
    second = build(tree.options(**options))
    assert (second.built, second.failed) == (2, 0), second.report.items
    assert any("built in the 'booklet' layout instead" in d.message for d in second.report.warnings)
    assert not (tree.output / "pdf/en/sample.trifold.pdf").exists()
    assert (tree.output / "pdf/en/sample.booklet.pdf").is_file()
    listed = {f["path"] for f in json.loads((tree.output / "manifest.json").read_text())["files"]}
    assert "pdf/en/sample.trifold.pdf" not in listed and "pdf/en/sample.booklet.pdf" in listed

    third = build(tree.options(**options))
    assert (third.built, third.skipped, third.failed) == (0, 2, 0)


def test_stray_markdown_files_are_not_editions(tree):
    """Only <lang>.md files are texts: notes.md makes no job (the loader
    reports it when the publication is built)."""
    tree.publication()
    tree.write("sample/notes.md", "Some notes.\n")
    first = build(tree.options(variants=("screen",), jobs=1))
    assert list(map(str, first.built_jobs)) == ["sample/en/fact-sheet"]
    assert any("text files are named by language code" in d.message for d in first.report.errors)
    second = build(tree.options(variants=("screen",), jobs=1))
    assert (second.built, second.skipped, second.failed) == (0, 1, 0)
