"""Two-column lists read down the first column, then the second."""

from __future__ import annotations

import pdfplumber

from pressroom.build import build

ITEMS = [f"Item{n:02d}" for n in range(1, 11)]


def test_two_column_list_fills_down(tree):
    tree.publication(text="## Symptoms\n\nSymptoms include:\n\n" + "".join(f"- {item}\n" for item in ITEMS))
    result = build(tree.options())
    assert not result.report.errors
    with pdfplumber.open(tree.output / "pdf" / "en" / "sample.fact-sheet.pdf") as pdf:
        words = {w["text"]: w for w in pdf.pages[0].extract_words() if w["text"] in ITEMS}
    assert set(words) == set(ITEMS)
    first, second = ITEMS[:5], ITEMS[5:]
    # Down the first column: one left edge, each item below the one before.
    assert len({round(words[i]["x0"]) for i in first}) == 1
    assert all(words[a]["top"] < words[b]["top"] for a, b in zip(first, first[1:]))
    # The second column starts at the top again, to the right.
    assert words[second[0]]["x0"] > words[first[0]]["x0"] + 72
    assert abs(words[second[0]]["top"] - words[first[0]]["top"]) < 1
