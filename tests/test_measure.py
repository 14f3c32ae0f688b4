"""Measure: body text sets 55-80 characters a line in the fact sheet and the
booklet, read from the built PDFs. A line counts when the same paragraph goes
on below it (a paragraph's last line is short by nature): same size, same left
edge, one line's leading further down."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import pdfplumber
import pytest

MEASURE = (55, 80)
BULLETS = ("•", "–", "-")


def _lines(page, size: float) -> list[tuple[float, float, str]]:
    """(top, left, text) of each line set in ``size``, top to bottom."""
    rows = defaultdict(list)
    for char in page.chars:
        if round(char["size"], 1) == size:
            rows[round(char["top"])].append(char)
    lines = []
    for top in sorted(rows):
        chars = sorted(rows[top], key=lambda c: c["x0"])
        lines.append((top, round(chars[0]["x0"]), "".join(c["text"] for c in chars).strip()))
    return lines


def full_body_lines(path) -> list[str]:
    """Every line of running text that is not a paragraph's last."""
    with pdfplumber.open(path) as pdf:
        sizes = Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars if c["text"].strip())
        body = sizes.most_common(1)[0][0]
        pages = [_lines(page, body) for page in pdf.pages]
        leading = 1.38 * body  # a line's advance within a paragraph, at most 1.45
        found = []
        for lines in pages:
            # Paragraphs start at the column's left edge; list items, cards and callouts do not.
            text_lines = [line for line in lines if not line[2].startswith(BULLETS)]
            if not text_lines:
                continue
            left = Counter(x for _, x, _ in text_lines).most_common(1)[0][0]
            for (top, x, text), (next_top, next_x, _) in zip(lines, lines[1:]):
                if x == left == next_x and leading - 1 <= next_top - top <= 1.45 * body + 1:
                    found.append(text)
        return found


@pytest.mark.parametrize("slug, layout, lang", [
    ("paraneoplastic-syndromes", "fact-sheet", "en"), ("paraneoplastic-syndromes", "fact-sheet", "es"),
    ("myasthenia-gravis", "fact-sheet", "en"), ("cerebellar-degeneration", "fact-sheet", "en"),
    ("stiff-person-syndrome", "fact-sheet", "es"), ("opsoclonus-myoclonus-syndrome", "fact-sheet", "en"),
    ("myasthenia-gravis", "booklet", "en"), ("cerebellar-degeneration", "booklet", "en"),
])
def test_body_text_keeps_its_measure(samples, slug, layout, lang):
    lengths = [len(line) for line in full_body_lines(samples.pdf(slug, layout, lang))]
    assert len(lengths) >= 5, "too few lines to measure"
    low, high = MEASURE
    assert low <= statistics.median(lengths) <= high
    assert low <= min(lengths) and max(lengths) <= high, (min(lengths), max(lengths))
