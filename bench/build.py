"""Build speed on a synthetic catalog, against the plain `weasyprint` command.

    python bench/build.py [--publications 400] [--jobs N] [--sample 40] [--all-variants]

Makes a catalog of `--publications` publications in two languages from the
samples (renamed, titles varied; the second language is the sample's own
Spanish text, or a copy of the English one), then prints in one run:
cold build time and pages/s with 1 worker and with N, the speed-up, the
no-op rebuild and one-source-edit rebuild times (as `generate.py build`
runs them, interpreter start included), peak RSS per worker, and the ratio
against running the `weasyprint` command once per document on the same HTML
(timed on `--sample` documents and scaled to all of them).

Builds make the screen PDFs only unless --all-variants: that is what the
command makes. Exits 1 when a target is missed: speed-up >= 1.7x with 2
workers, no-op < 1 s, one edit < 2 s, peak RSS per worker < 400 MB,
ratio <= 0.25x.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.build import build, load, selected_jobs  # noqa: E402
from pressroom.options import BuildOptions  # noqa: E402
from pressroom.render.html import render_html  # noqa: E402

TARGETS = {"speed-up": 1.7, "no-op s": 1.0, "one edit s": 2.0, "RSS MB": 400.0, "ratio": 0.25}


def make_catalog(destination: Path, publications: int) -> Path:
    """``publications`` publications (the samples first, then renamed copies),
    each with an English and a Spanish text."""
    sources = ROOT / "sources"
    shutil.copytree(sources, destination, ignore=shutil.ignore_patterns("*-copy-*"))
    samples = sorted(p for p in sources.iterdir() if (p / "publication.yaml").is_file())
    folders = []
    for index in range(publications):
        sample = samples[index % len(samples)]
        if index < len(samples):
            target = destination / sample.name
        else:
            target = destination / f"{sample.name}-copy-{index}"
            shutil.copytree(sample, target)
        folders.append((target, index))
    for target, index in folders:
        meta = (target / "publication.yaml").read_text()
        title = re.search(r"^title:\n  en: (.+)$", meta, re.M)[1]
        suffix = f" ({index})" if index >= len(samples) else ""
        spanish = re.search(r"^title:\n  en: .+\n  es: (.+)$", meta, re.M)
        if spanish:  # a sample with its own Spanish edition
            meta = meta.replace(f"  es: {spanish[1]}", f"  es: {spanish[1]}{suffix}", 1)
            meta = meta.replace(f"  en: {title}", f"  en: {title}{suffix}", 1)
        else:
            meta = re.sub(r"^title:\n  en: .+$", f"title:\n  en: {title}{suffix}\n  es: {title}{suffix} (es)", meta,
                          count=1, flags=re.M)
            meta = meta.replace("summary:\n  en:", "summary:\n  es: Resumen de la publicación.\n  en:", 1)
        (target / "publication.yaml").write_text(meta)
        if not (target / "es.md").exists():
            shutil.copy(target / "en.md", target / "es.md")
    return destination


def timed_build(sources: Path, output: Path, jobs: int, variants: tuple[str, ...]) -> tuple[float, object]:
    started = time.perf_counter()
    result = build(BuildOptions(sources_dir=sources, output_dir=output, jobs=jobs, variants=variants, quiet=True))
    elapsed = time.perf_counter() - started
    if result.report.errors:
        sys.exit("\n".join(map(str, result.report.errors[:20])))
    return elapsed, result


def cli_build(sources: Path, output: Path, variants: tuple[str, ...]) -> float:
    """`generate.py build` as a user runs it, interpreter start included."""
    command = [sys.executable, str(ROOT / "generate.py"), "build", "--quiet", "--sources", str(sources),
               "--output", str(output), *[f"--variant={v}" for v in variants]]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def command_time_per_document(sources: Path, sample: int, folder: Path) -> float:
    options = BuildOptions(sources_dir=sources).resolved()
    loaded = load(options)
    library = loaded.library
    jobs = selected_jobs(options, loaded)
    picked = random.Random(1).sample(jobs, min(sample, len(jobs)))
    weasyprint = Path(sys.executable).with_name("weasyprint")
    documents = []
    for index, (edition, layout) in enumerate(picked):
        path = folder / f"{index:03}.html"
        path.write_text(render_html(edition, layout, library), encoding="utf-8")
        documents.append((path, layout.folder))
    started = time.perf_counter()
    for html, base in documents:
        subprocess.run([str(weasyprint), "--pdf-variant", "pdf/ua-1", "--base-url", base.as_uri() + "/",
                        str(html), str(html.with_suffix(".pdf"))], check=True)
    return (time.perf_counter() - started) / len(documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sample", type=int, default=40, help="documents timed with the weasyprint command")
    parser.add_argument("--all-variants", action="store_true", help="also print and imposed files")
    args = parser.parse_args()
    variants = ("screen", "print", "imposed") if args.all_variants else ("screen",)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sources = make_catalog(tmp / "sources", args.publications)
        one_s, one = timed_build(sources, tmp / "out1", 1, variants)
        one_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        many_s, many = timed_build(sources, tmp / "outN", args.jobs, variants)
        peak_rss_mb = many.peak_worker_rss_kb / 1024
        noop_s = cli_build(sources, tmp / "outN", variants)
        edited = sources / "myasthenia-gravis" / "en.md"
        edited.write_text(edited.read_text() + "\nOne more sentence for the bench.\n")
        edit_s = cli_build(sources, tmp / "outN", variants)
        (tmp / "cmd").mkdir()
        per_document = command_time_per_document(sources, args.sample, tmp / "cmd")
        documents = one.built
        command_s = per_document * documents
        pages = one.pages

    speedup = one_s / many_s
    ratio = many_s / command_s
    figures = {"speed-up": speedup, "no-op s": noop_s, "one edit s": edit_s, "RSS MB": peak_rss_mb,
               "ratio": ratio}
    print(f"catalog: {args.publications} publications x 2 languages = {documents} documents, {pages} pages "
          f"(variants: {', '.join(variants)})")
    print(f"  cold build, 1 worker:            {one_s:8.1f} s  {pages / one_s:6.1f} pages/s")
    print(f"  cold build, {args.jobs} workers:           {many_s:8.1f} s  {pages / many_s:6.1f} pages/s")
    print(f"  speed-up:                        {speedup:8.2f}x  (target >= {TARGETS['speed-up']}x)")
    print(f"  no-op rebuild (generate.py):     {noop_s:8.2f} s  (target < {TARGETS['no-op s']} s)")
    print(f"  one-source edit rebuild:         {edit_s:8.2f} s  (target < {TARGETS['one edit s']} s)")
    print(f"  peak RSS per worker:             {peak_rss_mb:8.0f} MB (target < {TARGETS['RSS MB']:.0f} MB;"
          f" 1-worker in-process build: {one_rss_mb:.0f} MB)")
    print(f"  weasyprint command per document: {per_document:8.3f} s  (timed on {min(args.sample, documents)} "
          f"documents) -> {command_s:.0f} s for all")
    print(f"  ratio, {args.jobs} workers vs command:    {ratio:8.2f}x  (target <= {TARGETS['ratio']}x)")
    missed = [name for name, value in figures.items()
              if (value < TARGETS[name] if name == "speed-up" else value > TARGETS[name])]
    print("targets: " + ("ok" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
