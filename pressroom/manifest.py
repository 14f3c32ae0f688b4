"""``output/manifest.json``: every file the build made, for the catalog and for tools."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".lock"


@contextmanager
def output_lock(output_dir: Path):
    """The output folder's one lock (an exclusive flock on ``.lock``), held by
    every writer of the manifest and the build state, in any process."""
    output_dir.mkdir(parents=True, exist_ok=True)
    with open(output_dir / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class ManifestEntry:
    slug: str
    lang: str
    layout: str
    variant: str  # "screen" for the accessible download
    path: str  # relative to the output folder
    title: str
    summary: str
    number: str
    reviewed: str
    pages: int
    bytes: int
    sha256: str
    sources: list[str]
    topics: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    thumbnail: str | None = None  # PNG of page 1, relative to the output folder (screen files)
    accessibility: str | None = None  # its accessibility report, JSON (screen files)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.slug, self.lang, self.layout, self.variant)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _written_beside(path: Path, data: bytes) -> str:
    """A temporary file beside ``path``, holding ``data`` whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file so a crash never leaves half a file."""
    tmp = _written_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new(path: Path, data: bytes) -> None:
    """Write ``path`` whole, refusing (FileExistsError) if it exists: the
    file appears by a hard link, which never replaces one."""
    tmp = _written_beside(path, data)
    try:
        os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def read_raw(output_dir: Path) -> dict:
    """The manifest document as read (empty when missing or damaged)."""
    path = output_dir / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return raw if isinstance(raw, dict) else {}
    except ValueError:
        return {}  # a damaged manifest is rebuilt from what this build makes


def read_manifest(output_dir: Path, raw: dict | None = None) -> list[ManifestEntry]:
    try:
        return [ManifestEntry(**item) for item in (raw if raw is not None else read_raw(output_dir)).get("files", [])]
    except TypeError:
        return []


def write_manifest(output_dir: Path, entries: list[ManifestEntry], publications: dict[str, dict] | None = None,
                   removed: set[str] = frozenset(), site: dict | None = None) -> Path:
    """Merge ``entries`` (and ``publications``) into the manifest, dropping
    entries whose file is gone and the ``removed`` publications. ``site``
    holds the office facts the catalog shows (it reads nothing else)."""
    raw = read_raw(output_dir)
    merged = {e.key: e for e in read_manifest(output_dir, raw) if (output_dir / e.path).is_file()}
    merged.update({e.key: e for e in entries})
    known = {**raw.get("publications", {}), **(publications or {})}
    known = {slug: facts for slug, facts in known.items() if slug not in removed}
    files = [dict(e.__dict__) for _, e in sorted(merged.items())]  # flat fields: no deep asdict copy
    document = {"version": 2, "site": site if site is not None else raw.get("site", {}),
                "publications": dict(sorted(known.items())), "files": files}
    path = output_dir / MANIFEST_NAME
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
    return path
