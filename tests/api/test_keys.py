"""API keys: a tenant is a team holding several keys; revocation, rotation and scopes act on the next request."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from socialapi import AsyncSocialAPI, AuthenticationError, SocialAPI

from mockserver import MockServer, Settings
from mockserver.core.versions import V0822
from mockserver.testing import sync_transport
from tests.conftest import API_KEY


@pytest.fixture
def settings() -> Settings:
    """Scopes, PATCH and rotation are the 2026-08-22 generation's (the last test covers 2026-06-22)."""
    return Settings(api_version=V0822)


def http_as(server: MockServer, key: str) -> httpx.Client:
    return httpx.Client(
        transport=sync_transport(server.app), base_url="http://mock", headers={"Authorization": f"Bearer {key}"}
    )


def sdk_as(server: MockServer, key: str) -> SocialAPI:
    return SocialAPI(api_key=key, base_url="http://mock", max_retries=0, http_client=http_as(server, key))


def test_the_sdk_creates_lists_and_revokes_keys(sdk: SocialAPI) -> None:
    created = sdk.keys.create(name="CI")
    assert created.raw_key.startswith("sapi_key_") and len(created.raw_key) == len("sapi_key_") + 62
    assert created.message == "Store this key securely. It will not be shown again."
    listed = {key.name: key for key in sdk.keys.list()}
    assert set(listed) == {"Default key", "CI"}
    assert listed["CI"].preview == created.raw_key[:14] + "..." and listed["CI"].is_active
    listed["CI"].revoke()
    assert [(k.name, k.is_active) for k in sdk.keys.list()] == [("Default key", True), ("CI", False)]


def test_the_async_sdk_creates_lists_and_revokes_keys(server: MockServer) -> None:
    async def scenario() -> list[tuple[str, bool]]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            created = await api.keys.create(name="Async")
            await api.keys.revoke(created.id)
            await api.keys.create(name="Bound")
            await (await api.keys.list())[2].revoke()
            return [(k.name, k.is_active) for k in await api.keys.list()]

    assert asyncio.run(scenario()) == [("Default key", True), ("Async", False), ("Bound", False)]


def test_a_created_key_opens_the_same_tenant_and_marks_its_use(server: MockServer, client: httpx.Client) -> None:
    secret = client.post("/v1/keys", json={"name": "second"}).json()["raw_key"]
    brand = client.post("/v1/brands", json={"name": "Made by the first key"}).json()
    with http_as(server, secret) as other:
        other.post("/_mock/clock/advance", json={"seconds": 60})
        assert brand["id"] in [b["id"] for b in other.get("/v1/brands").json()["data"]]
    used = {k["name"]: k["last_used_at"] for k in client.get("/v1/keys").json()["data"]}
    assert used["second"] == "2026-01-01T00:01:00Z"
    assert len(list(server.tenants())) == 1


def test_a_revoked_key_answers_401_on_its_next_request_and_never_opens_a_new_tenant(
    server: MockServer, client: httpx.Client
) -> None:
    created = client.post("/v1/keys", json={"name": "leaked"}).json()
    with http_as(server, created["raw_key"]) as leaked:
        assert leaked.get("/v1/posts").status_code == 200
        assert client.delete(f"/v1/keys/{created['id']}").json() == {"ok": True}
        refused = leaked.get("/v1/posts")
    assert refused.status_code == 401
    assert refused.json()["error"] == {"code": "auth.invalid_key", "message": "invalid or inactive API key", "meta": {}}
    assert len(list(server.tenants())) == 1


def test_a_key_may_revoke_itself_and_the_first_key_too(server: MockServer, client: httpx.Client) -> None:
    first = client.get("/v1/keys").json()["data"][0]
    assert client.delete(f"/v1/keys/{first['id']}").status_code == 200
    with pytest.raises(AuthenticationError):
        SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=client).posts.list()
    assert len(list(server.tenants())) == 1


def test_rotation_replaces_the_secret_and_the_old_one_answers_401(server: MockServer, client: httpx.Client) -> None:
    created = client.post("/v1/keys", json={"name": "rotated"}).json()
    rotated = client.post(f"/v1/keys/{created['id']}/rotate").json()
    assert rotated["id"] == created["id"] and rotated["raw_key"] != created["raw_key"]
    with http_as(server, created["raw_key"]) as old, http_as(server, rotated["raw_key"]) as new:
        assert old.get("/v1/accounts").status_code == 401
        assert new.get("/v1/accounts").status_code == 200


def test_a_reset_forgets_the_keys_made_since_and_they_answer_401(server: MockServer, client: httpx.Client) -> None:
    secret = client.post("/v1/keys", json={"name": "before reset"}).json()["raw_key"]
    client.post("/_mock/reset")
    with http_as(server, secret) as forgotten:
        assert forgotten.get("/v1/accounts").status_code == 401
    assert client.get("/v1/accounts").status_code == 200


