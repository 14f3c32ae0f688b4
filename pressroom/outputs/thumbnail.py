"""The cover thumbnail the catalog shows, recorded on the screen file's entry."""

from __future__ import annotations

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    from ..render.thumbnail import thumbnail_png

    return thumbnail_png(made["screen"])


THUMBNAIL = OutputKind("thumbnail", "thumbs", ".png", "PNG of page 1 for the catalog", make, needs=("screen",),
                       selectable=False, attached_to="screen", attach_as="thumbnail")
