"""Where each print run's job ticket goes: a new numbered folder per run
(<date>-<NN>), never one that exists, so the tickets of earlier runs stay as
they were written. Claiming a folder is a mkdir, which only one process can
win, so two workers ordering at once get different numbers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


def run_folder_name(day: dt.date, run: int) -> str:
    return f"{day:%Y%m%d}-{run:02}"


def claim_run_folder(base: Path, day: dt.date) -> tuple[Path, int]:
    """A new, empty folder under ``base`` for a run on ``day``, and its number
    (1 for the day's first run)."""
    base.mkdir(parents=True, exist_ok=True)
    pattern = re.compile(rf"{day:%Y%m%d}-(\d+)")
    taken = [int(m.group(1)) for p in base.iterdir() if (m := pattern.fullmatch(p.name))]
    run = max(taken, default=0) + 1
    while True:
        folder = base / run_folder_name(day, run)
        try:
            folder.mkdir()
        except FileExistsError:  # another process claimed it since we looked
            run += 1
            continue
        return folder, run
