"""Short lists (6 items or fewer, whose text fits about 6 lines) and short tables (8 rows or fewer) are
never split by a page break, wherever they fall; longer ones may split and
a table repeats its header row. Checked on WeasyPrint's own page boxes."""

from __future__ import annotations

import pytest

from test_pagination import content_boxes, render_pages

WORDS = "Clinical research uses volunteers to help scientists learn more about a disorder. "


def _pages_of(pages, tag: str) -> list[set[int]]:
    """For each element with ``tag``, the pages its boxes are on."""
    found: dict[object, set[int]] = {}
    for number, page in enumerate(pages, start=1):
        for box in content_boxes(page):
            if box.element_tag == tag:
                found.setdefault(box.element, set()).add(number)
    return list(found.values())


@pytest.mark.parametrize("filler", range(0, 30, 3))
def test_short_lists_and_tables_are_never_split(tree, filler):
    items = "".join(f"- Item {n}: a short item\n" for n in range(6))
    rows = "| Test | What it shows |\n|---|---|\n" + "".join(f"| Test {n} | {WORDS} |\n" for n in range(8))
    text = ("## Opening\n\n" + WORDS * filler + "\n\n" + "".join(f"{WORDS * 4}\n\n" for _ in range(3))
            + items + "\n" + WORDS * 6 + "\n\n" + rows + "\n" + WORDS * 3 + "\n")
    tree.publication(text=text)
    for _, pages in render_pages(tree.options()):
        assert len(pages) >= 2
        for tag in ("ul", "table"):
            assert all(len(on) == 1 for on in _pages_of(pages, tag)), (tag, _pages_of(pages, tag))


def test_a_long_table_that_splits_repeats_its_header(tree):
    rows = "| Test | What it shows |\n|---|---|\n" + "".join(f"| Test {n} | {WORDS * 2} |\n" for n in range(30))
    tree.publication(text="## Tests\n\n" + rows)
    for _, pages in render_pages(tree.options()):
        heads = [number for number, page in enumerate(pages, start=1)
                 for box in content_boxes(page) if box.element_tag == "thead"]
        tables = _pages_of(pages, "table")
        assert len(tables[0]) >= 2 and tables[0] <= set(heads)
