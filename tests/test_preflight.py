"""Preflight catches what a printer would reject, and passes every sample."""

from __future__ import annotations

import pytest

from pdf_factory import IN, image_reader, pdf_pages, with_output_intent
from pressroom.options import DEFAULT_CMYK_PROFILE, PROJECT_ROOT
from pressroom.prepress.preflight import errors, preflight
from pressroom.render.layouts import discover_layouts

LAYOUTS = discover_layouts(PROJECT_ROOT / "layouts")
BOOKLET = LAYOUTS["booklet"].spec


def messages(data, spec=BOOKLET) -> list[str]:
    return [f.format("test.pdf") for f in errors(preflight(data, spec))]


def good(**kwargs) -> bytes:
    return with_output_intent(pdf_pages(4, **kwargs), DEFAULT_CMYK_PROFILE)


def test_a_clean_file_passes():
    assert messages(good()) == []


def test_no_bleed_is_caught():
    found = messages(with_output_intent(pdf_pages(4, bleed=False), DEFAULT_CMYK_PROFILE))
    assert "test.pdf: pages 1-4: error: no TrimBox and BleedBox: the printer cannot tell the trim or the bleed" in found


def test_short_bleed_is_caught():
    def shrink(pdf, b, width, height):
        pdf.setBleedBox((b - 3, b - 9, width + b + 9, height + b + 9))

    found = messages(good(draw=shrink))
    assert "test.pdf: pages 1-4: error: bleed is 0.042 in on the left; it must be 0.125 in on every side" in found


def test_rgb_image_and_rgb_colour_are_caught():
    def rgb(pdf, b, width, height):
        pdf.drawImage(image_reader(1200, "RGB"), b + 1 * IN, b + 1 * IN, 2 * IN, 2 * IN)
        pdf.setFillColorRGB(1, 0, 0)
        pdf.rect(b + 1 * IN, b + 4 * IN, IN, IN, fill=1, stroke=0)

    found = messages(good(draw=rgb))
    assert "test.pdf: pages 1-4: error: fill or stroke colours in device RGB: print files must be CMYK" in found
    assert any(m.startswith("test.pdf: pages 1-4: error: image ") and m.endswith(" is in RGB: print files must be CMYK")
               for m in found)


def test_low_resolution_image_is_caught():
    def low(pdf, b, width, height):
        pdf.drawImage(image_reader(144), b + 1 * IN, b + 1 * IN, 2 * IN, 2 * IN)  # 72 ppi

    found = messages(good(draw=low))
    assert ("test.pdf: pages 1-4: error: image of 144 x 144 px is 72 ppi at its placed "
            "size (2.00 x 2.00 in); print needs 300") in found


def test_enough_resolution_passes():
    def sharp(pdf, b, width, height):
        pdf.drawImage(image_reader(600), b + 1 * IN, b + 1 * IN, 2 * IN, 2 * IN)  # 300 ppi

    assert messages(good(draw=sharp)) == []


def test_text_in_the_safety_margin_is_caught():
    def edge(pdf, b, width, height):
        pdf.setFont("PublicSans", 10)
        pdf.drawString(b + 0.05 * IN, b + 4 * IN, "Edge")

    found = messages(good(draw=edge))
    # the same word on every page: one finding with the pages listed
    assert found == ["test.pdf: pages 1-4: error: text 'Edge' is within 0.125 in of the trim edge"]


def test_text_near_a_fold_is_caught():
    spec = LAYOUTS["trifold"].spec

    def near_fold(pdf, b, width, height):
        pdf.setFont("PublicSans", 10)
        pdf.drawString(b + spec.folds_in(1)[0] * IN - 0.1 * IN, b + 4 * IN, "Fold")

    data = with_output_intent(pdf_pages(2, size=(11 * IN, 8.5 * IN), label=False, draw=near_fold),
                              DEFAULT_CMYK_PROFILE)
    found = messages(data, spec)
    assert any(m.endswith("error: text 'Fold' is within 0.125 in of a fold") for m in found), found


