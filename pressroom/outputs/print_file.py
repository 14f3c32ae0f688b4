"""The print-ready file: PDF/X-4, CMYK, bleed, marks, preflighted.

Its problems are reported where the author can fix them: an image at its
line in the text (with the pixels it needs), a word at the first line that
has it, anything else at the text's first line; each once, with its pages.
``check`` makes this file in memory too, so it finds what the build finds.
"""

from __future__ import annotations

import re
from pathlib import Path

from .kind import OutputKind


def make(job, laid, made: dict, report) -> bytes | None:
    from ..prepress.preflight import preflight

    placed = job.placed_images(laid)
    coarse = _coarse_images(job, placed, report)
    printed = job.print_file(laid, placed, report)
    if printed is None:
        return None
    findings = [f for f in preflight(printed, job.layout.spec) if f.subject not in coarse]
    for finding in findings:
        line, message = _located(job.edition, finding, placed)
        emit = report.error if finding.level == "error" else report.warning
        emit(job.edition.source, line, f"print file ({job.layout.name} layout), {finding.where}: {message}")
    return None if coarse or any(f.level == "error" for f in findings) else printed


def _image_path(url: str) -> Path:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname  # only here: `list` and a no-op build never load urllib.request

    return Path(url2pathname(urlsplit(url).path))


def _coarse_images(job, placed, report) -> set[str]:
    """Images under the print resolution at their placed size, reported at
    their line; their pixel sizes (the preflight's subjects for them)."""
    from ..prepress import MIN_PPI
    from ..prepress.preflight import page_list

    by_url: dict[str, list] = {}
    for image in placed:
        if image.ppi < MIN_PPI - 0.5:
            by_url.setdefault(image.url, []).append(image)
    for url, same in by_url.items():
        image, path = min(same, key=lambda i: i.ppi), _image_path(url)
        pages = tuple(i.page for i in same)
        width, height = image.pixels
        report.error(job.edition.source, job.edition.image_lines.get(path, 1),
                     f"image '{path.name}' ({width} x {height} px) is {image.ppi:.0f} ppi at {image.width_in:.2f} in "
                     f"wide in the {job.layout.name} layout (page{'s' if len(pages) > 1 else ''} {page_list(pages)}); "
                     f"print needs {MIN_PPI} ppi: an image {round(MIN_PPI * image.width_in)} px wide, or place "
                     f"it at most {width / MIN_PPI:.2f} in wide")
    return {f"{w}x{h}" for w, h in (same[0].pixels for same in by_url.values())}


def _located(edition, finding, placed) -> tuple[int, str]:
    """The source line of a finding and its message in the author's words."""
    for image in placed:
        if finding.subject and finding.subject[:-1] == image.xobject:
            path = _image_path(image.url)
            return (edition.image_lines.get(path, 1),
                    finding.message.replace(f"image {finding.subject}", f"image '{path.name}'"))
    if finding.message.startswith("text '"):
        word = finding.message.split("'")[1]
        for number, line in enumerate(edition.source.read_text(encoding="utf-8").splitlines(), start=1):
            if word in line:
                return number, finding.message
        for path, line in edition.image_lines.items():  # text in a figure
            if path.suffix.lower() == ".svg" and word in path.read_text(encoding="utf-8", errors="replace"):
                return line, finding.message + _figure_advice(path, finding.message)
    return 1, finding.message


def _figure_advice(path: Path, message: str) -> str:
    """How much larger a figure's text must be, from "... is 4.3 pt; the minimum is 7 pt"."""
    sizes = re.findall(r"is (\d+(?:\.\d+)?) pt", message)
    minimum = re.search(r"minimum is (\d+(?:\.\d+)?) pt", message)
    if not sizes or minimum is None:
        return f" (in the figure '{path.name}')"
    factor = float(minimum[1]) / float(sizes[0])
    return (f" (in the figure '{path.name}': place it {factor:.1f} times as wide, or set its text "
            f"{factor:.1f} times as large)")


PRINT = OutputKind("print", "print", ".print.pdf", "PDF/X-4 for a printer: CMYK, bleed, marks", make)
