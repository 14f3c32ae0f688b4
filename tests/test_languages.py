"""Editions in several languages: the layouts' words come from message
catalogues, dates from Babel, hyphenation from the edition's language, and a
third language needs only a catalogue and a text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap

import pdfplumber
import pikepdf
import pyphen
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from conftest import LAYOUTS, pdf_text
from pressroom.diagnostics import Report
from pressroom.options import PROJECT_ROOT
from pressroom.render.i18n import catalogue_languages, catalogue_path, check_catalogue, template_path

SLUG = "paraneoplastic-syndromes"


def link_uris(path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]


def test_spanish_pdf_has_spanish_words_dates_and_lang(samples):
    path = samples.pdf(SLUG, lang="es")
    text = pdf_text(path)
    for words in ("Síndromes paraneoplásicos", "Hoja informativa".upper(), "Página 1 de 3", "Página 2 de 3",
                  "Publicación n.º 24-NS-0001", "Revisado en noviembre de 2026", "Temas relacionados",
                  "Copias impresas gratuitas", "Lea esta publicación en línea", "844-259-7178(en español)",
                  "Also available in English"):
        assert words in text, words
    for english in ("Page 1 of", "Reviewed", "Free printed copies", "November"):
        assert english not in text, english
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert str(pdf.docinfo.Title) == "Síndromes paraneoplásicos"
    assert "https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/en" in link_uris(path)


def test_english_edition_links_to_the_spanish_one_in_spanish(samples):
    path = samples.pdf(SLUG)
    text = pdf_text(path)
    assert "También disponible en español" in text and "Reviewed November 2026" in text
    assert "https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/es" in link_uris(path)
    # The link is tagged as Spanish for screen readers: lang in the HTML, /Lang on its structure element.
    assert re.search(rb'<p class="other-languages"><a [^>]*lang="es"', _html(samples, SLUG, "en"))
    with pikepdf.open(path) as pdf:
        tagged = {}
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            if element.get("/S") == "/Link":
                uri = next(str(k.Obj.A.URI) for k in kids if isinstance(k, pikepdf.Dictionary) and "/Obj" in k)
                tagged[uri] = str(element.get("/Lang", ""))
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    assert tagged["https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/es"] == "es"
    assert tagged["https://catalog.nhio.example.gov/publications/paraneoplastic-syndromes/en"] == ""  # read online


def _html(samples, slug, lang) -> bytes:
    from pressroom.project import load
    from pressroom.options import BuildOptions
    from pressroom.render.html import render_html

    loaded = load(BuildOptions().resolved(), only={slug})
    edition = next(e for e in loaded.library.editions if e.slug == slug and e.lang == lang)
    return render_html(edition, loaded.layouts["fact-sheet"], loaded.library).encode()


def test_trifold_and_booklet_words_follow_the_language(samples):
    trifold = pdf_text(samples.pdf("stiff-person-syndrome", "trifold", "es"))
    assert "FOLLETO · PUBLICACIÓN N.º 24-NS-0003" in trifold and "Revisado en septiembre de 2026" in trifold
    assert "Palabras que debe conocer" in trifold and "Teléfono" in trifold


def test_catalogues_hold_every_layout_string():
    """Every string the templates and the renderer translate is in messages.pot,
    and every catalogue translates all of them."""
    with (PROJECT_ROOT / "babel.cfg").open() as config:  # what `make messages` extracts
        method_map, options = parse_mapping_cfg(config)
    found = {message[2] for message in extract_from_dir(PROJECT_ROOT, method_map, options)
             if isinstance(message[2], str)}
    with template_path(LAYOUTS).open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert found == template, "run `make messages` after changing the layouts' words"
    assert catalogue_languages(LAYOUTS) >= {"en", "es"}
    for lang in catalogue_languages(LAYOUTS) - {"en"}:
        report = Report()
        check_catalogue(LAYOUTS, lang, report)
        assert report.items == [], report.items


def test_untranslated_messages_are_warnings(layouts_copy):
    layouts = layouts_copy
    path = catalogue_path(layouts, "es")
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "Notas"', 'msgstr ""'), encoding="utf-8")
    report = Report()
    assert check_catalogue(layouts, "es", report) is True
    assert [f"{d.level}: {d.message}" for d in report.sorted()] == [
        "warning: 'Notes' is not translated: English will be printed"]


def test_misspelt_placeholder_is_an_error_everywhere(tree, layouts_copy):
    layouts = layouts_copy
    path = catalogue_path(layouts, "es")
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index('msgid "Page %(page)s of %(pages)s"') + 1
    path.write_text(text.replace('msgstr "Página %(page)s de %(pages)s"', 'msgstr "Página %(pagina)s de %(pages)s"'),
                    encoding="utf-8")
    tree.bilingual()
    expected = (f"layouts/shared/locale/es/LC_MESSAGES/messages.po:{line}: error: "
                "'Page %(page)s of %(pages)s': unknown named placeholder 'pagina'")
    for command in (("check",), ("check", "--format", "json"), ("build", "--variant", "screen")):
        result = tree.run(*command, "--layouts", str(layouts))
        assert result.returncode == 1, command
        assert "internal error" not in result.stderr + result.stdout
        if "json" in command:
            diagnostics = json.loads(result.stdout)["diagnostics"]
            assert {"path": "layouts/shared/locale/es/LC_MESSAGES/messages.po", "line": line, "level": "error",
                    "message": "'Page %(page)s of %(pages)s': unknown named placeholder 'pagina'"} in diagnostics
        else:
            assert expected in result.stderr, (command, result.stderr)


def test_language_babel_does_not_know(tree, layouts_copy):
    layouts = layouts_copy
    path = catalogue_path(layouts, "qq")
    path.parent.mkdir(parents=True)
    shutil.copy(template_path(layouts), path)
    tree.bilingual(es_text="## Qq\n\nQq qq.\n", other="qq")
    expected = ("layouts/shared/locale/qq/LC_MESSAGES/messages.po:1: error: Babel has no locale data for 'qq'")
    for command in (("check",), ("build", "--variant", "screen")):
        result = tree.run(*command, "--layouts", str(layouts))
        assert result.returncode == 1 and expected in result.stderr, (command, result.stderr)
        assert "internal error" not in result.stderr


FRENCH = {
    "Fact Sheet": "Fiche d’information",
    "Page %(page)s of %(pages)s": "Page %(page)s sur %(pages)s",
    "Publication No. %(number)s": "Publication nº %(number)s",
    "Reviewed %(date)s": "Révisé en %(date)s",
    "Free printed copies": "Exemplaires imprimés gratuits",
    "Also available in %(language)s": "Également disponible en %(language)s",
}


def test_a_third_language_needs_a_catalogue_and_a_text(tree, layouts_copy):
    """The README's recipe: `pybabel init -l fr`, translate, add fr.md and the title."""
    tree.publication()
    meta = tree.sources / "sample" / "publication.yaml"
    meta.write_text(meta.read_text()
                    .replace("title: {en: Sample Publication}", "title: {en: Sample Publication, fr: Publication type}")
                    .replace("summary: {en: A sample used by the tests.}",
                             "summary: {en: A sample used by the tests., fr: Un exemple pour les tests.}"))
    tree.write("sample/fr.md", "## À propos\n\nUn court paragraphe.\n")
    layouts = layouts_copy

    refused = tree.run("build", "--layouts", str(layouts), "--variant", "screen")
    assert refused.returncode == 1
    assert ("sources/sample/fr.md:1: error: the layouts have no message catalogue for 'fr': "
            "see 'Adding a language' in README.md") in refused.stderr

    with template_path(layouts).open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if message.id in FRENCH:
            message.string = FRENCH[message.id]
    path = catalogue_path(layouts, "fr")
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)

    built = tree.run("build", "--layouts", str(layouts), "--variant", "screen")
    assert built.returncode == 0, built.stderr
    french = tree.output / "pdf" / "fr" / "sample.fact-sheet.pdf"
    text = pdf_text(french)
    for words in ("Publication type", "FICHE D’INFORMATION", "Publication nº 24-NS-9999",
                  "Révisé en novembre 2026", "Exemplaires imprimés gratuits", "Also available in English"):
        assert words in text, words
    with pikepdf.open(french) as pdf:
        assert str(pdf.Root.Lang) == "fr"
    assert "Également disponible en français" in pdf_text(tree.output / "pdf" / "en" / "sample.fact-sheet.pdf")
    # Untranslated messages print in English, and check says so.
    checked = tree.run("check", "--layouts", str(layouts), "--no-layout")
    assert "warning: 'Notes' is not translated: English will be printed" in checked.stderr