def test_small_type_is_caught():
    def tiny(pdf, b, width, height):
        pdf.setFont("PublicSans", 6)
        pdf.drawString(b + 1 * IN, b + 1 * IN, "Tiny")

    found = messages(good(draw=tiny))
    assert any(m.endswith("error: text 'Tiny' is 6.0 pt; the minimum is 7 pt") for m in found), found


def test_ten_page_booklet_is_caught():
    found = messages(with_output_intent(pdf_pages(10), DEFAULT_CMYK_PROFILE))
    assert found == ["test.pdf: file: error: 10 pages: a saddle-stitch booklet needs a multiple of 4"]


def test_unembedded_font_is_caught():
    def helvetica(pdf, b, width, height):
        pdf.setFont("Helvetica", 13)
        pdf.drawString(b + 1 * IN, b + 1 * IN, "Helvetica")

    assert "test.pdf: pages 1-4: error: font Helvetica is not embedded" in messages(good(draw=helvetica))


def test_missing_output_intent_is_caught():
    assert messages(pdf_pages(4)) == ["test.pdf: file: error: no PDF/X output intent with a CMYK profile "
                                      "(/OutputIntents)"]


def test_wrong_trim_size_is_caught():
    found = messages(with_output_intent(pdf_pages(4, size=(8.5 * IN, 11 * IN)), DEFAULT_CMYK_PROFILE))
    assert "test.pdf: pages 1-4: error: trim is 8.500 x 11.000 in; the layout's trim is 5.5 x 8.5 in" in found


def test_every_sample_print_file_passes(samples):
    prints = sorted((samples.output / "print").rglob("*.print.pdf"))
    assert len(prints) >= 8
    for path in prints:
        layout = LAYOUTS[path.name.split(".")[1]]
        assert errors(preflight(path, layout.spec)) == [], path.name


@pytest.mark.parametrize("name", ["paraneoplastic-syndromes.fact-sheet.pdf", "myasthenia-gravis.booklet.pdf"])
def test_screen_files_are_not_print_ready(samples, name):
    """The download files are RGB without bleed: preflight says so."""
    found = messages((samples.output / "pdf/en" / name).read_bytes(), None)
    assert any("device RGB" in m for m in found) and any("no TrimBox" in m or "bleed is" in m for m in found)


def test_small_type_in_a_mix_of_inks_is_a_warning():
    def small(ink):
        def draw(pdf, b, width, height):
            pdf.setFont("PublicSans", 8)
            pdf.setFillColorCMYK(*ink)
            pdf.drawString(b + 1 * IN, b + 4 * IN, "Small words")
            pdf.setFont("PublicSans", 12)
            pdf.drawString(b + 1 * IN, b + 5 * IN, "Large words")  # 9 pt and up may mix inks
        return draw

    warnings = [f.format("test.pdf") for f in preflight(good(draw=small((0.9, 0.6, 0, 0.1)))) if f.level == "warning"]
    assert warnings == ["test.pdf: pages 1-4: warning: text of 8.0 pt is printed in a mix of inks (C 90% M 60% K 10%): "
                        "under 9 pt use black or a single ink, as plates never register exactly"]
    for one_ink in ((0, 0, 0, 1), (1, 0, 0, 0)):
        assert [f for f in preflight(good(draw=small(one_ink))) if f.level == "warning"] == []


def test_a_finding_on_one_page_keeps_its_position_and_pages_are_listed_as_ranges():
    from pressroom.prepress.preflight import Finding, merged, page_list

    assert page_list((1, 2, 3, 5, 7, 8)) == "1-3, 5, 7, 8"
    one = Finding("error", (2,), "m", 1.0, 2.0)
    assert one.format("f.pdf") == "f.pdf: page 2 at x 1.00 in, y 2.00 in: error: m"
    both = merged([one, Finding("error", (4,), "m", 3.0, 4.0)])
    assert [f.format("f.pdf") for f in both] == ["f.pdf: pages 2, 4: error: m"]
