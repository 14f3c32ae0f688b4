"""Finishing the one PDF written per edition and layout (render/pdf.py)
into its two files, each in one pass over the open PDF:

- the screen file: every page cut at its trim (the bleed drawn around it
  is outside the page), a list, table or section split by a page break made
  one element again (render/fragments.py), page furniture made Artifacts
  (render/furniture.py),
  a space at every line end of tagged text (render/wordspace.py), styled
  labels given their words and spans in another language their /Lang
  (render/labels.py),
  images drawn through the ICC profile their files carry (render/rasters.py),
  links described in words, element IDs in an /IDTree, table header
  cells scoped, links to other editions marked with their language
  (render/tagging.py);
- the print file: PDF/X-4 (output intent, identification), colours to CMYK,
  a tri-fold's panels onto its two sheet sides, marks and page boxes, and a
  content-derived identity.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..render.colour import convert_to_cmyk
from ..render.fragments import join_split_elements
from ..render.rasters import keep_profiles
from ..render.furniture import mark_furniture
from ..render.labels import set_label_words, set_span_languages, set_unhyphenated
from ..render.layouts import LayoutSpec
from ..render.pagecontent import read_pages, write_pages
from ..render.tagging import add_id_tree, set_header_scopes, set_link_descriptions, set_link_languages
from ..render.wordspace import add_line_end_spaces
from . import BLEED_PT
from .identity import stable_identity
from .impose import impose_trifold
from .marks import add_marks
from .pdfx import declare_pdfx4

PRINT_PDF_VERSION = "1.6"  # PDF/X-4 is based on PDF 1.6


def _saved(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, **options)
    return out.getvalue()


@dataclass
class ScreenFacts:
    """What the laid-out pages and the edition say that the tags must carry."""
    link_languages: dict[str, str] = field(default_factory=dict)  # address of another edition -> its language
    link_descriptions: dict[str, str] = field(default_factory=dict)  # link target -> what it does, in words
    label_words: dict[int, dict[str, str]] = field(default_factory=dict)  # page -> (label as drawn -> as written)
    span_languages: dict[int, dict[str, str]] = field(default_factory=dict)  # page -> (text as drawn -> language)
    continued: list[set[str]] = field(default_factory=list)  # per page break, the HTML tags it splits
    added_hyphens: dict[int, dict[str, str]] = field(default_factory=dict)  # page -> (line -> without its hyphen)
    image_profiles: dict[str, bytes] = field(default_factory=dict)  # image XObject name (less its last character) -> ICC


def finish_screen_file(data: bytes, facts: ScreenFacts) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            trim = pikepdf.Array([float(v) for v in page.trimbox])
            for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
                page.obj[box] = trim
        join_split_elements(pdf, facts.continued)
        keep_profiles(pdf, facts.image_profiles)
        pages = read_pages(pdf)
        mark_furniture(pdf, pages)
        add_line_end_spaces(pages)
        set_label_words(pdf, pages, facts.label_words)
        set_span_languages(pdf, pages, facts.span_languages)
        set_unhyphenated(pdf, pages, facts.added_hyphens)
        write_pages(pdf, pages)
        add_id_tree(pdf)
        set_header_scopes(pdf)
        set_link_descriptions(pdf, facts.link_descriptions)
        if facts.link_languages:
            set_link_languages(pdf, facts.link_languages)
        return _saved(pdf)


def finish_print_file(data: bytes, spec: LayoutSpec, cmyk_profile: Path,
                      image_profiles: dict[str, bytes] | None = None) -> bytes:
    """``image_profiles``: the ICC profiles images' files carry (render/colour.py)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        declare_pdfx4(pdf, cmyk_profile)
        convert_to_cmyk(pdf, cmyk_profile, image_profiles)
        trifold = spec.imposition == "trifold"
        if trifold:
            impose_trifold(pdf, bleed_pt=BLEED_PT)
        add_marks(pdf, [spec.folds_in(1), spec.folds_in(2)] if trifold else None)
        stable_identity(pdf)
        return _saved(pdf, force_version=PRINT_PDF_VERSION)
