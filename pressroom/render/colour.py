"""Screen colours to print colours.

Print files are PDF/X-4 with a CMYK output intent, so every colour in them
must be CMYK. Layout CSS and SVG figures are written in sRGB once; for the
print variant the fetcher passes them through :func:`to_device_cmyk`, which
rewrites each ``#rrggbb``/``#rgb`` colour as ``device-cmyk()``: neutral greys
become black ink only (no four-colour text), other colours go through the
configured printer profile (relative colorimetric), like a RIP would.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


@lru_cache(maxsize=8)
def _transform(profile: Path):
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=4096)
def rgb_to_cmyk(hex_colour: str, profile: Path) -> tuple[float, float, float, float]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    if r == g == b:
        return (0.0, 0.0, 0.0, round(1 - r / 255, 3))
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (r, g, b)), _transform(profile)).getpixel((0, 0))
    return tuple(round(v / 255, 3) for v in pixel)


def to_device_cmyk(text: str, profile: Path) -> str:
    def replace(match: re.Match) -> str:
        c, m, y, k = rgb_to_cmyk(match.group(0), profile)
        return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"

    return HEX_COLOUR.sub(replace, text)
