"""The return label routes, served by a real Sanic server on a free loopback port."""

import asyncio
import io
import itertools
import json
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import aiohttp
import pytest
import zxingcpp
from PIL import Image
from sanic import Sanic

from bot.channels.returns import ReturnLabelInput
from bot.orders.models import Customer, Order, OrderItem
from bot.returns.links import sign_return
from bot.returns.models import Return, ReturnItem
from bot.storage.database import session_scope
from bot.storage.migrations import upgrade
from tests.unit.test_labels import barcodes_on_page, page_text

SECRET = "route-test-secret"
NUMBER = "R2611250042"
APP_NAMES = (f"return_routes_{n}" for n in itertools.count())


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


async def _fetch_all(app: Sanic, paths: tuple[str, ...]) -> list[Reply]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession() as session:
            replies = []
            for path in paths:
                async with session.get(f"http://127.0.0.1:{port}{path}") as answer:
                    replies.append(Reply(answer.status, dict(answer.headers), await answer.read()))
            return replies
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


@pytest.fixture()
def fetch(monkeypatch):
    """GET the paths from a fresh app with only the returns channel mounted, as Rasa mounts it."""
    # Test mode lets Sanic start several apps in one process (it keeps its own code rewrites undone).
    monkeypatch.setattr(Sanic, "test_mode", True)

    def run(*paths: str) -> list[Reply]:
        channel = ReturnLabelInput()
        app = Sanic(next(APP_NAMES))
        app.blueprint(channel.blueprint(lambda message: None), url_prefix=channel.url_prefix())
        return asyncio.run(_fetch_all(app, paths))

    return run


@pytest.fixture()
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.sqlite3'}"
    upgrade(url)
    with session_scope(url) as session:
        customer = Customer(email="pawel@example.com", first_name="Paweł", last_name="Łukasiewicz", language="pl")
        order = Order(
            number="302-4519273-8812345", customer=customer, placed_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            ship_name="Paweł Łukasiewicz", ship_street="ul. Świętokrzyska 12/4", ship_postcode="00-916",
            ship_city="Warszawa", ship_country="PL",
        )
        item = OrderItem(order=order, title="Herren Winterjacke Größe L", category="clothing",
                         quantity=1, unit_price=Decimal("89.90"))
        ret = Return(number=NUMBER, order=order, reason="doesnt_fit", carrier="DHL", refund_amount=Decimal("89.90"),
                     created_at=datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
        session.add_all([customer, order, item, ret, ReturnItem(return_=ret, order_item=item)])
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LABEL_LINK_SECRET", SECRET)
    return url


def test_valid_link_serves_the_label_pdf(database, fetch):
    (reply,) = fetch(f"/returns/label/{sign_return(NUMBER, SECRET)}.pdf")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/pdf"
    assert reply.headers["Content-Disposition"] == f'inline; filename="return-{NUMBER}.pdf"'
    assert reply.headers["Cache-Control"] == "no-store"
    assert [code.text for code in barcodes_on_page(reply.body)] == [NUMBER]
    text = page_text(reply.body)
    for expected in ("Paweł Łukasiewicz", "00-916 Warszawa", "302-4519273-8812345", "Herren Winterjacke", "DHL",
                     "Am Retourenpark 1", "25.11.2026"):
        assert expected in text


def test_valid_link_serves_the_dropoff_qr(database, fetch):
    (reply,) = fetch(f"/returns/qr/{sign_return(NUMBER, SECRET)}.png")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "image/png"
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(reply.body)))] == [f"RETURN:{NUMBER}"]


def test_tampered_and_foreign_links_are_forbidden(database, fetch):
    token = sign_return(NUMBER, SECRET)
    tampered = token[:-5] + ("x" if token[-5] != "x" else "y") + token[-4:]
    replies = fetch(
        f"/returns/label/{tampered}.pdf",
        f"/returns/qr/{tampered}.png",
        f"/returns/label/{sign_return(NUMBER, 'another-secret')}.pdf",
        "/returns/label/garbage.pdf",
    )
    assert [reply.status for reply in replies] == [403, 403, 403, 403]
    assert all("not valid" in reply.json()["error"] for reply in replies)


def test_expired_link_is_forbidden_with_its_own_message(database, fetch, monkeypatch):
    with monkeypatch.context() as frozen:
        frozen.setattr(time, "time", lambda: datetime(2026, 11, 1, tzinfo=UTC).timestamp())
        token = sign_return(NUMBER, SECRET)
    (reply,) = fetch(f"/returns/label/{token}.pdf")
    assert reply.status == 403
    assert "expired" in reply.json()["error"]


def test_signed_link_to_an_unknown_return_is_not_found(database, fetch):
    replies = fetch(f"/returns/label/{sign_return('R9999999999', SECRET)}.pdf",
                    f"/returns/label/{sign_return(NUMBER, SECRET)}.txt")
    assert [reply.status for reply in replies] == [404, 404]
    assert "error" in replies[0].json()


def test_database_failure_is_503_without_a_stack_trace(tmp_path, monkeypatch, fetch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no-tables.sqlite3'}")
    monkeypatch.setenv("LABEL_LINK_SECRET", SECRET)
    (reply,) = fetch(f"/returns/label/{sign_return(NUMBER, SECRET)}.pdf")
    assert reply.status == 503
    assert set(reply.json()) == {"error"}
    assert b"Traceback" not in reply.body and b"sqlite" not in reply.body.lower()
