"""uvicorn's httptools protocol with two bounds it lacks, and a concurrency limit that counts work.

- The request line and headers may take at most ``max_head_bytes``; past it the connection gets
  431 and is closed, before the rest is buffered (httptools keeps a header whole until it ends).
- A request must arrive whole (head and body) within ``request_timeout`` seconds of its first byte,
  and a new connection must start one within that time; otherwise 408 and the connection closes.
  A half-sent request would otherwise hold a descriptor, and a graceful stop, forever.
- At most ``max_in_flight`` requests are answered at once (more get 503), counting only requests
  that arrived whole. uvicorn's own ``limit_concurrency`` counts open connections too, so one client
  holding 1,100 half-sent requests made every other client's request a 503 until the request
  timeout closed them (about 35 s); a connection that is still sending costs a descriptor and a
  timer, not work, and the request timeout already bounds it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


def bounded_protocol(
    *, max_head_bytes: int, request_timeout: float, max_in_flight: int | None = None
) -> type[HttpToolsProtocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` with these bounds (one class per server)."""
    return type(
        "BoundedHttpToolsProtocol",
        (BoundedHttpToolsProtocol,),
        {
            "max_head_bytes": max_head_bytes,
            "request_timeout": request_timeout,
            "max_in_flight": max_in_flight,
            "arriving": set(),
        },
    )


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_head_bytes = 64 * 1024
    request_timeout = 30.0
    max_in_flight: int | None = None
    # The server's connections whose request task waits for the rest of its body.
    arriving: set[BoundedHttpToolsProtocol] = set()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._deadline: asyncio.TimerHandle | None = None
        # uvicorn's check counts connections; ours (on_headers_complete) counts requests being answered.
        self.limit_concurrency = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        self.arriving.discard(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._deadline is None:
                self._start_deadline()
        super().data_received(data)
        if self._in_head and self._head_bytes > self.max_head_bytes and not self.transport.is_closing():
            self._refuse(431, f"the request line and headers exceed {self.max_head_bytes} bytes")

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        if self._over_limit():
            app, self.app = self.app, service_unavailable
            try:
                super().on_headers_complete()
            finally:
                self.app = app
            self.logger.warning("Exceeded concurrency limit.")
        else:
            super().on_headers_complete()
        self.arriving.add(self)

    def on_message_complete(self) -> None:
        self._stop_deadline()
        self._in_head = True
        self.arriving.discard(self)
        super().on_message_complete()

    def _over_limit(self) -> bool:
        """Whether ``max_in_flight`` requests are being answered: tasks, less those still waiting for their body."""
        return self.max_in_flight is not None and len(self.tasks) - len(self.arriving) >= self.max_in_flight

    def _start_deadline(self) -> None:
        self._stop_deadline()
        self._deadline = self.loop.call_later(self.request_timeout, self._timed_out)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and cycle.response_started:
            return  # the request arrived; the answer is on its way
        self._refuse(408, f"the request did not arrive whole within {self.request_timeout:g} seconds")

    def _refuse(self, status: int, message: str) -> None:
        """Answer ``status`` in the API's error envelope and close; a handler waiting for the body sees a disconnect."""
        body = b'{"error":{"code":"http.%d","message":"%s","meta":{}},"request_id":"none"}' % (
            status,
            message.encode("ascii"),
        )
        head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
        self.transport.write(head % (status, _REASONS[status], len(body)) + body)
        self.transport.close()
        cycle = self.cycle
        if cycle is not None:
            cycle.disconnected = True
            cycle.message_event.set()
