"""uvicorn's httptools protocol with two bounds it lacks, a concurrency limit that counts work, and
responses written in one piece.

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
- A response whose head and body are known together (every answer of the API pipeline) can be
  written with ``send_whole``: one write, one system call, instead of ASGI's two messages, each
  written on its own. The pipeline finds it on the ``send`` it is given (``api/http.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

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
        if type(self.cycle) is RequestResponseCycle:
            # Its task is created but has not run yet: it runs as the cycle that can send_whole.
            self.cycle.__class__ = WholeResponseCycle
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


# Headers that change how uvicorn frames the body; a response that carries one is sent as two messages,
# as is one without exactly one content-length.
_FRAMING = frozenset({b"connection", b"transfer-encoding"})


class WholeResponseCycle(RequestResponseCycle):
    """uvicorn's request-response cycle, which can also write a whole response at once."""

    async def send_whole(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """Status, headers (with ``content-length`` when there is a body) and body, in one write.

        The checks are uvicorn's own (header names and values, flow control, a client that left,
        HEAD, keep-alive), done once for the pair of messages.
        """
        if self.response_started or self.chunked_encoding is not None:
            raise RuntimeError("send_whole after the response started")
        content = [STATUS_LINE[status]]
        lengths = 0
        for raw_name, value in self.default_headers + headers:
            if HEADER_RE.search(raw_name):
                raise RuntimeError("Invalid HTTP header name.")
            if HEADER_VALUE_RE.search(value):
                raise RuntimeError("Invalid HTTP header value.")
            name = raw_name.lower()
            if name in _FRAMING:
                await self._send_in_two(status, headers, body)
                return
            if name == b"content-length":
                lengths += 1
            content.extend((name, b": ", value, b"\r\n"))
        if lengths != (0 if status in (204, 304) else 1):
            # Framing uvicorn settles its own way (chunked, or a length the body must match).
            await self._send_in_two(status, headers, body)
            return
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()
        if self.disconnected:
            return
        self.response_started = True
        self.waiting_for_100_continue = False
        if not self.keep_alive:
            content.append(b"connection: close\r\n")
        content.append(b"\r\n")
        if self.scope["method"] != "HEAD":
            content.append(body)
        self.transport.write(b"".join(content))
        self.response_complete = True
        self.message_event.set()
        if not self.keep_alive:
            self.transport.close()
        self.on_response()

    async def _send_in_two(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        await self.send({"type": "http.response.start", "status": status, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
