"""Fulfilment paperwork with ReportLab: packing slips with a Code 128 barcode
of the order number, mailing labels on Avery 5160 sheets, a pick list, and
a CSV export of orders."""

from __future__ import annotations

import csv
import io
from collections import Counter

from reportlab.graphics.barcode import code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

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
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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
    pdf.drawString(5.2 * inch, table_top, "Language")
    pdf.drawRightString(width - 0.75 * inch, table_top, "Copies")
    pdf.setStrokeColor(colors.black)
    pdf.line(0.75 * inch, table_top - 5, width - 0.75 * inch, table_top - 5)
    pdf.setFont(REGULAR, 10)
    y = table_top - 20
    for line in order.lines:
        pdf.drawString(5.2 * inch, y, line.lang)
        pdf.drawRightString(width - 0.75 * inch, y, str(line.quantity))
        y = _lines_at(pdf, 0.75 * inch, y, wrap(line.title, REGULAR, 10, 4.3 * inch), 13) - 3
    pdf.line(0.75 * inch, y + 8, width - 0.75 * inch, y + 8)
    pdf.setFont(BOLD, 10)
    pdf.drawRightString(width - 0.75 * inch, y - 8, f"Total copies: {order.copies}")


def pick_list(orders: list[Order]) -> list[tuple[str, str, int]]:
    """(title, lang, copies) to take from the shelves for a batch."""
    counts: Counter = Counter()
    for order in orders:
        for line in order.lines:
            counts[(line.title, line.lang)] += line.quantity
    return [(title, lang, copies) for (title, lang), copies in sorted(counts.items())]


def _cell(value) -> str:
    """Text as a spreadsheet shows it, never as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def orders_csv(orders: list[Order]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order", "status", "placed", "shipped", "name", "organization", "address1", "address2",
                     "city", "state", "zip", "email", "publication", "language", "copies"])
    for order in orders:
        for line in order.lines:
            writer.writerow([_cell(v) for v in (
                order.number, order.status, order.created_at.isoformat(),
                order.shipped_at.isoformat() if order.shipped_at else "", order.name, order.organization,
                order.address1, order.address2, order.city, order.state, order.zip, order.email,
                line.slug, line.lang, line.quantity)])
    return buffer.getvalue()
