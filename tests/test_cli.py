"""generate.py as users run it: commands, selections, exit codes, messages."""

from __future__ import annotations

import json

from conftest import MINIMAL_TEXT


def test_build_all_then_list_and_check(tree):
    tree.publication("alpha")
    tree.publication("beta")
    result = tree.run("build")
    assert result.returncode == 0, result.stderr
    assert "built pdf/en/alpha.fact-sheet.pdf (1 page)" in result.stderr
    assert sorted(p.name for p in (tree.output / "pdf" / "en").iterdir()) == [
        "alpha.fact-sheet.pdf", "beta.fact-sheet.pdf"]
    listed = tree.run("list")
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["alpha", "beta"]
    checked = tree.run("check")
    assert (checked.returncode, checked.stderr.strip()) == (0, "0 error(s), 0 warning(s)")


def test_no_command_means_build_everything(tree):
    tree.publication()
    result = tree.run()
    assert result.returncode == 0, result.stderr
    assert (tree.output / "pdf/en/sample.fact-sheet.pdf").is_file()


def test_build_selected_publications_languages_and_layouts(tree):
    tree.publication("alpha")
    tree.publication("beta")
    result = tree.run("build", "beta", "--lang", "en", "--layout", "fact-sheet", "--quiet")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tree.output / "pdf/en").iterdir()] == ["beta.fact-sheet.pdf"]
    assert "built" not in result.stderr  # --quiet
    manifest = json.loads((tree.output / "manifest.json").read_text())
    assert [f["slug"] for f in manifest["files"]] == ["beta"]
    # A later build of another publication keeps beta in the manifest.
    assert tree.run("build", "alpha").returncode == 0
    manifest = json.loads((tree.output / "manifest.json").read_text())
    assert [f["slug"] for f in manifest["files"]] == ["alpha", "beta"]


def test_content_errors_exit_1_and_build_the_rest(tree):
    tree.publication("good")
    tree.publication("bad", text="## Section\n\n<script>alert(1)</script>\n")
    result = tree.run("build")
    assert result.returncode == 1
    assert "sources/bad/en.md:3: error: raw HTML is not allowed: '<script>alert(1)</script>'" in result.stderr
    assert (tree.output / "pdf/en/good.fact-sheet.pdf").is_file()
    assert not (tree.output / "pdf/en/bad.fact-sheet.pdf").exists()
    assert tree.run("check").returncode == 1


def test_too_many_pages_for_the_layout_is_an_error(tree):
    tree.publication(text="## Long\n\n" + ("A paragraph of text that goes on. " * 60 + "\n\n") * 14)
    result = tree.run("build")
    assert result.returncode == 1
    assert "sources/sample/en.md:1: error: 8 pages in the fact-sheet layout, which takes 1 to 4" in result.stderr
    assert not (tree.output / "pdf").exists()


def test_usage_errors_exit_2(tree):
    tree.publication()
    for args, message in [
        (("build", "no-such-slug"), "unknown publication(s): no-such-slug"),
        (("build", "--layout", "poster"), "unknown layout(s): poster; known: fact-sheet"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("build", "--no-such-option"), "unrecognized arguments: --no-such-option"),
    ]:
        result = tree.run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_bad_encoding_is_a_content_error(tree):
    tree.publication()
    (tree.sources / "sample" / "en.md").write_bytes(b"## Section\n\nCaf\xe9 in Latin-1.\n")
    result = tree.run("check")
    assert result.returncode == 1
    assert "sources/sample/en.md:3: error: not UTF-8 text: save the file as UTF-8" in result.stderr


def test_template_errors_name_the_template_and_line(tree, tmp_path):
    import shutil

    from pressroom.options import PROJECT_ROOT

    layouts = tmp_path / "layouts"
    shutil.copytree(PROJECT_ROOT / "layouts", layouts)
    template = layouts / "fact-sheet" / "template.html.j2"
    template.write_text(template.read_text().replace("{{ edition.title }}</h1>", "{{ edition.title }</h1>"))
    tree.publication()
    result = tree.run("build", "--layouts", str(layouts))
    assert result.returncode == 1
    assert "layouts/fact-sheet/template.html.j2:20: error: template error: unexpected '}'" in result.stderr


def test_broken_layout_description_is_short_unless_debug(tree, tmp_path):
    import shutil

    from pressroom.options import PROJECT_ROOT

    layouts = tmp_path / "layouts"
    shutil.copytree(PROJECT_ROOT / "layouts", layouts)
    (layouts / "fact-sheet" / "layout.yaml").write_text("description: x\npage_width_in: -1\n")
    tree.publication()
    plain = tree.run("build", "--layouts", str(layouts))
    assert plain.returncode == 1
    assert "layout.yaml: invalid layout description" in plain.stderr and "Traceback" not in plain.stderr
    debug = tree.run("build", "--layouts", str(layouts), "--debug")
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_missing_sources_folder(tree):
    result = tree.run("check", "--sources", str(tree.root / "nowhere"))
    assert result.returncode == 1
    assert "nowhere:1: error: sources folder not found" in result.stderr


def test_minimal_text_fixture_builds(tree):
    tree.publication(text=MINIMAL_TEXT)
    assert tree.run("build").returncode == 0
