"""Print files say the same in their document information and their XMP
(title, dates, trapping), and their PDF version is 1.6 in the header with no
other value in the catalog."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
from pikepdf.models.metadata import decode_pdf_date

from pdf_factory import pdf_pages
from pressroom.prepress import docinfo

DATES = (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate"))


def _same_moment(info_date, xmp_date) -> bool:
    return decode_pdf_date(str(info_date)) == dt.datetime.fromisoformat(str(xmp_date))


def test_print_files_info_and_xmp_agree(samples):
    files = sorted((samples.output / "print").rglob("*.print.pdf"))
    assert any("trifold" in p.name for p in files) and len(files) >= 8
    for path in files:
        pdf = pikepdf.open(path)
        info = pdf.docinfo
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") and str(info.get("/Title")) == xmp["dc:title"], path.name
            for info_key, xmp_key in DATES:
                assert info_key in info and xmp.get(xmp_key), (path.name, info_key)
                assert _same_moment(info[info_key], xmp[xmp_key]), (path.name, info_key)
            assert str(info.get("/Trapped")) == "/False" and xmp.get("pdf:Trapped") == "False", path.name


def test_print_files_are_pdf_1_6_in_header_and_catalog(samples):
    for path in sorted((samples.output / "print").rglob("*.print.pdf")):
        assert path.read_bytes()[:8] == b"%PDF-1.6", path.name
        pdf = pikepdf.open(path)
        assert pdf.pdf_version == "1.6"
        assert str(pdf.Root.get("/Version", "/1.6")) == "/1.6", path.name


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def test_info_holding_only_a_producer_gets_the_xmp_title_and_dates():
    pdf = _open(pdf_pages(1))
    for key in list(pdf.docinfo.keys()):
        if key != "/Producer":
            del pdf.docinfo[key]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = "A Title"
        xmp["xmp:CreateDate"] = "2026-08-20T00:00:00Z"
        xmp["xmp:ModifyDate"] = "2026-09-01T12:30:00Z"
    docinfo.agree(pdf, trapped=False)
    assert str(pdf.docinfo.Title) == "A Title"
    assert str(pdf.docinfo.CreationDate) == "D:20260820000000Z"
    assert str(pdf.docinfo.ModDate) == "D:20260901123000Z"
    assert str(pdf.docinfo.Trapped) == "/False"


def test_xmp_without_dates_gets_those_of_the_info():
    pdf = _open(pdf_pages(1))
    pdf.docinfo["/Title"] = "Info Title"
    pdf.docinfo["/CreationDate"] = "D:20260820000000Z"
    pdf.docinfo["/ModDate"] = "D:20260820000000Z"
    docinfo.agree(pdf)
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == "Info Title"
        assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == "2026-08-20T00:00:00Z"
        assert "pdf:Trapped" not in xmp
