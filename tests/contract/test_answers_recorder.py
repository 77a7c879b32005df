"""The suite-wide check of answers against ``GET /openapi.json`` (``recorder.py``) finds what drifted.

These feed it bodies a real app would not send and read what it reports; the check itself runs on every
answer of every other test (``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.contract.recorder import RECORDER, Document, Message, RecordingApp, Scope, closed

WEBHOOK = {
    "id": "wh_1",
    "url": "https://example.com/hook",
    "events": ["post.published"],
    "is_active": True,
    "created_at": "2026-01-01T00:00:00Z",
}
TARGET = {"account_id": "acc_1", "platform": "linkedin", "status": "failed"}
POST = {
    "id": "p_1",
    "text": "hi",
    "status": "failed",
    "hidden": False,
    "retry_count": 0,
    "scheduled_at": None,
    "published_at": None,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "targets": [TARGET],
}


@pytest.fixture(scope="module")
def document() -> Document:
    return RECORDER.document()


def test_a_conforming_answer_has_no_problem(document: Document) -> None:
    assert document.problems("GET", "/v1/webhooks", 200, {"data": [WEBHOOK], "count": 1}) == []
    assert document.problems("POST", "/v1/posts", 201, POST) == []


def test_an_undeclared_key_is_named_with_route_status_and_json_path(document: Document) -> None:
    body = {"data": [{**WEBHOOK, "secret": "whsec_leaked"}], "count": 1}
    assert document.problems("GET", "/v1/webhooks", 200, body) == [
        "GET /v1/webhooks answered 200 at $.data[0]: undeclared key(s) 'secret'"
    ]


def test_an_undeclared_key_inside_a_nullable_nested_shape_is_named(document: Document) -> None:
    error = {"code": None, "message": "no", "category": "platform", "caused_by": "platform", "trace": "x"}
    body = {**POST, "targets": [{**TARGET, "error": error}]}
    assert document.problems("POST", "/v1/posts", 422, body) == [
        "POST /v1/posts answered 422 at $.targets[0].error: undeclared key(s) 'trace'"
    ]


def test_a_missing_required_key_is_named_on_the_route_template(document: Document) -> None:
    body = {key: value for key, value in WEBHOOK.items() if key != "created_at"}
    assert document.problems("PATCH", "/v1/webhooks/wh_1", 200, body) == [
        "PATCH /v1/webhooks/{webhook_id} answered 200 at $: missing required key 'created_at'"
    ]


def test_error_envelopes_are_checked_too(document: Document) -> None:
    envelope: dict[str, Any] = {"error": {"code": "x", "message": "y", "meta": {}}, "request_id": "r"}
    assert document.problems("GET", "/v1/webhooks/wh_1", 404, envelope) == []
    assert document.problems("GET", "/v1/webhooks/wh_1", 404, {**envelope, "hint": "z"}) == [
        "GET /v1/webhooks/{webhook_id} answered 404 at $: undeclared key(s) 'hint'"
    ]


def test_a_500_from_a_bug_is_checked_against_the_envelope(document: Document) -> None:
    envelope: dict[str, Any] = {"error": {"code": "system.internal", "message": "m", "meta": {}}, "request_id": "r"}
    assert document.problems("GET", "/v1/posts/p_1", 500, envelope) == []
    assert sorted(document.problems("GET", "/v1/posts/p_1", 500, {"detail": "Internal Server Error"})) == [
        "GET /v1/posts/{pid} answered 500 at $: missing required key 'error'",
        "GET /v1/posts/{pid} answered 500 at $: missing required key 'request_id'",
        "GET /v1/posts/{pid} answered 500 at $: undeclared key(s) 'detail'",
    ]


def test_a_status_the_operation_does_not_declare_is_a_problem(document: Document) -> None:
    assert document.problems("GET", "/v1/webhooks/events", 418, {}) == [
        "GET /v1/webhooks/events answered 418: the document declares no 418 for this operation"
    ]


def test_a_recording_app_reports_what_its_app_answered() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"data": [], "count": 0, "extra": 1}'})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    asyncio.run(RecordingApp(app)({"type": "http", "method": "GET", "path": "/v1/webhooks"}, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert RECORDER.take() == ["GET /v1/webhooks answered 200 at $: undeclared key(s) 'extra'"]


def test_object_schemas_that_say_nothing_of_other_keys_are_closed() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {}}}}, "required": ["a"]}
    assert closed(schema) == {
        "type": "object",
        "properties": {"a": {"type": "object", "properties": {"b": {}}, "additionalProperties": False}},
        "required": ["a"],
        "additionalProperties": False,
    }
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert closed(counts) == counts
