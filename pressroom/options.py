"""The one options object that flows from the command line into the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildOptions:
    sources_dir: Path = field(default=PROJECT_ROOT / "sources", metadata={"help": "publications and shared data"})
    layouts_dir: Path = field(default=PROJECT_ROOT / "layouts", metadata={"help": "one folder per layout"})
    output_dir: Path = field(default=PROJECT_ROOT / "output", metadata={"help": "where PDFs and the manifest go"})
    slugs: tuple[str, ...] = field(default=(), metadata={"help": "publications to build; all when empty"})
    langs: tuple[str, ...] = field(default=(), metadata={"help": "languages to build; all when empty"})
    layouts: tuple[str, ...] = field(default=(), metadata={"help": "layouts to build; all when empty"})
    quiet: bool = field(default=False, metadata={"help": "print only problems and the summary"})
    debug: bool = field(default=False, metadata={"help": "show tracebacks"})

    def resolved(self) -> "BuildOptions":
        return BuildOptions(**{**self.__dict__, "sources_dir": self.sources_dir.resolve(),
                               "layouts_dir": self.layouts_dir.resolve(), "output_dir": self.output_dir.resolve()})
