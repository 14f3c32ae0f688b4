"""Page 1 of three fact sheets (one in Spanish), rendered with pypdfium2, against approved PNGs.

After a deliberate layout change, look at the new pictures, then refresh the
baselines with `make baselines` (pytest tests/test_visual.py --update-baselines).
Failing runs leave the new rendering and a difference image in output/visual/.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from pressroom.options import PROJECT_ROOT

BASELINES = PROJECT_ROOT / "tests" / "baselines"
ARTIFACTS = PROJECT_ROOT / "output" / "visual"
SCALE = 1.0  # 72 dpi: enough to see layout changes, small enough to commit
# Tolerance: anti-aliasing may differ slightly between library builds.
MAX_CHANGED_PIXELS = 0.002  # share of pixels that differ by more than 48 levels
CHANGED_LEVEL = 48


def render_first_page(path) -> Image.Image:
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[0].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()


@pytest.mark.parametrize("slug, lang", [("paraneoplastic-syndromes", "en"), ("cerebellar-degeneration", "en"),
                                        ("paraneoplastic-syndromes", "es")])
def test_first_page_matches_baseline(samples, update_baselines, slug, lang):
    actual = render_first_page(samples.pdf(slug, lang=lang))
    name = f"{slug}.fact-sheet.p1.png" if lang == "en" else f"{slug}.{lang}.fact-sheet.p1.png"
    baseline_path = BASELINES / name
    if update_baselines or not baseline_path.exists():
        if not update_baselines:
            pytest.fail(f"no baseline {baseline_path.name}: run `make baselines` and look at it")
        BASELINES.mkdir(exist_ok=True)
        actual.save(baseline_path, optimize=True)
        pytest.skip(f"baseline written: {baseline_path}")
    expected = Image.open(baseline_path).convert("RGB")
    assert actual.size == expected.size
    diff = ImageChops.difference(actual, expected).convert("L")
    changed = sum(diff.point(lambda v: 255 if v > CHANGED_LEVEL else 0).histogram()[255:])
    share = changed / (actual.width * actual.height)
    if share > MAX_CHANGED_PIXELS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        actual.save(ARTIFACTS / f"{slug}.{lang}.actual.png")
        diff.point(lambda v: 255 - min(255, v * 4)).save(ARTIFACTS / f"{slug}.{lang}.diff.png")
    assert share <= MAX_CHANGED_PIXELS, f"{share:.2%} of pixels changed; see {ARTIFACTS}"
