"""Make a PDF a PDF/X-4 file: the printer's CMYK profile as its output
intent, and the PDF/X identification in the XMP metadata and the document
information (ISO 15930-7). The colours are converted separately (render/colour.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import ImageCms

from . import docinfo

PDFX_VERSION = "PDF/X-4"


def _profile_name(profile: Path) -> str:
    return ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip() or profile.name


def declare_pdfx4(pdf: pikepdf.Pdf, profile: Path) -> None:
    """In place. The document ID is derived from the file's content later
    (identity.py); the date of the metadata is the document's own."""
    icc = profile.read_bytes()
    name = pikepdf.String(_profile_name(profile))
    intent = pikepdf.Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=name, Info=name,
                                DestOutputProfile=pdf.make_stream(icc, N=4))
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    if "/Version" in pdf.Root:  # the header alone says 1.6 (press.py saves with force_version)
        del pdf.Root["/Version"]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        modified = xmp.get("xmp:ModifyDate") or xmp.get("xmp:CreateDate")
        for key in ("pdfuaid:part", "pdfuaid:rev"):  # the print file is not checked as PDF/UA
            if key in xmp:
                del xmp[key]
        xmp["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
        if modified:
            xmp["xmp:MetadataDate"] = modified
        placeholder = hashlib.sha256(icc).hexdigest()  # replaced by identity.stable_identity
        xmp["xmpMM:DocumentID"] = (f"xmp.did:{placeholder[:8]}-{placeholder[8:12]}-{placeholder[12:16]}-"
                                   f"{placeholder[16:20]}-{placeholder[20:32]}")
        xmp["xmpMM:RenditionClass"] = "default"
        xmp["xmpMM:VersionID"] = "1"
    docinfo.agree(pdf, trapped=False)
