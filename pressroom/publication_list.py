"""`generate.py list`: one row per publication. When the last clean full
build vouches for every file under sources/ and layouts/ as they are now
(sizes and times unchanged), the rows come from the facts it put into the
manifest and no source is parsed; otherwise the publication.yaml files are
read and checked."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Report
from .incremental import BuildState, scan_inputs
from .manifest import read_raw
from .options import BuildOptions
from .project import check_selection, layouts_of, load


@dataclass(frozen=True)
class Row:
    slug: str
    number: str
    languages: list[str]
    layouts: list[str]
    title: str


def _vouched_rows(options: BuildOptions) -> list[Row] | None:
    state = BuildState.read(options.output_dir)
    if not state.inputs or scan_inputs([options.sources_dir, options.layouts_dir], state.inputs) != state.inputs:
        return None
    publications = read_raw(options.output_dir).get("publications")
    if not isinstance(publications, dict):
        return None
    try:
        return [Row(slug, facts["number"], list(facts["languages"]), list(facts["layouts"]), facts["title"].get("en", ""))
                for slug, facts in sorted(publications.items())]
    except (KeyError, TypeError, AttributeError):
        return None  # a manifest from another version: read the sources


def publication_rows(options: BuildOptions) -> tuple[list[Row], Report]:
    check_selection(options, layouts_of(options))
    if (rows := _vouched_rows(options)) is not None:
        return rows, Report()
    loaded = load(options, read_texts=False)  # the publication.yaml files and the texts there are
    library = loaded.library
    rows = [Row(slug, meta.number, library.languages.get(slug, []), list(meta.layouts), meta.title.get("en", ""))
            for slug, meta in sorted(library.metas.items())] if library is not None else []
    return rows, loaded.report
