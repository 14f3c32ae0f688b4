"""Byte-identical print files: the same inputs give the same PDF.

WeasyPrint gives PDF/X-4 files a random XMP DocumentID; it is replaced by a
value derived from the content, and the file is saved with a content-derived
/ID, so a rebuild can be verified by its hash and the cache is honest.
"""

from __future__ import annotations

import hashlib
import re

import pikepdf

DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _page_contents(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))


def stable_identity(pdf: pikepdf.Pdf) -> None:
    """In place; save with ``deterministic_id=True`` afterwards."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        xmp = metadata.read_bytes()
        digest = hashlib.sha256(DOCUMENT_ID.sub(b"", xmp) + b"".join(map(_page_contents, pdf.pages))).hexdigest()
        stable = f"xmp.did:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        metadata.write(DOCUMENT_ID.sub(stable.encode(), xmp))
    if "/ID" in pdf.trailer:
        del pdf.trailer["/ID"]
