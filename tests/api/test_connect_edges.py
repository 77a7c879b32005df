"""The OAuth flow's edges: fragments, the public URL, pending connections that expire and are capped."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.core.accounts.connections import MAX_OAUTH_CODES, MAX_PENDING_CONNECTIONS
from mockserver.testing import sync_transport
from tests.conftest import API_KEY, AUTH

REDIRECT = "https://app.example.com/connected"


def connect(client: httpx.Client, **body: object) -> httpx.Response:
    return client.post("/v1/accounts/connect", json={"platform": "instagram", **body})


@pytest.mark.parametrize("uri", [REDIRECT + "#done", REDIRECT + "#", "http://localhost:3000/cb?x=1#frag"])
def test_a_redirect_uri_with_a_fragment_is_refused(client: httpx.Client, uri: str) -> None:
    answer = connect(client, redirect_uri=uri)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation.field_invalid"
    assert "fragment" in error["message"] and "RFC 6749" in error["message"]
    registered = client.put("/_mock/oauth/redirect-uris", json={"data": [{"uri": uri}]})
    assert registered.status_code == 400 and "fragment" in registered.json()["error"]["message"]


def test_auth_url_comes_from_the_public_url_not_the_requests_host() -> None:
    server = MockServer(Settings(public_url="https://mock.example.org:8443/"))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://evil.example", headers=AUTH) as http:
        answer = connect(http)
        assert answer.status_code == 202
        state = answer.json()["state"]
        assert answer.json()["auth_url"] == f"https://mock.example.org:8443/_mock/oauth/consent/{state}"
        assert http.get(f"/_mock/oauth/consent/{state}").status_code == 200


def test_upload_and_sink_urls_come_from_the_public_url_too() -> None:
    server = MockServer(Settings(public_url="https://mock.example.org:8443"))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://evil.example", headers=AUTH) as http:
        upload = http.get("/v1/media/upload-url", params={"filename": "a.png", "media_type": "image/png"})
        assert upload.json()["upload_url"].startswith("https://mock.example.org:8443/_mock/uploads/")
        sink = http.post("/_mock/sinks", json={"name": "hooks"})
        assert sink.json()["url"] == "https://mock.example.org:8443/_mock/sinks/hooks"


def test_without_a_public_url_auth_url_follows_the_request(client: httpx.Client) -> None:
    answer = connect(client)
    assert answer.json()["auth_url"].startswith("http://mock/_mock/oauth/consent/")


@pytest.mark.parametrize("url", ["ftp://mock.example", "https://", "https://mock.example/?a=1", "mock.example"])
def test_a_bad_public_url_is_refused_at_start(url: str) -> None:
    with pytest.raises(ValueError, match="--public-url"):
        Settings(public_url=url)


def test_a_pending_connection_is_forgotten_ten_minutes_after_it_expired(
    server: MockServer, client: httpx.Client
) -> None:
    old = connect(client).json()
    client.post("/_mock/clock/advance", json={"seconds": 600})
    assert "expired" in client.get(old["auth_url"]).text
    client.post("/_mock/clock/advance", json={"seconds": 600})
    fresh = connect(client).json()
    backend = server.tenant(API_KEY)
    assert list(backend.state.accounts.pending_connections) == [fresh["state"]]
    assert client.get(old["auth_url"]).status_code == 404
    assert old["state"] not in server.shared.connection_owners


def test_past_the_cap_the_oldest_pending_connection_is_forgotten(server: MockServer, client: httpx.Client) -> None:
    started = [connect(client).json() for _ in range(MAX_PENDING_CONNECTIONS + 1)]
    backend = server.tenant(API_KEY)
    assert len(backend.state.accounts.pending_connections) == MAX_PENDING_CONNECTIONS
    assert client.get(started[0]["auth_url"]).status_code == 404
    assert client.get(started[1]["auth_url"]).status_code == 200
    assert client.get(started[-1]["auth_url"]).status_code == 200
    assert len(server.shared.connection_owners) == MAX_PENDING_CONNECTIONS


def test_the_consent_page_finds_its_tenant_without_asking_every_tenant(
    server: MockServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        server.tenant(f"sapi_key_other_{n}")
    started = connect(client).json()

    def no_scan() -> list[object]:
        raise AssertionError("the consent page asked every tenant")

    monkeypatch.setattr(server, "tenants", no_scan)
    assert client.get(started["auth_url"]).status_code == 200
    answer = client.post(started["auth_url"], data={"decision": "approve"})
    assert answer.status_code == 200 and "connected" in answer.text
    assert client.get(started["auth_url"]).status_code == 404


def test_a_reset_forgets_the_tenants_pending_connections_in_the_index(server: MockServer, client: httpx.Client) -> None:
    started = connect(client).json()
    client.post("/_mock/reset")
    assert client.get(started["auth_url"]).status_code == 404
    assert started["state"] not in server.shared.connection_owners


def test_codes_never_exchanged_are_capped_oldest_first(server: MockServer, client: httpx.Client) -> None:
    codes = []
    for _ in range(MAX_OAUTH_CODES + 1):
        started = connect(client, redirect_uri=REDIRECT).json()
        approved = client.post("/_mock/oauth/approve", json={"auth_url": started["auth_url"]}).json()
        codes.append(approved["code"])
    assert len(server.tenant(API_KEY).state.accounts.oauth_codes) == MAX_OAUTH_CODES

    def exchange(code: str) -> int:
        body = {"platform": "instagram", "code": code, "metadata": {}}
        return client.post("/v1/oauth/exchange", json=body).status_code

    assert exchange(codes[0]) == 400
    assert exchange(codes[-1]) == 201
