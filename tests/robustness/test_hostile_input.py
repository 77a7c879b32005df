"""Hostile input, in-process (issue 12): deep or huge bodies, edge instants, crafted state documents.

Each test reproduces one way a single request used to take the server down or corrupt every later
answer, and asserts the fix: a 4xx in the envelope, and every later read still answering 200.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.core.bounds import FREE_FORM_MAX_BYTES, MAX_JSON_DEPTH
from mockserver.core.journal import BODY_TEXT_MAX
from mockserver.core.snapshot import export_state
from mockserver.core.timefmt import MAX_INSTANT, parse_instant
from tests.conftest import ACCOUNTS
from tests.robustness.helpers import client

LINKEDIN = [{"account_id": ACCOUNTS["linkedin"]}]
DOWN_SINK = "http://mock.test/_mock/sinks/down"
LAST = "9999-12-31T23:59:59.999999Z"


def nested(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    return dict(error)


def assert_every_read_answers(http: httpx.Client) -> None:
    for path in ("/_mock/requests", "/_mock/state", "/v1/posts", "/_mock/events", "/v1/usage"):
        assert http.get(path).status_code == 200, path


def test_a_body_nested_past_the_limit_is_a_400_naming_it_and_breaks_nothing(server: MockServer) -> None:
    with client(server, "sapi_key_deep") as http:
        refused = http.post("/v1/posts", content=json.dumps({"text": "x", "extra": nested(300)}))
        error = assert_envelope(refused, 400, "validation.body_too_deep")
        assert error["meta"]["limit"] == MAX_JSON_DEPTH and str(MAX_JSON_DEPTH) in error["message"]
        at_the_limit = http.post("/v1/posts", content=json.dumps({"text": "x", "extra": nested(MAX_JSON_DEPTH - 1)}))
        assert at_the_limit.status_code == 201
        assert_every_read_answers(http)


def test_deep_or_large_platform_data_is_refused_and_never_stored(server: MockServer) -> None:
    with client(server, "sapi_key_platform_data") as http:
        deep = {"text": "x", "targets": [{**LINKEDIN[0], "platform_data": nested(30)}]}
        error = assert_envelope(http.post("/v1/posts", json=deep), 400, "validation.field_invalid")
        assert "platform_data" in error["meta"]["field"] and "16 levels" in error["message"]
        large = {"text": "x", "platform_data": {"linkedin": {"blob": "x" * FREE_FORM_MAX_BYTES}}}
        error = assert_envelope(http.post("/v1/posts", json=large), 400, "validation.field_invalid")
        assert error["meta"]["field"] == "platform_data"
        fine = {"text": "x", "targets": [{**LINKEDIN[0], "platform_data": {"visibility": "PUBLIC"}}]}
        assert http.post("/v1/posts", json=fine).status_code == 201
        assert http.get("/v1/posts").json()["pagination"]  # one post, readable
        assert len(http.get("/v1/posts").json()["data"]) == 1
        assert_every_read_answers(http)


def test_the_journal_keeps_a_bounded_text_copy_of_each_body(server: MockServer) -> None:
    with client(server, "sapi_key_journal") as http:
        small = json.dumps({"text": "kept exactly", "n": 1.50})
        http.post("/v1/posts", content=small)
        huge = "[" + ",".join(["{}"] * 300_000) + "]"  # 900 KB: parses, but no model takes a list
        http.post("/v1/posts", content=huge)
        # JSON sent to the multipart upload route is never parsed; the journal keeps its first bytes.
        http.post("/v1/media/upload", content=b'{"a":' * 20_000, headers={"Content-Type": "application/json"})
        entries = http.get("/_mock/requests").json()["data"]
    first, second, third = entries
    assert first["body"] == {"text": "kept exactly", "n": 1.5}
    assert (first["body_size"], first["body_truncated"]) == (len(small), False)
    assert second["body_truncated"] is True and second["body_size"] == len(huge)
    assert len(second["body"].encode()) == BODY_TEXT_MAX and huge.startswith(second["body"])
    assert third["body_truncated"] is True and third["body_size"] == 100_000
    stored = server.tenant("sapi_key_journal").state.journal
    assert [type(entry.body) for entry in stored] == [str, str, str]
    assert sum(len(entry.body or "") for entry in stored) < 3 * BODY_TEXT_MAX


def test_a_journal_entry_whose_stored_text_is_too_deep_is_shown_as_text() -> None:
    server = MockServer()
    with client(server, "sapi_key_deep_text") as http:
        deep = "[" * 100 + "]" * 100
        assert http.post("/v1/posts", content=deep).status_code == 400
        entry = http.get("/_mock/requests").json()["data"][0]
    assert entry["body"] == deep and entry["body_truncated"] is False


def test_a_state_document_written_before_text_bodies_still_restores(server: MockServer) -> None:
    # A version 1 document from before journal bodies were kept as text: its bodies are parsed JSON.
    document = json.loads((Path(__file__).parent / "data" / "state-v1.json").read_text())
    document["journal"][0]["body"] = {"text": "old"}
    del document["journal"][0]["body_size"], document["journal"][0]["body_truncated"]
    with client(server, "sapi_key_old_state") as http:
        assert http.put("/_mock/state", json=document).status_code == 200
        assert http.get("/_mock/requests").json()["data"][0]["body"] == {"text": "old"}


@pytest.mark.parametrize(
    "text",
    [
        "2026-W01-1T09:00:00Z",
        "2026-01-01T09:00:00+0100",
        "2026-01-01T09:00Z",
        "20260101T090000Z",
        "2026-02-30T00:00:00Z",
    ],
)
def test_only_rfc_3339_instants_are_accepted(server: MockServer, text: str) -> None:
    with client(server, "sapi_key_rfc3339") as http:
        body = {"text": "x", "targets": LINKEDIN, "scheduled_at": text}
        error = assert_envelope(http.post("/v1/posts", json=body), 400, "validation.field_invalid")
        assert error["meta"]["field"] == "scheduled_at"
    with pytest.raises(ValueError, match=r"RFC 3339|not a valid instant"):
        parse_instant(text)


def test_rfc_3339_variants_that_are_valid_still_parse() -> None:
    assert parse_instant("2026-01-01t09:00:00.123456789+01:00") == datetime(2026, 1, 1, 8, 0, 0, 123456, tzinfo=UTC)
    assert parse_instant("9999-12-31T23:59:59.999999Z") == MAX_INSTANT


def test_the_clock_stops_at_the_end_of_9999_and_every_route_still_answers(server: MockServer) -> None:
    with client(server, "sapi_key_end_of_time") as http:
        assert http.post("/_mock/clock/advance", json={"to": "9990-01-01T00:00:00Z"}).status_code == 200
        century = http.post("/_mock/clock/advance", json={"seconds": 100 * 365 * 86_400})
        assert "9999-12-31" in assert_envelope(century, 400, "validation.field_invalid")["message"]
        assert http.post("/_mock/clock/advance", json={"to": "9999-12-31T23:59:50Z"}).status_code == 200
        assert_envelope(http.post("/_mock/clock/advance", json={"seconds": 3601}), 400, "validation.field_invalid")
        assert http.get("/v1/usage").status_code == 200
        assert http.get("/v1/usage").json()["period_end"].startswith("9999-12-31T23:59:59")
        upload = http.get("/v1/media/upload-url", params={"media_type": "image/png", "filename": "a.png"})
        assert upload.status_code == 200
        # The receiver is a sink that answers 500, reached in-process (a .test host): the attempt
        # fails the same way on every run, with no network, and the flush below waits for it.
        assert http.post("/_mock/sinks", json={"name": "down", "status": 500}).status_code == 201
        hook = http.post("/v1/webhooks", json={"url": DOWN_SINK, "events": ["post.published"]})
        assert hook.status_code == 201
        assert (
            http.post("/v1/posts", json={"text": "late", "targets": LINKEDIN, "publish_now": True}).status_code == 201
        )
        flushed = http.post("/_mock/webhooks/flush").json()
        # A failed attempt schedules its retry after the last instant: held there, not an OverflowError.
        assert flushed == {"pending": 1, "in_flight": 0, "delivered": 0, "failed": 0, "next_attempt_at": LAST}
        [delivery] = http.get(f"/v1/webhooks/{hook.json()['id']}/deliveries").json()["data"]
        assert (delivery["attempt_count"], delivery["response_status_code"]) == (1, 500)
        assert delivery["next_attempt_at"] == LAST
        export = http.post(f"/v1/accounts/{ACCOUNTS['tiktok']}/export")
        assert export.status_code == 202
        brand = http.post("/v1/brands", json={"name": "late"}).json()["id"]
        invite = http.post("/v1/invites", json={"brand_id": brand, "platform": "pinterest", "expires_in_days": 30})
        assert invite.json()["expires_at"].startswith("9999-12-31T23:59:59")
        assert http.post(f"/v1/accounts/{ACCOUNTS['tiktok']}/export").status_code == 429
        assert http.get("/v1/exports").json()["exports"][0]["status"] == "pending"
        assert_every_read_answers(http)
    assert server.tenant("sapi_key_end_of_time").webhooks.next_delivery_due() == MAX_INSTANT


def test_an_empty_key_after_the_prefix_is_not_a_tenant(server: MockServer) -> None:
    for header in ("Bearer sapi_key_", "Bearer sapi_key_   "):
        with httpx.Client(transport=client(server, "x")._transport, base_url="http://mock") as http:
            answer = http.get("/v1/posts", headers={"Authorization": header})
        assert answer.status_code == 401, header
    assert list(server.tenants()) == []


def test_the_control_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    server = MockServer(Settings(control_token="s3cret"))
    with client(server, "sapi_key_token", **{"X-Mock-Token": "wrong"}) as http:
        assert http.get("/_mock/clock").status_code == 401
    with client(server, "sapi_key_token", **{"X-Mock-Token": "s3cret"}) as http:
        assert http.get("/_mock/clock").status_code == 200
    assert (b"s3cret", b"wrong") in calls and (b"s3cret", b"s3cret") in calls


CRAFTED: list[tuple[str, Any, str]] = [
    ("file-url webhook", lambda d: _webhooks(d, ["file:///etc/passwd"]), "https"),
    ("150 webhook endpoints", lambda d: _webhooks(d, [f"https://e.com/{n}" for n in range(150)]), "at most 100"),
    ("unknown platform", lambda d: d["state"]["accounts"]["items"][0].update(platform="myspace"), "unknown platform"),
    ("text past the limit", lambda d: d["state"]["posts"]["posts"][0].update(text="x" * 100_001), "at most 100000"),
    ("instant past 9999", lambda d: d.update(now="9999-12-31T23:59:59-05:00"), "9999-12-31"),
    (
        "deep platform_data",
        lambda d: d["state"]["posts"]["posts"][0]["targets"][0].update(platform_data=nested(40)),
        "16 levels",
    ),
]


def _webhooks(document: dict[str, Any], urls: list[str]) -> None:
    endpoint = {"events": ["post.published"], "secret": "whsec_x", "is_active": True, "created_at": document["now"]}
    document["state"]["webhooks"]["endpoints"] = [{**endpoint, "id": f"wh_{n}", "url": u} for n, u in enumerate(urls)]


@pytest.mark.parametrize(("name", "change", "says"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_a_crafted_state_document_meets_the_apis_own_checks(name: str, change: Any, says: str) -> None:
    server = MockServer()
    with client(server, "sapi_key_crafted") as http:
        assert http.post("/v1/posts", json={"text": "x", "targets": LINKEDIN}).status_code == 201
        document = http.get("/_mock/state").json()
        before = export_state(server.tenant("sapi_key_crafted").tenant)
        change(document)
        error = assert_envelope(http.put("/_mock/state", json=document), 400, "validation.state_invalid")
        assert says in error["message"], error
        after = export_state(server.tenant("sapi_key_crafted").tenant)
    for state in (before["state"], after["state"]):
        del state["journal"], state["request_ids"]
    assert after == before
