"""Time and memory of the hostile corpus (tests/hostile/cases.py).

    python bench/hostile.py [--timeout 120] [CASE...]

Writes each case into a fresh temporary sources/ tree and runs
`generate.py check` and `generate.py build` on it as a user would (one
process each, interpreter start included), printing the wall time, the peak
resident memory of that process and the exit code. As a baseline in the
same run, the same two commands on a tree holding one clean sample
publication. Exits 1 when a case takes more than 10 s or 500 MB, or times
out (a hostile source must be refused quickly).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import SourceTree  # noqa: E402
from hostile.cases import CASES, META, Case  # noqa: E402

LIMIT_S, LIMIT_MB = 10.0, 500.0


def measure(tree: SourceTree, command: str, timeout: float) -> tuple[float, float, int | None]:
    """(seconds, peak RSS in MB, exit code or None on timeout) of one command."""
    args = [sys.executable, str(ROOT / "generate.py"), command, "--sources", str(tree.sources),
            "--output", str(tree.output), "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=tree.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
        if time.perf_counter() > deadline:
            process.kill()
            _, _, usage = os.wait4(process.pid, 0)
            return time.perf_counter() - started, usage.ru_maxrss / 1024, None
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    baseline = Case("baseline: one clean publication", lambda tree: tree.publication(meta=META), (), exit=0)
    cases = [baseline] + [c for c in CASES if not args.cases or c.name in args.cases]
    print(f"{'case':34} {'check s':>8} {'MB':>6} {'exit':>4}   {'build s':>8} {'MB':>6} {'exit':>4}")
    missed = []
    for case in cases:
        with tempfile.TemporaryDirectory() as folder:
            tree = SourceTree(Path(folder))
            case.make(tree)
            row = [measure(tree, command, args.timeout) for command in ("check", "build")]
        cells = "   ".join(f"{s:8.2f} {mb:6.0f} {'T/O' if code is None else code:>4}" for s, mb, code in row)
        print(f"{case.name[:34]:34} {cells}", flush=True)
        if case is not baseline and any(s > LIMIT_S or mb > LIMIT_MB or code is None for s, mb, code in row):
            missed.append(case.name)
    if missed:
        print(f"over {LIMIT_S:g} s or {LIMIT_MB:g} MB: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
