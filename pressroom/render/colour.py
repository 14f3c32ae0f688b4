"""Screen colours to print colours: its own step, after the print file is written.

Print files are PDF/X-4 with a CMYK output intent, so every colour drawn in
them must be CMYK. Layouts, SVG figures and the laid-out pages are sRGB (the
same boxes give the screen file); :func:`convert_to_cmyk` rewrites each RGB
fill and stroke operator (``rg``/``RG``) in the page and form content
streams as CMYK (``k``/``K``): neutral greys become black ink only (no
four-colour text), other colours go through the printer profile (relative
colorimetric, littleCMS via Pillow's ImageCms), as a RIP would. Raster
images keep their own colour space (see the preflight for what it allows).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms

# WeasyPrint (pydyf) writes one operator per line and text as hex strings,
# so an RGB operator is a whole line of three numbers and rg/RG.
_NUMBER = rb"(-?\d*\.?\d+)"
RGB_OPERATOR = re.compile(rb"^" + rb" ".join([_NUMBER] * 3) + rb" (rg|RG)$", re.M)


@lru_cache(maxsize=8)
def _transform(profile: Path):
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=4096)
def rgb_to_cmyk(rgb: tuple[int, int, int], profile: Path) -> tuple[float, float, float, float]:
    """One sRGB colour (0-255 channels) as CMYK (0-1) for ``profile``."""
    r, g, b = rgb
    if r == g == b:
        return (0.0, 0.0, 0.0, round(1 - r / 255, 3))
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _transform(profile)).getpixel((0, 0))
    return tuple(round(v / 255, 3) for v in pixel)


def _cmyk_operator(match: re.Match, profile: Path) -> bytes:
    rgb = tuple(min(255, max(0, round(float(v) * 255))) for v in match.groups()[:3])
    c, m, y, k = rgb_to_cmyk(rgb, profile)
    operator = b"K" if match.group(4) == b"RG" else b"k"
    return f"{c:g} {m:g} {y:g} {k:g} ".encode() + operator


def _content_streams(pdf: pikepdf.Pdf):
    """Every page's content streams and every form XObject and tiling pattern they reach."""
    seen: set = set()
    pending = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        pending += list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        pending.append(page.obj.get("/Resources"))
    while pending:
        item = pending.pop()
        if item is None or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream) and item.get("/Subtype") != "/Image":
            yield item
            pending.append(item.get("/Resources"))
        elif isinstance(item, pikepdf.Dictionary) and not isinstance(item, pikepdf.Stream):
            for group in ("/XObject", "/Pattern"):
                pending += list((item.get(group) or {}).values())


def convert_to_cmyk(pdf: pikepdf.Pdf, profile: Path) -> None:
    """Every RGB fill and stroke colour in ``pdf`` converted to CMYK, in place."""
    for stream in _content_streams(pdf):
        content = stream.read_bytes()
        converted = RGB_OPERATOR.sub(lambda m: _cmyk_operator(m, profile), content)
        if converted != content:
            stream.write(converted)  # compressed again when saved
