"""Limits: oversized bodies are refused unread, text fields have maximums, journals and outboxes are bounded."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings, ThreadedServer
from mockserver.api.spec import operation_of
from tests.conftest import ACCOUNTS, IMAGE
from tests.robustness.helpers import ROUTES, client

MIB = 1024 * 1024


def test_a_body_over_one_mib_gets_413(client: httpx.Client) -> None:
    response = client.post("/v1/posts", content=b"x" * (MIB + 1), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "validation.body_too_large"
    assert response.json()["error"]["meta"] == {"limit": MIB}


def test_a_body_of_exactly_one_mib_is_read(client: httpx.Client) -> None:
    body = b'{"text": "' + b"x" * (MIB - 12) + b'"}'
    assert len(body) == MIB
    response = client.post("/v1/posts", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["meta"]["field"] == "text"  # refused for its length, not its size


@pytest.fixture(scope="module")
def live() -> Iterator[ThreadedServer]:
    with ThreadedServer(MockServer()) as running:
        yield running


def exchange(live: ThreadedServer, head: bytes, body: bytes) -> bytes:
    """Send ``head`` and only ``body``, then read what the server says without sending the rest."""
    with socket.create_connection(("127.0.0.1", live.port), timeout=5) as sock:
        sock.sendall(head + body)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
        return received


def test_a_declared_length_over_the_limit_is_refused_before_the_body_arrives(live: ThreadedServer) -> None:
    head = (
        b"POST /v1/posts HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer sapi_key_limits\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (64 * MIB)
    )
    answer = exchange(live, head, b'{"text": "')  # 64 MiB promised, 10 bytes sent: the answer comes anyway
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(live: ThreadedServer) -> None:
    head = (
        b"POST /v1/posts HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer sapi_key_limits\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(17))  # 1.06 MiB, never terminated
    assert exchange(live, head, chunks).startswith(b"HTTP/1.1 413 ")


def request_models() -> Iterator[tuple[str, Any]]:
    """The body models of the public API (query strings are bounded by the server's request-line limit;
    control-plane documents, written by test authors, by the body limit alone)."""
    seen = set()
    for method, path, handler, control in ROUTES:
        spec = operation_of(handler)
        if control or spec is None or spec.request is None or spec.request in seen:
            continue
        seen.add(spec.request)
        yield f"{method} {path} {spec.request.__name__}", spec.request


def unbounded(schema: Any, where: str, defs: dict[str, Any]) -> Iterator[str]:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return
        kind = schema.get("type")
        if kind == "string" and "maxLength" not in schema and "enum" not in schema and "format" not in schema:
            yield where
        if kind == "array" and "maxItems" not in schema:
            yield where
        for key, value in schema.items():
            if key == "$defs":
                continue
            yield from unbounded(value, f"{where}.{key}", defs)
    elif isinstance(schema, list):
        for number, item in enumerate(schema):
            yield from unbounded(item, f"{where}[{number}]", defs)


MODELS = list(request_models())


@pytest.mark.parametrize(("label", "model"), MODELS, ids=[label for label, _ in MODELS])
def test_every_text_and_list_a_request_can_carry_has_a_maximum(label: str, model: Any) -> None:
    schema = model.model_json_schema()
    holes = list(unbounded(schema, model.__name__, schema.get("$defs", {})))
    for name, sub in schema.get("$defs", {}).items():
        holes += list(unbounded(sub, name, {}))
    assert not holes, f"unbounded strings or lists in {label}: {holes}"


LONG_FIELDS = [
    ("text", {"text": "x" * 100_001}),
    ("title", {"title": "x" * 5_001}),
    ("first_comment", {"first_comment": "x" * 5_001}),
    ("media_ids", {"media_ids": [IMAGE] * 101}),
    ("targets", {"targets": [{"account_id": ACCOUNTS["linkedin"]}] * 101}),
    ("targets[0].account_id", {"targets": [{"account_id": "a" * 201}]}),
    ("targets[0].text", {"targets": [{"account_id": ACCOUNTS["linkedin"], "text": "x" * 100_001}]}),
]


@pytest.mark.parametrize(("field", "extra"), LONG_FIELDS, ids=[f for f, _ in LONG_FIELDS])
def test_an_overlong_field_is_refused_with_its_path(client: httpx.Client, field: str, extra: dict[str, Any]) -> None:
    response = client.post("/v1/posts", json={"text": "hello", **extra})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation.field_invalid"
    assert response.json()["error"]["meta"]["field"] == field


def test_the_request_journal_keeps_only_the_newest_entries() -> None:
    server = MockServer(Settings(journal_size=5))
    with client(server, "sapi_key_journal") as http:
        for number in range(12):
            http.get("/v1/posts", params={"search": str(number)})
        entries = http.get("/_mock/requests").json()["data"]
    assert [e["query"]["search"] for e in entries] == ["7", "8", "9", "10", "11"]


def test_the_event_outbox_keeps_only_the_newest_events() -> None:
    server = MockServer(Settings(events_size=3))
    with client(server, "sapi_key_events") as http:
        for hour in range(1, 6):
            body = {
                "text": f"post {hour}",
                "targets": [{"account_id": ACCOUNTS["linkedin"]}],
                "scheduled_at": f"2026-01-01T0{hour}:00:00Z",
            }
            assert http.post("/v1/posts", json=body).status_code == 201
        events = http.get("/_mock/events").json()["data"]
    assert [e["data"]["scheduled_at"] for e in events] == [f"2026-01-01T0{h}:00:00Z" for h in (3, 4, 5)]


def test_journal_and_outbox_are_bounded_by_default(server: MockServer) -> None:
    backend = server.tenant("sapi_key_defaults")
    assert backend.state.journal.maxlen == 1000
    assert backend.state.events.maxlen == 10_000