def test_a_scoped_key_reaches_only_its_scopes(server: MockServer, client: httpx.Client) -> None:
    secret = client.post("/v1/keys", json={"name": "reader", "scopes": ["posts:read"]}).json()["raw_key"]
    with http_as(server, secret) as reader:
        assert reader.get("/v1/posts").status_code == 200
        assert reader.get("/v1/users/me").status_code == 200
        refused = reader.post("/v1/posts", json={"text": "hi", "targets": []})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "auth.insufficient_scope"
        assert refused.json()["error"]["message"] == "This API key does not have the required scope: posts:write"
        assert refused.json()["error"]["meta"] == {"required_scope": "posts:write"}
        journal = client.get("/_mock/requests").json()["data"]
        assert [(e["method"], e["path"], e["status"]) for e in journal][-2:] == [
            ("GET", "/v1/users/me", 200),
            ("POST", "/v1/posts", 403),
        ]
        admin = reader.post("/v1/keys", json={"name": "escalate"})
        assert admin.status_code == 403
        assert admin.json()["error"]["message"] == "This operation requires a full-access API key or the dashboard"


def test_a_brand_restricted_key_cannot_manage_webhooks_or_read_analytics(
    server: MockServer, client: httpx.Client
) -> None:
    brand = client.get("/v1/brands").json()["data"][0]["id"]
    body = {"name": "brand", "scopes": ["webhooks:manage", "posts:read"], "brand_ids": [brand]}
    secret = client.post("/v1/keys", json=body).json()["raw_key"]
    with http_as(server, secret) as restricted:
        refused = restricted.get("/v1/webhooks")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "This operation is not available to brand-restricted API keys"


def test_patch_replaces_what_it_names_and_keeps_the_secret(server: MockServer, client: httpx.Client) -> None:
    created = client.post("/v1/keys", json={"name": "narrow", "scopes": ["media:read"]}).json()
    patched = client.patch(f"/v1/keys/{created['id']}", json={"scopes": ["posts:read", "posts:write"]}).json()
    assert (patched["name"], patched["scopes"]) == ("narrow", ["posts:read", "posts:write"])
    with http_as(server, created["raw_key"]) as key:
        assert key.get("/v1/media").status_code == 403
        assert key.get("/v1/posts").status_code == 200


def test_scopes_are_listed_and_unknown_ones_refused(client: httpx.Client) -> None:
    scopes = client.get("/v1/keys/scopes").json()
    assert scopes["count"] == 12
    assert [(s["name"], s["group"]) for s in scopes["data"]][9] == ("dms:send", "dms")
    refused = client.post("/v1/keys", json={"name": "x", "scopes": ["posts:admin"]})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "validation.scope_invalid"
    assert refused.json()["error"]["meta"] == {"field": "scopes[0]"}
    unknown_brand = client.post("/v1/keys", json={"name": "x", "brand_ids": ["nope"]})
    assert unknown_brand.json()["error"]["code"] == "validation.brand_invalid"
    assert client.post("/v1/keys", json={"name": " "}).status_code == 400
    assert client.delete("/v1/keys/nope").status_code == 404
    assert client.post("/v1/keys/nope/rotate").status_code == 404


def test_a_created_key_opens_its_tenant_again_after_a_restart(client: httpx.Client) -> None:
    secret = client.post("/v1/keys", json={"name": "ci"}).json()["raw_key"]
    document = client.get("/_mock/state").content
    restarted = MockServer()
    with http_as(restarted, API_KEY) as first:
        put = first.put("/_mock/state", content=document, headers={"content-type": "application/json"})
        assert put.status_code == 200, put.text
    with http_as(restarted, secret) as created:
        assert [k["name"] for k in created.get("/v1/keys").json()["data"]] == ["Default key", "ci"]
    assert len(list(restarted.tenants())) == 1


def test_the_same_seed_and_calls_give_byte_identical_team_answers() -> None:
    def run() -> list[bytes]:
        server = MockServer(Settings(api_version=V0822))
        with http_as(server, API_KEY) as http:
            brand = http.post("/v1/brands", json={"name": "B"}).json()["id"]
            created = http.post("/v1/keys", json={"name": "k", "scopes": ["posts:read"]})
            rotated = http.post(f"/v1/keys/{created.json()['id']}/rotate")
            invite = http.post("/v1/invites", json={"brand_id": brand, "platform": "tiktok", "expires_in_days": 1})
            return [
                created.content,
                rotated.content,
                invite.content,
                http.get("/v1/keys").content,
                http.get("/v1/users/me").content,
            ]

    assert run() == run()


def test_a_second_keys_requests_are_in_the_teams_journal(server: MockServer, client: httpx.Client) -> None:
    secret = client.post("/v1/keys", json={"name": "journaled"}).json()["raw_key"]
    with http_as(server, secret) as second:
        second.get("/v1/accounts", headers={"X-Request-ID": "by-the-second-key"})
    journal = client.get("/_mock/requests").json()["data"]
    assert [(e["method"], e["path"]) for e in journal if e["request_id"] == "by-the-second-key"] == [
        ("GET", "/v1/accounts")
    ]


def test_in_the_2026_06_22_generation_keys_have_no_scopes_nor_later_routes() -> None:
    server = MockServer()
    with http_as(server, API_KEY) as http:
        created = http.post("/v1/keys", json={"name": "old", "scopes": ["posts:read"]})
        assert created.status_code == 201 and created.json()["scopes"] == []
        assert "scopes is not a field of this request" in created.headers["x-mock-warnings"]
        for method, path in (("GET", "/v1/keys/scopes"), ("PATCH", "/v1/keys/x"), ("POST", "/v1/keys/x/rotate")):
            missing = http.request(method, path, json={})
            assert (missing.status_code, missing.json()["error"]["code"]) == (404, "http.404"), path
        with http_as(server, created.json()["raw_key"]) as old:
            assert old.post("/v1/webhooks", json={"url": "https://example.com/h", "events": []}).status_code != 403
