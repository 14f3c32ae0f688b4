"""`generate.py check`: each check with a source that triggers it and one that
does not; reading levels on texts with known scores; --strict and --format json."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from pressroom.check import check
from conftest import TRIFOLD_META
from pressroom.content.readability import grade_from_fernandez_huerta, reading_level, spanish_syllables


ENGLISH = """\
## What is it?

A short text.

::: callout Remember
Ask your doctor.
:::

## Treatment

Rest helps.

## More information

::: contacts
:::
"""

SPANISH = """\
## ¿Qué es?

Un texto corto.

::: callout Recuerde
Pregunte a su médico.
:::

## Tratamiento

El descanso ayuda.

## Más información

::: contacts
:::
"""

# Long sentences of long words: Flesch-Kincaid far above grade 8.
HARD_ENGLISH = ("Comprehensive immunological evaluation necessitates sophisticated laboratory investigations "
                "characterizing autoantibodies, electrophysiological abnormalities, and paraneoplastic "
                "manifestations accompanying malignancies. ") * 6
EASY_ENGLISH = "The cat sat on the mat. It was a warm day. The dog ran to the park. We ate lunch. " * 6
HARD_SPANISH = ("La evaluación inmunológica exhaustiva necesita investigaciones complementarias "
                "sofisticadas caracterizando autoanticuerpos, alteraciones electrofisiológicas y "
                "manifestaciones paraneoplásicas concomitantes. ") * 6


def messages(tree, monkeypatch, level: str | None = None, **options) -> list[str]:
    monkeypatch.chdir(tree.root)
    result = check(tree.options(), **options)
    return [str(d) for d in result.report.sorted() if level is None or d.level == level]


# --- readability on known texts ----------------------------------------------------


def test_flesch_kincaid_on_known_texts():
    # The textbook examples: reading ease 37.5 for the platypus sentence (13
    # words, 24 syllables), so grade 0.39*13 + 11.8*24/13 - 15.59 = 11.26.
    platypus = reading_level("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.", "en")
    assert platypus.formula == "Flesch-Kincaid" and platypus.words == 13
    assert platypus.grade == pytest.approx(11.26, abs=0.01)
    # 6 one-syllable words: 0.39*6 + 11.8*1 - 15.59 = -1.45.
    assert reading_level("The cat sat on the mat.", "en").grade == pytest.approx(-1.45, abs=0.01)


def test_fernandez_huerta_on_known_texts():
    # "El ga-to se sen-tó en la al-fom-bra." 7 words, 11 syllables, 1 sentence:
    # 206.84 - 60 * 11/7 - 1.02 * 7 = 105.41 (very easy).
    cat = reading_level("El gato se sentó en la alfombra.", "es")
    assert cat.formula == "Fernández-Huerta" and cat.words == 7
    assert cat.score == pytest.approx(105.41, abs=0.01)
    # Two sentences, 13 words, 11 + 9 syllables ("Los ni-ños jue-gan en el par-que."):
    # 206.84 - 60 * 20/13 - 1.02 * 13/2 = 107.90.
    two = reading_level("El gato se sentó en la alfombra. Los niños juegan en el parque.", "es")
    assert two.score == pytest.approx(107.90, abs=0.01)


@pytest.mark.parametrize("word, syllables", [
    ("agua", 2), ("ojo", 2), ("aéreo", 4), ("día", 2), ("país", 2), ("ciudad", 2), ("que", 1), ("guerra", 2),
    ("hoy", 1), ("muy", 1), ("Uruguay", 3), ("y", 1), ("pingüino", 3), ("leer", 2), ("buey", 1),
    ("paraneoplásicos", 7), ("inmunoglobulina", 7), ("electromiografía", 7)])
def test_spanish_syllables_follow_spelling_rules(word, syllables):
    """Diphthongs, hiatus, stressed weak vowels, silent u, final y; and the
    single vowels at word edges that a hyphenation dictionary leaves alone."""
    assert spanish_syllables(word) == syllables


def test_fernandez_huerta_grade_scale():
    assert grade_from_fernandez_huerta(95) == pytest.approx(3.5)
    assert grade_from_fernandez_huerta(60) == pytest.approx(8.0)  # "normal": grades 7-8
    assert grade_from_fernandez_huerta(40) == pytest.approx(14.0)
    assert reading_level("Some text", "de") is None  # no formula: not judged


def test_reading_level_above_the_target_is_a_warning_per_section(tree, monkeypatch):
    tree.publication(text=f"## Hard part\n\n{HARD_ENGLISH}\n\n## Easy part\n\n{EASY_ENGLISH}\n")
    found = messages(tree, monkeypatch, render=False)
    assert any(m.startswith("sources/sample/en.md:1: warning: section 'Hard part' reads at grade ") and
               "(Flesch-Kincaid); the target is grade 8" in m for m in found), found
    assert not any("'Easy part'" in m for m in found)
    assert any(m.startswith("sources/sample/en.md:1: warning: the text reads at grade") for m in found)


def test_easy_text_passes_and_the_target_is_configurable(tree, monkeypatch):
    tree.publication(text=f"## Easy part\n\n{EASY_ENGLISH}\n")
    assert messages(tree, monkeypatch, render=False) == []
    platypus = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature. " * 5
    tree.publication(text=f"## Platypus\n\n{platypus}\n")  # grade 11.3
    assert len(messages(tree, monkeypatch, render=False)) == 2  # the section and the whole text
    meta = (tree.sources / "sample" / "publication.yaml")
    meta.write_text(meta.read_text() + "reading_grade: 12\n")
    assert messages(tree, monkeypatch, render=False) == []


def test_spanish_reading_level_uses_fernandez_huerta(tree, monkeypatch):
    tree.bilingual(ENGLISH, SPANISH.replace("Un texto corto.", HARD_SPANISH))
    found = messages(tree, monkeypatch, render=False)
    assert any(m.startswith("sources/sample/es.md:1: warning: section '¿Qué es?' reads at grade ")
               and "Fernández-Huerta ease" in m for m in found), found


# --- translations --------------------------------------------------------------


def test_checking_only_spanish_still_compares_with_english(tree, monkeypatch):
    tree.bilingual(ENGLISH, SPANISH.replace("## Más información\n\n::: contacts\n:::\n", ""))
    monkeypatch.chdir(tree.root)
    report = check(tree.options(langs=("es",)), render=False).report
    assert [d.message for d in report.items] == [
        "no section matches 'More information' (sources/sample/en.md:13): it belongs after 'Tratamiento'"]


def test_matching_translation_is_quiet(tree, monkeypatch):
    tree.bilingual(ENGLISH, SPANISH)
    assert messages(tree, monkeypatch, render=False) == []


def test_translation_missing_a_section_or_block(tree, monkeypatch):
    tree.bilingual(ENGLISH, SPANISH.replace("::: callout Recuerde\nPregunte a su médico.\n:::\n", "")
               .replace("## Más información\n\n::: contacts\n:::\n", ""))
    assert messages(tree, monkeypatch, render=False) == [
        "sources/sample/es.md:1: warning: section '¿Qué es?' has no subsections or blocks; its counterpart "
        "'What is it?' (sources/sample/en.md:1) has 1 callout",
        "sources/sample/es.md:6: warning: no section matches 'More information' (sources/sample/en.md:13): "
        "it belongs after 'Tratamiento'",
    ]


def test_one_extra_section_is_reported_once(tree, monkeypatch):
    tree.bilingual(ENGLISH, "Un párrafo de introducción que el inglés no tiene.\n\n" + SPANISH)
    assert messages(tree, monkeypatch, render=False) == [
        "sources/sample/es.md:1: warning: the opening text has no counterpart in sources/sample/en.md"]


def test_missing_first_section_and_empty_section(tree, monkeypatch):
    without_first = SPANISH[SPANISH.index("## Tratamiento"):]
    tree.bilingual(ENGLISH, without_first.replace("El descanso ayuda.", ""))
    assert messages(tree, monkeypatch, render=False) == [
        "sources/sample/es.md:1: warning: no section matches 'What is it?' (sources/sample/en.md:1): it comes first",
        "sources/sample/es.md:1: warning: section 'Tratamiento' has no text; 'Treatment' (sources/sample/en.md:9) has",
    ]


# --- links, e-mail addresses and phone numbers ---------------------------------------


def test_malformed_links_and_phone_numbers(tree, monkeypatch):
    tree.publication(text="""\
        ## Contact

        Call 1-800-422-623 or 301.496.5751.
        Write to [us](mailto:help@nhio) or see [the site](https://localhost/page).
        Dial [this](tel:+1-800-555-010).
        """)
    assert messages(tree, monkeypatch, render=False) == [
        "sources/sample/en.md:3: warning: phone number '1-800-422-623' is malformed: write US numbers as 800-555-0100",
        "sources/sample/en.md:3: warning: phone number '301.496.5751' is malformed: write US numbers as 800-555-0100",
        "sources/sample/en.md:4: error: link 'https://localhost/page' is not a valid web address",
        "sources/sample/en.md:4: error: link 'mailto:help@nhio' is not a valid e-mail address",
        "sources/sample/en.md:5: error: link 'tel:+1-800-555-010' is not a valid US phone number (tel:+1-800-555-0100)",
    ]


def test_phone_numbers_in_spaces_and_callout_titles(tree, monkeypatch):
    tree.publication(text="""\
        ## Contact

        Call 800 555 0100 or +1 800 555 0100.

        ::: callout Call 1-800-555-010 today
        Any time.
        :::
        """)
    assert messages(tree, monkeypatch, render=False) == [
        "sources/sample/en.md:3: warning: phone number '+1 800 555 0100' is malformed: "
        "write US numbers as 800-555-0100",
        "sources/sample/en.md:3: warning: phone number '800 555 0100' is malformed: write US numbers as 800-555-0100",
        "sources/sample/en.md:5: warning: phone number '1-800-555-010' is malformed: "
        "write US numbers as 800-555-0100",
    ]


def test_well_formed_links_and_numbers_are_quiet(tree, monkeypatch):
    tree.publication(text="""\
        ## Contact

        Call 800-422-6237, 1-800-422-6237 or (800) 422-6237 (1-800-4-CANCER), reviewed 2026-11-01.
        Local line 555-0100. Studies from 2019-2023 and 2019 – 2023 followed 1.200.000 personas
        and 12,000 people taking 3.5 mg.
        Write to [us](mailto:nciinfo@nih.gov), see [the site](https://www.cancer.gov/about?x=1)
        or dial [this](tel:+1-800-422-6237).
        """)
    assert messages(tree, monkeypatch, render=False) == []


def test_organization_phone_email_and_url_formats(tree, monkeypatch):
    (tree.sources / "organizations.yaml").write_text(
        "nci:\n  name: National Cancer Institute\n  url: not-a-url\n  email: someone@\n"
        "  phones:\n    - number: 800-422-62377\n", encoding="utf-8")
    tree.publication()
    found = messages(tree, monkeypatch, "error", render=False)
    assert found[:3] == [
        "sources/organizations.yaml:3: error: nci.url: Input should be a valid URL, relative URL without a base",
        "sources/organizations.yaml:4: error: nci.email: must be one e-mail address such as info@example.gov "
        "(no '?', spaces or second address)",
        "sources/organizations.yaml:6: error: nci.phones.0.number: String should match pattern "
        "'^(\\d{3}-\\d{3}-\\d{4}|\\d{3}-\\d{4})$'",
    ]


# --- layout fit and images -------------------------------------------------------------


def write_png(path, width: int, height: int) -> None:
    Image.new("RGB", (width, height), (0, 94, 162)).save(path)


def test_coarse_image_for_its_printed_size(tree, monkeypatch):
    # 600 px shown across the fact sheet's 5 in column: 120 ppi.
    tree.publication(text="## Pictures\n\nText.\n\n![A blue box](box.png)\n")
    write_png(tree.sources / "sample" / "box.png", 600, 300)
    assert messages(tree, monkeypatch) == [
        "sources/sample/en.md:5: error: image 'box.png' (600 x 300 px) is 120 ppi at 5.00 in wide in the "
        "fact-sheet layout (page 1); print needs 300 ppi: an image 1500 px wide, or place it at most 2.00 in wide"]


def test_sharp_image_is_quiet(tree, monkeypatch):
    # 3000 px, shown at most 7 in wide: over 400 ppi.
    tree.publication(text="## Pictures\n\nText.\n\n![A blue box](box.png)\n")
    write_png(tree.sources / "sample" / "box.png", 3000, 600)
    assert messages(tree, monkeypatch) == []


LONG_TEXT = "## Long\n\n" + ("A paragraph of text that goes on. " * 40 + "\n\n") * 8


def test_text_that_does_not_fit_its_layout(tree, monkeypatch):
    tree.publication(meta=TRIFOLD_META, text=LONG_TEXT)
    found = messages(tree, monkeypatch)
    assert len(found) == 1 and found[0].startswith(
        "sources/sample/en.md:1: error: the text overflows the trifold layout by "), found
    assert found[0].endswith("panel(s) past the 6 it has): shorten it or name a fallback layout")


def test_text_that_fits_or_has_a_fallback(tree, monkeypatch):
    tree.publication(meta=TRIFOLD_META)
    assert messages(tree, monkeypatch) == []
    tree.publication(meta=TRIFOLD_META + "fallback: {trifold: booklet}\n", text=LONG_TEXT)
    found = messages(tree, monkeypatch)
    assert len(found) == 1 and "warning: the text overflows the trifold layout" in found[0]
    assert found[0].endswith("; the 'booklet' layout is used instead")


# --- the command -------------------------------------------------------------------------


def test_strict_turns_warnings_into_errors(tree):
    tree.publication(text="## Contact\n\nCall 1-800-422-623.\n")
    relaxed = tree.run("check")
    assert relaxed.returncode == 0
    assert "sources/sample/en.md:3: warning: phone number '1-800-422-623' is malformed" in relaxed.stderr
    strict = tree.run("check", "--strict")
    assert strict.returncode == 1
    assert "sources/sample/en.md:3: error: phone number '1-800-422-623' is malformed" in strict.stderr


def test_json_format_for_tools(tree):
    tree.publication(text=f"## Hard part\n\n{HARD_ENGLISH}\n\n## Contact\n\nCall 1-800-422-623.\n")
    result = tree.run("check", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == 0 and report["warnings"] == len(report["diagnostics"]) >= 3
    assert {"path": "sources/sample/en.md", "line": 7, "level": "warning",
            "message": "phone number '1-800-422-623' is malformed: write US numbers as 800-555-0100"} \
        in report["diagnostics"]
    whole = next(r for r in report["readings"] if r["section"] is None)
    assert whole["formula"] == "Flesch-Kincaid" and whole["target"] == 8 and whole["grade"] > 8
    assert [r["section"] for r in report["readings"] if r["section"]] == ["Hard part"]
    errors = tree.run("check", "--format", "json", "--strict")
    assert errors.returncode == 1 and json.loads(errors.stdout)["errors"] >= 3


def test_check_exit_codes(tree):
    tree.publication(text="## A\n\n[bad](javascript:x)\n")
    assert tree.run("check").returncode == 1
    assert tree.run("check", "no-such-publication").returncode == 2
