"""One verdict: what check reports as an error fails build of the same
selection; a failing publication keeps its last good outputs, reported as
stale; command-line values are checked before any work."""

from __future__ import annotations

import json

import pytest

from pressroom.cli import main


def run(tree, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tree.root)
    try:
        code = main([*args, "--sources", str(tree.sources), "--output", str(tree.output), "--quiet"])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "internal error" not in output and "Traceback" not in output, output
    return code, output


@pytest.mark.parametrize("breakage", [b"title: {en: Sample\xff}\n", b"title: [unclosed\n"])
def test_a_broken_publication_yaml_fails_and_keeps_the_last_outputs(tree, monkeypatch, capsys, breakage):
    tree.publication()
    assert run(tree, monkeypatch, capsys, "build", "--variant", "screen")[0] == 0
    pdf = tree.output / "pdf" / "en" / "sample.fact-sheet.pdf"
    before = pdf.read_bytes()
    (tree.sources / "sample" / "publication.yaml").write_bytes(breakage)
    for args in (("build", "sample"), ("build",), ("build", "sample")):  # the same verdict every time
        code, output = run(tree, monkeypatch, capsys, *args, "--variant", "screen")
        assert code == 1, output
        assert "sources/sample/publication.yaml:" in output and ": error:" in output
        assert "output/pdf/en/sample.fact-sheet.pdf:1: warning: stale: kept from the last good build" in output
        assert pdf.read_bytes() == before
        manifest = json.loads((tree.output / "manifest.json").read_text())
        assert [f["path"] for f in manifest["files"]] == ["pdf/en/sample.fact-sheet.pdf"]
    assert run(tree, monkeypatch, capsys, "check", "sample")[0] == 1
    tree.publication()  # fixed: built again, nothing stale
    code, output = run(tree, monkeypatch, capsys, "build", "--variant", "screen")
    assert (code, "stale" in output) == (0, False)


def test_a_publication_that_makes_no_job_fails_the_build(tree, monkeypatch, capsys):
    tree.publication()
    (tree.sources / "sample" / "en.md").unlink()  # a title in en, no en.md
    for _ in range(2):
        code, output = run(tree, monkeypatch, capsys, "build", "sample")
        assert code == 1
        assert "sources/sample/publication.yaml:1: error: title in 'en' but no en.md" in output


def test_an_error_in_shared_data_fails_every_build_until_fixed(tree, monkeypatch, capsys):
    tree.publication()
    assert run(tree, monkeypatch, capsys, "build", "--variant", "screen")[0] == 0
    with (tree.sources / "organizations.yaml").open("a") as handle:
        handle.write("unused-org: {name: Unused, url: 'https://user:secret@example.org/'}\n")
    for command in (("check", "--no-layout"), ("build", "--variant", "screen"), ("build", "--variant", "screen")):
        code, output = run(tree, monkeypatch, capsys, *command)
        assert code == 1, (command, output)
        assert "unused-org.url: Value error, a web address may not hold a user name or password" in output


@pytest.mark.parametrize("args, message", [
    (("--lang", "../../x"), "unknown language(s): '../../x'"),
    (("--lang", "zz"), "unknown language(s): 'zz'; the layouts have words for en, es"),
    (("--jobs", "0"), "argument -j/--jobs: must be at least 1, not 0"),
    (("--jobs", "many"), "argument -j/--jobs: 'many' is not a whole number"),
])
def test_command_line_values_are_checked(tree, monkeypatch, capsys, args, message):
    tree.publication()
    code, output = run(tree, monkeypatch, capsys, "build", *args)
    assert code == 2 and message in output, output
    assert not tree.output.exists()


def test_sources_that_are_not_a_sources_folder(tree, monkeypatch, capsys):
    monkeypatch.chdir(tree.root)
    for command in ("build", "check"):
        code = main([command, "--sources", "/", "--output", str(tree.output), "--quiet"])
        output = capsys.readouterr().err
        assert code == 1 and "not a sources folder: it has no office.yaml" in output, output


def test_preflight_of_a_file_that_is_not_a_pdf(tree, monkeypatch, capsys):
    (tree.root / "notes.pdf").write_text("not a PDF")
    code, output = run(tree, monkeypatch, capsys, "preflight", str(tree.root / "notes.pdf"))
    assert code == 1 and "notes.pdf: file: error: not a PDF file, or a damaged one" in output


def test_a_layout_file_that_is_a_symbolic_link_is_refused(tree, monkeypatch, capsys, layouts_copy):
    outside = tree.root / "outside.css"
    outside.write_text("body { color: red }")
    style = layouts_copy / "fact-sheet" / "style.css"
    style.unlink()
    style.symlink_to(outside)
    tree.publication()
    for command in ("check", "build"):
        code, output = run(tree, monkeypatch, capsys, command, "--layouts", str(layouts_copy))
        assert code == 1 and "layouts/fact-sheet/style.css:1: layout file is a symbolic link" in output, output
