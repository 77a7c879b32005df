"""``GET``/``PUT /_mock/state``: a tenant exported and restored answers exactly as the original would."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mockserver import MockServer
from mockserver.core.snapshot import covered_attributes, export_state
from tests.conftest import ACCOUNTS
from tests.robustness.helpers import client, fingerprint, seed_posts

SOURCE = "sapi_key_state_source"
TARGET = "sapi_key_state_target"
FLAKY = {
    "name": "flaky-linkedin",
    "description": "every other LinkedIn delivery fails, decided by the tenant's seeded generator",
    "deliveries": [
        {
            "match": {"platform": "linkedin"},
            "probability": 0.5,
            "fail": {"code": "platform.linkedin.api_error", "message": "boom", "category": "platform"},
        }
    ],
}


def history(http: httpx.Client) -> None:
    """A tenant with some of everything: posts in each status, a scenario half used, a moved clock."""
    seed_posts(http)
    assert http.put("/_mock/scenarios", json=FLAKY).status_code == 200, http.put("/_mock/scenarios", json=FLAKY).text
    for n in range(3):
        http.post(
            "/v1/posts",
            json={"text": f"flaky {n}", "targets": [{"account_id": ACCOUNTS["linkedin"]}], "publish_now": True},
        )
    http.post("/_mock/clock/advance", json={"seconds": 90})
    http.post("/v1/media/upload", files={"file": ("x.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")})
    accounts_side(http)


REDIRECT = "https://app.example.com/cb"


def accounts_side(http: httpx.Client) -> None:
    """Brands, redirect URIs, a pending connection, an unused code, a changed page, an expired account, a
    publish counted against Instagram's daily ceiling."""
    assert http.put("/_mock/oauth/redirect-uris", json={"data": [{"uri": REDIRECT}]}).status_code == 200
    brand = http.post("/v1/brands", json={"name": "Kept"}).json()["id"]
    approved = http.post("/v1/accounts/connect", json={"platform": "pinterest", "redirect_uri": REDIRECT}).json()
    assert http.post("/_mock/oauth/approve", json={"auth_url": approved["auth_url"]}).status_code == 200
    http.post("/v1/accounts/connect", json={"platform": "facebook", "brand_id": brand, "redirect_uri": REDIRECT})
    page = "sapi_page_01JGR4PQ0D3M2B7ZK8F5X1W9TA"
    http.patch(f"/v1/accounts/{ACCOUNTS['facebook']}/pages/{page}", json={"is_active": True, "is_default": True})
    http.post(f"/_mock/accounts/{ACCOUNTS['threads']}/expire", json={"reason": "gone"})
    ig = {"account_id": ACCOUNTS["instagram"], "platform_data": {"content_type": "feed"}}
    body = {"text": "counted", "targets": [ig], "media_ids": ["med_01JGB6MH4JMAGG40TGT036F1K7"], "publish_now": True}
    assert http.post("/v1/posts", json=body).status_code == 201


def future(http: httpx.Client) -> list[tuple[int, str, str]]:
    """What a client sees next: ids, request ids, outcomes decided by the scenario's generator."""
    seen = []
    for n in range(8):
        body = {"text": f"after {n}", "targets": [{"account_id": ACCOUNTS["linkedin"]}], "publish_now": True}
        response = http.post("/v1/posts", json=body)
        seen.append((response.status_code, response.headers["x-request-id"], response.text))
    pending = [e for e in http.get("/_mock/state").json()["extensions"]["pending_connections"]]
    codes = [c["code"] for c in http.get("/_mock/state").json()["extensions"]["oauth_codes"]]
    for response in (
        http.post("/_mock/oauth/approve", json={"auth_url": f"http://mock/_mock/oauth/consent/{pending[0]['state']}"}),
        http.post("/v1/oauth/exchange", json={"platform": "pinterest", "code": codes[0], "metadata": {}}),
        http.get("/v1/brands"),
        http.get("/v1/accounts"),
        http.get(f"/v1/accounts/{ACCOUNTS['facebook']}/pages"),
        http.get(f"/v1/accounts/{ACCOUNTS['instagram']}/limits"),
        http.get("/_mock/oauth/redirect-uris"),
        http.post("/_mock/clock/advance", json={"to": "2026-01-03T00:00:00Z"}),
        http.get("/v1/posts", params={"limit": 100}),
        http.get("/_mock/events"),
        http.get("/_mock/requests"),
        http.get("/v1/usage"),
        http.get("/_mock/scenarios"),
    ):
        seen.append((response.status_code, response.headers["x-request-id"], response.text))
    return seen


