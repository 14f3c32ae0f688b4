"""One verdict for build and check: a publication selected for a build that
makes no job (its publication.yaml cannot be read, names no usable layout,
or it has no text) is still loaded, so its errors fail the build; and the
outputs a failing publication made before are kept, reported as stale,
never deleted."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Report
from .project import JobId


def unplanned_publications(selected: tuple[str, ...], known: set[str], keys: dict[JobId, str]) -> set[str]:
    """Selected publications (all known ones when none is named) without a job."""
    planned = {job.slug for job in keys}
    return (set(selected) or known) - planned


def kept_removals(remove: dict[JobId, list[dict]], unplanned: set[str], readable: set[str]) -> set[JobId]:
    """Jobs the plan would remove only because their publication cannot be
    read now: their outputs stay until it can."""
    return {job for job in remove if job.slug in unplanned and job.slug not in readable}


def report_stale(report: Report, output_dir: Path, jobs: dict[JobId, list[dict]]) -> None:
    """A warning at every kept output of a job that failed in this build."""
    for job, entries in sorted(jobs.items()):
        for entry in entries:
            path = output_dir / entry.get("path", "")
            if entry.get("path") and path.is_file():
                report.warning(path, 1, f"stale: kept from the last good build of {job}, which failed now "
                                        f"(fix the errors above and build again)")
