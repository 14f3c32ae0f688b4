"""Layouts: one folder per layout under ``layouts/``, described by ``layout.yaml``.

A layout folder holds ``layout.yaml`` (what the build must know: page size,
page-count limits), ``template.html.j2`` and its CSS. ``layouts/shared/``
holds fonts, base templates and partials every layout may use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..diagnostics import PressroomError

SHARED = "shared"


class LayoutSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    page_width_in: float = Field(gt=0)
    page_height_in: float = Field(gt=0)
    min_pages: int = Field(1, ge=1)
    max_pages: int = Field(100, ge=1)


@dataclass(frozen=True)
class Layout:
    name: str
    folder: Path
    spec: LayoutSpec

    @property
    def template(self) -> Path:
        return self.folder / "template.html.j2"

    def files(self) -> list[Path]:
        """Everything the layout's output depends on, shared files included."""
        shared = self.folder.parent / SHARED
        return sorted(p for d in (self.folder, shared) for p in d.rglob("*") if p.is_file())


def discover_layouts(layouts_dir: Path) -> dict[str, Layout]:
    layouts = {}
    for folder in sorted(layouts_dir.iterdir()):
        spec_file = folder / "layout.yaml"
        if folder.name == SHARED or not spec_file.is_file():
            continue
        try:
            spec = LayoutSpec.model_validate(yaml.safe_load(spec_file.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise PressroomError(f"{spec_file}: invalid layout description: {exc}") from exc
        layouts[folder.name] = Layout(folder.name, folder.resolve(), spec)
    return layouts
