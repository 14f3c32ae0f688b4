"""Small PDFs made with ReportLab for prepress tests: each a known defect."""

from __future__ import annotations

import io

import pikepdf
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pressroom.options import PROJECT_ROOT

IN = 72.0
# Embedded (ReportLab subsets TrueType fonts); Helvetica is the unembedded one.
pdfmetrics.registerFont(TTFont("PublicSans", str(
    PROJECT_ROOT / "layouts/shared/fonts/public-sans/public-sans-latin-400-normal.ttf")))


def pdf_pages(pages: int, size=(5.5 * IN, 8.5 * IN), label=True, bleed=True, draw=None) -> bytes:
    """``pages`` pages whose number is printed large in the middle, with
    TrimBox/BleedBox like the build's print files unless ``bleed`` is False."""
    buffer = io.BytesIO()
    width, height = size
    b = 9 if bleed else 0
    pdf = canvas.Canvas(buffer, pagesize=(width + 2 * b, height + 2 * b), invariant=1)
    for number in range(1, pages + 1):
        if bleed:
            pdf.setTrimBox((b, b, width + b, height + b))
            pdf.setBleedBox((0, 0, width + 2 * b, height + 2 * b))
        if label:
            pdf.setFillColorCMYK(0, 0, 0, 1)
            pdf.setFont("PublicSans", 40)
            pdf.drawCentredString(b + width / 2, b + height / 2, f"P{number}")
        if draw:
            draw(pdf, b, width, height)
        pdf.showPage()
    pdf.save()
    return _without_unused_fonts(buffer.getvalue())


def _without_unused_fonts(data: bytes) -> bytes:
    """ReportLab selects Helvetica on every page, text or not; drop that so
    each test PDF has only the defect it is made for."""
    pdf = pikepdf.open(io.BytesIO(data))
    used = set()
    for page in pdf.pages:
        content = page.Contents.read_bytes().replace(b"BT /F1 12 Tf 14.4 TL ET", b"")
        page.Contents = pdf.make_stream(content)
        used |= {name for name in (page.Resources.get("/Font") or {}).keys() if f"{name} ".encode() in content}
    for page in pdf.pages:
        fonts = page.Resources.get("/Font") or {}
        for name in list(fonts.keys()):
            if name not in used:
                del fonts[name]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def with_output_intent(data: bytes, profile_path) -> bytes:
    """Add a PDF/X output intent, as WeasyPrint's print files have."""
    pdf = pikepdf.open(io.BytesIO(data))
    profile = pikepdf.Stream(pdf, open(profile_path, "rb").read())
    profile["/N"] = 4
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, OutputConditionIdentifier="CMYK",
        DestOutputProfile=profile)])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def image_reader(pixels: int, mode="CMYK") -> ImageReader:
    colour = (0, 128, 255, 0) if mode == "CMYK" else (255, 0, 0)
    return ImageReader(Image.new(mode, (pixels, pixels), colour))
