"""The HTML edition: ``html/<lang>/<slug>/index.html``, one static page per
edition from the same content model as the PDFs (render_edition with
``layouts/shared/web/edition.html.j2``): semantic HTML, a skip link, no
scripts, one inlined stylesheet that reflows down to 320 px and has print
rules. Its images are copied beside it; the shipped fonts are linked from
the output folder's ``fonts/``, which every build fills, so the output
folder can be served as it is by any web server (or opened from disk).

One per edition, not per layout: the registry makes every kind in each
layout job, so this kind is ``per_edition``: only the job of the edition's
first layout makes it (variants.py), whatever layout that job ends up in,
and its manifest entry names that first layout. That job's key already
covers everything the page is made from (the edition's files, the shared
layout files, this code).
"""

from __future__ import annotations

from markupsafe import Markup

from ..diagnostics import LocatedError
from .kind import OutputKind

TEMPLATE = "shared/web/edition.html.j2"
STYLESHEET = "shared/web/edition.css"


def _layouts_dir(job):
    return job.layout.folder.parent


def make(job, laid, made: dict, report) -> bytes | None:
    from ..render.html import render_edition
    from ..render.i18n import other_language_link
    from ..render.web import image_files, with_header_scopes, with_local_images

    edition, layouts_dir = job.edition, _layouts_dir(job)
    languages = [(lang, other_language_link(layouts_dir, lang), f"../../{lang}/{edition.slug}/index.html")
                 for lang in edition.other_langs]
    css = (layouts_dir / STYLESHEET).read_text(encoding="utf-8")
    try:
        html = render_edition(edition, job.library, layouts_dir, TEMPLATE,
                              {"css": Markup(css), "page_languages": languages})
    except LocatedError as exc:  # a template or message catalogue that does not work
        exc.report_to(report)
        return None
    return with_header_scopes(with_local_images(html, image_files(edition))).encode()


def _images(job) -> dict:
    from ..render.web import image_files

    return image_files(job.edition)


HTML = OutputKind("html", "html", "/index.html", "static HTML page per edition, images beside it", make,
                  per_edition=True, beside=_images)
