"""Rendering jobs: in this process for small builds, else in worker
processes. Each process renders with one JobRunner (one FontConfiguration
for all its documents) that belongs to one build: the in-process runner is
made by the build that uses it, and a worker's runner by the pool's
initializer, so no build ever renders with another build's sandbox or
layouts."""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from .content.model import Edition, Library
from .diagnostics import PressroomError, Report
from .manifest import ManifestEntry
from .options import BuildOptions
from .project import JobId
from .render.layouts import discover_layouts
from .render.pdf import PdfRenderer
from .variants import build_one

TASKS_PER_WORKER = 200
# A single job renders in-process: no worker to start.
SMALL_BUILD = 2


@dataclass(frozen=True)
class Task:
    job: JobId
    edition: Edition
    library: Library  # the shared data, without the other editions

    @property
    def layout(self) -> str:
        return self.job.layout


@dataclass
class TaskResult:
    job: JobId
    entries: list[ManifestEntry]
    diagnostics: list
    peak_rss_kb: int
    files: dict = field(default_factory=dict)  # relative path -> bytes, from a cluster worker (cluster.py)


class JobRunner:
    """Renders tasks of one build with one renderer and that build's layouts."""

    def __init__(self, options: BuildOptions):
        self.options = options
        self.renderer = PdfRenderer([options.layouts_dir, options.sources_dir])
        self.layouts = discover_layouts(options.layouts_dir)

    def run(self, task: Task) -> TaskResult:
        report = Report()
        try:
            entries = build_one(self.renderer, task.library, self.layouts, task.edition,
                                self.layouts[task.layout], self.options, report)
        except PressroomError as exc:  # e.g. a broken message catalogue: its file and line are in the message
            report.error(task.edition.source, 1, f"{task.layout} layout: {exc}")
            entries = []
        except Exception as exc:  # one broken publication must not stop the others
            if self.options.debug:
                raise
            report.error(task.edition.source, 1, f"{task.layout} layout: internal error: {type(exc).__name__}: {exc}")
            entries = []
        return TaskResult(task.job, entries, report.items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# The runner of a worker process, set by the pool's initializer in that
# process only (the parent process never sets it).
_IN_WORKER: dict[str, JobRunner] = {}


def _start_worker(options: BuildOptions) -> None:
    _IN_WORKER["runner"] = JobRunner(options)


def _run_in_worker(task: Task) -> TaskResult:
    return _IN_WORKER["runner"].run(task)


def run_tasks(tasks: list[Task], options: BuildOptions):
    """Yield results as tasks finish, from ``options.jobs`` worker processes.
    A fresh pool serves each chunk of tasks, so no worker lives for more than
    TASKS_PER_WORKER documents and memory stays flat. (ProcessPoolExecutor's
    own max_tasks_per_child can hang on Python 3.11.) With a scheduler, on
    its Dask cluster instead (cluster.py)."""
    if options.scheduler:
        from .cluster import run_tasks_on_cluster

        yield from run_tasks_on_cluster(tasks, options)
        return
    if options.jobs <= 1 or len(tasks) < SMALL_BUILD:
        runner = JobRunner(options)
        for task in tasks:
            yield runner.run(task)
        return
    # fork starts a worker in milliseconds with everything already imported;
    # forkserver (elsewhere) pays for the imports once per worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = options.jobs * TASKS_PER_WORKER
    for first in range(0, len(tasks), chunk):
        with ProcessPoolExecutor(max_workers=options.jobs, mp_context=context,
                                 initializer=_start_worker, initargs=(options,)) as pool:
            futures = {pool.submit(_run_in_worker, task): task for task in tasks[first:first + chunk]}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    task = futures[future]
                    report = Report()
                    report.error(task.edition.source, 1,
                                 f"{task.layout} layout: worker failed: {type(exc).__name__}: {exc}")
                    yield TaskResult(task.job, [], report.items, 0)
