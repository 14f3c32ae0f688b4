"""The one options object that flows from the command line into the build."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .outputs import VARIANTS  # noqa: F401  (the registry's selectable kinds)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Ghostscript's SWOP-like CMYK profile from Debian's libgs-common (installed by
# `make`); a printer's own profile is given with --cmyk-profile.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


# Folder and file settings, each from its flag, else its environment
# variable, else the default below: one precedence for every command.
ENVIRONMENT = {
    "sources_dir": "PRESSROOM_SOURCES",
    "layouts_dir": "PRESSROOM_LAYOUTS",
    "output_dir": "PRESSROOM_OUTPUT",
    "cmyk_profile": "PRESSROOM_CMYK_PROFILE",
}
SCHEDULER_ENVIRONMENT = "PRESSROOM_SCHEDULER"


def scheduler_setting(given: str | None = None, env: dict | None = None) -> str:
    """The Dask scheduler's address: the flag > PRESSROOM_SCHEDULER > none (local workers)."""
    return given if given is not None else (os.environ if env is None else env).get(SCHEDULER_ENVIRONMENT, "")


def path_setting(name: str, given: Path | None = None, env: dict | None = None) -> Path:
    """The ``name`` setting: ``given`` (a flag) > its environment variable > the default."""
    if given is not None:
        return Path(given)
    value = (os.environ if env is None else env).get(ENVIRONMENT[name])
    if value:
        return Path(value)
    return BuildOptions.__dataclass_fields__[name].default


@dataclass(frozen=True)
class BuildOptions:
    sources_dir: Path = field(default=PROJECT_ROOT / "sources", metadata={"help": "publications and shared data"})
    layouts_dir: Path = field(default=PROJECT_ROOT / "layouts", metadata={"help": "one folder per layout"})
    output_dir: Path = field(default=PROJECT_ROOT / "output", metadata={"help": "where PDFs and the manifest go"})
    slugs: tuple[str, ...] = field(default=(), metadata={"help": "publications to build; all when empty"})
    langs: tuple[str, ...] = field(default=(), metadata={"help": "languages to build; all when empty"})
    layouts: tuple[str, ...] = field(default=(), metadata={"help": "layouts to build; all when empty"})
    variants: tuple[str, ...] = field(default=(), metadata={"help": "screen, print, imposed; all when empty"})
    cmyk_profile: Path = field(default=DEFAULT_CMYK_PROFILE,
                               metadata={"help": "printer's CMYK ICC profile for print files (PDF/X-4 output intent)"})
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1,
                      metadata={"help": "worker processes (each with its own FontConfiguration)"})
    scheduler: str = field(default="", metadata={"help": "Dask scheduler address; empty for local worker processes"})
    force: bool = field(default=False, metadata={"help": "rebuild everything, changed or not"})
    quiet: bool = field(default=False, metadata={"help": "print only problems and the summary"})
    debug: bool = field(default=False, metadata={"help": "show tracebacks"})

    def resolved(self) -> "BuildOptions":
        return BuildOptions(**{**self.__dict__, "sources_dir": self.sources_dir.resolve(),
                               "layouts_dir": self.layouts_dir.resolve(), "output_dir": self.output_dir.resolve(),
                               "cmyk_profile": self.cmyk_profile.resolve()})
