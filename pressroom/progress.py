"""Build progress: a rich progress bar on a terminal, plain lines otherwise,
and a summary table at the end."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


class RichProgress:
    """done/total, the publication just finished, elapsed time, failures so far."""

    def __init__(self, console: Console):
        self.failures = 0
        self.bar = Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[current]}"), TextColumn("[red]{task.fields[failed]}"),
                            TimeElapsedColumn(), console=console, transient=True)
        self.task = None

    def start(self, total: int, skipped: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("build", total=total, current="", failed="")

    def advance(self, label: str, failed: bool) -> None:
        self.failures += failed
        self.bar.update(self.task, advance=1, current=label,
                        failed=f"{self.failures} failed" if self.failures else "")

    def finish(self) -> None:
        self.bar.stop()


class PlainProgress:
    """One line per finished job, for logs and pipes."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.total = self.done = 0
        self.started = time.perf_counter()

    def start(self, total: int, skipped: int) -> None:
        self.total = total
        print(f"building {total} job(s), {skipped} unchanged", file=self.stream)

    def advance(self, label: str, failed: bool) -> None:
        self.done += 1
        state = "FAILED" if failed else "built"
        print(f"[{self.done}/{self.total}] {state} {label} ({time.perf_counter() - self.started:.1f} s)",
              file=self.stream)

    def finish(self) -> None:
        pass


def make_progress(quiet: bool):
    if quiet:
        return None
    console = Console(stderr=True)
    return RichProgress(console) if console.is_terminal else PlainProgress()


def print_summary(result, quiet: bool) -> None:
    pages = result.pages
    console = Console(stderr=True)
    if console.is_terminal and not quiet:
        table = Table(title="Build summary", show_edge=False)
        for column in ("built", "skipped", "failed", "pages", "seconds"):
            table.add_column(column, justify="right")
        table.add_row(str(result.built), str(result.skipped), str(result.failed), str(pages),
                      f"{result.seconds:.1f}")
        console.print(table)
    print(f"{result.built} built, {result.skipped} unchanged, {result.failed} failed; {pages} page(s) in "
          f"{result.seconds:.1f} s; {len(result.report.errors)} error(s), {len(result.report.warnings)} warning(s)",
          file=sys.stderr)
