"""Builds on a Dask distributed cluster (``build --scheduler tcp://HOST:8786``
or ``PRESSROOM_SCHEDULER``), for catalogs one machine's cores cannot build
in time.

Each job goes to a worker as a value (workers.Task); the worker renders it
with a renderer it keeps for the whole build (set up by a worker plugin,
one FontConfiguration per worker), into a folder of its own, and sends the
files back as bytes with the manifest entries and diagnostics. This process
writes them, the manifest and the build state exactly as a local build
does, so the outputs are byte-identical. Dask reschedules the jobs of a
worker that dies on another worker. The workers read the project's files
(sources, layouts, fonts, the CMYK profile) at the same paths as this
process: a shared file system, or the same checkout in the same place.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed, get_worker

from .diagnostics import Report, UsageError
from .manifest import write_atomic
from .options import BuildOptions
from .workers import JobRunner, Task, TaskResult

PLUGIN_NAME = "pressroom-renderer"
CONNECT_TIMEOUT_S = 10


class RendererPlugin(WorkerPlugin):
    """Lives on each worker for one build: its renderer and its output folder."""

    name = PLUGIN_NAME

    def __init__(self, options: BuildOptions):
        super().__init__()
        self.options = options
        self.folder: Path | None = None
        self.runner: JobRunner | None = None
        self.lock: threading.Lock | None = None  # made on the worker (a lock does not travel)

    def setup(self, worker) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-worker-"))
        self.lock = threading.Lock()  # one job at a time: the folder and the renderer are the worker's
        self.runner = JobRunner(replace(self.options, output_dir=self.folder))

    def teardown(self, worker) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, task: Task) -> TaskResult:
        """The job's result with every file it wrote (outputs, attached
        files, files beside them), which leave this worker's folder."""
        with self.lock:
            result = self.runner.run(task)
            files = {}
            for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
                files[path.relative_to(self.folder).as_posix()] = path.read_bytes()
                path.unlink()
        return replace(result, files=files)


def _run_on_worker(task: Task) -> TaskResult:
    return get_worker().plugins[PLUGIN_NAME].run(task)


def run_tasks_on_cluster(tasks: list[Task], options: BuildOptions):
    """Yield results as jobs finish on the cluster at ``options.scheduler``,
    each job's files already written into the output folder."""
    try:
        client = Client(options.scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}") from None
    with client:
        client.register_plugin(RendererPlugin(options), name=PLUGIN_NAME)
        try:
            futures = client.map(_run_on_worker, tasks, pure=False)
            by_key = {future.key: task for future, task in zip(futures, tasks)}
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - the job failed on every worker it was given to
                    task = by_key[future.key]
                    report = Report()
                    report.error(task.edition.source, 1, f"{task.layout} layout: cluster job failed: "
                                                         f"{type(exc).__name__}: {exc}")
                    yield TaskResult(task.job, [], report.items, 0)
                    continue
                for relative, data in result.files.items():
                    write_atomic(options.output_dir / relative, data)
                yield replace(result, files={})
        finally:
            client.unregister_worker_plugin(PLUGIN_NAME)
