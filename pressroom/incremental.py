"""Incremental builds: a key per output job made from everything it depends
on, and a state file that remembers the keys and outputs of the last build.

A job is one edition (slug, language) in one layout; its key hashes its own
source files, the shared data it uses (the office, the organizations and
topics it cites, the titles of the publications it links to), its layout's
files and the shared layout files (fonts included), the CMYK profile, the
variants asked for, and the versions of Pressroom and WeasyPrint. When no
input file changed since the last build (by size and modification time),
not even the YAML is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from . import __version__
from .content.library import EDITION_FILE, SLUG
from .content.yamlfile import YamlFile

STATE_NAME = ".build-state.json"
STATE_VERSION = 1


def job_id(slug: str, lang: str, layout: str) -> str:
    return f"{slug}/{lang}/{layout}"


@dataclass
class BuildState:
    inputs: dict[str, list] = field(default_factory=dict)  # path -> [mtime_ns, size, sha256]
    config: dict = field(default_factory=dict)
    jobs: dict[str, dict] = field(default_factory=dict)  # job id -> {"key": ..., "entries": [...]}

    @classmethod
    def read(cls, output_dir: Path) -> "BuildState":
        try:
            raw = json.loads((output_dir / STATE_NAME).read_text(encoding="utf-8"))
            if raw.get("version") != STATE_VERSION:
                return cls()
            return cls(raw["inputs"], raw["config"], raw["jobs"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def write(self, output_dir: Path) -> None:
        from .manifest import write_atomic

        document = {"version": STATE_VERSION, "config": self.config, "inputs": self.inputs, "jobs": self.jobs}
        write_atomic(output_dir / STATE_NAME, json.dumps(document, sort_keys=True).encode())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_inputs(roots: list[Path], previous: dict[str, list]) -> dict[str, list]:
    """[mtime_ns, size, sha256] of every file under ``roots``; files whose size
    and time are unchanged keep their previous hash (no read)."""
    found = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                info = os.lstat(path)  # links are never followed, pipes and devices never opened
                old = previous.get(path)
                if not stat.S_ISREG(info.st_mode):  # refused at its path by the loader
                    found[path] = [info.st_mtime_ns, info.st_size, f"not a regular file ({info.st_mode:o})"]
                elif old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
                    found[path] = old
                else:
                    try:
                        found[path] = [info.st_mtime_ns, info.st_size, _sha256(Path(path))]
                    except OSError as exc:  # unreadable: refused at its path by the loader
                        found[path] = [info.st_mtime_ns, info.st_size, f"unreadable ({exc.errno})"]
    return found


def build_config(variants: tuple[str, ...], cmyk_profile: Path) -> dict:
    profile = _sha256(cmyk_profile) if cmyk_profile.is_file() else None
    return {"pressroom": __version__, "weasyprint": version("weasyprint"), "variants": sorted(variants),
            "cmyk_profile": profile}


def _load_yaml(path: Path):
    """The values, or None for a file the loader will report (libyaml: the
    key scan reads every publication.yaml)."""
    try:
        return YamlFile.read(path, fast=True).data
    except Exception:  # noqa: BLE001 - any unreadable file is reported when its publication is loaded
        return None


def job_keys(sources_dir: Path, layouts_dir: Path, layout_names: list[str], inputs: dict[str, list],
             config: dict) -> dict[str, str]:
    """The key of every job the sources ask for."""
    def sha(path: Path) -> str | None:
        entry = inputs.get(str(path))
        return entry[2] if entry else None

    by_folder: dict[str, list] = {}  # top folder under sources/ or layouts/ -> [[relative path, sha]]
    for path, entry in inputs.items():
        for root in (sources_dir, layouts_dir):
            prefix = str(root) + os.sep
            if path.startswith(prefix):
                top, _, rest = path[len(prefix):].partition(os.sep)
                if rest:
                    by_folder.setdefault(os.path.join(str(root), top), []).append([rest, entry[2]])
    folder_hashes = {folder: sorted(files) for folder, files in by_folder.items()}

    def digest(value) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()

    shared = folder_hashes.get(str(layouts_dir / "shared"), [])
    layout_hash = {name: digest([folder_hashes.get(str(layouts_dir / name), []), shared]) for name in layout_names}
    organizations = _load_yaml(sources_dir / "organizations.yaml")
    topics = _load_yaml(sources_dir / "topics.yaml")
    organizations = organizations if isinstance(organizations, dict) else {}
    topics = topics if isinstance(topics, dict) else {}
    metas = {}
    for meta_path in sorted(sources_dir.glob("*/publication.yaml")):
        metas[meta_path.parent.name] = _load_yaml(meta_path)
    common = digest({"config": config, "office": sha(sources_dir / "office.yaml")})
    keys = {}
    for slug, meta in metas.items():
        files = folder_hashes.get(str(sources_dir / slug), [])
        languages = sorted(m[1] for name, _ in files if (m := EDITION_FILE.match(name)))
        if not isinstance(meta, dict):  # broken YAML: always rebuilt, so its errors are shown
            meta = {"layouts": [], "_broken": files}
        layouts = meta.get("layouts") if isinstance(meta.get("layouts"), list) else []
        fallback = meta.get("fallback") if isinstance(meta.get("fallback"), dict) else {}
        # Everything one publication's jobs share, hashed once.
        publication = digest({
            "common": common, "files": files, "languages": languages,
            "organizations": {c: organizations.get(c) for c in _ids(meta.get("contacts"))},
            "topics": {t: topics.get(t) for t in _ids(meta.get("topics"))},
            "related": {r: (metas.get(r) or {}).get("title") if isinstance(metas.get(r), dict) else None
                        for r in _ids(meta.get("related"))},
        })
        for lang in languages:
            for layout in layouts:
                if not isinstance(layout, str) or not SLUG.match(layout):
                    continue  # not a layout name: reported when the publication is loaded
                extra = fallback.get(layout)
                extra = extra if isinstance(extra, str) else None
                keys[job_id(slug, lang, layout)] = digest(
                    [publication, lang, layout_hash.get(layout), extra, layout_hash.get(extra)])
    return keys


def _ids(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


@dataclass
class Plan:
    keys: dict[str, str]  # every selected job -> its key
    build: list[str]  # job ids to render
    keep: dict[str, list[dict]]  # unchanged job id -> its manifest entries
    remove: dict[str, list[dict]]  # jobs whose sources are gone -> their old entries
    inputs: dict[str, list]
    config: dict

    def is_noop(self) -> bool:
        return not self.build and not self.remove


def plan_build(state: BuildState, sources_dir: Path, layouts_dir: Path, layout_names: list[str],
               config: dict, output_dir: Path, selected, force: bool = False) -> Plan:
    """Which jobs to render, which to keep, which to remove. ``selected`` says
    whether a job id is part of this run (the command's SLUG/--lang/--layout)."""
    inputs = scan_inputs([sources_dir, layouts_dir], state.inputs)
    unchanged_inputs = inputs == state.inputs and config == state.config
    if unchanged_inputs and not force:
        keys = {job: data["key"] for job, data in state.jobs.items()}
    else:
        keys = job_keys(sources_dir, layouts_dir, layout_names, inputs, config)
    build, keep = [], {}
    for job, key in keys.items():
        if not selected(job):
            continue
        previous = state.jobs.get(job)
        if (not force and previous and previous["key"] == key and not previous.get("failed")
                and all((output_dir / e["path"]).is_file() for e in previous["entries"])):
            keep[job] = previous["entries"]
        else:
            build.append(job)
    remove = {job: data["entries"] for job, data in state.jobs.items() if job not in keys and selected(job)}
    return Plan(keys, sorted(build), keep, remove, inputs, config)
