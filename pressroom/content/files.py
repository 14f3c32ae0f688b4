"""Source files are read only when they are regular files inside the project.

A symbolic link (wherever it points, and whether or not it points anywhere),
a device, a named pipe or a socket is an error at its own path: it is never
opened, followed or hashed, so it can neither bring outside text into a
publication nor hang a build. Files are opened without following links and
without blocking, and their size is checked against a bound before reading.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..diagnostics import LocatedError
from .bounds import Bound


class NotARegularFile(LocatedError):
    """A source path that is a link, a device, a pipe, or not there."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def refusal(path: Path, expect_dir: bool = False) -> str | None:
    """Why ``path`` may not be read as a source (None when it may): it must be
    a regular file (or, with ``expect_dir``, a folder) and no symbolic link."""
    try:
        mode = os.lstat(path).st_mode
    except ValueError:
        return "the name holds a NUL character"
    except FileNotFoundError:
        return "file is missing"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if os.path.realpath(path.parent) != os.path.abspath(path.parent):
        return "is inside a folder reached through a symbolic link, which is not followed"
    if stat.S_ISLNK(mode):
        if not os.path.exists(path):
            return "is a symbolic link to nothing (dangling): sources must be regular files"
        return ("is a symbolic link: sources are read only from regular files inside the project, "
                "so it is not followed (copy the file here instead)")
    wanted = stat.S_ISDIR(mode) if expect_dir else stat.S_ISREG(mode)
    if not wanted:
        return f"is {_kind(mode)}, not a {'folder' if expect_dir else 'regular file'}: it is not read"
    return None


def check_regular(path: Path) -> None:
    if (reason := refusal(path)) is not None:
        raise NotARegularFile(path, 1, reason)


def read_source(path: Path, bound: Bound) -> bytes:
    """The bytes of a regular source file no larger than ``bound``."""
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise NotARegularFile(path, 1, f"cannot be read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise NotARegularFile(path, 1, f"is {_kind(info.st_mode)}, not a regular file: it is not read")
        bound.check(path, 1, info.st_size, "bytes")
        data = handle.read(bound.limit + 1)
    bound.check(path, 1, len(data), "bytes")
    return data


def sources_problem(sources_dir: Path) -> str | None:
    """Why ``sources_dir`` is not a sources folder (checked before anything
    under it is scanned), or None."""
    if not sources_dir.is_dir():
        return "sources folder not found"
    if not os.path.lexists(sources_dir / "office.yaml"):
        return "not a sources folder: it has no office.yaml (give the folder with --sources)"
    return None
