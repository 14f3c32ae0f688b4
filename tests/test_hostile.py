"""The hostile corpus (tests/hostile/cases.py) through check and build: one
verdict, each refusal at its file and line naming the bound or the reason,
nothing from outside the project in any output, no internal error. Times and
memory are measured by bench/hostile.py, never here."""

from __future__ import annotations

import pytest

from hostile.cases import CASES, SECRET
from pressroom.cli import main


def run(tree, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(tree.root)
    code = main([*args, "--sources", str(tree.sources), "--output", str(tree.output), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_source(case, tree, monkeypatch, capsys):
    case.make(tree)
    for command in ("check", "build"):
        code, output = run(tree, monkeypatch, capsys, command, *case.args)
        assert "internal error" not in output and "Traceback" not in output, output
        for expected in case.expect:
            assert expected in output, f"{command}: {output[:3000]}"
        assert code == case.exit, f"{command}: {output[:3000]}"
        assert len(output) < 20_000, "a refusal quotes its input, it does not echo it"
    for path in tree.output.rglob("*") if tree.output.exists() else []:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
