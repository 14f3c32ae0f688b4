"""Build speed: Pressroom's in-process build against the plain `weasyprint`
command run once per document on the same HTML, in one run.

    python bench/build.py [--rounds 3] [--copies 10]

Two catalogs: the sample publications as they are (few documents, so both
sides are dominated by start-up), and a larger one made of `--copies` renamed
copies of every sample. Prints pages per second for both tools and their time
ratio; exits 1 when the larger catalog misses the target (ours at most 0.35x
the per-document command's time).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pressroom.build import build, load, selected_jobs  # noqa: E402
from pressroom.options import BuildOptions  # noqa: E402
from pressroom.render.html import render_html  # noqa: E402

TARGET_RATIO = 0.35


def make_catalog(destination: Path, copies: int) -> Path:
    """The samples plus ``copies`` renamed copies of each, as a sources folder."""
    sources = BuildOptions().sources_dir
    shutil.copytree(sources, destination)
    for folder in sorted(p for p in sources.iterdir() if (p / "publication.yaml").is_file()):
        for copy in range(1, copies + 1):
            target = destination / f"{folder.name}-copy-{copy}"
            shutil.copytree(folder, target)
            meta = target / "publication.yaml"
            text = re.sub(r"^(  [a-z]{2}: )(.+)$", rf"\1\2 ({copy})", meta.read_text(), count=1, flags=re.M)
            meta.write_text(text)
    return destination


def time_ours(sources: Path, output: Path) -> tuple[float, int, int]:
    """Whole build in one process (load, render, write, manifest), as `generate.py build
    --variant screen` does: the same PDFs the command makes."""
    started = time.perf_counter()
    result = build(BuildOptions(sources_dir=sources, output_dir=output, variants=("screen",), quiet=True))
    seconds = time.perf_counter() - started
    if result.report.errors:
        sys.exit("\n".join(map(str, result.report.errors)))
    return seconds, len(result.entries), result.pages


def write_html(sources: Path, folder: Path) -> list[tuple[Path, Path]]:
    """The exact HTML our build renders, with the base folder each needs."""
    options = BuildOptions(sources_dir=sources).resolved()
    loaded = load(options)
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for index, (edition, layout) in enumerate(selected_jobs(options, loaded)):
        path = folder / f"{index:03}-{edition.slug}.{layout.name}.html"
        path.write_text(render_html(edition, layout, loaded.library), encoding="utf-8")
        documents.append((path, layout.folder))
    return documents


def time_command(documents: list[tuple[Path, Path]], output: Path) -> float:
    weasyprint = Path(sys.executable).with_name("weasyprint")
    started = time.perf_counter()
    for html, base in documents:
        subprocess.run([str(weasyprint), "--pdf-variant", "pdf/ua-1", "--base-url", base.as_uri() + "/",
                        str(html), str(output / (html.stem + ".pdf"))], check=True)
    return time.perf_counter() - started


def compare(sources: Path, tmp: Path, rounds: int) -> tuple[int, int, float, float]:
    documents = write_html(sources, tmp / "html")
    ours, theirs = [], []
    for round_number in range(rounds):
        # A fresh interpreter per round keeps ours honest: it pays for
        # imports and font loading like a real `generate.py` run.
        code = ("import sys, time; t=time.perf_counter(); sys.path.insert(0, %r);"
                "from bench.build import time_ours; from pathlib import Path;"
                "s, f, p = time_ours(Path(%r), Path(%r)); print(time.perf_counter()-t, f, p)"
                % (str(Path(__file__).resolve().parent.parent), str(sources), str(tmp / f"ours{round_number}")))
        line = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        seconds, files, pages = line.stdout.split()
        ours.append(float(seconds))
        (tmp / f"cmd{round_number}").mkdir()
        theirs.append(time_command(documents, tmp / f"cmd{round_number}"))
    return int(files), int(pages), statistics.median(ours), statistics.median(theirs)


def report(name: str, files: int, pages: int, ours: float, theirs: float) -> float:
    ratio = ours / theirs
    print(f"\n{name}: {files} documents, {pages} pages")
    print(f"  {'':34} {'seconds':>8} {'pages/s':>8}")
    print(f"  {'pressroom build (one process)':34} {ours:8.2f} {pages / ours:8.1f}")
    print(f"  {'weasyprint command per document':34} {theirs:8.2f} {pages / theirs:8.1f}")
    print(f"  ratio: {ratio:.2f}x the per-document command")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each; the median is reported")
    parser.add_argument("--copies", type=int, default=10, help="copies of each sample in the larger catalog")
    args = parser.parse_args()
    print(f"median of {args.rounds} rounds, each in a fresh process")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "samples").mkdir()
        report("samples", *compare(BuildOptions().sources_dir, tmp / "samples", args.rounds))
        catalog = make_catalog(tmp / "catalog-sources", args.copies)
        (tmp / "catalog").mkdir()
        ratio = report(f"samples + {args.copies} copies each", *compare(catalog, tmp / "catalog", args.rounds))
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"\ntarget: at most {TARGET_RATIO}x on the larger catalog: {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
