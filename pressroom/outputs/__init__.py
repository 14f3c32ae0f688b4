"""The registry of outputs. Each kind is a module of this package with one
OutputKind; adding an output is a new module and its line below. The CLI's
--variant, the manifest, the print run, the catalog's downloads and the
file-name parsing all read this registry."""

from __future__ import annotations

from .accessibility import ACCESSIBILITY
from .epub import EPUB
from .html_edition import HTML
from .imposed import IMPOSED
from .kind import OutputKind
from .print_file import PRINT
from .screen import SCREEN
from .thumbnail import THUMBNAIL

# In the order they are made: every kind after the kinds it needs.
OUTPUTS: tuple[OutputKind, ...] = (SCREEN, ACCESSIBILITY, PRINT, IMPOSED, THUMBNAIL, HTML, EPUB)
BY_NAME = {kind.name: kind for kind in OUTPUTS}
VARIANTS = tuple(kind.name for kind in OUTPUTS if kind.selectable)
DOWNLOADABLE = tuple(kind.name for kind in OUTPUTS if kind.downloadable)


def to_make(wanted: tuple[str, ...]) -> list[OutputKind]:
    """The kinds to make for the ``wanted`` variants: those, what is attached
    to them, and what they need, in registry order."""
    chosen = {name for name in wanted} | {k.name for k in OUTPUTS if k.attached_to in wanted}
    for kind in reversed(OUTPUTS):
        if kind.name in chosen:
            chosen |= set(kind.needs)
    return [kind for kind in OUTPUTS if kind.name in chosen]


__all__ = ["ACCESSIBILITY", "BY_NAME", "DOWNLOADABLE", "EPUB", "HTML", "IMPOSED", "OUTPUTS", "OutputKind", "PRINT", "SCREEN", "THUMBNAIL", "VARIANTS",
           "to_make"]
