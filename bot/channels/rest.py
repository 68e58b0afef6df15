"""Rasa's REST channel (still named `rest`, so `rasa shell` works) with the client's address.

The address goes into the message metadata as `client_address` for the lookup rate limit. It is
the peer address Sanic sees (a forwarded header only counts when Sanic is configured to trust a
proxy); whatever the client sent under that key is replaced.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

CLIENT_ADDRESS_KEY = "client_address"


def client_address(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


class ShopRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any]:
        sent = request.json.get("metadata") if isinstance(request.json, dict) else None
        metadata = dict(sent) if isinstance(sent, dict) else {}
        metadata[CLIENT_ADDRESS_KEY] = client_address(request)
        return metadata
