"""The build engine: no state shared between builds in one process, one
precedence for settings, a cache key that covers Pressroom's own code, no
PDF past a refused fetch, one lock for every manifest writer, and no
WeasyPrint import when there is nothing to render."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

from conftest import LAYOUTS, SourceTree, pdf_text

from pressroom.build import build
from pressroom.cli import _catalog_settings, make_parser, options_from
from pressroom.manifest import read_manifest
from pressroom.options import PROJECT_ROOT
from pressroom.render.pdf import PdfRenderer

def _tree_with_image(root: Path, marker: str) -> SourceTree:
    """A tree with its own layouts (marked) and a publication with an image."""
    tree = SourceTree(root)
    tree.publication(text=f"## About this\n\nA short paragraph.\n\n![A dot](dot.png)\n")
    Image.new("RGB", (600, 400), (22, 46, 81)).save(tree.sources / "sample" / "dot.png")
    layouts = Path(shutil.copytree(LAYOUTS, root / "layouts"))
    with open(layouts / "shared" / "print.css", "a") as css:
        css.write(f'\n.masthead .office::after {{ content: " {marker}"; }}\n')
    return tree


def test_two_trees_built_in_one_process_each_use_their_own_sandbox_and_layouts(tmp_path):
    first, second = _tree_with_image(tmp_path / "a", "TREEALPHA"), _tree_with_image(tmp_path / "b", "TREEBETA")
    for tree, marker in ((first, "TREEALPHA"), (second, "TREEBETA")):
        result = build(tree.options(layouts_dir=tree.root / "layouts", jobs=1, variants=("screen",)))
        assert not result.report.errors, result.report.errors
        text = pdf_text(tree.output / "pdf/en/sample.fact-sheet.pdf")
        assert marker in text and ({"TREEALPHA", "TREEBETA"} - {marker}).pop() not in text


def test_settings_come_from_the_flag_then_the_environment_then_the_default(tmp_path, monkeypatch):
    parser = make_parser()
    monkeypatch.delenv("PRESSROOM_OUTPUT", raising=False)
    assert options_from(parser.parse_args(["serve"])).output_dir == PROJECT_ROOT / "output"
    monkeypatch.setenv("PRESSROOM_OUTPUT", str(tmp_path / "from-env"))
    monkeypatch.setenv("PRESSROOM_VAR", str(tmp_path / "var"))
    options = options_from(parser.parse_args(["serve"]))
    assert options.output_dir == tmp_path / "from-env"
    assert _catalog_settings(options).output_dir == tmp_path / "from-env"  # what `serve` runs with
    flagged = options_from(parser.parse_args(["serve", "--output", str(tmp_path / "flag")]))
    assert _catalog_settings(flagged).output_dir == tmp_path / "flag"


def _project_copy(root: Path) -> Path:
    """generate.py and the package in a folder of their own (generate.py
    imports the package beside it), to change the code as a developer would."""
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "generate.py", root / "generate.py")
    shutil.copytree(PROJECT_ROOT / "pressroom", root / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_change_to_pressroom_code_rebuilds_without_force(tmp_path):
    project = _project_copy(tmp_path / "project")
    tree = SourceTree(tmp_path / "tree")
    tree.publication()

    def run() -> str:
        done = subprocess.run([sys.executable, str(project / "generate.py"), "--sources", str(tree.sources),
                               "--layouts", str(LAYOUTS),
                               "--output", str(tree.output), "build", "--variant", "screen"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    assert "1 built" in run()
    assert "0 built, 1 unchanged" in run()
    with open(project / "pressroom" / "prepress" / "marks.py", "a") as code:
        code.write("\nMARK_COLOUR_NOTE = 'changed'\n")
    assert "1 built" in run()
    with open(project / "pressroom" / "catalog" / "web.py", "a") as code:  # the catalog makes no output
        code.write("\n# a comment\n")
    assert "0 built, 1 unchanged" in run()


def test_a_refused_fetch_stops_the_layout_and_writes_nothing(tmp_path):
    renderer = PdfRenderer([tmp_path])
    html = ('<p>before</p><img src="http://127.0.0.1:9/tracker.png">'
            + "<p>after</p>" * 2000)
    laid = renderer.lay_out(html, tmp_path)
    assert laid.document is None and laid.pages == []
    assert [url for url, _ in laid.refused] == ["http://127.0.0.1:9/tracker.png"]


def test_a_refused_fetch_in_a_source_leaves_no_file(tree):
    tree.publication(text="## About this\n\n![A tracker](https://example.org/pixel.png)\n")
    result = build(tree.options(jobs=1))
    assert result.report.errors
    assert not (tree.output / "pdf").exists() and not (tree.output / "print").exists()


def test_concurrent_builds_into_one_output_keep_every_entry(tmp_path):
    tree = SourceTree(tmp_path)
    slugs = [f"sample-{n}" for n in range(4)]
    for slug in slugs:
        tree.publication(slug)
    base = [sys.executable, str(PROJECT_ROOT / "generate.py"), "-q", "--sources", str(tree.sources),
            "--output", str(tree.output), "build", "--variant", "screen", "--jobs", "1"]
    runs = [subprocess.Popen(base + [slug], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for slug in slugs]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read()
    assert {e.slug for e in read_manifest(tree.output)} == set(slugs)
    state = json.loads((tree.output / ".build-state.json").read_text())
    assert {job.split("/")[0] for job in state["jobs"]} == set(slugs)


def _meta(number: str = "24-NS-9999", layouts: str = "[fact-sheet]", extra: str = "") -> str:
    """A publication.yaml for these tests, with its number, layouts and extra lines."""
    return (f"title: {{en: Sample Publication}}\nsummary: {{en: A sample used by the tests.}}\nnumber: {number}\n"
            f"reviewed: 2026-11-01\naudience: [patients]\nlayouts: {layouts}\n{extra}contacts: [nci]\n")


def test_list_check_no_layout_new_and_a_noop_build_never_import_a_renderer(tree):
    tree.publication(meta=_meta(number="24-NS-0100"))
    assert build(tree.options(variants=("screen",))).built == 1
    probe = ("import sys; from pressroom.cli import main; code = main(sys.argv[1:]); "
             "print('weasyprint' in sys.modules, 'pikepdf' in sys.modules, 'pypdf' in sys.modules, code)")
    for command in (["list"], ["-q", "build", "--variant", "screen"], ["check", "--no-layout"],
                    ["new", "second-one", "--title", "Second One"]):
        done = subprocess.run([sys.executable, "-c", probe, "--sources", str(tree.sources), "--output",
                               str(tree.output), *command], capture_output=True, text=True, timeout=120,
                              cwd=PROJECT_ROOT)
        assert done.stdout.split()[-4:] == ["False", "False", "False", "0"], done.stdout + done.stderr


def test_fallback_layouts_that_go_round_in_a_loop_are_refused_at_their_line(tree):
    tree.publication(meta=_meta(layouts="[fact-sheet, booklet]",
                                extra="fallback: {fact-sheet: booklet, booklet: fact-sheet}\n"))
    done = tree.run("check", "--no-layout")
    assert done.returncode == 1
    assert "publication.yaml:7: error: fallback layouts go round in a loop (fact-sheet -> booklet -> fact-sheet)" \
        in done.stderr


def test_every_output_kind_comes_from_the_registry(samples):
    from pressroom.outputs import OUTPUTS, VARIANTS

    assert {e.variant for e in samples.result.entries} == set(VARIANTS)
    for entry in samples.result.entries:
        kind = next(k for k in OUTPUTS if k.name == entry.variant)
        assert entry.path == kind.relative(entry.slug, entry.lang, entry.layout)
        # A file's name below <folder>/<lang>/; kinds made once per edition name no layout.
        assert kind.parse(entry.path.split("/", 2)[-1]) == (entry.slug, "" if kind.per_edition else entry.layout)
    build_help = make_parser()._subparsers._group_actions[0].choices["build"].format_help()
    assert all(name in build_help for name in VARIANTS)


def test_the_screen_and_print_files_are_the_same_pages(samples):
    import pikepdf

    screens = {(e.slug, e.lang, e.layout): e for e in samples.result.entries if e.variant == "screen"}
    for entry in (e for e in samples.result.entries if e.variant == "print"):
        screen = screens[(entry.slug, entry.lang, entry.layout)]
        if entry.layout == "trifold":  # six panels on two sheets
            assert (screen.pages, entry.pages) == (6, 2)
            continue
        assert entry.pages == screen.pages
        with pikepdf.open(samples.output / screen.path) as pdf:
            assert all([float(v) for v in p.mediabox] == [float(v) for v in p.trimbox] for p in pdf.pages)


def test_explain_says_why_each_job_is_rebuilt_and_the_edit_reaches_the_pdf(tree):
    text = tree.publication()
    assert tree.run("build", "--variant", "screen").returncode == 0
    text.write_text(text.read_text() + "\nA sentence added later.\n")
    done = tree.run("build", "--variant", "screen", "--explain")
    assert "sample/en/fact-sheet: rebuilt: changed: the publication's own files" in done.stderr
    assert "A sentence added later." in pdf_text(tree.output / "pdf/en/sample.fact-sheet.pdf")
    (tree.output / "pdf/en/sample.fact-sheet.pdf").unlink()
    assert "sample/en/fact-sheet: rebuilt: output files missing" in tree.run("build", "--variant", "screen",
                                                                            "--explain").stderr
    assert "rebuilt: changed: the variants asked for" in tree.run("build", "--explain").stderr
    assert "rebuilt" not in tree.run("build", "--explain").stderr


def test_list_after_a_clean_build_reads_the_manifest_and_never_a_stale_one(tree):
    meta = tree.publication().parent / "publication.yaml"
    before = tree.run("list")
    assert tree.run("build", "--variant", "screen").returncode == 0
    vouched = tree.run("list")
    assert vouched.stdout == before.stdout and "Sample Publication" in vouched.stdout
    meta.write_text(meta.read_text().replace("Sample Publication", "Renamed Publication"))
    assert "Renamed Publication" in tree.run("list").stdout  # a changed file: the sources are read
