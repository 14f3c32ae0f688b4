"""Layouts: one folder per layout under ``layouts/``, described by ``layout.yaml``.

A layout folder holds ``layout.yaml`` (what the build must know: page size,
page-count limits), ``template.html.j2`` and its CSS. ``layouts/shared/``
holds fonts, base templates and partials every layout may use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..content.files import refusal
from ..content.yamlfile import YamlFile, YamlSyntaxError
from ..diagnostics import LocatedError, PressroomError, UsageError

SHARED = "shared"


class PrintSpec(BaseModel):
    """What a printer needs to know beyond the file, for the job ticket."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: str
    colours: str = "4/4 process CMYK"
    finishing: str = Field(description="binding or folding")


class LayoutSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    page_width_in: float = Field(gt=0, description="trim width of the finished piece (flat sheet)")
    page_height_in: float = Field(gt=0)
    min_pages: int = Field(1, ge=1)
    max_pages: int = Field(100, ge=1)
    page_multiple: int = Field(1, ge=1, description="page count must be a multiple (4 for saddle stitch)")
    back_pages: int = Field(0, ge=0, description="pages at the end reserved for the back cover")
    page_name: str = Field("page", description="what one rendered page is called in messages")
    imposition: Literal["none", "saddle-stitch", "trifold"] = "none"
    panel_widths_in: list[float] = Field([], description="trifold: width of panels 1..6 in reading order")
    print: PrintSpec

    def folds_in(self, sheet: int) -> list[float]:
        """Fold positions from the left trim edge of print sheet 1 (outside) or 2 (inside)."""
        if self.imposition != "trifold":
            return []
        order = TRIFOLD_SHEETS[sheet - 1]
        widths = [self.panel_widths_in[p - 1] for p in order]
        return [widths[0], widths[0] + widths[1]]


# Trifold panels on the two sheets, left to right: outside 5 | 6 | 1, inside 2 | 3 | 4.
TRIFOLD_SHEETS = ((5, 6, 1), (2, 3, 4))


@dataclass(frozen=True)
class Layout:
    name: str
    folder: Path
    spec: LayoutSpec

    @property
    def template(self) -> Path:
        return self.folder / "template.html.j2"

    @property
    def has_print_css(self) -> bool:
        return (self.folder / "print.css").is_file()


def refuse_special_files(layouts_dir: Path) -> None:
    """Layouts, like sources, are read only from regular files and folders:
    a symbolic link, pipe or device anywhere under ``layouts_dir`` stops the
    command at its path, before anything is read through it."""
    for folder, dirs, files in os.walk(layouts_dir):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if (reason := refusal(path, expect_dir=name in dirs and not path.is_symlink())) is not None:
                raise LocatedError(path, 1, f"layout file {reason}")


def discover_layouts(layouts_dir: Path) -> dict[str, Layout]:
    if not layouts_dir.is_dir():
        raise UsageError(f"layouts folder not found: {layouts_dir}")
    refuse_special_files(layouts_dir)
    layouts = {}
    for folder in sorted(layouts_dir.iterdir()):
        spec_file = folder / "layout.yaml"
        if folder.name == SHARED or not spec_file.is_file():
            continue
        try:
            spec = LayoutSpec.model_validate(YamlFile.read(spec_file).data)
        except YamlSyntaxError as exc:
            raise LocatedError(spec_file, exc.line, f"invalid layout description: {exc}") from None
        except ValidationError as exc:
            raise PressroomError(f"{spec_file}: invalid layout description: {exc}") from None
        layouts[folder.name] = Layout(folder.name, folder.resolve(), spec)
    return layouts
