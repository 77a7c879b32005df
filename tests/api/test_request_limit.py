"""The request rate limit of the 2026-10-02 generation: a per-tenant budget per minute of the fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, target

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# Disconnected, these leave two accounts: the 60-a-minute tier.
OTHER_PLATFORMS = ("instagram", "facebook", "threads", "tiktok", "youtube", "twitter", "google", "pinterest")


@pytest.fixture
def server() -> MockServer:
    return MockServer(Settings(api_version="2026-10-02", velocity_caps=False))


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as client:
        yield client


def rate(response: httpx.Response) -> tuple[int, int, int]:
    limit, remaining, reset = (int(response.headers[name]) for name in RATE_HEADERS)
    return limit, remaining, reset


def down_to_two_accounts(http: httpx.Client) -> None:
    """Disconnect all but two accounts, then start a new minute: a full bucket of the 60-a-minute tier."""
    for platform in OTHER_PLATFORMS:
        assert http.delete(f"/v1/accounts/{ACCOUNTS[platform]}").status_code == 204
    assert http.post("/_mock/clock/advance", json={"seconds": 60}).status_code == 200


def test_every_authenticated_answer_tells_where_the_minute_stands(http: httpx.Client) -> None:
    answers = [
        http.get("/v1/posts"),
        http.post("/v1/posts", json={"text": "draft", "targets": [target("linkedin")]}),
        http.get("/v1/posts/p_missing"),
        http.post("/v1/posts", json={"text": 5}),
        http.get("/v1/accounts"),
    ]
    assert [a.status_code for a in answers] == [200, 201, 404, 400, 200]
    assert [rate(a) for a in answers] == [(600, 599 - n, 60) for n in range(5)]


def test_the_reset_counts_down_to_the_next_minute_of_the_fake_clock(http: httpx.Client) -> None:
    http.post("/_mock/clock/advance", json={"seconds": 15.5})
    assert rate(http.get("/v1/posts"))[2] == 45


def test_past_the_budget_a_429_stores_nothing_and_the_next_minute_refills_it(http: httpx.Client) -> None:
    down_to_two_accounts(http)
    for n in range(60):
        assert rate(http.get("/v1/posts")) == (60, 59 - n, 60)

    refused = http.post("/v1/posts", json={"text": "one too many", "targets": [target("linkedin")]})

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert rate(refused) == (60, 0, 60)
    assert refused.json()["error"] == {
        "code": "ratelimit.exceeded",
        "message": "rate limit exceeded: this account is limited to 60 requests per minute, retry in 60s",
        "meta": {"limit": 60, "retry_after_seconds": 60},
    }
    assert "POST /_mock/clock/advance" in refused.headers["X-Mock-Warnings"]
    assert '"request_limit": false' in refused.headers["X-Mock-Warnings"]

    http.post("/_mock/clock/advance", json={"seconds": 60})

    refilled = http.get("/v1/posts")
    assert rate(refilled) == (60, 59, 60)
    assert refilled.json()["data"] == []


def test_the_mocks_own_routes_and_unauthenticated_answers_carry_no_budget(http: httpx.Client) -> None:
    own = http.get("/_mock/tenant")
    anonymous = http.get("/v1/posts", headers={"Authorization": ""})
    assert own.status_code == 200 and anonymous.status_code == 401
    assert not any(name in own.headers or name in anonymous.headers for name in RATE_HEADERS)
    # Neither drew on the budget.
    assert rate(http.get("/v1/posts"))[1] == 599


def test_the_tier_follows_the_connected_accounts(http: httpx.Client) -> None:
    assert rate(http.get("/v1/posts"))[0] == 600
    down_to_two_accounts(http)
    assert rate(http.get("/v1/posts"))[0] == 60


def test_the_pytest_handles_own_calls_draw_nothing(server: MockServer) -> None:
    from mockserver.client import TenantHandle

    handle = TenantHandle.in_process(server, "sapi_key_test")
    try:
        for _ in range(3):
            assert handle.posts() == []
        # The same client, as the app under test would call: the first request of the minute.
        assert handle.http.get("/v1/posts").headers["X-RateLimit-Remaining"] == "599"
    finally:
        handle.close()


def test_reading_the_limits_opens_no_minute_and_changes_no_saved_state() -> None:
    # The limit is off, so no request opens a minute; GET /_mock/limits shows one as it would open.
    server = MockServer(Settings(api_version="2026-10-02", request_limit=False, velocity_caps=False))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
        http.post("/_mock/clock/advance", json={"seconds": 20})
        before = http.get("/_mock/state").json()["state"]["limits"]
        shown = http.get("/_mock/limits").json()
        after = http.get("/_mock/state").json()["state"]["limits"]
    assert after == before and before["bucket_end"] is None
    assert shown["budget"]["remaining"] == shown["budget"]["limit"] == 600
    assert shown["budget"]["reset_seconds"] == 40
