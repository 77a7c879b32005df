"""The user behind the team (``/v1/users/me``) and the YouTube routes, through the SDK and raw HTTP."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from socialapi import AsyncSocialAPI, AuthenticationError, BadRequestError, NotFoundError, NotSupportedError, SocialAPI

from mockserver import MockServer
from tests.conftest import ACCOUNTS, API_KEY, AUTH

YOUTUBE = ACCOUNTS["youtube"]


def test_the_sdk_reads_and_updates_the_user(sdk: SocialAPI, client: httpx.Client) -> None:
    user = sdk.users.get_me()
    assert (user.plan, user.onboarding) == ("paid", True) and user.email.endswith("@example.com")
    assert sdk.users.update_me() == user
    done = sdk.users.update_me(onboarding=False, use_case="scheduling", referral="a friend")
    assert (done.id, done.onboarding) == (user.id, False)
    assert client.get("/v1/users/me").json()["use_case"] == "scheduling"
    with pytest.raises(BadRequestError, match="Invalid request body or onboarding value"):
        sdk.users.update_me(onboarding=True)


def test_deleting_the_user_closes_every_key_of_the_team(
    server: MockServer, sdk: SocialAPI, client: httpx.Client
) -> None:
    second = client.post("/v1/keys", json={"name": "second"}).json()["raw_key"]
    sdk.users.delete_me()
    with pytest.raises(AuthenticationError):
        sdk.users.get_me()
    assert client.get("/v1/accounts", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    client.post("/_mock/reset")
    assert sdk.accounts.list() and len(list(server.tenants())) == 1


def test_the_async_sdk_reads_updates_and_deletes_the_user(server: MockServer) -> None:
    async def scenario() -> tuple[bool, int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            await api.users.get_me()
            updated = await api.users.update_me(onboarding=False)
            await api.users.delete_me()
            after = await http.get("/v1/users/me", headers=AUTH)
            return updated.onboarding, after.status_code

    assert asyncio.run(scenario()) == (False, 401)


def test_the_sdk_drives_every_youtube_route(sdk: SocialAPI, client: httpx.Client) -> None:
    summary = sdk.youtube.get_channel_summary(YOUTUBE)
    assert (summary.title, summary.handle) == ("Acme Coffee TV", "@acmecoffeetv") and summary.subscriber_count > 0
    assert sdk.youtube.sync_account(YOUTUBE) is None
    assert sdk.youtube.update_video(YOUTUBE, "vid123", title="New title", visibility="unlisted") is None
    sdk.youtube.update_video(YOUTUBE, "vid123", description="Kept the title")
    assert sdk.youtube.edit_comment("Ugx1", account_id=YOUTUBE, post_id="vid123", text="Edited") is None
    sdk.youtube.moderate_comment("Ugx1", account_id=YOUTUBE, post_id="vid123", status="rejected", ban_author=True)
    team = client.get("/_mock/state").json()["state"]["team"]
    edit = team["video_edits"][f"{YOUTUBE}/vid123"]
    assert (edit["title"], edit["description"], edit["visibility"]) == ("New title", "Kept the title", "unlisted")
    [comment] = team["youtube_comments"]
    assert (comment["text"], comment["moderation_status"], comment["author_banned"]) == ("Edited", "rejected", True)
    assert team["youtube_synced_at"] == {YOUTUBE: "2026-01-01T00:00:00Z"}


def test_the_youtube_routes_refuse_what_the_docs_refuse(sdk: SocialAPI, client: httpx.Client) -> None:
    with pytest.raises(NotSupportedError):
        sdk.youtube.get_channel_summary(ACCOUNTS["instagram"])
    with pytest.raises(NotFoundError):
        sdk.youtube.sync_account("acc_unknown")
    with pytest.raises(BadRequestError, match="ban_author is only valid with status=rejected"):
        sdk.youtube.moderate_comment("c", account_id=YOUTUBE, post_id="p", status="published", ban_author=True)
    with pytest.raises(BadRequestError, match="Invalid parameters"):
        sdk.youtube.moderate_comment("c", account_id=YOUTUBE, post_id="p", status="likely_spam")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="visibility must be one of"):
        sdk.youtube.update_video(YOUTUBE, "v", visibility="secret")
    missing = client.patch("/v1/platforms/youtube/comments/c", json={"account_id": YOUTUBE, "text": "x"})
    assert (missing.status_code, missing.json()["error"]["meta"]) == (400, {"field": "post_id"})


def test_the_async_sdk_drives_the_youtube_routes(server: MockServer) -> None:
    async def scenario() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            summary = await api.youtube.get_channel_summary(YOUTUBE)
            await api.youtube.sync_account(YOUTUBE)
            await api.youtube.update_video(YOUTUBE, "v", title="t")
            await api.youtube.edit_comment("c", account_id=YOUTUBE, post_id="v", text="t")
            await api.youtube.moderate_comment("c", account_id=YOUTUBE, post_id="v", status="held_for_review")
            return summary.video_count

    assert asyncio.run(scenario()) > 0
