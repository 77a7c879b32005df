"""``POST /v1/accounts/{id}/sync`` (``--api-version 2026-10-02``): posts published outside the API come
in, Instagram's links are renewed, Instagram allows one sync per 5 minutes of fake time, and platforms
that cannot list posts answer 501. SDK 0.4 has no method for the route; it reads the posts it brings."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from socialapi import AsyncSocialAPI, SocialAPI

from mockserver import MockServer, Settings
from mockserver.api.shapes.account_sync import SyncOut
from mockserver.api.shapes.instagram import PlatformMediaOut
from mockserver.api.shapes.posts import TargetOut
from mockserver.core.backend import PublishingBackend
from mockserver.core.baseline import ExternalPost
from mockserver.core.clock import FakeClock
from mockserver.loading.fixtures import load_fixtures
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, API_KEY, AUTH, IMAGE, target

V1002 = "2026-10-02"
INSTAGRAM = ACCOUNTS["instagram"]
START = datetime(2026, 1, 1, tzinfo=UTC)
EXTERNAL = ["17895695668004551", "17895695668004550"]  # the fixtures' Instagram posts, newest first


@pytest.fixture
def server() -> MockServer:
    return MockServer(Settings(api_version=V1002))


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as client:
        yield client


def sync(http: httpx.Client, account_id: str) -> httpx.Response:
    return http.post(f"/v1/accounts/{account_id}/sync")


def synced(http: httpx.Client, account_id: str) -> dict[str, Any]:
    response = sync(http, account_id)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    SyncOut.model_validate(body, strict=True)
    assert all(isinstance(value, bool) for value in body.values())  # additionalProperties: boolean
    return body


def instagram_targets(http: httpx.Client) -> list[dict[str, Any]]:
    posts = http.get("/v1/posts", params={"account_ids": INSTAGRAM, "limit": 100}).json()["data"]
    return [t for p in posts for t in p["targets"]]


def test_the_first_sync_brings_in_posts_published_outside_the_api(http: httpx.Client) -> None:
    assert instagram_targets(http) == []
    assert synced(http, INSTAGRAM) == {"success": True, "posts_imported": True, "media_refreshed": True}
    posts = http.get("/v1/posts", params={"account_ids": INSTAGRAM, "sort": "created_desc"}).json()["data"]
    assert [p["targets"][0]["platform_post_id"] for p in posts] == EXTERNAL
    spring = posts[1]
    assert (spring["status"], spring["text"], spring["published_at"]) == (
        "published",
        "Our spring blend is here.",
        "2025-12-20T15:30:00Z",
    )
    spring_target = spring["targets"][0]
    TargetOut.model_validate(spring_target, strict=True)
    assert spring_target["media"] == []  # "empty for posts published elsewhere"
    assert spring_target["settings"] == {
        "product_type": "FEED",
        "comments_enabled": True,
        "alt_text": "Beans on a table",
    }
    image, video = spring_target["platform_media"]
    assert image["type"] == "image" and image["url"].startswith("https://scontent.cdninstagram.com/")
    assert "thumbnail_url" not in image
    # Withheld (licensed audio): no url, the cover stays.
    assert video["type"] == "video" and "url" not in video and video["thumbnail_url"]
    assert spring_target["metrics"]["likes"] >= 0


def test_a_second_instagram_sync_within_5_minutes_is_429_with_retry_after(http: httpx.Client) -> None:
    """Open point (the docs give no code): 429 platform.instagram.rate_limit, Instagram's rate-limit code."""
    synced(http, INSTAGRAM)
    http.post("/_mock/clock/advance", json={"seconds": 100})
    refused = sync(http, INSTAGRAM)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "200"
    error = refused.json()["error"]
    assert error["code"] == "platform.instagram.rate_limit"
    assert error["meta"] == {"account_id": INSTAGRAM, "retry_after_seconds": 200}
    http.post("/_mock/clock/advance", json={"seconds": 200})
    # Nothing new to bring in; the links are renewed.
    assert synced(http, INSTAGRAM) == {"success": True, "posts_imported": False, "media_refreshed": True}
    assert len(instagram_targets(http)) == 2


def test_a_sync_renews_the_expiring_links(http: httpx.Client) -> None:
    synced(http, INSTAGRAM)
    before = [m.get("url") or m["thumbnail_url"] for m in instagram_targets(http)[1]["platform_media"]]
    http.post("/_mock/clock/advance", json={"seconds": 4 * 86_400})
    synced(http, INSTAGRAM)
    after = [m.get("url") or m["thumbnail_url"] for m in instagram_targets(http)[1]["platform_media"]]
    assert after != before and [u.split("?")[0] for u in after] == [u.split("?")[0] for u in before]


