"""``generate.py new``: a new publication folder that passes ``check`` and
builds, with the office's next publication number and a text that shows the
author the blocks to use."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import yaml

from .content.names import SLUG
from .content.yamlfile import YamlFile, YamlSyntaxError
from .diagnostics import UsageError
from .options import BuildOptions
from .render.i18n import catalogue_languages

NUMBER = re.compile(r"^(\d{2}-[A-Z]{2,3})-(\d{4})$")

# The starting text per language: what a first draft usually has. Other
# languages start from the English one, to be translated.
TEXTS = {
    "en": """\
## {heading}

Say what it is in two or three short sentences, for a reader who has just
heard the name. Use everyday words, and explain any medical word you need.

### Symptoms

Symptoms may include:

- A first symptom, in a few words
- A second symptom
- A third symptom

## Treatment

Say how it is treated and what a person can do. Keep sentences short.

::: callout Talk with your doctor
Ask your doctor about the treatment that is right for you.
:::
""",
    "es": """\
## {heading}

Diga qué es en dos o tres frases cortas, para alguien que acaba de oír el
nombre. Use palabras de todos los días y explique cada palabra médica.

### Síntomas

Los síntomas pueden incluir:

- Un primer síntoma, en pocas palabras
- Un segundo síntoma
- Un tercer síntoma

## Tratamiento

Diga cómo se trata y qué puede hacer la persona. Use frases cortas.

::: callout Hable con su médico
Pregunte a su médico cuál es el mejor tratamiento para usted.
:::
""",
}
HEADINGS = {"en": "What is {title}?", "es": "¿Qué es {title}?"}
SUMMARIES = {"en": "What {title} is, its symptoms and its treatment.",
             "es": "Qué es {title}, sus síntomas y su tratamiento."}
# Characters Markdown would read as formatting in a heading.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def next_number(sources_dir: Path, today: dt.date) -> str:
    """The next free number in the series most publications use (24-NS-0007
    after 24-NS-0006); the first of this year's series when there is none."""
    numbers = []
    for meta in sources_dir.glob("*/publication.yaml"):
        try:
            data = YamlFile.read(meta).data
        except YamlSyntaxError:
            continue
        if isinstance(data, dict) and (match := NUMBER.match(str(data.get("number", "")))):
            numbers.append((match[1], int(match[2])))
    if not numbers:
        return f"{today:%y}-NS-0001"
    series = Counter(prefix for prefix, _ in numbers).most_common(1)[0][0]
    following = max(n for prefix, n in numbers if prefix == series) + 1
    if following > 9999:
        raise UsageError(f"the number series {series} is full: start a new one in publication.yaml")
    return f"{series}-{following:04d}"


def new_publication(options: BuildOptions, slug: str, title: str, lang: str = "en",
                    layout: str = "fact-sheet", today: dt.date | None = None) -> list[Path]:
    """Write ``sources/<slug>/publication.yaml`` and ``<lang>.md``; refuse to
    touch an existing folder."""
    today = today or dt.date.today()
    title = title.strip()
    if not SLUG.match(slug):
        raise UsageError(f"'{slug}' is not a slug: use lowercase words joined by '-', e.g. myasthenia-gravis")
    if not title:
        raise UsageError("--title is empty")
    if any(c in title for c in "<>") or any(ord(c) < 32 for c in title):
        raise UsageError("--title may not contain '<', '>' or line breaks")
    languages = catalogue_languages(options.layouts_dir)
    if lang not in languages:
        raise UsageError(f"the layouts have no message catalogue for '{lang}' (known: {', '.join(sorted(languages))});"
                         f" see 'Adding a language' in README.md")
    if not (options.layouts_dir / layout / "layout.yaml").is_file():
        raise UsageError(f"unknown layout '{layout}'")
    folder = options.sources_dir / slug
    if folder.exists():
        raise UsageError(f"{folder} already exists")
    in_text = MARKDOWN_PUNCTUATION.sub(r"\\\1", title)
    heading = in_text if title.endswith("?") else HEADINGS.get(lang, HEADINGS["en"]).format(title=in_text)
    meta = {
        "title": {lang: title},
        "summary": {lang: SUMMARIES.get(lang, SUMMARIES["en"]).format(title=title)},
        "number": next_number(options.sources_dir, today),
        "reviewed": today,
        "audience": ["patients", "caregivers"],
        "topics": [],
        "layouts": [layout],
        "ordering": {"printed": False},
        "contacts": [],
        "related": [],
    }
    header = ("# A new publication: see 'Writing a publication' in README.md.\n"
              "# contacts: ids from organizations.yaml; topics: ids from topics.yaml.\n")
    folder.mkdir(parents=True)
    meta_path = folder / "publication.yaml"
    meta_path.write_text(header + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100),
                         encoding="utf-8")
    text_path = folder / f"{lang}.md"
    text_path.write_text(TEXTS.get(lang, TEXTS["en"]).format(heading=heading), encoding="utf-8")
    return [meta_path, text_path]
