"""Screen colours to print colours: its own step, after the print file is written.

Print files are PDF/X-4 with a CMYK output intent, so every colour drawn in
them must be CMYK. Layouts, SVG figures and the laid-out pages are sRGB (the
same boxes give the screen file). :func:`convert_to_cmyk` converts, in place:

- each RGB fill and stroke operator (``rg``/``RG``) in the page, form and
  pattern content streams, to ``k``/``K`` (WeasyPrint draws every CSS and
  SVG colour, whatever its notation, with these operators);
- each RGB shading (SVG and CSS gradients): its colour space and the end
  colours of its functions;
- each RGB raster image (render/rasters.py);
- each transparency group's blending space.

Neutral greys become black ink only (no four-colour text or rules); other
colours go through the printer profile with littleCMS (Pillow's ImageCms),
relative colorimetric with black-point compensation, as a RIP would.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import Image, ImageCms

from .rasters import convert_images, drawn_streams

RENDERING_INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
INTENT_NAME = "relative colorimetric with black-point compensation"

# WeasyPrint (pydyf) writes one operator per line and text as hex strings,
# so an RGB operator is a whole line of three numbers and rg/RG.
_NUMBER = rb"(-?\d*\.?\d+)"
RGB_OPERATOR = re.compile(rb"^" + rb" ".join([_NUMBER] * 3) + rb" (rg|RG)$", re.M)


@lru_cache(maxsize=32)
def transform(profile: Path, source_icc: bytes | None = None, mode: str = "RGB"):
    """sRGB (or the ``source_icc`` profile) to the printer's CMYK ``profile``."""
    source = ImageCms.ImageCmsProfile(io.BytesIO(source_icc)) if source_icc else ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(source, ImageCms.getOpenProfile(str(profile)), mode, "CMYK",
                                   renderingIntent=RENDERING_INTENT,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@lru_cache(maxsize=4096)
def rgb_to_cmyk(rgb: tuple[int, int, int], profile: Path) -> tuple[float, float, float, float]:
    """One sRGB colour (0-255 channels) as CMYK (0-1) for ``profile``."""
    r, g, b = rgb
    if r == g == b:
        return (0.0, 0.0, 0.0, round(1 - r / 255, 3))
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform(profile)).getpixel((0, 0))
    return tuple(round(v / 255, 3) for v in pixel)


def _cmyk_operator(match: re.Match, profile: Path) -> bytes:
    rgb = tuple(min(255, max(0, round(float(v) * 255))) for v in match.groups()[:3])
    c, m, y, k = rgb_to_cmyk(rgb, profile)
    operator = b"K" if match.group(4) == b"RG" else b"k"
    return f"{c:g} {m:g} {y:g} {k:g} ".encode() + operator


def _content_streams(pdf: pikepdf.Pdf):
    """Every page's content streams and every form XObject and tiling pattern they reach."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        yield from (contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else [])
    yield from drawn_streams(pdf)


def _is_rgb(space) -> bool:
    if space == Name.DeviceRGB:
        return True
    return isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == Name.ICCBased \
        and int(space[1].get("/N", 0)) == 3


def _cmyk_array(values, profile: Path) -> pikepdf.Array:
    rgb = tuple(min(255, max(0, round(float(v) * 255))) for v in values)
    return pikepdf.Array(rgb_to_cmyk(rgb, profile))


def _parts(function) -> list | None:
    """The exponential (type 2) functions an RGB shading function is made of;
    None when it has another kind (sampled, PostScript): left RGB, for
    preflight to report, never half converted."""
    kind = int(function.get("/FunctionType", -1))
    if kind == 2:
        return [function]
    if kind == 3:
        parts = [_parts(part) for part in function.Functions]
        return None if any(p is None for p in parts) else [f for p in parts for f in p]
    return None


def _convert_function(function, profile: Path, done: set) -> bool:
    """An RGB shading function's colours as CMYK (each part once, even when shared)."""
    parts = _parts(function)
    if parts is None:
        return False
    for part in parts:
        key = part.objgen if part.is_indirect else id(part)
        if key in done:
            continue
        done.add(key)
        part.C0 = _cmyk_array(part.get("/C0", [0, 0, 0]), profile)
        part.C1 = _cmyk_array(part.get("/C1", [1, 1, 1]), profile)
    return True


def _convert_shadings(pdf: pikepdf.Pdf, profile: Path) -> None:
    done: set = set()
    for item in pdf.objects:
        if isinstance(item, pikepdf.Dictionary) and "/ShadingType" in item and _is_rgb(item.get("/ColorSpace")):
            function = item.get("/Function")
            if function is not None and not isinstance(function, pikepdf.Array) \
                    and _convert_function(function, profile, done):
                item.ColorSpace = Name.DeviceCMYK


def _convert_groups(pdf: pikepdf.Pdf) -> None:
    """Transparency groups blend in CMYK, the output intent's space (a
    DeviceRGB blending space is not allowed in PDF/X-4)."""
    for item in pdf.objects:
        if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            group = item.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and _is_rgb(group.get("/CS")):
                group.CS = Name.DeviceCMYK


def convert_to_cmyk(pdf: pikepdf.Pdf, profile: Path, image_profiles: dict[str, bytes] | None = None) -> None:
    """Every RGB colour in ``pdf`` converted to CMYK, in place.
    ``image_profiles``: the ICC profile a raster image's file carries, by
    the name of its XObject without the last character (WeasyPrint does not
    keep them in the PDF)."""
    for stream in _content_streams(pdf):
        content = stream.read_bytes()
        converted = RGB_OPERATOR.sub(lambda m: _cmyk_operator(m, profile), content)
        if converted != content:
            stream.write(converted)  # compressed again when saved
    _convert_shadings(pdf, profile)
    _convert_groups(pdf)
    convert_images(pdf, lambda icc: transform(profile, icc), image_profiles or {})
