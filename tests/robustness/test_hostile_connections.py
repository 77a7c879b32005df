"""Hostile clients on a real socket (issue 12): huge heads, half-sent requests, too many connections,
and one tenant's long work while another tenant waits.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.core.commands import NewPost, NewTarget
from mockserver.serve import ThreadedServer
from tests.conftest import ACCOUNTS

KEY = b"Authorization: Bearer sapi_key_sock\r\n"


@pytest.fixture(scope="module")
def live() -> Iterator[ThreadedServer]:
    settings = Settings(max_header_bytes=16 * 1024, request_timeout=0.5)
    with ThreadedServer(MockServer(settings)) as running:
        yield running


def connect(live: ThreadedServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", live.port), timeout=10)
    return sock


def answer_of(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def still_serves(live: ThreadedServer) -> None:
    response = httpx.get(f"{live.url}/v1/usage", headers={"Authorization": "Bearer sapi_key_other"})
    assert response.status_code == 200


def test_a_request_head_past_the_limit_is_a_431_before_it_is_buffered(live: ThreadedServer) -> None:
    with connect(live) as sock:
        sock.sendall(b"GET /v1/posts HTTP/1.1\r\nHost: x\r\n" + KEY + b"X-Big: ")
        sent = 0
        try:
            while sent < 4 * 1024 * 1024:  # the server stops reading long before this
                sock.sendall(b"a" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = answer_of(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]
    assert b'"code":"http.431"' in answer and b"16384 bytes" in answer
    assert sent < 4 * 1024 * 1024
    still_serves(live)


@pytest.mark.parametrize(
    "partial",
    [
        b"POST /v1/posts HTTP/1.1\r\nHost: x\r\n" + KEY + b'Content-Length: 100\r\n\r\n{"text":',
        b"POST /v1/posts HTTP/1.1\r\nHost: x\r\n" + KEY + b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"tex\r\n',
        b"GET /v1/posts HTTP/1.1\r\nHost: x\r\nAuthor",
        b"",
    ],
    ids=["half a body", "half a chunked body", "half a head", "nothing at all"],
)
def test_a_half_sent_request_times_out_with_408(live: ThreadedServer, partial: bytes) -> None:
    started = time.monotonic()
    with connect(live) as sock:
        sock.sendall(partial)
        answer = answer_of(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:80]
    assert b'"code":"http.408"' in answer
    assert time.monotonic() - started < 5
    still_serves(live)
    journal = httpx.get(f"{live.url}/_mock/requests", headers={"Authorization": "Bearer sapi_key_sock"})
    assert all(entry["status"] != 201 for entry in journal.json()["data"])  # no post from half a body


def test_requests_past_the_cap_are_refused_and_the_server_recovers() -> None:
    with ThreadedServer(MockServer(Settings(limit_concurrency=8))) as live:
        requests_past_the_cap(live)


def test_idle_connections_do_not_count_against_the_cap() -> None:
    with ThreadedServer(MockServer(Settings(limit_concurrency=8))) as live:
        idle = [connect(live) for _ in range(20)]
        try:
            for n, sock in enumerate(idle):
                sock.sendall(b"GET /v1/usage HTTP/1.1\r\n" if n % 2 else b"")
            time.sleep(0.05)
            still_serves(live)
        finally:
            for sock in idle:
                sock.close()


def requests_past_the_cap(live: ThreadedServer) -> None:
    """Eight requests being answered (a sink told to take 1.5 s) fill a cap of 8; the ninth gets 503."""
    key = {"Authorization": "Bearer sapi_key_slow"}
    assert httpx.post(f"{live.url}/_mock/sinks", json={"name": "slow", "delay_ms": 1500}, headers=key).is_success
    slow = b"POST /_mock/sinks/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}"
    busy = [connect(live) for _ in range(8)]
    try:
        for sock in busy:
            sock.sendall(slow)
        time.sleep(0.2)
        refused = httpx.get(f"{live.url}/v1/usage", headers={"Authorization": "Bearer sapi_key_other"})
        assert refused.status_code == 503
    finally:
        for sock in busy:
            sock.close()
    deadline = time.monotonic() + 5
    while True:
        answer = httpx.get(f"{live.url}/v1/usage", headers={"Authorization": "Bearer sapi_key_other"})
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer.status_code == 200


def test_a_long_advance_lets_other_tenants_in_and_holds_its_own_tenant() -> None:
    server = MockServer()
    busy = server.tenant("sapi_key_busy")
    at = datetime(2026, 1, 2, tzinfo=UTC)
    target = (NewTarget(ACCOUNTS["linkedin"]),)
    for n in range(2000):
        busy.posts.create_post(NewPost(text=f"p{n}", targets=target, scheduled_at=at + timedelta(seconds=n)))
    finished: list[str] = []

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=server.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as http:

            async def call(name: str, key: str, method: str, path: str, **kwargs: object) -> None:
                headers = {"Authorization": f"Bearer {key}"}
                response = await http.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
                assert response.status_code == 200, response.text
                finished.append(name)

            advance = asyncio.create_task(
                call("advance", "sapi_key_busy", "POST", "/_mock/clock/advance", json={"to": "2026-02-01T00:00:00Z"})
            )
            await asyncio.sleep(0)
            others = [
                asyncio.create_task(call("own clock", "sapi_key_busy", "GET", "/_mock/clock")),
                asyncio.create_task(call("other usage", "sapi_key_idle", "GET", "/v1/usage")),
            ]
            await asyncio.gather(advance, *others)

    asyncio.run(scenario())
    assert finished == ["other usage", "advance", "own clock"]
    assert busy.now() == datetime(2026, 2, 1, tzinfo=UTC)
