"""``GET /v1/events`` and ``/v1/events/summary`` through the official SDK's ``events`` resource."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from socialapi import APIStatusError, SocialAPI

from mockserver import MockServer
from mockserver.core.records.events import AccountDisconnected
from tests.conftest import ACCOUNTS, API_KEY, target

START = datetime.fromisoformat("2026-01-01T00:00:00+00:00")


@pytest.fixture
def story(client: httpx.Client, server: MockServer) -> dict[str, str]:
    """A scheduled post that fires partially (Facebook down), a published one, an account change."""
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    scheduled = client.post(
        "/v1/posts",
        json={
            "text": "later",
            "scheduled_at": "2026-01-01T01:00:00Z",
            "targets": [target("facebook"), target("linkedin")],
        },
    ).json()
    client.post("/_mock/clock/advance", json={"seconds": 3600})
    client.delete("/_mock/scenarios")
    client.post("/_mock/clock/advance", json={"seconds": 60})
    published = client.post(
        "/v1/posts", json={"text": "now", "publish_now": True, "targets": [target("threads")]}
    ).json()
    backend = server.tenant(API_KEY)
    # What the accounts side records when an account is disconnected (its own helper emits it).
    backend.tenant.record_event(
        AccountDisconnected(ACCOUNTS["tiktok"], "tiktok", "access_revoked", reconnect_required=True), backend.now()
    )
    return {"scheduled": scheduled["id"], "published": published["id"]}


def actions(events: Any) -> list[tuple[str, str, str | None]]:
    return [(e.action, e.status, e.platform) for e in events]


def test_the_log_is_newest_first_from_every_source(sdk: SocialAPI, story: dict[str, str]) -> None:
    page = sdk.events.list()
    assert actions(page) == [
        ("account.disconnected", "ok", "tiktok"),
        ("post.published", "ok", "threads"),
        ("publish", "ok", "threads"),
        ("post.partial", "failed", None),
        ("publish", "ok", "linkedin"),
        ("publish", "failed", "facebook"),
        ("post.scheduled", "ok", None),
    ]
    assert page.retention_days == 30 and not page.has_next_page()
    failed = next(e for e in page if e.action == "publish" and e.status == "failed")
    assert failed.category == "post" and failed.resource_id == story["scheduled"]
    assert failed.summary.startswith("Failed to publish to Facebook: ")
    assert failed.error_category == "platform"
    assert failed.metadata["scenario_rule"] == "facebook-down.deliveries[0]"
    assert failed.created_at == "2026-01-01T01:00:00Z"
    partial = next(e for e in page if e.action == "post.partial")
    assert partial.summary == "Post published to 1 of 2 accounts"
    assert partial.error_message is not None
    account = page.data[0]
    assert (account.category, account.account_id, account.resource_id) == (
        "account",
        ACCOUNTS["tiktok"],
        ACCOUNTS["tiktok"],
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "account"}, [("account.disconnected", "ok", "tiktok")]),
        ({"status": "failed"}, [("post.partial", "failed", None), ("publish", "failed", "facebook")]),
        ({"platform": "linkedin"}, [("publish", "ok", "linkedin")]),
        ({"account_id": ACCOUNTS["threads"]}, [("post.published", "ok", "threads"), ("publish", "ok", "threads")]),
        ({"action": "post.scheduled"}, [("post.scheduled", "ok", None)]),
        (
            {"since": "2026-01-01T01:01:00Z"},
            [
                ("account.disconnected", "ok", "tiktok"),
                ("post.published", "ok", "threads"),
                ("publish", "ok", "threads"),
            ],
        ),
        ({"until": "2026-01-01T00:00:00Z"}, [("post.scheduled", "ok", None)]),
    ],
)
def test_each_filter(sdk: SocialAPI, story: dict[str, str], filters: dict[str, str], expected: list[Any]) -> None:
    assert actions(sdk.events.list(**filters)) == expected


def test_resource_id_filter(sdk: SocialAPI, story: dict[str, str]) -> None:
    assert actions(sdk.events.list(resource_id=story["published"])) == [
        ("post.published", "ok", "threads"),
        ("publish", "ok", "threads"),
    ]


def test_pages_follow_the_cursor_without_gaps_or_repeats(sdk: SocialAPI, story: dict[str, str]) -> None:
    seen: list[str] = []
    page = sdk.events.list(limit=3)
    while True:
        seen += [e.id for e in page]
        if not page.has_next_page():
            break
        page = sdk.events.list(limit=3, cursor=page.next_cursor)
    assert seen == [e.id for e in sdk.events.list()]
    assert len(set(seen)) == 7


def test_webhook_attempts_are_in_the_log(client: httpx.Client, sdk: SocialAPI) -> None:
    # Nothing listens on port 9 (discard): the attempt fails and is logged with its error.
    client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["post.published"]})
    client.post("/v1/posts", json={"text": "hi", "publish_now": True, "targets": [target("linkedin")]})
    client.post("/_mock/webhooks/flush")
    [attempt] = sdk.events.list(category="webhook")
    assert (attempt.action, attempt.status, attempt.error_category) == ("webhook.delivery", "failed", "network")
    assert attempt.metadata["event_type"] == "post.published" and attempt.metadata["attempt"] == 1
    assert attempt.resource_id is not None and attempt.resource_id.startswith("whd_")


def test_the_summary_counts_the_window(sdk: SocialAPI, story: dict[str, str]) -> None:
    summary = sdk.events.get_summary()
    assert (summary.total, summary.failed, summary.retention_days) == (7, 2, 30)
    assert summary.by_category == {"post": 6, "account": 1}
    assert summary.by_error_category == {"platform": 2}
    assert summary.inbox_breakdown == {}
    later = sdk.events.get_summary(since="2026-01-01T01:00:00Z", until="2026-01-01T02:00:00Z")
    assert (later.total, later.total_previous) == (6, 1)


def test_retention_follows_the_plan_on_the_fake_clock(client: httpx.Client, sdk: SocialAPI) -> None:
    client.patch("/_mock/tenant", json={"plan": "free"})
    client.post("/v1/posts", json={"text": "old", "publish_now": True, "targets": [target("linkedin")]})
    assert len(sdk.events.list()) == 2
    client.post("/_mock/clock/advance", json={"seconds": 2 * 86400})
    page = sdk.events.list()
    assert (len(page), page.retention_days) == (0, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"status": "success"}, "status"),
        ({"from": "yesterday"}, "from"),
        ({"cursor": "%%%"}, "cursor"),
        ({"platform": "myspace"}, "platform"),
        ({"categroy": "post"}, "categroy"),
    ],
)
def test_bad_queries_are_a_400_naming_the_field(client: httpx.Client, params: dict[str, Any], field: str) -> None:
    response = client.get("/v1/events", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["meta"]["field"] == field


def test_a_summary_window_that_ends_before_it_starts_is_a_400(sdk: SocialAPI) -> None:
    with pytest.raises(APIStatusError) as raised:
        sdk.events.get_summary(since="2026-01-02T00:00:00Z", until="2026-01-01T00:00:00Z")
    assert raised.value.status_code == 400


def test_reading_the_log_does_not_shift_later_ids(client: httpx.Client, server: MockServer) -> None:
    def run(read: bool) -> str:
        server.tenant(API_KEY).reset()
        client.post("/v1/posts", json={"text": "a", "publish_now": True, "targets": [target("linkedin")]})
        if read:
            client.get("/v1/events")
        return str(client.post("/v1/posts", json={"text": "b"}).json()["id"])

    assert run(False) == run(True)


def test_delivery_entries_keep_their_ids_across_reads(sdk: SocialAPI, story: dict[str, str]) -> None:
    assert [e.id for e in sdk.events.list()] == [e.id for e in sdk.events.list()]
    assert datetime.fromisoformat(sdk.events.list().data[0].created_at.replace("Z", "+00:00")) + timedelta(0) > START
