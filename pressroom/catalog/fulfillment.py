"""Fulfilment paperwork with ReportLab: packing slips with a Code 128 barcode
of the order number, mailing labels on Avery 5160 sheets, a pick list, and
a CSV export of orders."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from reportlab.graphics.barcode import code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from .listing import layout_name
from .labels import (BOLD, LABEL_FIRST_BASELINE, LABEL_H, LABEL_PAD_X, LABEL_TEXT_H, LABEL_TEXT_W, LABEL_W,
                     REGULAR, address_lines, fit, fit_label, register_fonts, wrap)
from .models import Order
from .orders import STATES

LABEL_COLUMNS, LABEL_ROWS = 3, 10
LABEL_LEFT, LABEL_TOP = 0.1875 * inch, 0.5 * inch
LABEL_GAP_X = 0.125 * inch
LABELS_PER_SHEET = LABEL_COLUMNS * LABEL_ROWS


def label_origin(index: int) -> tuple[float, float]:
    """Lower-left corner of label ``index`` (0-29) on its sheet, in points."""
    row, column = divmod(index % LABELS_PER_SHEET, LABEL_COLUMNS)
    x = LABEL_LEFT + column * (LABEL_W + LABEL_GAP_X)
    y = letter[1] - LABEL_TOP - (row + 1) * LABEL_H
    return x, y


def mailing_labels(orders: list[Order]) -> bytes:
    """Every line wrapped inside its label, never cut; the type gets smaller
    for long addresses (checkout refuses one that cannot fit at all)."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1, initialFontName=REGULAR)
    pdf.setTitle("Mailing labels")
    for index, order in enumerate(orders):
        if index and index % LABELS_PER_SHEET == 0:
            pdf.showPage()
        x, y = label_origin(index)
        size, lines = fit_label(order) or fit(address_lines(order), LABEL_TEXT_W, 10 * LABEL_TEXT_H, sizes=(6,))
        text = pdf.beginText(x + LABEL_PAD_X, y + LABEL_H - LABEL_FIRST_BASELINE)
        text.setFont(REGULAR, size, leading=size * 1.15)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
        pdf.setFont(REGULAR, 6)
        pdf.drawRightString(x + LABEL_W - LABEL_PAD_X, y + LABEL_H - 0.1 * inch, order.number)
        room = LABEL_TEXT_W - pdfmetrics.stringWidth(order.number, REGULAR, 6) - 0.1 * inch
        pdf.setFont(REGULAR, 5)
        pdf.drawString(x + LABEL_PAD_X, y + LABEL_H - 0.1 * inch, label_contents(order, room))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def label_contents(order: Order, room: float, size: float = 5) -> str:
    """What is in the parcel, in one line of ``room`` points on the label: the
    items in full, else by number, language and format, else a pointer to the slip."""
    full = "; ".join(f"{line.title}, {line.number}, {line.lang}, {layout_name(line.layout)} \u00d7{line.quantity}"
                     for line in order.lines)
    short = "; ".join(f"{line.number} {line.lang} {layout_name(line.layout)} \u00d7{line.quantity}"
                      for line in order.lines)
    for text in (full, short):
        if pdfmetrics.stringWidth(text, REGULAR, size) <= room:
            return text
    return f"{len(order.lines)} items, {order.copies} copies: see the packing slip"


