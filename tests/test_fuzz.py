"""Generated values for every field of publication.yaml, the shared YAML
files and layout.yaml, and for the command-line options: the only outcomes
allowed are a clean run or errors at a file and line (or a usage error),
never an internal error or a traceback."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LAYOUTS, SOURCES, SourceTree
from pressroom.cli import main

DIAGNOSTIC = re.compile(r"^\S.*:\d+: (error|warning): ")
LOCATED = re.compile(r"^(generate.py: error: \S+:|\S+: (file|page \d+): error: |\d+ error\(s\) in sources)")
FIELDS = ["title", "summary", "number", "reviewed", "audience", "topics", "layouts", "fallback", "ordering",
          "contacts", "related", "reading_grade"]
VALID = yaml.safe_load("""\
title: {en: Sample Publication}
summary: {en: A sample used by the tests.}
number: 24-NS-9999
reviewed: 2026-11-01
audience: [patients]
topics: [cancer]
layouts: [fact-sheet]
fallback: {}
ordering: {printed: true, limit_per_order: 20, stock: 10}
contacts: [nci]
related: []
reading_grade: 9
""")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["en", "es", "fact-sheet", "../../x", "a/b",
                                                                           "24-NS-0001", "nci", "\x00", "2026-13-45"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8) | st.sampled_from(
                                                           ["en", "es", "fact-sheet", "printed", "stock"]),
                                                           inner, max_size=4)), max_leaves=12)


def run(tree: SourceTree, *args: str, capsys) -> tuple[int, str]:
    try:
        code = main([*args, "--sources", str(tree.sources), "--output", str(tree.output), "--quiet"])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_clean_or_located(code, output: str) -> None:
    assert "internal error" not in output and "Traceback" not in output, output
    assert code in (0, 1, 2), output
    if code == 1:  # errors: each at a file and line, or a short error naming its file
        assert any(DIAGNOSTIC.match(line) or LOCATED.match(line) for line in output.splitlines()), output


def _tree(tmp_path_factory) -> SourceTree:
    tree = SourceTree(tmp_path_factory.mktemp("fuzz"))
    tree.publication()
    return tree


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(field=st.sampled_from(FIELDS), value=values, drop=st.booleans())
def test_publication_fields(tmp_path_factory, monkeypatch, capsys, field, value, drop):
    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    meta = dict(VALID)
    if drop:
        meta.pop(field)
    else:
        meta[field] = value
    (tree.sources / "sample" / "publication.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    assert_clean_or_located(*run(tree, "check", "--no-layout", capsys=capsys))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=values)
def test_publication_fields_build(tmp_path_factory, monkeypatch, capsys, field, value):
    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    (tree.sources / "sample" / "publication.yaml").write_text(yaml.safe_dump({**VALID, field: value}))
    assert_clean_or_located(*run(tree, "build", "--variant", "screen", "--jobs", "1", capsys=capsys))


@FUZZ
@given(text=st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_publication_yaml_as_any_text(tmp_path_factory, monkeypatch, capsys, text):
    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    (tree.sources / "sample" / "publication.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_clean_or_located(*run(tree, "check", "--no-layout", capsys=capsys))


@FUZZ
@given(name=st.sampled_from(["office.yaml", "organizations.yaml", "topics.yaml"]),
       path=st.lists(st.sampled_from(["nci", "cancer", "name", "url", "phones", "email", "label", "en",
                                      "catalog_name", "publications_url", "reading_grade", "address"]),
                     min_size=0, max_size=3), value=values)
def test_shared_yaml_fields(tmp_path_factory, monkeypatch, capsys, name, path, value):
    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    data = yaml.safe_load((SOURCES / name).read_text())
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target
    if isinstance(target, dict) and path:
        target[path[-1]] = value
    else:
        data = value
    (tree.sources / name).write_text(yaml.safe_dump(data, allow_unicode=True))
    assert_clean_or_located(*run(tree, "check", "--no-layout", capsys=capsys))


@FUZZ
@given(field=st.sampled_from(["description", "page_width_in", "page_height_in", "min_pages", "max_pages",
                              "page_multiple", "back_pages", "page_name", "imposition", "panel_widths_in", "print"]),
       value=values)
def test_layout_yaml_fields(tmp_path_factory, monkeypatch, capsys, field, value):
    import shutil

    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    layouts = tree.root / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    spec_file = layouts / "fact-sheet" / "layout.yaml"
    spec = yaml.safe_load(spec_file.read_text())
    spec[field] = value
    spec_file.write_text(yaml.safe_dump(spec, allow_unicode=True))
    assert_clean_or_located(*run(tree, "check", "--no-layout", "--layouts", str(layouts), capsys=capsys))


option_values = st.one_of(st.text(max_size=12), st.sampled_from(["0", "-1", "1", "en", "es", "zz", "../x", "/",
                                                                 "fact-sheet", "screen", "print", "sample", "\x00"]))


@FUZZ
@given(command=st.sampled_from(["check", "list", "build", "preflight", "print-order", "new"]),
       options=st.lists(st.tuples(st.sampled_from(["--lang", "--layout", "--jobs", "--variant", "--format",
                                                   "--quantity", "--title", "--strict", "--no-layout", ""]),
                                  option_values), max_size=3))
def test_command_line_options(tmp_path_factory, monkeypatch, capsys, command, options):
    tree = _tree(tmp_path_factory)
    monkeypatch.chdir(tree.root)
    args = [command]
    for option, value in options:
        args += [value] if not option else [option] if option in ("--strict", "--no-layout") else [option, value]
    if command == "build":
        args += ["--variant", "screen", "--layout", "booklet"]  # refused or nothing to render: no long builds
    assert_clean_or_located(*run(tree, *args, capsys=capsys))
