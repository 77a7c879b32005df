"""Posting velocity caps of the 2026-10-02 generation (25 per hour and a daily cap per publish target).

Everything runs on the tenant's fake clock: a test fills a window, reads the 429, and advances past it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, IMAGE, target

PAGE_1 = "sapi_page_01JGR4N5JJX9K1QQXV5SZ7VZSG"
PAGE_2 = "sapi_page_01JGR4PQ0D3M2B7ZK8F5X1W9TA"


def later_generation(**extra: Any) -> httpx.Client:
    server = MockServer(Settings(api_version="2026-10-02", **extra))
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    # The request limit is the other test file's subject: off here, so only the caps answer 429.
    with later_generation(request_limit=False) as client:
        yield client


def publish_now(http: httpx.Client, *targets: dict[str, Any], text: str = "now", **extra: Any) -> httpx.Response:
    return http.post("/v1/posts", json={"text": text, "publish_now": True, "targets": list(targets), **extra})


def page(number: str) -> dict[str, Any]:
    return target("facebook", page_id=number)


def instagram() -> dict[str, Any]:
    return target("instagram", platform_data={"content_type": "feed"})


def fill(http: httpx.Client, count: int, *targets: dict[str, Any], **extra: Any) -> None:
    for n in range(count):
        response = publish_now(http, *targets, text=f"post {n}", **extra)
        assert response.status_code == 201, response.text


def advance(http: httpx.Client, seconds: float) -> None:
    assert http.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200


def post_count(http: httpx.Client) -> int:
    return len(http.get("/v1/posts", params={"limit": 100}).json()["data"])


def test_the_26th_publish_to_one_page_within_an_hour_is_refused_and_creates_nothing(http: httpx.Client) -> None:
    fill(http, 25, page(PAGE_1))
    used = http.get("/v1/usage").json()["posts_used"]
    advance(http, 600)

    refused = publish_now(http, page(PAGE_1))

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3000"
    assert refused.json()["error"] == {
        "code": "publishing.velocity_limit",
        "message": "publishing too fast: this facebook account is limited to 25 posts per hour, retry in 3000s",
        "meta": {"account_id": ACCOUNTS["facebook"], "window": "hour", "limit": 25, "retry_after_seconds": 3000},
    }
    assert post_count(http) == 25
    assert http.get("/v1/usage").json()["posts_used"] == used


def test_each_page_of_one_connection_has_its_own_hourly_cap(http: httpx.Client) -> None:
    activated = http.patch(f"/v1/accounts/{ACCOUNTS['facebook']}/pages/{PAGE_2}", json={"is_active": True})
    assert activated.status_code == 200, activated.text
    fill(http, 25, page(PAGE_1))
    assert publish_now(http, page(PAGE_2)).status_code == 201
    assert publish_now(http, page(PAGE_1)).status_code == 429


def test_the_hour_is_rolling_so_room_comes_back_an_hour_after_the_oldest_publish(http: httpx.Client) -> None:
    fill(http, 25, target("linkedin"))
    refused = publish_now(http, target("linkedin"))
    advance(http, int(refused.headers["Retry-After"]) - 1)
    assert publish_now(http, target("linkedin")).status_code == 429
    advance(http, 1)
    assert publish_now(http, target("linkedin")).status_code == 201


def test_the_46th_instagram_post_within_24_hours_meets_the_daily_cap(http: httpx.Client) -> None:
    for _ in range(2):
        fill(http, 20, instagram(), media_ids=[IMAGE])
        advance(http, 3600)
    fill(http, 5, instagram(), media_ids=[IMAGE])

    refused = publish_now(http, instagram(), media_ids=[IMAGE])

    assert refused.status_code == 429
    error = refused.json()["error"]
    # The first of the 45 went out at 00:00; the clock is at 02:00.
    assert error["meta"] == {
        "account_id": ACCOUNTS["instagram"],
        "window": "day",
        "limit": 45,
        "retry_after_seconds": 22 * 3600,
    }
    assert error["message"] == (
        "publishing too fast: this instagram account is limited to 45 posts per 24 hours, retry in 79200s"
    )
    # Instagram's own ceiling in these docs is 50 a day, so all 45 went out.
    advance(http, 0)
    assert {p["status"] for p in http.get("/v1/posts", params={"limit": 100}).json()["data"]} == {"published"}


def test_one_full_target_refuses_the_whole_post_and_spends_no_other_targets_budget(http: httpx.Client) -> None:
    fill(http, 25, page(PAGE_1))
    for _ in range(3):
        assert publish_now(http, target("linkedin"), page(PAGE_1)).status_code == 429
    # LinkedIn's 25 are untouched by the refused posts.
    fill(http, 25, target("linkedin"))
    assert publish_now(http, target("linkedin")).status_code == 429


def test_publish_and_retry_are_refused_like_a_create(http: httpx.Client) -> None:
    draft = http.post("/v1/posts", json={"text": "draft", "targets": [target("linkedin")]}).json()["id"]
    fill(http, 25, target("linkedin"))
    assert http.post(f"/v1/posts/{draft}/publish").json()["error"]["code"] == "publishing.velocity_limit"
    assert http.get(f"/v1/posts/{draft}").json()["status"] == "draft"


def test_a_retry_counts_against_the_failed_targets_cap() -> None:
    with later_generation(request_limit=False, publish_mode="sync") as http:
        http.put("/_mock/scenarios", json={"name": "instagram-throttled"})
        failed = publish_now(http, instagram(), media_ids=[IMAGE])
        assert failed.json()["status"] == "failed", failed.text
        http.delete("/_mock/scenarios")
        fill(http, 24, instagram(), media_ids=[IMAGE])
        retry = http.post(f"/v1/posts/{failed.json()['id']}/retry")
        assert (retry.status_code, retry.json()["error"]["meta"]["window"]) == (429, "hour")


def test_a_scheduled_post_in_a_full_window_is_held_then_released_by_an_advance(http: httpx.Client) -> None:
    scheduled = http.post(
        "/v1/posts",
        json={"text": "later", "scheduled_at": "2026-01-01T00:30:00Z", "targets": [target("linkedin")]},
    ).json()["id"]
    fill(http, 25, target("linkedin"))

    advance(http, 1800)

    held = http.get(f"/v1/posts/{scheduled}")
    assert held.json()["status"] == "scheduled"
    assert held.json()["targets"][0]["status"] == "pending"
    assert "held by the velocity caps" in held.headers["X-Mock-Warnings"]
    assert "2026-01-01T01:00:00Z" in held.headers["X-Mock-Warnings"]
    holds = http.get("/_mock/limits").json()["holds"]
    assert holds == [
        {
            "post_id": scheduled,
            "account_id": ACCOUNTS["linkedin"],
            "page_id": "sapi_page_01JGTY1FQ2R7W3M9B4K6X8D5CE",
            "window": "hour",
            "limit": 25,
            "held_since": "2026-01-01T00:30:00Z",
            "release_at": "2026-01-01T01:00:00Z",
        }
    ]
    assert http.get("/_mock/clock").json()["next_due"] == "2026-01-01T01:00:00Z"

    advance(http, 1800)

    released = http.get(f"/v1/posts/{scheduled}")
    assert released.json()["status"] == "published"
    assert released.json()["published_at"] == "2026-01-01T01:00:00Z"
    assert "X-Mock-Warnings" not in released.headers
    assert http.get("/_mock/limits").json()["holds"] == []
    # Held, not failed: the one delivery attempt is the one that published it.
    assert [a["attempt"] for a in http.get("/_mock/deliveries", params={"post_id": scheduled}).json()["data"]] == [1]


def test_a_velocity_refusal_says_how_to_get_past_it_on_the_fake_clock(http: httpx.Client) -> None:
    fill(http, 25, target("linkedin"))
    note = publish_now(http, target("linkedin")).headers["X-Mock-Warnings"]
    assert "POST /_mock/clock/advance" in note
    assert '"velocity_caps": false' in note
