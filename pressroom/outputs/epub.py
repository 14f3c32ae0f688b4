"""The EPUB 3 edition: ``epub/<lang>/<slug>.epub``, one per edition (made
like the HTML edition by the job of the edition's first layout; see
html_edition.py), from the same content model: one content document in
reading order, a navigation document with the table of contents and
landmarks, every image with its alt text, ``dc:language``, and the EPUB
Accessibility 1.1 metadata. The templates are under ``layouts/shared/epub/``;
the text is rendered as HTML there, then written as XHTML (lxml) since an
EPUB's documents are XML. The same edition gives the same bytes: fixed
file times (the review date) and an identifier made from its online address.
"""

from __future__ import annotations

import io
import uuid
import zipfile

from markupsafe import Markup

from ..diagnostics import LocatedError
from .kind import OutputKind

FOLDER = "shared/epub"
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def to_xhtml(html: str) -> str:
    """An HTML fragment as well-formed XHTML (void elements closed, entities as characters)."""
    from lxml import etree, html as lxml_html

    parts = lxml_html.fragments_fromstring(html)
    text = ""
    if parts and isinstance(parts[0], str):  # text before the first element
        text, parts = str(Markup.escape(parts[0])), parts[1:]
    return text + "".join(etree.tostring(part, method="xml", encoding="unicode") for part in parts)


def make(job, laid, made: dict, report) -> bytes | None:
    try:
        files = _documents(job)
    except LocatedError as exc:  # a template or message catalogue that does not work
        exc.report_to(report)
        return None
    return _zipped(files, job.edition.meta.reviewed)


def _documents(job) -> dict[str, bytes]:
    """Every file of the EPUB but the mimetype, by its path in the container."""
    from ..render.html import online_url, render_edition
    from ..render.web import image_files, with_header_scopes, with_local_images

    edition, layouts_dir = job.edition, job.layout.folder.parent
    images = image_files(edition)

    def render(name: str, extra: dict | None = None) -> bytes:
        return render_edition(edition, job.library, layouts_dir, f"{FOLDER}/{name}.j2", extra or {}).encode()

    body = with_header_scopes(with_local_images(render("body.html").decode(), images, "images/"))
    address = online_url(job.library, edition.slug, edition.lang)
    listed = [(f"images/{name}", MEDIA_TYPES[path.suffix.lower()]) for name, path in images.items()]
    files = {
        "META-INF/container.xml": CONTAINER,
        "EPUB/package.opf": render("package.opf", {"identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, address)}",
                                                   "images": listed}),
        "EPUB/nav.xhtml": render("nav.xhtml"),
        "EPUB/content.xhtml": render("content.xhtml", {"body": Markup(to_xhtml(body))}),
        "EPUB/style.css": (layouts_dir / FOLDER / "style.css").read_bytes(),
    }
    files.update({f"EPUB/images/{name}": path.read_bytes() for name, path in images.items()})
    return files


def _zipped(files: dict[str, bytes], date) -> bytes:
    """The container: ``mimetype`` first and stored (readers sniff it), then the rest compressed."""
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), b"application/epub+zip", zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


EPUB = OutputKind("epub", "epub", ".epub", "EPUB 3 e-book per edition, with accessibility metadata", make,
                  per_edition=True)
