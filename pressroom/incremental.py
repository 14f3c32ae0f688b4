"""Incremental builds: a key per output job made from everything it depends
on, and a state file that remembers the keys and outputs of the last build.

A job is one edition (slug, language) in one layout; its key hashes its own
source files, the shared data it uses (the office, the organizations and
topics it cites, the titles of the publications it links to), its layout's
files and the shared layout files (fonts included), the CMYK profile, the
variants asked for, Pressroom's own code (a hash of its files) and
WeasyPrint's version. When no
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
from .content.names import EDITION_FILE, SLUG
from .content.yamlfile import YamlFile
from .project import JobId

STATE_NAME = ".build-state.json"
STATE_VERSION = 2


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


PACKAGE_DIR = Path(__file__).resolve().parent
# Code that cannot change an output: the catalog reads the outputs, never makes them.
NOT_OUTPUT_CODE = ("catalog",)


def code_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """One hash of Pressroom's own code that makes outputs, so a change to
    marks, colour or HTML code rebuilds what it touches."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        if relative.parts[0] in NOT_OUTPUT_CODE:
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_config(variants: tuple[str, ...], cmyk_profile: Path) -> dict:
    profile = _sha256(cmyk_profile) if cmyk_profile.is_file() else None
    return {"pressroom": __version__, "code": code_hash(), "weasyprint": version("weasyprint"),
            "variants": sorted(variants), "cmyk_profile": profile}


def _load_yaml(path: Path):
    """The values, or None for a file the loader will report (libyaml: the
    key scan reads every publication.yaml)."""
    try:
        return YamlFile.read(path, fast=True).data
    except Exception:  # noqa: BLE001 - any unreadable file is reported when its publication is loaded
        return None


def job_keys(sources_dir: Path, layouts_dir: Path, layout_names: list[str], inputs: dict[str, list],
             config: dict) -> dict[JobId, dict[str, str]]:
    """The key parts of every job the sources ask for (see KEY_PARTS); a
    job's key is the digest of its parts."""
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
    common = {"config": digest(config), "office": sha(sources_dir / "office.yaml")}
    keys = {}
    for slug, meta in metas.items():
        files = folder_hashes.get(str(sources_dir / slug), [])
        languages = sorted(m[1] for name, _ in files if (m := EDITION_FILE.match(name)))
        if not isinstance(meta, dict):  # broken YAML: always rebuilt, so its errors are shown
            meta = {"layouts": [], "_broken": files}
        layouts = meta.get("layouts") if isinstance(meta.get("layouts"), list) else []
        fallback = meta.get("fallback") if isinstance(meta.get("fallback"), dict) else {}
        # Everything one publication's jobs share, hashed once.
        own_files = digest({"files": files, "languages": languages})
        shared_data = digest({
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
                keys[JobId(slug, lang, layout)] = {
                    **common, "files": own_files, "shared data": shared_data,
                    "layout": digest([layout_hash.get(layout), extra, layout_hash.get(extra)])}
    return keys


# What each part of a job's key covers, for --explain.
KEY_PARTS = {
    "config": "Pressroom's code, WeasyPrint, the CMYK profile or the variants asked for",
    "office": "office.yaml",
    "files": "the publication's own files",
    "shared data": "the organizations, topics or related titles it uses",
    "layout": "its layout's files (or its fallback's, or the shared ones)",
}
CONFIG_PARTS = {"code": "Pressroom's code", "pressroom": "Pressroom's version", "weasyprint": "WeasyPrint's version",
                "cmyk_profile": "the CMYK profile", "variants": "the variants asked for"}


def key_of(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _why(job_state: dict | None, parts: dict[str, str] | None, key: str, force: bool, missing: bool,
         config: dict) -> str:
    """Why a job is rendered, in words."""
    if force:
        return "--force"
    if job_state is None:
        return "new"
    if job_state.get("failed"):
        return "it failed last time"
    if job_state["key"] != key:
        changed = [name for name, value in (parts or {}).items() if job_state.get("parts", {}).get(name) != value]
        old_config = job_state.get("config", {})
        config_change = [words for name, words in CONFIG_PARTS.items() if old_config.get(name) != config.get(name)]
        words = [(", ".join(config_change) or KEY_PARTS[name]) if name == "config" else KEY_PARTS[name]
                 for name in changed]
        return "changed: " + "; ".join(words or ["its key"])
    return "output files missing" if missing else "unchanged"


def _ids(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


@dataclass
class Plan:
    keys: dict[JobId, str]  # every selected job -> its key
    parts: dict[JobId, dict[str, str]]  # the parts of each recomputed key
    build: list[JobId]  # job ids to render
    reasons: dict[JobId, str]  # why each job in build is rendered
    keep: dict[JobId, list[dict]]  # unchanged job id -> its manifest entries
    remove: dict[JobId, list[dict]]  # jobs whose sources are gone -> their old entries
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
    parts: dict[JobId, dict[str, str]] = {}
    if unchanged_inputs and not force:
        keys = {job: data["key"] for text, data in state.jobs.items() if (job := JobId.parse(text))}
    else:
        parts = job_keys(sources_dir, layouts_dir, layout_names, inputs, config)
        keys = {job: key_of(job_parts) for job, job_parts in parts.items()}
    build, keep, reasons = [], {}, {}
    for job, key in keys.items():
        if not selected(job):
            continue
        previous = state.jobs.get(str(job))
        missing = bool(previous) and not all((output_dir / e["path"]).is_file() for e in previous["entries"])
        if not force and previous and previous["key"] == key and not previous.get("failed") and not missing:
            keep[job] = previous["entries"]
        else:
            build.append(job)
            reasons[job] = _why(previous, parts.get(job), key, force, missing, config)
    remove = {job: data["entries"] for text, data in state.jobs.items()
              if (job := JobId.parse(text)) and job not in keys and selected(job)}
    return Plan(keys, parts, sorted(build), reasons, keep, remove, inputs, config)
