"""The most one source may ask of a build, checked before the expensive work.

Every bound is generous for real publications (the longest booklet, 64
pages, holds far less) and small enough that going over it is refused in
well under a second. Going over one is an error at the file and line that
names the bound; README.md ("Bounds") lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import LocatedError

# Files, in bytes, checked with stat before they are read.
MAX_YAML_BYTES = 1_000_000  # publication.yaml, office.yaml, organizations.yaml, topics.yaml, layout.yaml
MAX_TEXT_BYTES = 1_000_000  # one <lang>.md
MAX_IMAGE_BYTES = 20_000_000  # one SVG, PNG or JPEG
# YAML, counted on the composed node graph before any value is built: every
# alias and merge key (<<) counted as often as it is expanded.
MAX_YAML_NODES = 50_000
MAX_YAML_DEPTH = 32
# One edition's text, counted on the parsed tokens before anything is laid out.
MAX_CHARACTERS = 300_000
MAX_BLOCKS = 5_000  # paragraphs, headings, list items, table rows and cells, callouts...
MAX_LIST_ITEMS = 2_000
MAX_TABLE_CELLS = 3_000
MAX_SECTIONS = 300  # "##" headings (translations are aligned section by section)
MAX_NESTING = 16  # blocks inside blocks plus emphasis and links inside them
# Raster images, read from the file's header before it is decoded: a page of
# US Letter at 300 ppi with bleed is 2,700 x 3,450 = 9.3 million pixels.
MAX_IMAGE_PIXELS = 40_000_000


class BoundExceeded(LocatedError):
    """An input over one of the bounds above."""


@dataclass(frozen=True)
class Bound:
    name: str  # what is counted, in words
    limit: int
    advice: str  # how to stay under it

    def check(self, path, line: int | None, count: int, unit: str = "") -> None:
        if count > self.limit:
            raise BoundExceeded(path, line, self.message(count, unit))

    def message(self, count: int, unit: str = "") -> str:
        unit = f" {unit}" if unit else ""
        return f"{self.name} is over the bound of {self.limit:,}{unit} ({count:,}{unit}): {self.advice}"


SPLIT = "split the text into more than one publication"
YAML_FILE = Bound("the YAML file", MAX_YAML_BYTES, "keep shared data and publication facts small", )
TEXT_FILE = Bound("the text file", MAX_TEXT_BYTES, SPLIT)
IMAGE_FILE = Bound("the image file", MAX_IMAGE_BYTES, "save the image smaller or compressed")
YAML_NODES = Bound("the YAML, with every alias and merge key expanded,", MAX_YAML_NODES,
                   "write the values out instead of repeating anchors")
YAML_DEPTH = Bound("the YAML nesting, with aliases expanded,", MAX_YAML_DEPTH, "nest fewer levels")
CHARACTERS = Bound("the text", MAX_CHARACTERS, SPLIT)
BLOCKS = Bound("the number of blocks in the text", MAX_BLOCKS, SPLIT)
LIST_ITEMS = Bound("the number of list items in the text", MAX_LIST_ITEMS, SPLIT + " or use fewer, longer items")
TABLE_CELLS = Bound("the number of table cells in the text", MAX_TABLE_CELLS, SPLIT + " or use smaller tables")
SECTIONS = Bound("the number of sections in the text", MAX_SECTIONS, SPLIT)
NESTING = Bound("the nesting of blocks, emphasis and links", MAX_NESTING,
                "nest lists, quotes, callouts and emphasis less deeply")
IMAGE_PIXELS = Bound("the image", MAX_IMAGE_PIXELS, "scale it down (300 ppi at its printed size is enough)")
