"""Job tickets: what a printer needs to quote and run a print job, as JSON
and as a one-page PDF (ReportLab), with PNG proofs of every page. Each run
has its own ticket, named by publication, language, layout, date and run
number, written once (ticket_folders.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..manifest import sha256, write_new
from ..options import PROJECT_ROOT
from ..render.layouts import LayoutSpec
from ..render.thumbnail import page_png
from .preflight import Finding, errors
from .reportlab_fonts import register_ttf
from .ticket_folders import run_folder_name

PROOF_DPI = 100
# The publications' own sans (shipped with the layouts), embedded in the ticket PDF.
FONT_DIR = PROJECT_ROOT / "layouts/shared/fonts/public-sans"
FONTS = {"TicketSans": FONT_DIR / "public-sans-latin-400-normal.ttf",
         "TicketSans-Bold": FONT_DIR / "public-sans-latin-700-normal.ttf",
         "TicketSans-Italic": FONT_DIR / "public-sans-latin-400-italic.ttf",
         "TicketSans-BoldItalic": FONT_DIR / "public-sans-latin-700-italic.ttf"}
REGULAR, BOLD = "TicketSans", "TicketSans-Bold"


@dataclass
class JobTicket:
    ticket: str
    created: str
    title: str
    publication_number: str
    language: str
    layout: str
    trim_size: str
    pages: int
    colours: str
    paper: str
    finishing: str
    quantity: int
    file: str
    file_sha256: str
    file_bytes: int
    file_pages: str
    preflight: str
    preflight_findings: list[str]
    deliver_to: list[str]
    proofs: list[str]


def make_ticket(*, print_file: Path, data: bytes, title: str, number: str, lang: str, layout: str,
                spec: LayoutSpec, screen_pages: int, quantity: int, findings: list[Finding],
                deliver_to: list[str], today: dt.date, run: int = 1) -> JobTicket:
    """``data`` is the print file's content (read once by the caller); ``run``
    numbers the day's runs of this publication, language and layout."""
    return JobTicket(
        ticket=ticket_id(number, lang, layout, today, run),
        created=today.isoformat(),
        title=title,
        publication_number=number,
        language=lang,
        layout=layout,
        trim_size=_trim_size(spec),
        pages=screen_pages,
        colours=spec.print.colours,
        paper=spec.print.paper,
        finishing=spec.print.finishing,
        quantity=quantity,
        file=print_file.name,
        file_sha256=sha256(data),
        file_bytes=len(data),
        file_pages=("two flat sheets, outside (panels 5 | 6 | 1) then inside (2 | 3 | 4)"
                    if spec.imposition == "trifold" else "single pages in reading order"),
        preflight="failed" if errors(findings) else "passed",
        preflight_findings=[f.format(print_file.name) for f in findings],
        deliver_to=deliver_to,
        proofs=[],
    )


def ticket_id(number: str, lang: str, layout: str, day: dt.date, run: int) -> str:
    return f"JT-{number}-{lang}-{layout}-{run_folder_name(day, run)}"


def _trim_size(spec: LayoutSpec) -> str:
    if spec.imposition == "trifold":
        folded = spec.panel_widths_in[0]
        return (f"{spec.page_width_in:g} x {spec.page_height_in:g} in flat, "
                f"{folded:g} x {spec.page_height_in:g} in folded")
    return f"{spec.page_width_in:g} x {spec.page_height_in:g} in"


def write_proofs(data: bytes, folder: Path) -> list[Path]:
    """PNG of every page of the print file, marks and bleed included."""
    folder.mkdir(parents=True, exist_ok=True)
    document = pdfium.PdfDocument(data)
    paths = []
    try:
        for index, page in enumerate(document, start=1):
            path = folder / f"page-{index:02}.png"
            write_new(path, page_png(page, PROOF_DPI / 72))
            paths.append(path)
    finally:
        document.close()
    return paths


def ticket_pdf(ticket: JobTicket, first_proof: Path | None) -> bytes:
    """The ticket on one Letter page, for people."""
    register_ttf(FONTS, "the layouts' shared fonts ship with the project", family=REGULAR)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=letter, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.7 * inch, bottomMargin=0.7 * inch, title=f"Job ticket {ticket.ticket}",
                            author="Pressroom", invariant=1, initialFontName=REGULAR)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, spaceAfter=4)
    small = ParagraphStyle("small", fontName=REGULAR, fontSize=9, leading=12, textColor=colors.HexColor("#454545"))
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=10, leading=13)
    rows = [
        ("Publication", f"{ticket.title} ({ticket.language})"),
        ("Publication number", ticket.publication_number),
        ("Quantity", f"{ticket.quantity:,} copies"),
        ("Trim size", ticket.trim_size),
        ("Pages", str(ticket.pages)),
        ("Colours", ticket.colours),
        ("Paper", ticket.paper),
        ("Binding / folding", ticket.finishing),
        ("File", ticket.file),
        ("SHA-256", ticket.file_sha256),
        ("Preflight", ticket.preflight + (f" ({len(ticket.preflight_findings)} finding(s))"
                                          if ticket.preflight_findings else " (no findings)")),
        ("Deliver to", "<br/>".join(ticket.deliver_to)),
    ]
    table = Table([[Paragraph(f"<b>{k}</b>", cell), Paragraph(v, cell)] for k, v in rows],
                  colWidths=[1.7 * inch, 5.3 * inch])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # a table selects its cells' font even for paragraphs
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#a9aeb1")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 5),
    ]))
    story = [Paragraph(f"Print job ticket {ticket.ticket}", title),
             Paragraph(f"Issued {ticket.created}. The file holds {ticket.file_pages}, with 0.125 in bleed "
                       f"and crop marks (PDF/X-4).", small),
             Spacer(1, 12), table]
    if first_proof is not None:
        story += [Spacer(1, 14), Paragraph("Proof of page 1 (all pages are in the proofs folder):", small),
                  Spacer(1, 4), Image(str(first_proof), width=2.2 * inch, height=2.2 * inch, kind="proportional")]
    doc.build(story)
    return buffer.getvalue()


def write_ticket(ticket: JobTicket, data: bytes, folder: Path) -> list[Path]:
    """ticket.json, ticket.pdf and proofs/ of the print file ``data`` in
    ``folder`` (a run's own, see ticket_folders.claim_run_folder); returns
    the files written. An existing ticket is never overwritten."""
    json_path, pdf_path = folder / "ticket.json", folder / "ticket.pdf"
    if json_path.exists() or pdf_path.exists():
        raise FileExistsError(f"{folder}: a job ticket is already there; each run gets a new folder")
    proofs = write_proofs(data, folder / "proofs")
    ticket.proofs = [p.relative_to(folder).as_posix() for p in proofs]
    write_new(json_path, (json.dumps(asdict(ticket), indent=2, ensure_ascii=False) + "\n").encode())
    write_new(pdf_path, ticket_pdf(ticket, proofs[0] if proofs else None))
    return [json_path, pdf_path, *proofs]
