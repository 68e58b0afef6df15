"""Makes Sanic 21.12's websockets work on Python 3.11, so the widget can use the websocket transport.

Sanic 21.12 (pinned by Rasa 3.6) receives a websocket message with `asyncio.wait()` over a bare
coroutine, which Python 3.11 refuses ("Passing coroutines is forbidden"). The first message of
every Socket.IO websocket upgrade therefore failed with a 500 written into the open websocket, and
browsers reported "Invalid frame header" and stayed on long-polling. `install()` replaces that one
method with the same logic, the coroutine wrapped in a task. Later Sanic versions do the same.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sanic.exceptions import ServerError, WebsocketClosed
from sanic.server.websockets.impl import WebsocketImplProtocol
from websockets.connection import CLOSED


async def _recv(self: WebsocketImplProtocol, timeout: float | None = None) -> Any:
    """WebsocketImplProtocol.recv of Sanic 21.12 with the assembler's coroutine wrapped in a task."""
    if self.recv_lock.locked():
        raise ServerError("cannot call recv while another task is already waiting for the next message")
    await self.recv_lock.acquire()
    if self.connection.state is CLOSED:
        self.recv_lock.release()
        raise WebsocketClosed("Cannot receive from websocket interface after it is closed.")
    try:
        self.recv_cancel = asyncio.Future()
        receiving = asyncio.ensure_future(self.assembler.get(timeout))
        done, pending = await asyncio.wait((self.recv_cancel, receiving), return_when=asyncio.FIRST_COMPLETED)
        if self.recv_cancel in done:
            receiving.cancel()
            raise asyncio.CancelledError()
        self.recv_cancel.cancel()
        return receiving.result()
    finally:
        self.recv_cancel = None
        self.recv_lock.release()


def install() -> None:
    """Idempotent; only where Sanic's own recv still passes a bare coroutine."""
    if getattr(WebsocketImplProtocol.recv, "__module__", "") != __name__:
        WebsocketImplProtocol.recv = _recv  # type: ignore[method-assign]
