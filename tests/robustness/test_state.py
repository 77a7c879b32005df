"""``GET``/``PUT /_mock/state``: a tenant exported and restored answers exactly as the original would."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mockserver import MockServer
from mockserver.core.snapshot import export_state
from mockserver.core.state import TenantState
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
    team_side(http)


def team_side(http: httpx.Client) -> None:
    """An export under way, an invite, a YouTube video edit and comment moderation, the user onboarded."""
    assert http.post(f"/v1/accounts/{ACCOUNTS['tiktok']}/export", json={"include_transcript": True}).status_code == 202
    brand = http.post("/v1/brands", json={"name": "Invited"}).json()["id"]
    invite = {"brand_id": brand, "platform": "instagram", "expires_in_days": 3}
    assert http.post("/v1/invites", json=invite).status_code == 201
    youtube = ACCOUNTS["youtube"]
    assert http.patch(f"/v1/platforms/youtube/accounts/{youtube}/videos/v1", json={"title": "T"}).status_code == 200
    moderation = {"account_id": youtube, "post_id": "v1", "status": "rejected", "ban_author": True}
    assert http.post("/v1/platforms/youtube/comments/c1/moderate", json=moderation).status_code == 200
    assert http.post(f"/v1/platforms/youtube/accounts/{youtube}/sync").status_code == 200
    assert http.patch("/v1/users/me", json={"onboarding": False, "use_case": "agency"}).status_code == 200


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
    accounts = http.get("/_mock/state").json()["state"]["accounts"]
    pending = accounts["pending_connections"]
    codes = [c["code"] for c in accounts["oauth_codes"]]
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
        assert restored.json()["posts"] == len(exported.json()["state"]["posts"]["posts"])
        expected = future(source)
        assert future(target) == expected
    # The scenario's seeded generator decided some of those deliveries: its state travelled too.
    assert {status for status, _, _ in expected[:8]} == {201, 422}


def test_export_restore_export_is_the_identity(server: MockServer) -> None:
    # Another server: on the same one, the source's uploaded media id would be another tenant's (409).
    other = MockServer()
    with client(server, SOURCE) as source, client(other, TARGET) as target:
        history(source)
        first = source.get("/_mock/state").json()
        own_keys = export_state(other.tenant(TARGET).tenant)["state"]["team"]["api_keys"]
        assert target.put("/_mock/state", json=first).status_code == 200
        second = export_state(other.tenant(TARGET).tenant)
    expected = export_state(server.tenant(SOURCE).tenant)
    expected["tenant"] = TARGET
    expected["state"]["keys"] = [TARGET]  # who opens a tenant is not part of what it holds
    expected["state"]["team"]["api_keys"] = own_keys
    expected["state"]["request_ids"] = second["state"]["request_ids"]  # the PUT drew a request id
    expected["state"]["journal"] = second["state"]["journal"]
    assert second == expected
    assert second["state"]["posts"] == first["state"]["posts"] and second["state"]["media"] == first["state"]["media"]


def test_media_bytes_survive_the_round_trip(server: MockServer) -> None:
    with client(server, SOURCE) as source, client(MockServer(), TARGET) as target:
        history(source)
        document = source.get("/_mock/state").json()
        assert target.put("/_mock/state", json=document).status_code == 200
        uploaded = [m for m in document["state"]["media"]["items"] if m["data"] is not None]
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
    ("future version", _set("version", 3), "version"),
    ("missing posts", lambda d: {**d, "state": {k: v for k, v in d["state"].items() if k != "posts"}}, "state.posts"),
    ("unknown field", _set("surprise", 1), "surprise"),
    ("naive clock", _set("now", "2026-01-01T00:00:00"), "now"),
    ("bad status", _set("state.posts.posts.0.status", "exploded"), "state.posts.posts[0].status"),
    ("bad instant", _set("state.posts.posts.0.created_at", "yesterday"), "state.posts.posts[0].created_at"),
    ("duplicate post", lambda d: _set("state.posts.posts", d["state"]["posts"]["posts"] * 2)(d), "state.posts"),
    ("seq from the future", _set("state.posts.next_seq", 1), "state.posts"),
    (
        "foreign account",
        _set("state.posts.posts.0.targets.0.account_id", "acc_01JZZZZZZZZZZZZZZZZZZZZZZZ"),
        "state.posts.posts[0].targets[0].account_id",
    ),
    ("short generator", _set("state.ids.rng.words", [1, 2, 3]), "state.ids.rng.words"),
    ("broken generator", _set("state.request_ids.words", [0] * 624 + [10_000]), "state.request_ids"),
    ("bad media bytes", _set("state.media.items.0.data", "not base64!"), "state.media.items[0].data"),
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


def test_every_field_of_a_tenant_s_state_is_in_the_document(server: MockServer) -> None:
    with client(server, SOURCE) as source:
        history(source)
        document = source.get("/_mock/state").json()
    assert list(document) == ["format", "version", "tenant", "now", "scenarios", "state"]
    assert list(document["state"]) == [f.name for f in dataclasses.fields(TenantState)]


def test_a_restore_that_takes_another_tenant_s_sink_answers_409_and_changes_nothing(server: MockServer) -> None:
    with client(server, "sapi_key_victim") as victim, client(server, "sapi_key_attacker") as attacker:
        assert victim.post("/_mock/sinks", json={"name": "victims-sink"}).status_code == 201
        document = attacker.get("/_mock/state").json()
        sink = {"name": "victims-sink", "status": 200, "delay_ms": 0, "received": []}
        document["state"]["webhooks"]["sinks"] = [sink]
        before = fingerprint(server.tenant("sapi_key_attacker"))
        response = attacker.put("/_mock/state", json=document)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["meta"]["field"] == "state.webhooks.sinks[0].name"
    assert fingerprint(server.tenant("sapi_key_attacker")) == before


def test_a_restore_that_takes_another_tenant_s_media_id_answers_409(server: MockServer) -> None:
    with client(server, "sapi_key_victim") as victim, client(server, "sapi_key_attacker") as attacker:
        png = ("x.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        victim_media = victim.post("/v1/media/upload", files={"file": png}).json()["media_id"]
        document = attacker.get("/_mock/state").json()
        item = {**document["state"]["media"]["items"][0], "id": victim_media}
        document["state"]["media"]["items"].append(item)
        response = attacker.put("/_mock/state", json=document)
        assert response.status_code == 409, response.text
        assert response.json()["error"]["meta"]["field"].startswith("state.media.items[")
        # The victim's media still answers at its own URLs.
        listed = {m["id"]: m for m in victim.get("/v1/media").json()["data"]}
        assert victim.get(listed[victim_media]["url"]).status_code == 200


def test_a_telegram_and_bluesky_tenant_saves_and_loads(server: MockServer) -> None:
    with client(server, SOURCE) as source, client(MockServer(), TARGET) as target:
        telegram = {"platform": "telegram", "metadata": {"bot_token": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"}}
        bluesky = {
            "platform": "bluesky",
            "metadata": {"identifier": "me.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
        }
        for body in (telegram, bluesky):
            assert source.post("/v1/accounts/connect", json=body).status_code < 300
        document = source.get("/_mock/state").json()
        assert target.put("/_mock/state", json=document).status_code == 200
        platforms = {a["platform"] for a in target.get("/v1/accounts").json()["data"]}
    assert {"telegram", "bluesky"} <= platforms
