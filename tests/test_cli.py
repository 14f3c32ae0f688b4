"""generate.py as users run it: commands, selections, exit codes, messages."""

from __future__ import annotations

import json
import re

from conftest import MINIMAL_TEXT, TRIFOLD_META


def test_build_all_then_list_and_check(tree):
    tree.publication("alpha")
    tree.publication("beta")
    result = tree.run("build")
    assert result.returncode == 0, result.stderr
    assert "] built alpha/en/fact-sheet (" in result.stderr and "2 built, 0 unchanged, 0 failed" in result.stderr
    assert sorted(p.name for p in (tree.output / "pdf" / "en").iterdir()) == [
        "alpha.fact-sheet.pdf", "beta.fact-sheet.pdf"]
    listed = tree.run("list")
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["alpha", "beta"]
    checked = tree.run("check")
    assert (checked.returncode, checked.stderr.strip()) == (0, "2 edition(s) checked: 0 error(s), 0 warning(s)")


def test_no_command_means_build_everything(tree):
    tree.publication()
    result = tree.run()
    assert result.returncode == 0, result.stderr
    assert (tree.output / "pdf/en/sample.fact-sheet.pdf").is_file()


def test_build_selected_publications_languages_and_layouts(tree):
    tree.publication("alpha")
    tree.publication("beta")
    result = tree.run("build", "beta", "--lang", "en", "--layout", "fact-sheet", "--variant", "screen", "--quiet")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tree.output / "pdf/en").iterdir()] == ["beta.fact-sheet.pdf"]
    assert not (tree.output / "print").exists()
    assert "] built" not in result.stderr and "building" not in result.stderr  # --quiet
    manifest = json.loads((tree.output / "manifest.json").read_text())
    assert [(f["slug"], f["variant"]) for f in manifest["files"]] == [("beta", "screen")]
    # A later build of another publication keeps beta in the manifest.
    assert tree.run("build", "alpha").returncode == 0
    manifest = json.loads((tree.output / "manifest.json").read_text())
    assert [(f["slug"], f["variant"]) for f in manifest["files"]] == [
        ("alpha", "epub"), ("alpha", "html"), ("alpha", "print"), ("alpha", "screen"), ("beta", "screen")]
    assert (tree.output / "print/en/alpha.fact-sheet.print.pdf").is_file()


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
    message = re.search(r"sources/sample/en.md:1: error: the text overflows the fact-sheet layout by ([\d.]+) in "
                        r"\((\d+) page\(s\) past the 4 it has\): shorten it or name a fallback layout", result.stderr)
    assert message, result.stderr
    pages = int(message[2])
    assert pages >= 3 and (pages - 1) * 8.5 < float(message[1]) < pages * 9.4  # full pages and part of one more
    assert not (tree.output / "pdf").exists()


def test_usage_errors_exit_2(tree):
    tree.publication()
    for args, message in [
        (("build", "no-such-slug"), "unknown publication(s): no-such-slug"),
        (("build", "--layout", "poster"), "unknown layout(s): poster; known: booklet, fact-sheet, trifold"),
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


def test_template_errors_name_the_template_and_line(tree, layouts_copy):
    layouts = layouts_copy
    template = layouts / "fact-sheet" / "template.html.j2"
    broken = template.read_text().replace("{{ edition.title }}</h1>", "{{ edition.title }</h1>")
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "{{ edition.title }</h1>" in text)
    template.write_text(broken)
    tree.publication()
    result = tree.run("build", "--layouts", str(layouts))
    assert result.returncode == 1
    assert f"layouts/fact-sheet/template.html.j2:{line}: error: template error: unexpected '}}'" in result.stderr


def test_broken_layout_description_is_short_unless_debug(tree, layouts_copy):
    layouts = layouts_copy
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




def test_trifold_overflow_says_by_how_much(tree):
    tree.publication(meta=TRIFOLD_META, text="## Long\n\n" + ("A paragraph of text that goes on. " * 40 + "\n\n") * 8)
    result = tree.run("build")
    assert result.returncode == 1
    message = re.search(r"sources/sample/en.md:1: error: the text overflows the trifold layout by ([\d.]+) in "
                        r"\((\d+) panel\(s\) past the 6 it has\)", result.stderr)
    assert message, result.stderr
    assert float(message[1]) > 5 and int(message[2]) >= 1
    assert not (tree.output / "pdf").exists()