def packing_slips(orders: list[Order], office_name: str, office_address: list[str]) -> bytes:
    """One Letter page per order, in the label font; long lines wrap."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1, initialFontName=REGULAR)
    pdf.setTitle("Packing slips")
    for order in orders:
        _slip_header(pdf, order, office_name, office_address)
        table_top = _ship_to(pdf, order, letter[1] - 2.3 * inch)
        _slip_lines(pdf, order, table_top)
        pdf.setFont(REGULAR, 8)
        pdf.drawString(0.75 * inch, 0.75 * inch, "Free publications. Questions about this order: reply to the "
                                                  "confirmation email and quote the order number.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _lines_at(pdf: canvas.Canvas, x: float, y: float, lines: list[str], leading: float) -> float:
    """Draw ``lines`` from baseline ``y`` down; the baseline after the last."""
    for line in lines:
        pdf.drawString(x, y, line)
        y -= leading
    return y


def _slip_header(pdf: canvas.Canvas, order: Order, office_name: str, office_address: list[str]) -> None:
    width, height = letter
    pdf.setFont(BOLD, 16)
    pdf.drawString(0.75 * inch, height - 0.9 * inch, "Packing slip")
    pdf.setFont(REGULAR, 9)
    _lines_at(pdf, 0.75 * inch, height - 1.15 * inch, [office_name, *office_address], 11)
    barcode = code128.Code128(order.number, barHeight=0.5 * inch, barWidth=1.1)
    barcode.drawOn(pdf, width - 0.75 * inch - barcode.width, height - 1.1 * inch)
    pdf.setFont(REGULAR, 10)
    pdf.drawRightString(width - 0.75 * inch, height - 1.3 * inch, f"Order {order.number}")
    pdf.drawRightString(width - 0.75 * inch, height - 1.45 * inch, f"Placed {order.created_at:%B %d, %Y}")


def _ship_to(pdf: canvas.Canvas, order: Order, top: float) -> float:
    """The address block; the top of the table below it."""
    pdf.setFont(BOLD, 10)
    pdf.drawString(0.75 * inch, top, "Ship to")
    pdf.setFont(REGULAR, 10)
    lines = [part for line in [*address_lines(order), STATES.get(order.state, "")]
             for part in wrap(line, REGULAR, 10, 4.5 * inch)]
    bottom = _lines_at(pdf, 0.75 * inch, top - 14, lines, 13)
    return min(top - 1.6 * inch, bottom - 0.3 * inch)


def _slip_lines(pdf: canvas.Canvas, order: Order, table_top: float) -> None:
    width = letter[0]
    pdf.setFont(BOLD, 10)
    pdf.drawString(0.75 * inch, table_top, "Publication")
    pdf.drawString(4.6 * inch, table_top, "Language")
    pdf.drawString(5.5 * inch, table_top, "Format")
    pdf.drawRightString(width - 0.75 * inch, table_top, "Copies")
    pdf.setStrokeColor(colors.black)
    pdf.line(0.75 * inch, table_top - 5, width - 0.75 * inch, table_top - 5)
    pdf.setFont(REGULAR, 10)
    y = table_top - 20
    for line in order.lines:
        row_top = y
        pdf.drawString(4.6 * inch, y, line.lang)
        format_lines = wrap(layout_name(line.layout), REGULAR, 10, 1.3 * inch)
        _lines_at(pdf, 5.5 * inch, y, format_lines, 13)
        pdf.drawRightString(width - 0.75 * inch, y, str(line.quantity))
        described = wrap(line.title, REGULAR, 10, 3.7 * inch) + wrap(line.number, REGULAR, 10, 3.7 * inch)
        y = _lines_at(pdf, 0.75 * inch, y, described, 13) - 3
        y = min(y, row_top - 13 * len(format_lines) - 3)
    pdf.line(0.75 * inch, y + 8, width - 0.75 * inch, y + 8)
    pdf.setFont(BOLD, 10)
    pdf.drawRightString(width - 0.75 * inch, y - 8, f"Total copies: {order.copies}")


@dataclass(frozen=True)
class Pick:
    title: str
    number: str
    lang: str
    layout: str
    copies: int


def pick_list(orders: list[Order]) -> list[Pick]:
    """The items to take from the shelves for a batch, with their copies."""
    counts: Counter = Counter()
    for order in orders:
        for line in order.lines:
            counts[(line.title, line.number, line.lang, line.layout)] += line.quantity
    return [Pick(*key, copies) for key, copies in sorted(counts.items())]


def _cell(value) -> str:
    """Text as a spreadsheet shows it, never as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def orders_csv(orders: list[Order]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order", "status", "placed", "shipped", "name", "organization", "address1", "address2",
                     "city", "state", "zip", "email", "publication", "title", "number", "language", "format",
                     "copies"])
    for order in orders:
        for line in order.lines:
            writer.writerow([_cell(v) for v in (
                order.number, order.status, order.created_at.isoformat(),
                order.shipped_at.isoformat() if order.shipped_at else "", order.name, order.organization,
                order.address1, order.address2, order.city, order.state, order.zip, order.email,
                line.slug, line.title, line.number, line.lang, line.layout, line.quantity)])
    return buffer.getvalue()
