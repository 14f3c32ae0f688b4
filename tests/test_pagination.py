"""Page breaks a reader would notice: no heading alone at the bottom of a page,
no list item split across pages. Checked on WeasyPrint's own page boxes."""

from __future__ import annotations

import pytest
from weasyprint.formatting_structure.boxes import LineBox, MarginBox

from pressroom.project import load, selected_jobs
from pressroom.options import BuildOptions
from pressroom.render.html import render_html
from pressroom.render.pdf import PdfRenderer


def render_pages(options: BuildOptions):
    """(slug, laid-out pages) of every edition in each of its layouts."""
    options = options.resolved()
    loaded = load(options)
    renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
    for edition, layout in selected_jobs(options, loaded):
        yield edition.slug, renderer.lay_out(render_html(edition, layout, loaded.library), layout.folder).document.pages


def content_boxes(page):
    for child in page._page_box.children:
        if not isinstance(child, MarginBox):
            yield from child.descendants()


def break_problems(slug, pages) -> list[str]:
    problems = []
    items_seen: dict[object, int] = {}
    for number, page in enumerate(pages[:-1], start=1):
        lines = [box for box in content_boxes(page) if isinstance(box, LineBox)]
        if lines and lines[-1].element_tag in ("h1", "h2", "h3", "dt"):
            problems.append(f"{slug} page {number}: ends with a heading")
    for number, page in enumerate(pages, start=1):
        for element in {box.element for box in content_boxes(page) if box.element_tag == "li"}:
            if element in items_seen and items_seen[element] != number:
                problems.append(f"{slug} page {number}: list item split from page {items_seen[element]}")
            items_seen.setdefault(element, number)
    return problems


def test_samples_break_pages_cleanly():
    problems = []
    for slug, pages in render_pages(BuildOptions()):
        problems += break_problems(slug, pages)
    assert problems == []


@pytest.mark.parametrize("filler", range(0, 24, 2))
def test_headings_and_items_never_strand(tree, filler):
    """Slide a heading and a long list item through every position near the
    bottom of page 1: none may be stranded or split."""
    words = "Clinical research uses volunteers to help scientists learn more about a disorder. "
    # Items of 6+ lines: shorter ones can never split with WeasyPrint's default
    # orphans and widows (2), and would prove nothing.
    item = "A long list item that wraps onto several lines, " * 11
    text = (
        "## Opening section\n\n"
        + words * filler + "\n\n"
        + "".join(f"{words * 4}\n\n" for _ in range(3))
        + "## A heading that must stay with its text\n\n"
        + "".join(f"- {i}. {item}\n" for i in range(6)) + "\n"
        + "### A subheading\n\n" + words * 3 + "\n"
    )
    tree.publication(text=text)
    problems = []
    for slug, pages in render_pages(tree.options()):
        assert len(pages) >= 2
        problems += break_problems(slug, pages)
    assert problems == []
