"""Serves return labels (PDF) and drop-off QR codes (PNG) behind expiring signed links.

An input channel only for its routes (no messages): enabled in credentials.yml, mounted at /returns.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.returns.documents import label_for_return
from bot.returns.labels import LabelData, dropoff_code, qr_png, render_label_pdf
from bot.returns.links import InvalidLink, link_secret, read_return
from bot.settings import load_settings

logger = logging.getLogger(__name__)

INVALID = "This return link is not valid. Please ask the assistant for a new one."
EXPIRED = "This return link has expired. Please ask the assistant for a new one."
NOT_FOUND = "There is no such return."
UNAVAILABLE = "Return labels are unavailable right now. Please try again in a few minutes."
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=PRIVATE_HEADERS)


async def _load_label(filename: str, suffix: str) -> LabelData | HTTPResponse:
    """The label a link's file name (`<token><suffix>`) points to, or the error response to send."""
    if not filename.endswith(suffix):
        return _error(404, NOT_FOUND)
    try:
        secret = link_secret()
    except RuntimeError:
        logger.error("LABEL_LINK_SECRET is not set: return links cannot be checked")
        return _error(503, UNAVAILABLE)
    max_age = load_settings().returns.label_link_valid_hours * 3600
    try:
        number = read_return(filename.removesuffix(suffix), secret, max_age)
    except InvalidLink as error:
        return _error(403, EXPIRED if error.expired else INVALID)
    try:
        # The database call runs in a worker thread so the event loop stays free.
        label = await asyncio.to_thread(label_for_return, number)
    except (SQLAlchemyError, OSError):
        logger.exception("Could not read return %s", number)
        return _error(503, UNAVAILABLE)
    return _error(404, NOT_FOUND) if label is None else label


class ReturnLabelInput(InputChannel):
    """GET /returns/label/<token>.pdf and GET /returns/qr/<token>.png."""

    @classmethod
    def name(cls) -> str:
        return "returns"

    def url_prefix(self) -> str:
        return "/returns"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = Blueprint("return_documents")

        @routes.route("/label/<filename>", methods=["GET"])
        async def label_pdf(request: Request, filename: str) -> HTTPResponse:
            label = await _load_label(filename, ".pdf")
            if isinstance(label, HTTPResponse):
                return label
            return response.raw(
                render_label_pdf(label),
                content_type="application/pdf",
                headers={
                    "Content-Disposition": f'inline; filename="return-{label.return_number}.pdf"',
                    **PRIVATE_HEADERS,
                },
            )

        @routes.route("/qr/<filename>", methods=["GET"])
        async def dropoff_qr(request: Request, filename: str) -> HTTPResponse:
            label = await _load_label(filename, ".png")
            if isinstance(label, HTTPResponse):
                return label
            return response.raw(
                qr_png(dropoff_code(label.return_number)), content_type="image/png", headers=PRIVATE_HEADERS
            )

        return routes