def test_other_platforms_may_sync_again_at_once(http: httpx.Client) -> None:
    assert synced(http, ACCOUNTS["facebook"]) == {"success": True, "posts_imported": False, "media_refreshed": False}
    assert sync(http, ACCOUNTS["facebook"]).status_code == 200


@pytest.mark.parametrize("platform", ["linkedin", "twitter", "google", "pinterest"])
def test_platforms_that_cannot_list_posts_answer_501(http: httpx.Client, platform: str) -> None:
    """Open point (the OAS names LinkedIn and WhatsApp only): X, Google and Pinterest cannot list either."""
    response = sync(http, ACCOUNTS[platform])
    assert response.status_code == 501
    error = response.json()["error"]
    assert (error["code"], error["meta"]["platform"]) == ("resource.not_supported", platform)


def test_an_unknown_account_is_404(http: httpx.Client) -> None:
    response = sync(http, "acc_01JG00000000000000000000000")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "account.not_found")


def test_older_generations_have_no_sync_route() -> None:
    server = MockServer(Settings())
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
        assert sync(http, INSTAGRAM).status_code == 404
        posted = http.post(
            "/v1/posts",
            json={
                "text": "x",
                "publish_now": True,
                "media_ids": [IMAGE],
                "targets": [target("instagram", platform_data={"content_type": "feed"})],
            },
        )
        # Nor the later Instagram fields: the default generation answers as before.
        assert "platform_media" not in posted.json()["targets"][0]
        assert "settings" not in posted.json()["targets"][0]


def test_an_instagram_post_published_through_the_api_carries_its_files_and_settings(http: httpx.Client) -> None:
    data = {"content_type": "feed", "alt_text": "a cup", "is_ai_generated": False}
    body = {
        "text": "x",
        "publish_now": True,
        "media_ids": [IMAGE],
        "targets": [target("instagram", platform_data=data)],
    }
    pid = http.post("/v1/posts", json=body).json()["id"]
    http.post("/_mock/clock/advance", json={"seconds": 1})
    published = http.get(f"/v1/posts/{pid}").json()["targets"][0]
    assert [m["type"] for m in published["platform_media"]] == ["image"]
    PlatformMediaOut.model_validate(published["platform_media"][0])
    assert published["settings"] == {
        "is_ai_generated": False,
        "alt_text": "a cup",
        "comments_enabled": True,
        "product_type": "FEED",
    }


def test_the_sdk_reads_the_synced_posts_sync_and_async(server: MockServer, http: httpx.Client) -> None:
    synced(http, INSTAGRAM)
    sdk = SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
    listed = sdk.posts.list(account_ids=[INSTAGRAM])
    assert sorted(p.targets[0].platform_post_id or "" for p in listed.data if p.targets) == sorted(EXTERNAL)

    async def scenario() -> list[str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as client:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=client)
            page = await api.posts.list(account_ids=[INSTAGRAM])
            return [(await api.posts.get(p.id)).status for p in page.data]

    assert asyncio.run(scenario()) == ["published", "published"]


def test_the_served_openapi_document_declares_sync(http: httpx.Client) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/v1/accounts/{account_id}/sync"]["post"]
    assert set(operation["responses"]) >= {"200", "401", "404", "429", "501"}


def test_a_post_published_outside_later_comes_in_on_a_sync_after_its_time() -> None:
    baseline = load_fixtures().baseline
    later = ExternalPost(INSTAGRAM, "17895695668009999", "Tomorrow's pour", START + timedelta(days=1), ("image",))
    backend = PublishingBackend(
        "sapi_key_sync",
        seed=1,
        clock=FakeClock(START),
        baseline=dataclasses.replace(baseline, external_posts=(later,)),
        api_version=V1002,
    )
    assert backend.account_sync.sync_account(INSTAGRAM).imported == 0
    backend.clock.advance(timedelta(days=1))
    assert backend.account_sync.sync_account(INSTAGRAM).imported == 1


def test_same_seed_same_synced_posts() -> None:
    def synced_posts(seed: int) -> Any:
        server = MockServer(Settings(api_version=V1002, seed=seed))
        with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
            synced(http, INSTAGRAM)
            return http.get("/v1/posts", params={"account_ids": INSTAGRAM}).json()

    first = synced_posts(3)
    assert first == synced_posts(3)
    assert [p["id"] for p in first["data"]] != [p["id"] for p in synced_posts(4)["data"]]
