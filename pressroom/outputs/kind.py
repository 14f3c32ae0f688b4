"""What an output kind declares: its name, where its files go, what it is
made from and how. Light on purpose: the CLI, the manifest, the print run
and the catalog read these declarations without importing a renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# What a maker gets: the edition's renderer (variants.EditionRenderer), its
# laid-out pages, the bytes of the outputs already made, and the report.
Maker = Callable[[object, object, dict, object], "bytes | None"]


@dataclass(frozen=True)
class OutputKind:
    name: str  # the --variant value and the manifest's "variant"
    folder: str  # under the output folder, then <lang>/
    suffix: str  # after "<slug>.<layout>"
    summary: str
    make: Maker  # returns the file, or None when it does not apply (errors go to the report)
    needs: tuple[str, ...] = ()  # outputs whose bytes it is made from
    selectable: bool = True  # a --variant of its own, with a manifest entry
    attached_to: str | None = None  # recorded on that output's manifest entry instead,
    attach_as: str = ""  # in this field of it
    downloadable: bool = False  # offered by the catalog
    # One file per edition, not per layout (HTML, EPUB): made by the job of
    # the edition's first layout only, named without a layout.
    per_edition: bool = False
    # Files written beside the main one (the HTML edition's images), by name
    # relative to its folder; read from the edition's sources when written.
    beside: Callable[[object], dict[str, Path]] | None = None

    def relative(self, slug: str, lang: str, layout: str) -> str:
        if self.per_edition:
            return f"{self.folder}/{lang}/{slug}{self.suffix}"
        return f"{self.folder}/{lang}/{slug}.{layout}{self.suffix}"

    def path(self, output_dir: Path, slug: str, lang: str, layout: str) -> Path:
        return output_dir / self.relative(slug, lang, layout)

    def parse(self, file_name: str) -> tuple[str, str] | None:
        """(slug, layout) of one of this kind's file names (its path below
        ``<folder>/<lang>/``), else None; the layout is "" for a kind made
        once per edition."""
        if self.per_edition:
            match = re.fullmatch(r"([a-z0-9]+(?:-[a-z0-9]+)*)" + re.escape(self.suffix), file_name)
            return (match[1], "") if match else None
        match = re.fullmatch(r"([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+(?:-[a-z0-9]+)*)" + re.escape(self.suffix),
                             file_name)
        return (match[1], match[2]) if match else None
