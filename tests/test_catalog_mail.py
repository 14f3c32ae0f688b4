"""E-mails about orders, end to end through a real SMTP server on loopback
(aiosmtpd): the confirmation and "shipped" messages in the order's language,
plain text and HTML; a send that fails leaves the order placed and the
message pending until a retry; without SMTP, .eml files in the outbox."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from conftest import ADDRESS, catalog_settings, csrf_of
from pressroom.catalog.mail import send_pending
from pressroom.catalog.models import Item, Message, Order
from pressroom.catalog.staff_auth import add_staff
from pressroom.catalog.web import create_app

SLUG = "paraneoplastic-syndromes"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def order_in(client, app, lang="en", layout="fact-sheet") -> str:
    with app.state.sessions() as session:
        session.execute(update(Item).where(Item.slug == SLUG).values(stock=100))
        session.commit()
    csrf = csrf_of(client.get(f"/publications/{SLUG}/{lang}").text)
    assert client.post("/cart/add", data={"csrf_token": csrf, "slug": SLUG, "lang": lang, "layout": layout,
                                          "quantity": "2"}).status_code == 303
    form = client.get("/checkout").text
    assert f'<option value="{lang}" lang="{lang}" selected>' in form  # a Spanish cart asks for Spanish e-mails
    assert client.post("/checkout", data={"csrf_token": csrf, **ADDRESS, "lang": lang}).status_code == 303
    token = re.search(r'name="checkout" value="([^"]+)"', client.get("/checkout/verify").text)[1]
    placed = client.post("/checkout/submit", data={"csrf_token": csrf, "checkout": token})
    assert placed.status_code == 200
    return re.search(r"Order number <strong>(PR-[A-Z0-9]{8})</strong>", placed.text)[1]


def parts(message) -> tuple[str, str]:
    return message.get_body("plain").get_content(), message.get_body("html").get_content()


def test_spanish_confirmation_and_shipped_messages(smtp, database_url, samples):
    app = create_app(catalog_settings(database_url, samples.output, smtp_host="127.0.0.1", smtp_port=smtp.port,
                                      mail_from="publicaciones@office.example"))
    with TestClient(app, follow_redirects=False) as client:
        number = order_in(client, app, lang="es", layout="trifold")
        assert len(smtp.messages) == 1
        confirmation = smtp.messages[0]
        assert confirmation["Subject"] == f"Su pedido {number}" and confirmation["To"] == ADDRESS["email"]
        text, html = parts(confirmation)
        assert "Gracias. Recibimos su pedido" in text
        assert "Síndromes paraneoplásicos (24-NS-0001, español, Folleto): 2 ejemplares" in text
        assert '<html lang="es">' in html and "Dana Example" in html

        with app.state.sessions() as session:
            add_staff(session, "staff@example.gov", "correct horse battery")
        csrf = csrf_of(client.get("/staff/login").text)
        client.post("/staff/login", data={"csrf_token": csrf, "email": "staff@example.gov",
                                          "password": "correct horse battery"})
        csrf = csrf_of(client.get("/staff").text)
        with app.state.sessions() as session:
            order_id = session.scalar(select(Order.id).where(Order.number == number))
        batch = client.post("/staff/batches", data={"csrf_token": csrf, "order": [str(order_id)]})
        shipped = client.post(batch.headers["location"] + "/ship",
                              data={"csrf_token": csrf, f"tracking:{order_id}": "9400 1000 0000".replace(" ", "-")})
        assert shipped.status_code == 303
    app.state.engine.dispose()
    assert len(smtp.messages) == 2
    text, html = parts(smtp.messages[1])
    assert smtp.messages[1]["Subject"] == f"Su pedido {number} fue enviado"
    assert "Número de seguimiento: 9400-1000-0000" in text and "9400-1000-0000" in html


def test_a_failed_send_keeps_the_order_and_a_retry_sends_it(database_url, samples):
    port = free_port()  # nothing listens there yet: the server is down
    app = create_app(catalog_settings(database_url, samples.output, smtp_host="127.0.0.1", smtp_port=port))
    with TestClient(app, follow_redirects=False) as client:
        number = order_in(client, app)
    with app.state.sessions() as session:
        assert session.scalar(select(Order.number)) == number
        message = session.scalar(select(Message))
        assert (message.state, message.attempts, message.last_error) == ("pending", 1, "ConnectionRefusedError")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send_pending(app.state.sessions, app.state.settings) == (1, 0)
        assert send_pending(app.state.sessions, app.state.settings) == (0, 0)  # sent once only
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.messages] == [f"Your order {number}"]
    text, _html = parts(inbox.messages[0])
    assert "Paraneoplastic Syndromes (24-NS-0001, English, Fact sheet): 2 copies" in text
    with app.state.sessions() as session:
        assert session.scalar(select(Message.state)) == "sent"
    app.state.engine.dispose()


def test_without_smtp_messages_are_written_to_the_outbox(samples, tmp_path):
    outbox = tmp_path / "outbox"
    app = create_app(catalog_settings(f"sqlite:///{tmp_path / 'c.db'}", samples.output, outbox_dir=outbox))
    with TestClient(app, follow_redirects=False) as client:
        number = order_in(client, app)
    app.state.engine.dispose()
    written = outbox / f"{number}-confirmation.eml"
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == f"Your order {number}" and message.get_body("html") is not None
    assert [p.name for p in outbox.iterdir()] == [written.name]
