"""Issue 21, one bounded reader: every body the mock parses meets the same size, depth and encoding
limits, and a sink (whose receiver needs no key) keeps bounded copies within a per-tenant budget."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx
import pytest

from mockserver import MockServer
from mockserver.core.bounds import MAX_JSON_DEPTH
from mockserver.core.webhooks.sinks import MAX_BODY_KEPT, MAX_KEPT_BYTES, MAX_RECEIVED
from tests.robustness.helpers import client
from tests.robustness.test_hostile_input import assert_envelope, nested

KEY = "sapi_key_bodies"


@pytest.fixture
def http(server: MockServer) -> httpx.Client:
    return client(server, KEY)


def make_sink(http: httpx.Client, name: str) -> None:
    assert http.post("/_mock/sinks", json={"name": name}).status_code == 201


def received(http: httpx.Client, name: str) -> list[dict[str, object]]:
    response = http.get(f"/_mock/sinks/{name}")
    assert response.status_code == 200, response.text
    return response.json()["received"]  # type: ignore[no-any-return]


def test_a_300_deep_body_posted_to_a_sink_is_a_400_and_the_owner_still_reads_the_sink(http: httpx.Client) -> None:
    make_sink(http, "deep")
    anonymous = httpx.Client(transport=http._transport, base_url="http://mock")
    refused = anonymous.post("/_mock/sinks/deep", content=json.dumps(nested(300)))
    error = assert_envelope(refused, 400, "validation.body_too_deep")
    assert error["meta"]["limit"] == MAX_JSON_DEPTH
    assert anonymous.post("/_mock/sinks/deep", content=json.dumps(nested(MAX_JSON_DEPTH - 1))).status_code == 200
    [kept] = received(http, "deep")
    assert kept["body_truncated"] is False


def test_a_deep_body_kept_by_a_restored_sink_is_shown_as_text(server: MockServer, http: httpx.Client) -> None:
    make_sink(http, "restored")
    state = http.get("/_mock/state").json()
    deep = json.dumps(nested(300))
    state["state"]["webhooks"]["sinks"][0]["received"] = [
        {
            "at": "2026-01-01T00:00:00Z",
            "headers": {},
            # Bytes travel in base64 in the state document.
            "body": base64.urlsafe_b64encode(deep.encode()).decode(),
            "webhook_id": None,
            "signature_valid": False,
            "signature_v2_valid": False,
            "timestamp_within_tolerance": False,
            "answered": 200,
        }
    ]
    assert http.put("/_mock/state", json=state).status_code == 200, "restore"
    [kept] = received(http, "restored")
    assert kept["body"] == deep


def test_a_sink_keeps_the_first_16_kib_of_a_body_with_its_size_and_digest(http: httpx.Client) -> None:
    make_sink(http, "big")
    body = b'{"blob": "' + b"x" * (200 * 1024) + b'"}'
    assert http.post("/_mock/sinks/big", content=body).status_code == 200
    [kept] = received(http, "big")
    assert kept["body"] == body[:MAX_BODY_KEPT].decode()
    assert kept["body_size"] == len(body) and kept["body_truncated"] is True
    assert kept["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_a_tenants_sinks_hold_at_most_their_byte_budget_the_oldest_delivery_dropped_first(
    server: MockServer, http: httpx.Client
) -> None:
    make_sink(http, "one")
    make_sink(http, "two")
    padding = "h" * 60_000  # a large header: the budget counts what is kept of headers too
    for n in range(120):
        sink = "one" if n % 2 == 0 else "two"
        sent = http.post(f"/_mock/sinks/{sink}", json={"n": n}, headers={"X-Padding": padding})
        assert sent.status_code == 200
    held = server.tenant(KEY).sinks.sink_bytes_kept()
    assert held <= MAX_KEPT_BYTES
    kept = sorted(int(item["body"]["n"]) for name in ("one", "two") for item in received(http, name))  # type: ignore[index]
    # What is left is the newest deliveries, from both sinks, and nothing older than them.
    assert kept == list(range(120 - len(kept), 120))
    assert 40 < len(kept) < 120


def test_a_tenants_sinks_keep_at_most_max_received_deliveries_in_all(server: MockServer, http: httpx.Client) -> None:
    make_sink(http, "many")
    backend = server.tenant(KEY)
    for n in range(MAX_RECEIVED + 5):
        backend.sinks.receive_at_sink("many", {}, b"%d" % n)
    bodies = [item["body"] for item in received(http, "many")]
    assert len(bodies) == MAX_RECEIVED and bodies[0] == 5


DEEP_JSON = json.dumps(nested(300))
DEEP_YAML = "name: a\ndescription: b\nrequests: " + "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize(
    ("method", "route", "content", "content_type"),
    [
        ("POST", "/v1/posts", DEEP_JSON, "application/json"),
        ("POST", "/_mock/verify", DEEP_JSON, "application/json"),
        ("POST", "/_mock/sinks", DEEP_JSON, "application/json"),
        ("POST", "/_mock/clock/advance", DEEP_JSON, "application/json"),
        ("PUT", "/_mock/scenarios", DEEP_JSON, "application/json"),
        ("PUT", "/_mock/scenarios", DEEP_YAML, "application/yaml"),
    ],
    ids=["posts", "verify", "sinks", "advance", "scenario-json", "scenario-yaml"],
)
def test_every_parsed_body_is_held_to_the_same_depth_limit_and_envelope(
    http: httpx.Client, method: str, route: str, content: str, content_type: str
) -> None:
    refused = http.request(method, route, content=content, headers={"Content-Type": content_type})
    error = assert_envelope(refused, 400, "validation.body_too_deep")
    assert error["meta"] == {"field": "body", "limit": MAX_JSON_DEPTH}


def test_a_state_document_nested_past_the_limit_is_a_400(http: httpx.Client) -> None:
    refused = http.put("/_mock/state", content=DEEP_JSON, headers={"Content-Type": "application/json"})
    assert_envelope(refused, 400, "validation.state_invalid")


def test_a_consent_form_with_too_many_fields_is_refused_on_the_page(server: MockServer, http: httpx.Client) -> None:
    connect = http.post("/v1/accounts/connect", json={"platform": "linkedin", "redirect_uri": "http://localhost/cb"})
    assert connect.status_code == 202, connect.text
    url = connect.json()["auth_url"]
    path = httpx.URL(url).raw_path.decode()
    form = "&".join(f"f{n}=v" for n in range(500))
    answer = http.post(path, content=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    assert "at most 64 fields" in answer.text
