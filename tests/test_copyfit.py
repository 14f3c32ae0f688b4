"""Copyfitting: text that overflows its layout by a little is laid out
again with tighter spacing (at most two steps, never smaller type), and
text that fits as it is keeps the layout's own spacing."""

from __future__ import annotations

from conftest import TRIFOLD_META
from pressroom.diagnostics import Report
from pressroom.project import load, selected_jobs
from pressroom.render.pdf import PdfRenderer
from pressroom.variants import MAX_FIT_STEPS, Fitting, lay_out_fitting

PARAGRAPH = "Clinical research uses volunteers to help scientists learn more about a disorder and treat it. "


def _fit_of(tree, paragraphs: int) -> int | None:
    """The spacing step the trifold needs for this much text; None when none fits."""
    tree.publication(meta=TRIFOLD_META, text="## About\n\n" + f"{PARAGRAPH * 3}\n\n" * paragraphs)
    options = tree.options().resolved()
    loaded = load(options)
    renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
    edition, layout = selected_jobs(options, loaded)[0]
    report = Report()
    fitted = lay_out_fitting(renderer, loaded.library, loaded.layouts, edition, layout, options, report,
                             Fitting("instead"))
    return fitted[0].fit if fitted else None


def test_text_a_little_too_long_is_set_tighter_and_short_text_is_not(tree):
    assert _fit_of(tree, 4) == 0
    steps = {}
    for paragraphs in range(10, 30):
        steps[paragraphs] = _fit_of(tree, paragraphs)
        if steps[paragraphs] is None:
            break
    used = [step for step in steps.values() if step]
    assert used and max(used) <= MAX_FIT_STEPS, steps  # some lengths fit only when tightened
    assert steps[max(steps)] is None  # and too much text still overflows, reported as before
    assert list(steps.values()) == sorted(steps.values(), key=lambda s: 99 if s is None else s), steps


def test_a_one_page_sheet_has_no_page_number_and_longer_ones_do(samples):
    from conftest import pdf_text

    one = pdf_text(samples.pdf("opsoclonus-myoclonus-syndrome"))
    assert "Page 1 of" not in one and "Publication No." in one
    assert "Page 1 of 3" in pdf_text(samples.pdf("paraneoplastic-syndromes"))
