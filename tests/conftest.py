"""Shared fixtures: the sample publications built once per session, and small
source folders written into tmp_path for error cases."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.build import build
from pressroom.options import PROJECT_ROOT, BuildOptions

SOURCES = PROJECT_ROOT / "sources"
LAYOUTS = PROJECT_ROOT / "layouts"


def pytest_addoption(parser):
    parser.addoption("--update-baselines", action="store_true",
                     help="rewrite the approved PNGs under tests/baselines/ instead of comparing")


@pytest.fixture(scope="session")
def update_baselines(request) -> bool:
    return request.config.getoption("--update-baselines")


@dataclass
class SampleBuild:
    output: Path
    result: object

    def pdf(self, slug: str, layout: str = "fact-sheet", lang: str = "en") -> Path:
        return self.output / "pdf" / lang / f"{slug}.{layout}.pdf"


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> SampleBuild:
    """Every sample publication, built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("output")
    result = build(BuildOptions(output_dir=output, quiet=True))
    assert not result.report.errors, "\n".join(map(str, result.report.errors))
    return SampleBuild(output, result)


MINIMAL_TEXT = """\
## About this

A short paragraph.
"""


class SourceTree:
    """A tiny sources/ folder: shared data copied from the project, plus
    publications written by the test."""

    def __init__(self, root: Path):
        self.root = root
        self.sources = root / "sources"
        self.output = root / "output"
        self.sources.mkdir(parents=True)
        for name in ("office.yaml", "organizations.yaml", "topics.yaml"):
            shutil.copy(SOURCES / name, self.sources / name)

    def write(self, relative: str, text: str) -> Path:
        path = self.sources / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def publication(self, slug: str = "sample", text: str = MINIMAL_TEXT, meta: str | None = None,
                    lang: str = "en") -> Path:
        self.write(f"{slug}/publication.yaml", meta or f"""\
            title: {{{lang}: Sample Publication}}
            summary: {{{lang}: A sample used by the tests.}}
            number: 24-NS-9999
            reviewed: 2026-11-01
            audience: [patients]
            topics: [cancer]
            layouts: [fact-sheet]
            contacts: [nci]
            """)
        return self.write(f"{slug}/{lang}.md", text)

    def options(self, **overrides) -> BuildOptions:
        return BuildOptions(sources_dir=self.sources, layouts_dir=LAYOUTS, output_dir=self.output,
                            quiet=True, **overrides)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run generate.py as a user would, against this tree."""
        command = [sys.executable, str(PROJECT_ROOT / "generate.py"), *args]
        for option, value in (("--sources", self.sources), ("--output", self.output)):
            if option not in args:
                command += [option, str(value)]
        return subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=300)


@pytest.fixture
def tree(tmp_path) -> SourceTree:
    return SourceTree(tmp_path)