def test_a_restored_tenant_answers_exactly_as_the_original(server: MockServer) -> None:
    with client(server, SOURCE) as source, client(MockServer(), TARGET) as target:
        history(source)
        exported = source.get("/_mock/state")
        assert exported.status_code == 200
        restored = target.put("/_mock/state", content=exported.content, headers={"Content-Type": "application/json"})
        assert restored.status_code == 200, restored.text
        assert restored.json()["posts"] == len(exported.json()["posts"])
        expected = future(source)
        assert future(target) == expected
    # The scenario's seeded generator decided some of those deliveries: its state travelled too.
    assert {status for status, _, _ in expected[:8]} == {201, 422}


def test_export_restore_export_is_the_identity(server: MockServer) -> None:
    with client(server, SOURCE) as source, client(server, TARGET) as target:
        history(source)
        first = source.get("/_mock/state").json()
        assert target.put("/_mock/state", json=first).status_code == 200
        second = export_state(server.tenant(TARGET))
    assert {**second, "tenant": SOURCE} == export_state(server.tenant(SOURCE)) | {"request_rng": second["request_rng"]}
    assert second["posts"] == first["posts"] and second["media"] == first["media"]


def test_media_bytes_survive_the_round_trip(server: MockServer) -> None:
    with client(server, SOURCE) as source, client(MockServer(), TARGET) as target:
        history(source)
        document = source.get("/_mock/state").json()
        assert target.put("/_mock/state", json=document).status_code == 200
        uploaded = [m for m in document["media"] if m["data"] is not None]
        assert uploaded
        listed = {m["id"]: m for m in target.get("/v1/media").json()["data"]}
        for item in uploaded:
            content = target.get(listed[item["id"]]["url"])
            assert content.status_code == 200
            assert content.content == b"\x89PNG\r\n\x1a\n" + bytes(range(256))


Breaker = Callable[[dict[str, Any]], Any]
FOREIGN = "acc_01JZZZZZZZZZZZZZZZZZZZZZZZ"


def _set(path: str, value: Any) -> Breaker:
    def apply(doc: dict[str, Any]) -> Any:
        node: Any = doc
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
        return doc

    return apply


BAD_DOCUMENTS: list[tuple[str, Breaker, str]] = [
    ("not an object", lambda d: [d], "body"),
    ("wrong format", _set("format", "something-else"), "format"),
    ("future version", _set("version", 2), "version"),
    ("missing posts", lambda d: {k: v for k, v in d.items() if k != "posts"}, "posts"),
    ("unknown field", _set("surprise", 1), "surprise"),
    ("naive clock", _set("now", "2026-01-01T00:00:00"), "now"),
    ("bad status", _set("posts.0.status", "exploded"), "posts[0].status"),
    ("bad instant", _set("posts.0.created_at", "yesterday"), "posts[0].created_at"),
    ("duplicate post", lambda d: {**d, "posts": d["posts"] + d["posts"][:1]}, "posts"),
    ("seq from the future", _set("next_seq", 1), "next_seq"),
    (
        "foreign account",
        _set("posts.0.targets.0.account_id", "acc_01JZZZZZZZZZZZZZZZZZZZZZZZ"),
        "posts[0].targets[0].account_id",
    ),
    ("short generator", _set("ids.rng.words", [1, 2, 3]), "ids.rng.words"),
    ("broken generator", _set("request_rng.words", [0] * 624 + [10_000]), "request_rng"),
    ("bad media bytes", _set("media.0.data", "not base64!"), "media[0].data"),
    ("broken scenario", _set("scenarios", {"documents": [{"document": {"name": 1}}], "rng": []}), "scenarios"),
]


@pytest.mark.parametrize(("name", "breaker", "field"), BAD_DOCUMENTS, ids=[n for n, _, _ in BAD_DOCUMENTS])
def test_a_bad_document_is_refused_and_changes_nothing(
    server: MockServer, name: str, breaker: Breaker, field: str
) -> None:
    with client(server, SOURCE) as source, client(server, TARGET) as target:
        history(source)
        history(target)
        target.post("/v1/posts", json={"text": "only in the target"})
        document = breaker(copy.deepcopy(source.get("/_mock/state").json()))
        before = fingerprint(server.tenant(TARGET))
        response = target.put("/_mock/state", json=document)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"].startswith("validation.")
    assert error["meta"]["field"] == field
    assert fingerprint(server.tenant(TARGET)) == before


def test_an_empty_body_is_refused(client: httpx.Client) -> None:
    response = client.put("/_mock/state")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation.field_required"


def test_every_attribute_of_a_tenant_is_carried_by_a_snapshot(server: MockServer) -> None:
    backend = server.tenant(SOURCE)
    missing = sorted(set(vars(backend)) - covered_attributes(backend))
    assert not missing, (
        f"tenant state that GET/PUT /_mock/state and --state-file would lose: {missing}; "
        "the mixin that owns it should list it in _state_attributes and implement "
        "_export_extension/_restore_extension (see BackendExtension in core/backend.py)"
    )