def hyphenated_breaks(path) -> list[tuple[str, int]]:
    """(word, position) of every word the layout broke with a hyphen."""
    breaks = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            for line, following in zip(lines, lines[1:]):
                last, first = line.split()[-1] if line.split() else "", following.split()[0] if following.split() else ""
                if re.fullmatch(r"\w+-", last) and re.match(r"\w", first):
                    head, tail = last[:-1], re.match(r"\w+", first).group(0)
                    breaks.append((head + tail, len(head)))
    return breaks


def test_hyphenation_follows_the_edition_language(samples):
    for lang, dictionary in (("es", "es"), ("en", "en_US")):
        source = (PROJECT_ROOT / "sources" / SLUG / f"{lang}.md").read_text(encoding="utf-8")
        breaks = [(word, at) for word, at in hyphenated_breaks(samples.pdf(SLUG, "trifold", lang))
                  if f"{word[:at]}-{word[at:]}" not in source]  # not a hyphen of the text itself
        assert breaks, f"no hyphenated words in the {lang} tri-fold"
        hyphenator = pyphen.Pyphen(lang=dictionary)
        for word, at in breaks:
            assert at in hyphenator.positions(word.lower()), (lang, word, at)
    # The two dictionaries disagree on Spanish words: the Spanish breaks are not all English ones.
    spanish = [(w, a) for w, a in hyphenated_breaks(samples.pdf(SLUG, "trifold", "es"))]
    english_rules = pyphen.Pyphen(lang="en_US")
    assert any(at not in english_rules.positions(word.lower()) for word, at in spanish), spanish


