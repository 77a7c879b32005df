"""Answers written in one piece (``bounded_http.WholeResponseCycle``): head and body in one write,
with uvicorn's own rules for HEAD, keep-alive, framing headers and header injection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from uvicorn.protocols.http.flow_control import FlowControl

from mockserver import MockServer, Settings
from mockserver.bounded_http import WholeResponseCycle
from mockserver.serve import ThreadedServer

LOG = logging.getLogger("test")


class Transport:
    """What the cycle writes, one entry per write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


def cycle(
    transport: Transport, *, method: str = "GET", keep_alive: bool = True
) -> tuple[WholeResponseCycle, list[int]]:
    completed: list[int] = []
    made = WholeResponseCycle(
        scope={"type": "http", "method": method},  # type: ignore[typeddict-item]
        transport=transport,  # type: ignore[arg-type]
        flow=FlowControl(transport),  # type: ignore[arg-type]
        logger=LOG,
        access_logger=LOG,
        access_log=False,
        default_headers=[(b"date", b"Mon, 07 Dec 2026 12:00:00 GMT")],
        message_event=asyncio.Event(),
        expect_100_continue=False,
        keep_alive=keep_alive,
        on_response=lambda: completed.append(1),
    )
    return made, completed


def send(made: WholeResponseCycle, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    asyncio.run(made.send_whole(status, headers, body))


def test_head_and_body_go_out_in_one_write() -> None:
    transport = Transport()
    made, completed = cycle(transport)
    send(made, 201, [(b"X-Request-Id", b"r1"), (b"content-length", b"2")], b"{}")
    assert transport.writes == [
        b"HTTP/1.1 201 Created\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\nx-request-id: r1\r\n"
        b"content-length: 2\r\n\r\n{}"
    ]
    assert made.response_complete and made.message_event.is_set() and completed == [1]
    assert not transport.closed


def test_a_head_request_gets_the_head_alone() -> None:
    transport = Transport()
    made, _ = cycle(transport, method="HEAD")
    send(made, 200, [(b"content-length", b"2")], b"{}")
    assert transport.writes == [b"HTTP/1.1 200 OK\r\ndate: Mon, 07 Dec 2026 12:00:00 GMT\r\ncontent-length: 2\r\n\r\n"]


def test_a_connection_not_kept_alive_is_told_and_closed() -> None:
    transport = Transport()
    made, _ = cycle(transport, keep_alive=False)
    send(made, 404, [(b"content-length", b"2")], b"{}")
    (written,) = transport.writes
    assert written.endswith(b"content-length: 2\r\nconnection: close\r\n\r\n{}")
    assert transport.closed


@pytest.mark.parametrize(
    "headers",
    [
        [(b"Connection", b"close"), (b"content-length", b"2")],
        [(b"transfer-encoding", b"chunked")],
        [(b"content-length", b"1"), (b"content-length", b"2")],
        [],
    ],
    ids=["connection", "transfer-encoding", "two lengths", "no length"],
)
def test_framing_headers_leave_the_framing_to_uvicorn(headers: list[tuple[bytes, bytes]]) -> None:
    transport = Transport()
    made, _ = cycle(transport)
    with contextlib.suppress(RuntimeError):  # uvicorn's own verdict on a body longer than its first length
        send(made, 200, headers, b"{}")
    # uvicorn's two messages: the head written alone, then the body framed its way.
    assert transport.writes[0].endswith(b"\r\n\r\n"), transport.writes


@pytest.mark.parametrize(
    "header", [(b"x-bad\r\nset-cookie", b"a"), (b"x-ok", b"a\r\nset-cookie: b")], ids=["name", "value"]
)
def test_a_header_that_would_inject_another_is_refused(header: tuple[bytes, bytes]) -> None:
    transport = Transport()
    made, _ = cycle(transport)
    with pytest.raises(RuntimeError, match="Invalid HTTP header"):
        send(made, 200, [header, (b"content-length", b"2")], b"{}")
    assert transport.writes == [] and not made.response_started


@pytest.fixture(scope="module")
def live() -> Iterator[ThreadedServer]:
    with ThreadedServer(MockServer(Settings())) as running:
        yield running


def read_answers(sock: socket.socket, count: int) -> list[bytes]:
    """``count`` whole answers (each framed by its content-length) off one connection."""
    buffer = b""
    answers: list[bytes] = []
    while len(answers) < count:
        head_end = buffer.find(b"\r\n\r\n")
        if head_end >= 0:
            head = buffer[:head_end].decode()
            length = int(next(line.split(":")[1] for line in head.split("\r\n") if line.startswith("content-length")))
            end = head_end + 4 + length
            if len(buffer) >= end:
                answers.append(buffer[:end])
                buffer = buffer[end:]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed after {len(answers)} answers"
        buffer += chunk
    return answers


def test_pipelined_requests_are_answered_whole_and_in_order(live: ThreadedServer) -> None:
    def get(path: str) -> bytes:
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sapi_key_whole\r\n\r\n".encode()

    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(get("/v1/usage") + get("/v1/posts/p_nope") + get("/v1/accounts"))
        answers: list[Any] = read_answers(sock, 3)
    assert [a.split(b"\r\n", 1)[0] for a in answers] == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
    ]
    assert b'"code":"post.not_found"' in answers[1] and b'"data":[' in answers[2]


class Sender:
    """A ``send`` whose owner can also take a whole response, as our protocol's cycle can."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.wholes: list[tuple[int, bytes]] = []

    async def send(self, message: Any) -> None:
        self.messages.append(message)

    async def send_whole(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        assert (b"content-length", str(len(body)).encode()) in headers
        self.wholes.append((status, body))


def test_the_pipeline_sends_whole_answers_when_the_server_can() -> None:
    app = MockServer(Settings()).app
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/posts/p_nope",
        "raw_path": b"/v1/posts/p_nope",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer sapi_key_whole")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    sender = Sender()
    asyncio.run(app(scope, receive, sender.send))
    assert sender.messages == []
    ((status, body),) = sender.wholes
    assert status == 404 and b'"code":"post.not_found"' in body
