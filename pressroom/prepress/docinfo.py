"""The document information dictionary and the XMP metadata say the same
thing: title, creation and modification dates, trapping. Readers and RIPs
take either one, and PDF/X requires that they agree."""

from __future__ import annotations

import datetime as dt

import pikepdf
from pikepdf import Name
from pikepdf.models.metadata import decode_pdf_date, encode_pdf_date

# Info key -> XMP property, for the dates
DATES = {"/CreationDate": "xmp:CreateDate", "/ModDate": "xmp:ModifyDate"}


def _from_info(value) -> dt.datetime | None:
    try:
        return decode_pdf_date(str(value))
    except (ValueError, TypeError):
        return None


def _from_xmp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except (ValueError, TypeError):
        return None


def _xmp_date(when: dt.datetime) -> str:
    text = when.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _info_date(when: dt.datetime) -> str:
    # The form WeasyPrint writes: stays byte-identical when the date is UTC.
    if when.utcoffset() == dt.timedelta(0):
        return f"D:{when:%Y%m%d%H%M%S}Z"
    return encode_pdf_date(when)


def agree(pdf: pikepdf.Pdf, trapped: bool | None = None) -> None:
    """In place: Title and dates in both places (the XMP wins where both
    have a value; a date missing in both is left missing), and /Trapped
    when ``trapped`` is given."""
    info = pdf.docinfo
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        title = str(xmp.get("dc:title") or info.get(Name.Title) or "")
        if title:
            xmp["dc:title"] = title
            info[Name.Title] = pikepdf.String(title)
        for key, prop in DATES.items():
            when = _from_xmp(xmp.get(prop)) or _from_info(info.get(key))
            if when is None:
                continue
            xmp[prop] = _xmp_date(when)
            info[key] = pikepdf.String(_info_date(when))
        if trapped is not None:
            xmp["pdf:Trapped"] = str(trapped)
            info[Name.Trapped] = Name("/True" if trapped else "/False")
