"""Builds on a real Dask cluster on loopback: a scheduler and two workers
(the `dask` command-line programs), the samples built through them, every
output byte-identical to a local build; a worker killed during a build
leaves its jobs to the other; an unreachable scheduler is a clear error
before anything is written."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from pressroom.build import build
from pressroom.diagnostics import UsageError
from pressroom.options import BuildOptions

DASK = Path(sys.executable).parent / "dask"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(DASK), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=PROJECT_ROOT, start_new_session=True)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(count, timeout=60)


@pytest.fixture
def cluster():
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [_start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")]
    time.sleep(1)
    processes += [_start("worker", address, "--nthreads", "1", "--no-dashboard", "--name", f"w{n}") for n in (1, 2)]
    try:
        _wait_for_workers(address, 2)
        yield address, processes[1:]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".build-state.json"
            and ".lock" not in p.name}


def test_samples_built_on_a_cluster_match_a_local_build_even_when_a_worker_dies(cluster, tmp_path):
    address, workers = cluster
    local = build(BuildOptions(output_dir=tmp_path / "local", quiet=True, jobs=1))
    assert local.report.errors == []
    killer = threading.Timer(8.0, lambda: os.killpg(workers[0].pid, signal.SIGKILL))
    killer.start()
    try:
        remote = build(BuildOptions(output_dir=tmp_path / "cluster", quiet=True, scheduler=address))
    finally:
        killer.cancel()
    assert remote.report.errors == [], [str(d) for d in remote.report.errors]
    assert workers[0].poll() is not None  # the worker did die during the build
    assert _hashes(tmp_path / "cluster") == _hashes(tmp_path / "local")


def test_an_unreachable_scheduler_is_an_error_before_anything_is_written(tmp_path):
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:"):
        build(BuildOptions(output_dir=tmp_path / "out", quiet=True, scheduler=f"tcp://127.0.0.1:{_free_port()}"))
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert not list((tmp_path / "out").rglob("*.pdf"))
