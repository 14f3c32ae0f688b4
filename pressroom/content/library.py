"""Load every source under ``sources/`` into a cross-checked :class:`Library`.

Layout of the folder::

    sources/office.yaml           the publishing office (name, addresses)
    sources/organizations.yaml    id -> organization, cited by publications
    sources/topics.yaml           id -> topic names per language
    sources/<slug>/publication.yaml
    sources/<slug>/<lang>.md      one file per language edition
    sources/<slug>/*.svg|png|jpg  images used by the text

All problems are reported, each at its file and line; publications with
errors are left out of the result so the others can still be built.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import LocatedError, PressroomError, Report
from .bounds import TEXT_FILE
from .files import read_source, refusal, sources_problem
from .names import EDITION_FILE, SLUG  # noqa: F401  (their home is names.py)
from .markdown import parse_text
from .model import EMAIL_PATTERN, TEXT_PATTERN, Edition, Library, Office, Organization, PublicationMeta, Topic
from .yamlfile import YamlFile, YamlSyntaxError

M = TypeVar("M", bound=BaseModel)


def _read_yaml(path: Path, report: Report) -> YamlFile | None:
    try:
        return YamlFile.read(path)
    except YamlSyntaxError as exc:
        report.error(path, exc.line, str(exc))
    except LocatedError as exc:
        exc.report_to(report)
    return None


def _validate(schema: type[M], yaml_file: YamlFile, data: Any, prefix: tuple, report: Report) -> M | None:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            location = prefix + tuple(err["loc"])
            where = ".".join(str(p) for p in location) or "document"
            where = where if where.isprintable() else where.encode("unicode_escape").decode("ascii")
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown key"
            elif err["type"] == "literal_error":
                message = f"must be one of {err['ctx']['expected']}"
            elif err.get("ctx", {}).get("pattern") == TEXT_PATTERN:
                message = ("holds a control character or a direction override, which text may not (PDF metadata "
                           "cannot carry the one, and the other can make it read as something else)")
            elif err.get("ctx", {}).get("pattern") == EMAIL_PATTERN:
                message = "must be one e-mail address such as info@example.gov (no '?', spaces or second address)"
            report.error(yaml_file.path, yaml_file.line_of(location), f"{where}: {message}")
        return None


def _load_table(path: Path, schema: type[M], report: Report) -> tuple[dict[str, M], YamlFile | None]:
    """A YAML mapping of id -> entry, each entry validated on its own."""
    yaml_file = _read_yaml(path, report)
    if yaml_file is None:
        return {}, None
    if not isinstance(yaml_file.data, dict):
        report.error(path, 1, "expected a mapping of id: entry")
        return {}, yaml_file
    table = {}
    for key, value in yaml_file.data.items():
        if not SLUG.match(str(key)):
            report.error(path, yaml_file.line_of((key,)), f"id '{key}' must be lowercase words joined by '-'")
        entry = _validate(schema, yaml_file, value, (key,), report)
        if entry is not None:
            table[str(key)] = entry
    return table, yaml_file


def load_office(sources_dir: Path, report: Report) -> Office | None:
    """Just the publishing office (office.yaml), for pages that need nothing else."""
    office_file = _read_yaml(sources_dir / "office.yaml", report)
    return office_file and _validate(Office, office_file, office_file.data, (), report)


def load_library(sources_dir: Path, report: Report, layouts: set[str] | None = None,
                 only: set[str] | None = None, languages: set[str] | None = None,
                 read_texts: bool = True) -> Library | None:
    """Read and check everything; None only when shared data is unusable.
    With ``only``, the texts of just those publications are read (every
    publication.yaml is still checked, for references). ``languages`` are the
    ones the layouts have words for; an edition in another is an error.
    ``read_texts=False`` reads the shared data and publication.yaml files
    only (no editions; ``languages`` of each publication still listed)."""
    sources_dir = sources_dir.resolve()
    if (problem := sources_problem(sources_dir)) is not None:
        report.error(sources_dir / "office.yaml" if sources_dir.is_dir() else sources_dir, 1, problem)
        return None
    office = load_office(sources_dir, report)
    organizations, _ = _load_table(sources_dir / "organizations.yaml", Organization, report)
    topics, _ = _load_table(sources_dir / "topics.yaml", Topic, report)
    if office is None:
        return None

    known = set()
    for folder in publication_folders(sources_dir):
        if (reason := refusal(folder, expect_dir=True)) is not None:
            report.error(folder, 1, f"publication folder {reason}")
        elif not SLUG.match(folder.name):
            report.error(folder, 1, "folder name must be lowercase words joined by '-' (it is the slug)")
        elif os.path.lexists(folder / "publication.yaml"):
            known.add(folder.name)
        elif only is None or folder.name in only:
            report.error(folder / "publication.yaml", 1, "file is missing")

    metas: dict[str, tuple[PublicationMeta, YamlFile]] = {}

    def read_meta(slug: str) -> None:
        yaml_file = _read_yaml(sources_dir / slug / "publication.yaml", report)
        meta = yaml_file and _validate(PublicationMeta, yaml_file, yaml_file.data, (), report)
        if meta is not None:
            metas[slug] = (meta, yaml_file)

    # With `only`, read just those publications and the ones they link to
    # (for their titles): an incremental build of one edit stays fast.
    wanted = sorted(known if only is None else known & set(only))
    for slug in wanted:
        read_meta(slug)
    for slug in sorted({r for meta, _ in metas.values() for r in meta.related} & known - set(wanted)):
        read_meta(slug)

    editions, texts = [], {}
    for slug in (s for s in wanted if s in metas):
        meta, yaml_file = metas[slug]
        texts[slug] = _texts(sources_dir / slug, report)
        if (_check_references(slug, meta, yaml_file, organizations, topics, known, layouts, report)
                & _related_readable(meta, yaml_file, set(metas), report)) and read_texts:
            editions.extend(_load_editions(slug, texts[slug], meta, yaml_file, organizations, topics, metas,
                                           languages, report))
    return Library(office, organizations, topics, editions, sources_dir,
                   {slug: metas[slug][0] for slug in texts}, {slug: sorted(found) for slug, found in texts.items()})


def publication_folders(sources_dir: Path) -> list[Path]:
    """Every entry of ``sources_dir`` that is, or claims to be, a publication
    folder: folders and links to anything, but no hidden or ``_`` names."""
    try:
        entries = list(sources_dir.iterdir())
    except OSError as exc:
        raise PressroomError(f"{sources_dir}: cannot be read: {exc.strerror}") from None
    return sorted(p for p in entries if not p.name.startswith((".", "_"))
                  and (p.is_symlink() or p.is_dir()))


def _texts(folder: Path, report: Report) -> dict[str, Path]:
    """The publication's texts by language; other .md files are errors, and
    so is anything in the folder that is neither a file nor a folder (links,
    pipes, devices: they are never read)."""
    texts = {}
    for path in sorted(folder.iterdir()):
        if not path.name.startswith(".") and (reason := refusal(path, expect_dir=path.is_dir()
                                                                and not path.is_symlink())):
            report.error(path, 1, reason)
        if path.suffix != ".md":
            continue
        if match := EDITION_FILE.match(path.name):
            texts[match[1]] = path
        else:
            report.error(path, 1, "text files are named by language code, e.g. en.md")
    return texts


def _check_references(slug, meta, yaml_file, organizations, topics, slugs, layouts, report) -> bool:
    ok = True

    def unknown(field: str, ids: list[str], known, what: str) -> None:
        nonlocal ok
        for i, ident in enumerate(ids):
            if ident not in known:
                report.error(yaml_file.path, yaml_file.line_of((field, i)), f"unknown {what} '{ident}'")
                ok = False

    unknown("contacts", meta.contacts, organizations, "organization")
    unknown("topics", meta.topics, topics, "topic")
    unknown("related", meta.related, slugs - {slug}, "publication")
    if layouts is not None:
        unknown("layouts", meta.layouts, layouts, "layout")
        for name, fallback in meta.fallback.items():
            line = yaml_file.line_of(("fallback", name))
            if name not in meta.layouts:
                report.error(yaml_file.path, line, f"fallback for '{name}', which is not in layouts")
                ok = False
            if fallback not in layouts:
                report.error(yaml_file.path, line, f"unknown layout '{fallback}'")
                ok = False
        if loop := _fallback_loop(meta.fallback):
            report.error(yaml_file.path, yaml_file.line_of(("fallback", loop[0])),
                         f"fallback layouts go round in a loop ({' -> '.join(loop)}): end it with a layout "
                         f"that has no fallback")
            ok = False
    if set(meta.summary) != set(meta.title):
        report.error(yaml_file.path, yaml_file.line_of(("summary",)),
                     "summary must be given in the same languages as title")
        ok = False
    return ok


def _fallback_loop(fallback: dict[str, str]) -> list[str] | None:
    """The first chain of fallbacks that comes back to a layout already in it."""
    for start in fallback:
        chain = [start]
        while (following := fallback.get(chain[-1])) is not None:
            if following in chain:
                return chain[chain.index(following):] + [following]
            chain.append(following)
    return None


def _related(meta: PublicationMeta, slug: str, lang: str) -> tuple[str, str, str]:
    """A related title in ``lang`` when the publication has it, else in its first language."""
    shown = lang if lang in meta.title else next(iter(meta.title))
    return slug, meta.title[shown], shown


def _related_readable(meta, yaml_file, readable: set[str], report: Report) -> bool:
    """Related publications whose own publication.yaml has errors give no title to link with."""
    ok = True
    for i, ident in enumerate(meta.related):
        if ident not in readable and os.path.lexists(yaml_file.path.parent.parent / ident / "publication.yaml"):
            report.error(yaml_file.path, yaml_file.line_of(("related", i)),
                         f"related publication '{ident}' cannot be read: see the errors in its publication.yaml")
            ok = False
    return ok


def _load_editions(slug, texts, meta, yaml_file, organizations, topics, metas, languages,
                   report) -> list[Edition]:
    for lang in meta.title:
        if lang not in texts:
            report.error(yaml_file.path, yaml_file.line_of(("title", lang)), f"title in '{lang}' but no {lang}.md")
    editions = []
    for lang, path in texts.items():
        if lang not in meta.title:
            report.error(path, 1, f"no title in '{lang}' in publication.yaml")
            continue
        if languages is not None and lang not in languages:
            report.error(path, 1, f"the layouts have no message catalogue for '{lang}': "
                                  f"see 'Adding a language' in README.md")
            continue
        try:
            raw = read_source(path, TEXT_FILE)
            text = raw.decode("utf-8")
        except LocatedError as exc:
            exc.report_to(report)
            continue
        except UnicodeDecodeError as exc:
            report.error(path, raw[:exc.start].count(b"\n") + 1, "not UTF-8 text: save the file as UTF-8")
            continue
        parsed = parse_text(text, path, report)
        if parsed is None:
            continue
        contacts = [organizations[c] for c in meta.contacts]
        editions.append(Edition(
            slug=slug,
            lang=lang,
            meta=meta,
            title=meta.title[lang],
            summary=meta.summary[lang],
            sections=parsed.sections,
            source=path,
            source_files=[yaml_file.path, path, *parsed.images],
            contacts=contacts,
            topics=[topics[t].name.get(lang) or topics[t].name.get("en") or t for t in meta.topics],
            related=[_related(metas[r][0], r, lang) for r in meta.related],
            has_contacts_block=parsed.has_contacts_block,
            other_langs=sorted(set(meta.title) & set(texts) - {lang}),
            image_lines=parsed.image_lines,
        ))
    return editions
