"""Build speed on a synthetic catalog, as ratios against WeasyPrint's own
speed measured in the same run (the machine is shared and noisy).

    python bench/build.py [--publications 24] [--noop-publications 400] [--jobs N] [--sample 20]

Makes a catalog of `--publications` publications in two languages from the
samples (renamed, titles varied; the second language is the sample's own
Spanish text, or a copy of the English one), then prints:

- the floor: the bare WeasyPrint render + write of every document's screen
  HTML in one process with one FontConfiguration (the best of two runs);
- `build` of the screen PDFs only, and of every output (screen, print,
  imposed, preflight, thumbnails), with one worker, as ratios to the floor;
- the same full build with N workers and the speed-up;
- peak RSS per worker;
- on a catalog of `--noop-publications` (screen files), a no-op build and
  `list` as processes, interpreter start included, and one source edit;
- as a secondary figure, the `weasyprint` command once per document
  (timed on `--sample` documents and scaled to all of them).

Exits 1 when a target is missed: all outputs <= 1.5x the floor, no-op and
`list` < 0.3 s, speed-up >= 1.7x with 2 workers, peak RSS < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.build import build  # noqa: E402
from pressroom.project import load, selected_jobs  # noqa: E402
from pressroom.options import BuildOptions  # noqa: E402
from pressroom.render.html import render_html  # noqa: E402

TARGETS = {"all outputs x floor": 1.5, "no-op s": 0.3, "list s": 0.3, "speed-up": 1.7, "RSS MB": 400.0}
ALL = ("screen", "print", "imposed")


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


def cli(sources: Path, output: Path, *args: str) -> float:
    """One generate.py command as a user runs it, interpreter start included (best of three)."""
    command = [sys.executable, str(ROOT / "generate.py"), "--quiet", "--sources", str(sources),
               "--output", str(output), *args]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def documents_html(sources: Path, folder: Path) -> list[tuple[Path, Path]]:
    """Every document's screen HTML, written to ``folder``: (html file, layout folder)."""
    options = BuildOptions(sources_dir=sources).resolved()
    loaded = load(options)
    documents = []
    for index, (edition, layout) in enumerate(selected_jobs(options, loaded)):
        path = folder / f"{index:04}.html"
        path.write_text(render_html(edition, layout, loaded.library), encoding="utf-8")
        documents.append((path, layout.folder))
    return documents


def floor_seconds(documents: list[tuple[Path, Path]]) -> float:
    """WeasyPrint alone: render + write each screen document, one FontConfiguration."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    started = time.perf_counter()
    for html, base in documents:
        HTML(filename=str(html), base_url=base.as_uri() + "/").render(
            font_config=fonts, pdf_variant="pdf/ua-1").write_pdf(pdf_variant="pdf/ua-1")
    return time.perf_counter() - started


def command_time_per_document(documents: list[tuple[Path, Path]], sample: int) -> float:
    picked = random.Random(1).sample(documents, min(sample, len(documents)))
    weasyprint = Path(sys.executable).with_name("weasyprint")
    started = time.perf_counter()
    for html, base in picked:
        subprocess.run([str(weasyprint), "--pdf-variant", "pdf/ua-1", "--base-url", base.as_uri() + "/",
                        str(html), str(html.with_suffix(".pdf"))], check=True)
    return (time.perf_counter() - started) / len(picked)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=24)
    parser.add_argument("--noop-publications", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sample", type=int, default=20, help="documents timed with the weasyprint command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sources = make_catalog(tmp / "sources", args.publications)
        (tmp / "html").mkdir()
        documents = documents_html(sources, tmp / "html")
        floor_s = floor_seconds(documents)
        all_s, one = timed_build(sources, tmp / "all1", 1, ALL)
        screen_s, _ = timed_build(sources, tmp / "screen1", 1, ("screen",))
        floor_s = min(floor_s, floor_seconds(documents))  # the floor's best, around the builds
        many_s, many = timed_build(sources, tmp / "allN", args.jobs, ALL)
        peak_rss_mb = max(one.peak_worker_rss_kb, many.peak_worker_rss_kb) / 1024
        per_document = command_time_per_document(documents, args.sample)

        big = make_catalog(tmp / "big", args.noop_publications)
        big_out = tmp / "big-out"
        cold_big_s, big_result = timed_build(big, big_out, args.jobs, ("screen",))
        noop_s = cli(big, big_out, "build", "--variant", "screen")
        list_s = cli(big, big_out, "list")
        edited = big / "myasthenia-gravis" / "en.md"
        edited.write_text(edited.read_text() + "\nOne more sentence for the bench.\n")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "generate.py"), "-q", "--sources", str(big), "--output",
                        str(big_out), "build", "--variant", "screen"], check=True, capture_output=True)
        edit_s = time.perf_counter() - started

    figures = {"all outputs x floor": all_s / floor_s, "no-op s": noop_s, "list s": list_s,
               "speed-up": all_s / many_s, "RSS MB": peak_rss_mb}
    n = len(documents)
    print(f"catalog: {args.publications} publications x 2 languages = {n} documents, {one.pages} pages")
    print(f"  floor (WeasyPrint render + write, screen):  {floor_s:7.1f} s")
    print(f"  build, screen only, 1 worker:               {screen_s:7.1f} s  {screen_s / floor_s:5.2f}x floor")
    print(f"  build, all outputs, 1 worker:               {all_s:7.1f} s  {all_s / floor_s:5.2f}x floor "
          f"(target <= {TARGETS['all outputs x floor']}x)")
    print(f"  build, all outputs, {args.jobs} workers:              {many_s:7.1f} s  speed-up {all_s / many_s:.2f}x "
          f"(target >= {TARGETS['speed-up']}x)")
    print(f"  peak RSS per worker:                        {peak_rss_mb:7.0f} MB (target < {TARGETS['RSS MB']:.0f})")
    print(f"  weasyprint command per document:            {per_document:7.3f} s  -> {per_document * n:.0f} s "
          f"for all; all outputs with 1 worker = {all_s / (per_document * n):.2f}x that")
    print(f"catalog: {args.noop_publications} publications, {big_result.built} screen documents "
          f"(cold, {args.jobs} workers: {cold_big_s:.0f} s)")
    print(f"  no-op build (process):                      {noop_s:7.2f} s  (target < {TARGETS['no-op s']} s)")
    print(f"  list (process):                             {list_s:7.2f} s  (target < {TARGETS['list s']} s)")
    print(f"  one source edit (process):                  {edit_s:7.2f} s")
    missed = [name for name, value in figures.items()
              if (value < TARGETS[name] if name == "speed-up" else value > TARGETS[name])]
    print("targets: " + ("ok" if not missed else "MISSED: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
