"""What an imposed file for office printers claims about itself. Its sheets
are untagged (the structure tree pointed at the pages it replaced) and its
colours are the screen file's DeviceRGB, so it claims neither PDF/UA nor
PDF/X nor an output intent; its title and dates read the same in the
document information and the XMP."""

from __future__ import annotations

import pikepdf

from . import docinfo

CLAIMS = ("pdfuaid:part", "pdfuaid:rev", "pdfuaid:amd", "pdfaid:part", "pdfaid:conformance",
          "pdfxid:GTS_PDFXVersion")
ROOT_CLAIMS = ("/StructTreeRoot", "/MarkInfo", "/OutputIntents")


def declare_office(pdf: pikepdf.Pdf) -> None:
    """In place, after the pages were imposed."""
    for key in ROOT_CLAIMS:
        if key in pdf.Root:
            del pdf.Root[key]
    if "/GTS_PDFXVersion" in pdf.docinfo:
        del pdf.docinfo["/GTS_PDFXVersion"]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        for key in CLAIMS:
            if key in xmp:
                del xmp[key]
    docinfo.agree(pdf)
