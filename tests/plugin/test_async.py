"""Async tests downstream: pytest-asyncio and anyio, the async SDK, and the sync handle inside a running loop."""

from __future__ import annotations

import pytest

ASYNC_TESTS = """
from datetime import datetime, timedelta, timezone

import pytest
from socialapi import AsyncSocialAPI

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"


async def schedule_and_fire(mock):
    async with mock.async_sdk() as sdk:
        assert isinstance(sdk, AsyncSocialAPI)
        post = await sdk.publishing.create(
            text="async", targets=[{"account_id": FACEBOOK}], scheduled_at=START + timedelta(minutes=5)
        )
        assert post.status == "scheduled"
        # The sync handle works while this test's event loop is running.
        assert mock.advance(seconds=300) == [{"post_id": post.id, "status": "published"}]
        assert (await sdk.posts.get(post.id)).status == "published"


@pytest.mark.asyncio
async def test_pytest_asyncio(socialapi_mock):
    await schedule_and_fire(socialapi_mock)


@pytest.mark.anyio
async def test_anyio(socialapi_mock):
    await schedule_and_fire(socialapi_mock)


@pytest.mark.asyncio
async def test_an_async_sdk_left_open_leaks_nothing(socialapi_mock):
    sdk = socialapi_mock.async_sdk(timeout=5)
    assert len((await sdk.accounts.list()).data) >= 9
    assert sdk._client._config.max_retries == 0


@pytest.mark.asyncio
async def test_live_server_async_sdk(socialapi_mock_server):
    tenant = socialapi_mock_server.tenant("sapi_key_async_live")
    sdk = tenant.async_sdk()
    post = await sdk.publishing.create(text="live", targets=[{"account_id": FACEBOOK}], publish_now=True)
    assert post.status == "published"
    assert [p["id"] for p in tenant.posts()] == [post.id]


def test_sync_after_async(socialapi_mock):
    assert socialapi_mock.posts() == []
"""


def test_async_tests_use_the_fixtures(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(ASYNC_TESTS)
    result = downstream.runpytest("-W", "error::ResourceWarning")
    result.assert_outcomes(passed=5)
