"""The later generation's limits where the vendor's docs leave a question open: one test per choice.

The rate-limits guide of the 2026-10-02 generation fixes the numbers, the headers and the 429 bodies
(tests/api/test_request_limit.py, test_velocity_caps.py); it leaves open the points below. Each test is
named after the choice the mock made, and docs/api-versions.md lists the same choices with reasons,
so changing one means changing one test, one table row and the line of code its docstring names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.api.test_request_limit import OTHER_PLATFORMS, down_to_two_accounts
from tests.conftest import ACCOUNTS, AUTH, IMAGE, target


def later(**extra: Any) -> httpx.Client:
    server = MockServer(Settings(api_version="2026-10-02", **extra))
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH)


@pytest.fixture
def caps() -> Iterator[httpx.Client]:
    with later(request_limit=False) as http:
        yield http


@pytest.fixture
def budget() -> Iterator[httpx.Client]:
    with later(velocity_caps=False) as http:
        yield http


def publish(http: httpx.Client, *targets: dict[str, Any], **extra: Any) -> httpx.Response:
    return http.post("/v1/posts", json={"text": "t", "publish_now": True, "targets": list(targets), **extra})


def fill(http: httpx.Client, count: int, *targets: dict[str, Any], **extra: Any) -> None:
    for _ in range(count):
        assert publish(http, *targets, **extra).status_code == 201


def advance(http: httpx.Client, seconds: float) -> None:
    assert http.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200


# -- the request rate limit (API.md 11.9, "Rate limit") ----------------------------------------------


def test_buckets_are_aligned_on_the_minutes_of_the_tenant_clock() -> None:
    with later(start_time=datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)) as http:
        assert http.get("/v1/posts").headers["X-RateLimit-Reset"] == "30"


def test_the_budget_is_checked_after_the_key_and_before_the_body(budget: httpx.Client) -> None:
    down_to_two_accounts(budget)
    for _ in range(60):
        budget.get("/v1/posts")
    not_json = budget.post("/v1/posts", content=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 429
    assert budget.get("/v1/posts", headers={"Authorization": "Bearer sapi_key_"}).status_code == 401


def test_injected_faults_carry_the_headers_and_a_401_does_not(budget: httpx.Client) -> None:
    budget.put("/_mock/scenarios", json={"name": "api-503-burst"})
    fault = budget.post("/v1/posts", json={"text": "x"})
    assert fault.status_code == 503
    assert fault.headers["X-RateLimit-Remaining"] == "599"
    assert "X-RateLimit-Limit" not in budget.get("/v1/posts", headers={"Authorization": "Bearer x"}).headers


def test_a_connection_change_moves_the_tier_from_the_next_minute(budget: httpx.Client) -> None:
    for platform in OTHER_PLATFORMS:
        budget.delete(f"/v1/accounts/{ACCOUNTS[platform]}")
    assert budget.get("/v1/posts").headers["X-RateLimit-Limit"] == "600"
    advance(budget, 60)
    assert budget.get("/v1/posts").headers["X-RateLimit-Limit"] == "60"


# -- the posting velocity caps (API.md 11.9, "Velocity") ---------------------------------------------


def test_a_daily_cap_says_window_day_and_the_longest_wait_is_named(caps: httpx.Client) -> None:
    # Pinterest's daily cap is 25, like the hourly one: both windows are full, and the day waits longer.
    pin = target("pinterest", board_id="sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC")
    fill(caps, 25, pin, media_ids=[IMAGE])
    error = publish(caps, pin, media_ids=[IMAGE]).json()["error"]
    assert (error["meta"]["window"], error["meta"]["limit"], error["meta"]["retry_after_seconds"]) == ("day", 25, 86400)
    assert "limited to 25 posts per 24 hours" in error["message"]


def test_of_several_full_targets_the_one_with_the_longest_wait_is_named(caps: httpx.Client) -> None:
    fill(caps, 25, target("linkedin"))
    advance(caps, 1800)
    fill(caps, 25, target("twitter"))
    refused = publish(caps, target("linkedin"), target("twitter"))
    meta = refused.json()["error"]["meta"]
    assert (meta["account_id"], meta["retry_after_seconds"], refused.headers["Retry-After"]) == (
        ACCOUNTS["twitter"],
        3600,
        "3600",
    )


def test_failed_deliveries_count_against_the_cap(caps: httpx.Client) -> None:
    caps.put("/_mock/scenarios", json={"name": "linkedin-token-expired"})
    fill(caps, 25, target("linkedin"))
    advance(caps, 0)
    assert {p["status"] for p in caps.get("/v1/posts", params={"limit": 100}).json()["data"]} == {"failed"}
    assert publish(caps, target("linkedin")).status_code == 429


def test_the_hour_is_rolling_not_the_clock_hour(caps: httpx.Client) -> None:
    advance(caps, 600)
    fill(caps, 10, target("linkedin"))
    advance(caps, 1800)
    fill(caps, 15, target("linkedin"))
    advance(caps, 1500)  # 01:05: a fixed clock hour would have started afresh at 01:00
    assert publish(caps, target("linkedin")).json()["error"]["meta"]["retry_after_seconds"] == 300


def test_a_held_post_stays_scheduled_with_no_event_until_its_release(caps: httpx.Client) -> None:
    body = {"text": "later", "scheduled_at": "2026-01-01T00:10:00Z", "targets": [target("linkedin")]}
    pid = caps.post("/v1/posts", json=body).json()["id"]
    fill(caps, 25, target("linkedin"))
    advance(caps, 1800)
    events = [e["event"] for e in caps.get("/_mock/events", params={"post_id": pid}).json()["data"]]
    assert (caps.get(f"/v1/posts/{pid}").json()["status"], events) == ("scheduled", ["post.scheduled"])
    advance(caps, 1800)
    events = [e["event"] for e in caps.get("/_mock/events", params={"post_id": pid}).json()["data"]]
    assert events == ["post.scheduled", "post.published"]


def test_validate_checks_no_cap(caps: httpx.Client) -> None:
    fill(caps, 25, target("linkedin"))
    checked = caps.post("/v1/posts/validate", json={"text": "t", "targets": [target("linkedin")]})
    assert checked.status_code == 200 and checked.json()["valid"] is True
