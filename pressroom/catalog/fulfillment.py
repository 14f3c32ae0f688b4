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

from .models import Order
from .orders import STATES

# Avery 5160: 30 labels per Letter sheet, 3 across and 10 down, each 2.625 x 1 in.
LABEL_W, LABEL_H = 2.625 * inch, 1.0 * inch
LABEL_COLUMNS, LABEL_ROWS = 3, 10
LABEL_LEFT, LABEL_TOP = 0.1875 * inch, 0.5 * inch
LABEL_GAP_X = 0.125 * inch
LABELS_PER_SHEET = LABEL_COLUMNS * LABEL_ROWS


def address_lines(order: Order) -> list[str]:
    lines = [order.name]
    if order.organization:
        lines.append(order.organization)
    lines.append(order.address1)
    if order.address2:
        lines.append(order.address2)
    lines.append(f"{order.city} {order.state} {order.zip}")
    return lines


def label_origin(index: int) -> tuple[float, float]:
    """Lower-left corner of label ``index`` (0-29) on its sheet, in points."""
    row, column = divmod(index % LABELS_PER_SHEET, LABEL_COLUMNS)
    x = LABEL_LEFT + column * (LABEL_W + LABEL_GAP_X)
    y = letter[1] - LABEL_TOP - (row + 1) * LABEL_H
    return x, y


def mailing_labels(orders: list[Order]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    pdf.setTitle("Mailing labels")
    for index, order in enumerate(orders):
        if index and index % LABELS_PER_SHEET == 0:
            pdf.showPage()
        x, y = label_origin(index)
        lines = address_lines(order)
        size = 9 if len(lines) <= 5 else 8
        text = pdf.beginText(x + 0.15 * inch, y + LABEL_H - 0.2 * inch)
        text.setFont("Helvetica", size, leading=size + 1.5)
        for line in lines:
            text.textLine(line[:42])
        pdf.drawText(text)
        pdf.setFont("Helvetica", 6)
        pdf.drawRightString(x + LABEL_W - 0.12 * inch, y + 0.08 * inch, order.number)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def packing_slips(orders: list[Order], office_name: str, office_address: list[str]) -> bytes:
    """One Letter page per order."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    pdf.setTitle("Packing slips")
    width, height = letter
    for order in orders:
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(0.75 * inch, height - 0.9 * inch, "Packing slip")
        pdf.setFont("Helvetica", 9)
        for i, line in enumerate([office_name, *office_address]):
            pdf.drawString(0.75 * inch, height - 1.15 * inch - i * 11, line)
        barcode = code128.Code128(order.number, barHeight=0.5 * inch, barWidth=1.1)
        barcode.drawOn(pdf, width - 0.75 * inch - barcode.width, height - 1.1 * inch)
        pdf.setFont("Helvetica", 10)
        pdf.drawRightString(width - 0.75 * inch, height - 1.3 * inch, f"Order {order.number}")
        pdf.drawRightString(width - 0.75 * inch, height - 1.45 * inch, f"Placed {order.created_at:%B %d, %Y}")

        top = height - 2.3 * inch
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(0.75 * inch, top, "Ship to")
        pdf.setFont("Helvetica", 10)
        ship_to = address_lines(order)
        for i, line in enumerate(ship_to):
            pdf.drawString(0.75 * inch, top - 14 - i * 13, line)
        pdf.drawString(0.75 * inch, top - 14 - len(ship_to) * 13, STATES.get(order.state, ""))

        table_top = top - 1.6 * inch
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(0.75 * inch, table_top, "Publication")
        pdf.drawString(5.2 * inch, table_top, "Language")
        pdf.drawRightString(width - 0.75 * inch, table_top, "Copies")
        pdf.setStrokeColor(colors.black)
        pdf.line(0.75 * inch, table_top - 5, width - 0.75 * inch, table_top - 5)
        pdf.setFont("Helvetica", 10)
        y = table_top - 20
        for line in order.lines:
            pdf.drawString(0.75 * inch, y, line.title[:70])
            pdf.drawString(5.2 * inch, y, line.lang)
            pdf.drawRightString(width - 0.75 * inch, y, str(line.quantity))
            y -= 16
        pdf.line(0.75 * inch, y + 8, width - 0.75 * inch, y + 8)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawRightString(width - 0.75 * inch, y - 8, f"Total copies: {order.copies}")
        pdf.setFont("Helvetica", 8)
        pdf.drawString(0.75 * inch, 0.75 * inch, "Free publications. Questions about this order: reply to the "
                                                  "confirmation email and quote the order number.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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
