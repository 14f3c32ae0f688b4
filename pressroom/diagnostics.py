"""Problems found in sources or outputs, reported as ``path:line: level: message``.

Every stage appends to one :class:`Report` and keeps going, so an author sees
all problems of a run at once (the Sphinx ``--keep-going`` habit).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when it lies below it (by
    its words: a symbolic link is named, not where it points)."""
    path = Path(path)
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass
class Report:
    """Collects diagnostics; never raises."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: Path | str, line: int | None, level: str, message: str) -> None:
        self.items.append(Diagnostic(display_path(path), line or 1, level, message))

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.add(path, line, ERROR, message)

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.add(path, line, WARNING, message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


class PressroomError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""


class LocatedError(PressroomError):
    """A problem at a file and line, found where there is no report to add it
    to (deep in rendering); whoever catches it reports it as an error."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        super().__init__(f"{display_path(path)}:{line or 1}: {message}")
        self.path, self.line, self.message = Path(path), line or 1, message

    def report_to(self, report: Report) -> None:
        report.error(self.path, self.line, self.message)


class UsageError(PressroomError):
    """Bad command-line use: unknown publication, layout or language (exit 2)."""
