"""The app's tests, written as any project using SocialAPI would write them with socialapi-mock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from app import Announcer, from_environment
from socialapi import APIStatusError

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.socialapi_mock(start="2026-03-02T09:00:00Z")
def test_scheduled_announcement_goes_out_when_its_time_comes(socialapi_mock, announcer, accounts):
    post = announcer.announce("Doors open at noon", [accounts["facebook"]], at=START + timedelta(hours=3))
    assert post.status == "scheduled"

    assert socialapi_mock.advance(seconds=2 * 3600) == []
    assert socialapi_mock.advance(to=START + timedelta(hours=3)) == [{"post_id": post.id, "status": "published"}]

    assert socialapi_mock.sdk().posts.get(post.id).status == "published"
    assert [e["event"] for e in socialapi_mock.events] == ["post.scheduled", "post.published"]


@pytest.mark.socialapi_mock(scenario="facebook-down")
def test_partial_failure_names_the_platform_that_was_missed(announcer, accounts):
    post = announcer.announce("New menu", [accounts["facebook"], accounts["linkedin"], accounts["threads"]])
    assert post.status == "partial"
    assert announcer.failed_platforms(post) == ["facebook"]


@pytest.mark.socialapi_mock(scenario="api-503-burst")
def test_retries_after_503_waiting_as_long_as_retry_after_says(socialapi_mock, announcer, accounts):
    before = socialapi_mock.now()
    post = announcer.announce("We are back", [accounts["linkedin"]])

    assert post.status == "published"
    assert announcer.waits == [2.0, 2.0, 2.0]
    assert [r["status"] for r in socialapi_mock.requests if r["path"] == "/v1/posts"] == [503, 503, 503, 201]
    # The waits happened on the mock's clock: no real sleeping, and the domain time moved on.
    assert socialapi_mock.now() == before + timedelta(seconds=6)


@pytest.mark.socialapi_mock(scenario="api-503-burst")
def test_gives_up_after_max_attempts(socialapi_mock, accounts):
    announcer = Announcer(socialapi_mock.sdk(), sleep=lambda seconds: None, max_attempts=2)
    with pytest.raises(APIStatusError) as raised:
        announcer.announce("Too soon", [accounts["linkedin"]])
    assert raised.value.status_code == 503
    assert socialapi_mock.posts() == []


def test_out_of_credits_is_not_retried(socialapi_mock, announcer, accounts):
    socialapi_mock.set_plan("free", posts_limit=1)
    announcer.announce("first", [accounts["linkedin"]])
    with pytest.raises(APIStatusError) as raised:
        announcer.announce("second", [accounts["linkedin"]])
    assert raised.value.status_code == 429
    assert raised.value.code == "billing.post_limit"
    assert announcer.waits == []
    assert len(socialapi_mock.posts()) == 1


@pytest.mark.asyncio
async def test_the_async_sdk_works_too(socialapi_mock, accounts):
    tomorrow = socialapi_mock.now() + timedelta(days=1)
    async with socialapi_mock.async_sdk() as sdk:
        post = await sdk.publishing.create(
            text="Async hello", targets=[{"account_id": accounts["threads"]}], scheduled_at=tomorrow
        )
    assert socialapi_mock.advance(seconds=86_400) == [{"post_id": post.id, "status": "published"}]


def test_production_wiring_against_the_live_server(socialapi_mock_server, monkeypatch, accounts):
    # Code that builds its own client (or runs in another process) only needs a URL.
    monkeypatch.setenv("SOCIALAPI_BASE_URL", socialapi_mock_server.url)
    monkeypatch.setenv("SOCIALAPI_API_KEY", "sapi_key_example_live")
    announcer = from_environment()
    try:
        post = announcer.announce("Hello from production code", [accounts["twitter"]])
    finally:
        announcer.client.close()
    tenant = socialapi_mock_server.tenant("sapi_key_example_live")
    assert [p["id"] for p in tenant.posts()] == [post.id]