def test_broken_catalogue_is_an_error_at_its_line(tree, layouts_copy):
    layouts = layouts_copy
    path = catalogue_path(layouts, "es")
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line == 'msgid "Notes"')
    lines.insert(broken + 1, "this is not a catalogue line")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tree.bilingual()
    where = f"layouts/shared/locale/es/LC_MESSAGES/messages.po:{broken + 2}:"
    checked = tree.run("check", "--layouts", str(layouts), "--no-layout")
    assert checked.returncode == 1 and where in checked.stderr, checked.stderr
    built = tree.run("build", "--layouts", str(layouts), "--variant", "screen")
    assert built.returncode == 1
    assert f"{where} error: cannot be read: Unknown or misformatted keyword" in built.stderr, built.stderr


def test_catalog_link_text_survives_a_broken_catalogue(layouts_copy):
    from pressroom.render.i18n import other_language_label

    assert other_language_label(LAYOUTS, "es") == "También disponible en español"
    layouts = layouts_copy
    catalogue_path(layouts, "es").write_text('msgid "x"\nnot po\n', encoding="utf-8")
    assert other_language_label(layouts, "es") == "Also available in Español"


def test_text_in_another_language_carries_its_lang_on_its_structure_element(tree):
    """A phone line's label the sources give only in English is English text
    in the Spanish edition: its element says so (/Lang en), the rest is Spanish."""
    organizations = tree.sources / "organizations.yaml"
    organizations.write_text(organizations.read_text(encoding="utf-8") + textwrap.dedent("""\
        helpline:
          name: Helpline
          url: https://help.example.org
          phones:
            - number: 800-555-0100
              label: {en: TTY line}
        """), encoding="utf-8")
    tree.bilingual()
    meta = (tree.sources / "sample" / "publication.yaml").read_text(encoding="utf-8")
    tree.write("sample/publication.yaml", meta.replace("contacts: [nci]", "contacts: [helpline]"))
    result = tree.run("build", "--variant", "screen", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    languages = {}
    with pikepdf.open(tree.output / "pdf" / "es" / "sample.fact-sheet.pdf") as pdf:
        from pressroom.render.structtree import elements
        from pressroom.render.textruns import text_shows
        reachable = {}
        for element in elements(pdf):
            for kid in (element.K if isinstance(element.get("/K"), pikepdf.Array) else [element.get("/K")]):
                if isinstance(kid, int):
                    reachable[int(kid)] = element
        for page in pdf.pages:
            for show in text_shows(page):
                element = reachable.get(show.mcid)
                if element is not None and "/Lang" in element:
                    languages.setdefault(str(element.Lang), "")
                    languages[str(element.Lang)] += show.text
    english = languages.get("en", "")
    assert "(TTY line)" in english and "800-555-0100" not in english, languages  # the link to the English edition too
    assert set(languages) == {"en"}, languages


def test_a_related_title_only_in_english_is_marked_and_links_to_the_english_page(samples):
    path = samples.pdf(SLUG, lang="es")  # related: Lambert-Eaton, which has only an English edition
    # poppler's reading order: the related titles are set in two columns
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert "Lambert-Eaton Myasthenic Syndrome (en inglés)" in text
    uris = link_uris(path)
    assert "https://catalog.nhio.example.gov/publications/lambert-eaton-myasthenic-syndrome/en" in uris
    assert "https://catalog.nhio.example.gov/publications/lambert-eaton-myasthenic-syndrome/es" not in uris
    html = _html(samples, SLUG, "es")
    assert re.search(rb'hreflang="en" lang="en"[^>]*>Lambert-Eaton Myasthenic Syndrome</a> \(en ingl', html)
    # Spanish related titles stay plain Spanish links
    assert b"/stiff-person-syndrome/es" in html
