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
from dataclasses import replace
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed, get_worker

from .diagnostics import UsageError
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

    def setup(self, worker) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-worker-"))
        self.runner = JobRunner(replace(self.options, output_dir=self.folder))

    def teardown(self, worker) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, task: Task) -> TaskResult:
        """The job's result with every file it wrote (outputs, attached
        files, files beside them), which leave this worker's folder."""
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
        futures = client.map(_run_on_worker, tasks, pure=False)
        for future in as_completed(futures):
            result = future.result()
            for relative, data in result.files.items():
                write_atomic(options.output_dir / relative, data)
            yield replace(result, files={})
        client.unregister_worker_plugin(PLUGIN_NAME)