def test_overflowing_trifold_falls_back_when_the_publication_says_so(tree):
    tree.publication(meta=TRIFOLD_META + "fallback: {trifold: booklet}\n",
                     text="## Long\n\n" + ("A paragraph of text that goes on. " * 40 + "\n\n") * 8)
    result = tree.run("build")
    assert result.returncode == 0, result.stderr
    assert "warning: the text overflows the trifold layout" in result.stderr
    assert "built in the 'booklet' layout instead" in result.stderr
    assert (tree.output / "pdf/en/sample.booklet.pdf").is_file()
    assert (tree.output / "print/en/sample.booklet.imposed.pdf").is_file()
    assert not (tree.output / "pdf/en/sample.trifold.pdf").exists()


def test_preflight_command(tree):
    tree.publication()
    assert tree.run("build").returncode == 0
    clean = tree.run("preflight")
    assert clean.returncode == 0 and "1 file(s) checked, 0 with errors" in clean.stderr
    by_slug = tree.run("preflight", "sample")
    assert by_slug.returncode == 0
    screen = tree.run("preflight", str(tree.output / "pdf/en/sample.fact-sheet.pdf"))
    assert screen.returncode == 1
    assert "sample.fact-sheet.pdf: page 1: error: bleed is 0.000 in on the left" in screen.stdout
    assert "sample.fact-sheet.pdf: page 1: error: fill or stroke colours in device RGB" in screen.stdout
    unknown = tree.run("preflight", "no-such-thing")
    assert unknown.returncode == 2 and "neither a PDF file nor a publication" in unknown.stderr


def test_print_order_command(tree):
    tree.publication()
    ordered = tree.run("print-order", "sample", "--layout", "fact-sheet", "--quantity", "250")
    assert ordered.returncode == 0, ordered.stderr
    (written,) = (tree.output / "jobs/sample.fact-sheet.en").glob("*-01/ticket.json")
    assert f"output/jobs/sample.fact-sheet.en/{written.parent.name}/ticket.json" in ordered.stdout
    ticket = json.loads(written.read_text())
    assert ticket["quantity"] == 250 and ticket["preflight"] == "passed"
    for args, message in [
        (("--layout", "booklet", "--quantity", "10"), "not published in the 'booklet' layout"),
        (("--layout", "fact-sheet", "--quantity", "0"), "--quantity must be at least 1"),
        (("--layout", "fact-sheet"), "the following arguments are required: --quantity"),
    ]:
        result = tree.run("print-order", "sample", *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)


def test_template_runtime_errors_name_the_partial_and_line(tree, layouts_copy):
    layouts = layouts_copy
    partial = layouts / "shared" / "back-matter.html.j2"
    lines = partial.read_text().splitlines()
    partial.write_text("\n".join(lines + ["{{ no_such_name.attribute }}"]) + "\n")
    tree.publication()
    result = tree.run("build", "--layouts", str(layouts))
    assert result.returncode == 1
    assert (f"layouts/shared/back-matter.html.j2:{len(lines) + 1}: error: template error: "
            "'no_such_name' is undefined") in result.stderr, result.stderr
    assert "internal error" not in result.stderr


def test_titles_cannot_escape_their_css_string(tree):
    """Margin boxes print the title through a CSS string: a carriage return,
    form feed or quote in it must not end the string and add rules."""
    import pikepdf

    tree.publication(meta=(
        'title: {en: "Sample\\r} } @page { size: 3in 3in } .x { content: \\"\\f"}\n'
        "summary: {en: A sample used by the tests.}\n"
        "number: 24-NS-9999\nreviewed: 2026-11-01\naudience: [patients]\nlayouts: [fact-sheet]\n"),
        text="## About this\n\n" + "A paragraph that goes on for a while. " * 120 + "\n")
    result = tree.run("build", "--variant", "screen")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tree.output / "pdf/en/sample.fact-sheet.pdf") as pdf:
        assert len(pdf.pages) == 2
        assert [round(float(v)) for v in pdf.pages[1].mediabox] == [0, 0, 612, 792]  # still US Letter
