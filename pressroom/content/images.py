"""What an image file may be before the renderer decodes it: a regular file
under its size bound and, for PNG and JPEG, no more pixels than the bound,
read from the file's header (Pillow's plugins read only the header when a
file is opened; nothing is decoded here)."""

from __future__ import annotations

from pathlib import Path

from PIL import JpegImagePlugin, PngImagePlugin

from .bounds import IMAGE_FILE, IMAGE_PIXELS
from .files import read_source
from .svg import svg_problems

RASTER_FORMATS = {".png": (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile),
                  ".jpg": (JpegImagePlugin.JpegImageFile, PngImagePlugin.PngImageFile),
                  ".jpeg": (JpegImagePlugin.JpegImageFile, PngImagePlugin.PngImageFile)}


def raster_size(path: Path, data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header; None if it is neither."""
    import io

    for plugin in RASTER_FORMATS[path.suffix.lower()]:
        try:
            with plugin(io.BytesIO(data)) as image:
                return image.size
        except Exception:  # noqa: BLE001 - Pillow raises SyntaxError, OSError, struct.error... for a bad header
            continue
    return None


def embedded_profile(path: Path) -> bytes | None:
    """The ICC profile a PNG or JPEG file carries (read from its header), or None."""
    from PIL import Image

    if path.suffix.lower() not in RASTER_FORMATS or not path.is_file():
        return None
    try:
        with Image.open(path) as image:
            return image.info.get("icc_profile") or None
    except Exception:  # noqa: BLE001 - refused earlier by image_problem; nothing to convert with
        return None


def image_problem(path: Path) -> str | None:
    """Why the image at ``path`` cannot be used, or None. Raises a
    LocatedError (at the image) for a file that is not a regular file or is
    over the size bound, or an SvgProblem at the line of an SVG that refers
    to something the build would refuse."""
    if path.suffix.lower() not in RASTER_FORMATS:  # SVG
        problems = svg_problems(path, read_source(path, IMAGE_FILE))
        if problems:
            problems[0].all = problems  # every one is reported
            raise problems[0]
        return None
    size = raster_size(path, read_source(path, IMAGE_FILE))
    if size is None:
        return "is not a readable PNG or JPEG file"
    width, height = size
    if width * height > IMAGE_PIXELS.limit:
        return f"is {width:,} x {height:,} pixels: " + IMAGE_PIXELS.message(width * height, "pixels")
    return None
