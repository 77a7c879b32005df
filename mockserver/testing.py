"""Socket-free clients of the app: a sync httpx transport that drives the ASGI app in-process."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
from starlette.types import ASGIApp

T = TypeVar("T")


class _LoopThread:
    """A private event loop on a daemon thread, so sync callers work inside running loops too."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="socialapi-mock-loop", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def close(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


class SyncASGITransport(httpx.BaseTransport):
    """``httpx.ASGITransport`` for sync clients: each request runs to completion on a private loop."""

    def __init__(self, app: ASGIApp, *, raise_app_exceptions: bool = True) -> None:
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        self._loop = _LoopThread()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> tuple[int, httpx.Headers, bytes]:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            return response.status_code, response.headers, content

        request.read()
        status, headers, content = self._loop.run(send())
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        self._loop.close()


def sync_transport(app: ASGIApp, *, raise_app_exceptions: bool = True) -> SyncASGITransport:
    return SyncASGITransport(app, raise_app_exceptions=raise_app_exceptions)


def async_transport(app: ASGIApp) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=app)
