"""E-mails about orders: the confirmation and "shipped" (with the tracking
number), in the order's language, as plain text and HTML.

A message is recorded as pending in the transaction that makes it due (the
order, the shipping), so it is never lost; it is sent after that commit,
through SMTP when PRESSROOM_SMTP_HOST is set, else written as an .eml file
into var/outbox/. A failed send leaves it pending: ``send_pending`` (called
after each order, by staff from the order page, or by a periodic job) tries
again. Nothing about a failure but its kind is kept or logged."""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import tempfile
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from .db import begin_write
from .models import Message, Order
from .settings import CatalogSettings

log = logging.getLogger("pressroom.catalog")
TEMPLATES = Path(__file__).resolve().parent / "templates" / "mail"
MAX_ATTEMPTS_PER_RUN = 100  # messages tried by one call of send_pending

# The words of each message, per language (MAIL_LANGUAGES in orders.py).
WORDS = {
    "en": {
        "confirmation": "Your order {number}", "shipped": "Your order {number} has shipped",
        "confirmation_intro": "Thank you. We received your order for free printed publications.",
        "shipped_intro": "Your order is on its way.",
        "tracking": "Tracking number", "publications": "Publications", "copies": "copies",
        "ship_to": "Shipping to", "order": "Order number",
        "lookup": "To see the status of your order, look it up in the catalog under \u201cFind an order\u201d with "
                  "its number and this e-mail address.",
        "formats": {"fact-sheet": "Fact sheet", "trifold": "Brochure", "booklet": "Booklet"},
        "languages": {"en": "English", "es": "Spanish"},
    },
    "es": {
        "confirmation": "Su pedido {number}", "shipped": "Su pedido {number} fue enviado",
        "confirmation_intro": "Gracias. Recibimos su pedido de publicaciones impresas gratuitas.",
        "shipped_intro": "Su pedido está en camino.",
        "tracking": "Número de seguimiento", "publications": "Publicaciones", "copies": "ejemplares",
        "ship_to": "Dirección de envío", "order": "Número de pedido",
        "lookup": "Para ver el estado de su pedido, búsquelo en el catálogo en \u201cFind an order\u201d con su "
                  "número y esta dirección de correo electrónico.",
        "formats": {"fact-sheet": "Hoja informativa", "trifold": "Folleto", "booklet": "Cuadernillo"},
        "languages": {"en": "inglés", "es": "español"},
    },
}


def _environment(html: bool) -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]) if html else False,
                       keep_trailing_newline=True)


def compose(order: Order, kind: str, sender: str) -> EmailMessage:
    """The message ``kind`` about ``order`` (lines loaded), in the order's language."""
    words = WORDS.get(order.lang, WORDS["en"])
    context = {"order": order, "kind": kind, "w": words, "lines": list(order.lines)}
    message = EmailMessage()
    message["Subject"] = words[kind].format(number=order.number)
    message["From"] = sender
    message["To"] = order.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["Content-Language"] = order.lang
    message.set_content(_environment(False).get_template("order.txt").render(context))
    message.add_alternative(_environment(True).get_template("order.html").render(context), subtype="html")
    return message


class NowhereToSend(Exception):
    """Neither an SMTP server nor an outbox folder is set."""


def deliver(settings: CatalogSettings, message: EmailMessage, name: str) -> None:
    """Hand ``message`` to the SMTP server, else write it as outbox/<name>.eml (0600)."""
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        return
    if settings.outbox_dir is None:
        raise NowhereToSend()
    settings.outbox_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=settings.outbox_dir, suffix=".tmp")
    with os.fdopen(descriptor, "wb") as file:
        file.write(message.as_bytes())
    os.replace(temporary, settings.outbox_dir / f"{name}.eml")


def queue_message(session: Session, order: Order, kind: str) -> None:
    """Record ``kind`` about ``order`` as pending, in the caller's transaction."""
    session.add(Message(order_id=order.id, kind=kind, state="pending", attempts=0, last_error=""))


def send_pending(sessions: sessionmaker[Session], settings: CatalogSettings,
                 order_ids: list[int] | None = None) -> tuple[int, int]:
    """Try every pending message (of ``order_ids`` only, when given); (sent, failed)."""
    with sessions() as session:
        query = select(Message.id).where(Message.state == "pending").order_by(Message.id)
        if order_ids is not None:
            query = query.where(Message.order_id.in_(order_ids))
        ids = list(session.scalars(query.limit(MAX_ATTEMPTS_PER_RUN)))
    sent = failed = 0
    for message_id in ids:
        outcome = _send_one(sessions, settings, message_id)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def _send_one(sessions: sessionmaker[Session], settings: CatalogSettings, message_id: int) -> bool | None:
    """Claim, send and record one message; None when another sender had it."""
    with sessions() as session:
        begin_write(session)
        row = session.get(Message, message_id)
        if row is None or row.state != "pending":
            return None
        tried = row.attempts
        claimed = session.execute(update(Message).where(Message.id == message_id, Message.state == "pending",
                                                        Message.attempts == tried)
                                  .values(attempts=tried + 1))
        session.commit()
        if claimed.rowcount != 1:
            return None
        order = session.scalar(select(Order).where(Order.id == row.order_id).options(selectinload(Order.lines)))
        kind = row.kind
    try:
        deliver(settings, compose(order, kind, settings.mail_from), f"{order.number}-{kind}")
    except (OSError, smtplib.SMTPException, NowhereToSend) as exc:
        _record(sessions, message_id, error=type(exc).__name__)
        log.warning("message %s (%s) not sent: %s; it stays pending", message_id, kind, type(exc).__name__)
        return False
    _record(sessions, message_id)
    return True


def _record(sessions: sessionmaker[Session], message_id: int, error: str = "") -> None:
    with sessions() as session:
        begin_write(session)
        values = {"last_error": error[:200]} if error else {"state": "sent", "last_error": "",
                                                             "sent_at": dt.datetime.now(dt.timezone.utc)}
        session.execute(update(Message).where(Message.id == message_id).values(**values))
        session.commit()
