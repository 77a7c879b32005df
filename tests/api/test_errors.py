"""Auth, request ids, unknown routes and malformed bodies: always the error envelope."""

from __future__ import annotations

import httpx
import pytest
import socialapi

from mockserver import MockServer
from mockserver.testing import sync_transport


@pytest.fixture
def anonymous(server: MockServer) -> httpx.Client:
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock")


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "auth.missing_header"),
        ({"Authorization": "Bearer "}, "auth.empty_token"),
        ({"Authorization": "Basic abc"}, "auth.empty_token"),
        # Only sapi_key_ tokens are API keys; anything else is an OAuth token to the real API.
        ({"Authorization": "Bearer sk_live_123"}, "auth.invalid_token"),
        ({"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"}, "auth.invalid_token"),
        ({"Authorization": "Bearer sapi_key_" + "a" * 200}, "auth.invalid_key"),
    ],
)
def test_auth_failures(anonymous: httpx.Client, headers: dict[str, str], code: str) -> None:
    response = anonymous.get("/v1/posts", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == code
    assert body["request_id"] == response.headers["x-request-id"]


def test_sdk_maps_a_bad_key_to_authentication_error(anonymous: httpx.Client) -> None:
    sdk = socialapi.SocialAPI(api_key="not_a_key", base_url="http://mock", max_retries=0, http_client=anonymous)
    with pytest.raises(socialapi.AuthenticationError):
        sdk.posts.list()


def test_request_id_is_echoed_when_well_formed(client: httpx.Client) -> None:
    assert client.get("/v1/accounts", headers={"X-Request-ID": "trace_42-a"}).headers["x-request-id"] == "trace_42-a"
    generated = client.get("/v1/accounts", headers={"X-Request-ID": "bad id!"}).headers["x-request-id"]
    assert generated != "bad id!" and len(generated) == 8
    int(generated, 16)


def test_method_not_allowed_is_an_envelope(client: httpx.Client) -> None:
    response = client.delete("/v1/accounts")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "http.405"


@pytest.mark.parametrize("body", [b"{", b"[1,2]", b'"text"', b"null", b"\xff\xfe"])
def test_malformed_bodies(client: httpx.Client, body: bytes) -> None:
    response = client.post("/v1/posts", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("validation.body_invalid", "validation.field_required")
    assert client.get("/v1/posts").json()["data"] == []


def test_clock_cannot_go_backwards(client: httpx.Client) -> None:
    client.post("/_mock/clock/advance", json={"seconds": 60})
    response = client.post("/_mock/clock/advance", json={"to": "2026-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation.field_invalid"
    assert response.json()["error"]["meta"]["field"] == "to"
    negative = client.post("/_mock/clock/advance", json={"seconds": -1})
    assert negative.status_code == 400
    assert client.get("/_mock/clock").json()["now"] == "2026-01-01T00:01:00Z"


def test_advance_needs_exactly_one_of_seconds_or_to(client: httpx.Client) -> None:
    assert client.post("/_mock/clock/advance", json={}).status_code == 400
    both = client.post("/_mock/clock/advance", json={"seconds": 1, "to": "2026-01-02T00:00:00Z"})
    assert both.status_code == 400


def test_a_bug_is_a_500_in_the_envelope_not_a_traceback(
    server: MockServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    backend = server.tenant("sapi_key_test")
    monkeypatch.setattr(backend.posts, "get_post", broken)  # a parameterised route (Starlette's router)
    monkeypatch.setattr(backend.accounts, "list_accounts", broken)  # a static route (the dict in front)
    with httpx.Client(
        transport=sync_transport(server.app, raise_app_exceptions=False),
        base_url="http://m",
        headers={"Authorization": "Bearer sapi_key_test"},
    ) as http:
        for path in ("/v1/posts/p_01KDVDNA00N2JG97Q9T8K979YF", "/v1/accounts"):
            response = http.get(path)
            assert response.status_code == 500
            assert response.json()["error"]["code"] == "system.internal"
            assert "boom" not in response.text
    assert "boom" in caplog.text
