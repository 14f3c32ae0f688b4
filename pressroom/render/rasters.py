"""Raster images of a print file to CMYK (called by render/colour.py).

Each RGB image (device RGB, ICC-based RGB, or a palette over RGB) is decoded,
converted through the transform it is given (from the profile the image's
file carries, else sRGB) and written back as DeviceCMYK: JPEG again for a
JPEG photo, losslessly (Flate) for anything else.
An image whose pixels are all neutral becomes DeviceGray instead, so it
prints on black ink only. A soft mask (transparency) is left as it is:
PDF/X-4 keeps transparency live and the RIP composites the image with what
lies under it. The screen file is made from the same laid-out pages and
keeps the original pixels, drawn through the profile their file carries
(:func:`keep_profiles`).
"""

from __future__ import annotations

import io
import zlib
from typing import Callable

import pikepdf
from pikepdf import Name
from pikepdf.models.image import PdfImage
from PIL import Image, ImageChops, ImageCms

JPEG_QUALITY = 95  # for photos that came as JPEG: no visible loss, a fraction of the lossless size


def drawn_streams(pdf: pikepdf.Pdf):
    """Each form XObject and tiling pattern the pages reach (through one
    another too), once."""
    seen: set = set()
    pending = [page.obj.get("/Resources") for page in pdf.pages]
    while pending:
        resources = pending.pop()
        for group in ("/XObject", "/Pattern"):
            for item in ((resources or {}).get(group) or {}).values():
                if isinstance(item, pikepdf.Stream) and item.get("/Subtype") != "/Image" and item.objgen not in seen:
                    seen.add(item.objgen)
                    yield item
                    pending.append(item.get("/Resources"))


def _image_names(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """Each image XObject's resource name (the first found), by object."""
    names: dict[tuple[int, int], str] = {}
    holders = [page.obj.get("/Resources") for page in pdf.pages] + [s.get("/Resources") for s in drawn_streams(pdf)]
    for resources in holders:
        for name, item in ((resources or {}).get("/XObject") or {}).items():
            if item.get("/Subtype") == "/Image":
                names.setdefault(item.objgen, name.lstrip("/"))
    return names


def _rgb_space(space) -> bool:
    if space == Name.DeviceRGB:
        return True
    if isinstance(space, pikepdf.Array) and len(space) >= 2:
        if space[0] == Name.ICCBased:
            return int(space[1].get("/N", 0)) == 3
        if space[0] == Name.Indexed:
            return _rgb_space(space[1])
    return False


def _embedded_icc(space) -> bytes | None:
    if isinstance(space, pikepdf.Array) and len(space) >= 2:
        if space[0] == Name.ICCBased:
            return space[1].read_bytes()
        if space[0] == Name.Indexed:
            return _embedded_icc(space[1])
    return None


def is_neutral(image: Image.Image) -> bool:
    red, green, blue = image.split()
    return ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None


def _replace(xobject: pikepdf.Stream, image: Image.Image, space: Name) -> None:
    """The new pixels: a photo stays JPEG (at high quality), anything else is lossless."""
    for key in ("/Decode", "/DecodeParms"):
        if key in xobject:
            del xobject[key]
    if xobject.get("/Filter") == Name.DCTDecode:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
        xobject.write(out.getvalue(), filter=Name.DCTDecode)
        if image.mode == "CMYK":  # Pillow writes Adobe-style (inverted) CMYK JPEGs
            xobject.Decode = pikepdf.Array([1, 0] * 4)
    else:
        xobject.write(zlib.compress(image.tobytes(), 6), filter=Name.FlateDecode)
    xobject.ColorSpace = space
    xobject.BitsPerComponent = 8


def _rgb_profile(icc: bytes) -> bool:
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip() == "RGB"
    except (OSError, ImageCms.PyCMSError):
        return False


def keep_profiles(pdf: pikepdf.Pdf, file_profiles: dict[str, bytes]) -> None:
    """For the screen file: each RGB image whose file carries an RGB ICC
    profile is drawn through it (WeasyPrint writes every image as device
    RGB, which a viewer shows as sRGB)."""
    names = _image_names(pdf)
    for item in list(pdf.objects):
        if not (isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image"
                and item.get("/ColorSpace") == Name.DeviceRGB):
            continue
        icc = file_profiles.get(names.get(item.objgen, "")[:-1])
        if icc and _rgb_profile(icc):
            item.ColorSpace = pikepdf.Array([Name.ICCBased, pdf.make_stream(icc, N=3, Alternate=Name.DeviceRGB)])


def convert_images(pdf: pikepdf.Pdf, transform_for: Callable[[bytes | None], object],
                   file_profiles: dict[str, bytes]) -> None:
    """In place. ``transform_for(icc)`` gives the littleCMS transform from
    that source profile (None: sRGB); ``file_profiles`` the profiles the
    images' files carry, by XObject name without its last character."""
    names = _image_names(pdf)
    for item in list(pdf.objects):
        if not (isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image"):
            continue
        space = item.get("/ColorSpace")
        if not _rgb_space(space) or item.get("/ImageMask", False):
            continue
        try:
            image = PdfImage(item).as_pil_image().convert("RGB")
        except Exception:  # noqa: BLE001 - an encoding pikepdf cannot decode: left RGB, preflight reports it
            continue
        if is_neutral(image):
            _replace(item, image.convert("L"), Name.DeviceGray)
            continue
        icc = _embedded_icc(space) or file_profiles.get(names.get(item.objgen, "")[:-1])
        icc = icc if icc and _rgb_profile(icc) else None  # a grey, CMYK or damaged profile: the pixels are sRGB
        _replace(item, ImageCms.applyTransform(image, transform_for(icc)), Name.DeviceCMYK)
