"""Pages, boards, creator info and daily limits, and how targets are checked against them."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from socialapi import APIStatusError, BadRequestError, SocialAPI

from mockserver import MockServer
from mockserver.client import TenantHandle
from tests.conftest import ACCOUNTS, API_KEY, IMAGE, VIDEO, target

FB_PAGE = "sapi_page_01JGR4N5JJX9K1QQXV5SZ7VZSG"
FB_EVENTS_PAGE = "sapi_page_01JGR4PQ0D3M2B7ZK8F5X1W9TA"
BOARD = "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"


def create(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/v1/posts", json={"text": "Hello", **body})


def error_of(response: httpx.Response) -> tuple[int, str, str | None]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["meta"].get("field")


# -- pages ------------------------------------------------------------------------------------------


def test_pages_list_and_the_default_moves(sdk: SocialAPI, client: httpx.Client) -> None:
    pages = sdk.accounts.list_pages(ACCOUNTS["facebook"])
    assert [(p.id, p.is_default, p.is_active) for p in pages] == [(FB_PAGE, True, True), (FB_EVENTS_PAGE, False, False)]
    with pytest.raises(BadRequestError) as inactive:
        pages[1].update(is_default=True)
    assert inactive.value.code == "account.page_inactive"
    activated = pages[1].update(is_active=True)
    assert activated.is_active and not activated.is_default
    assert sdk.accounts.update_page(ACCOUNTS["facebook"], FB_EVENTS_PAGE, is_default=True).is_default
    assert [p.is_default for p in sdk.accounts.list_pages(ACCOUNTS["facebook"])] == [False, True]
    post = create(client, targets=[target("facebook")]).json()
    assert post["targets"][0]["page_id"] == FB_EVENTS_PAGE


def test_deactivating_a_page_emits_page_removed_and_fails_its_targets(server: MockServer, client: httpx.Client) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    scheduled = create(client, targets=[target("facebook")], scheduled_at="2026-01-01T12:00:00Z").json()
    assert scheduled["targets"][0]["page_id"] == FB_PAGE
    response = client.patch(f"/v1/accounts/{ACCOUNTS['facebook']}/pages/{FB_PAGE}", json={"is_active": False})
    assert response.json()["is_active"] is False and response.json()["is_default"] is False
    [removed] = [e["data"] for e in handle.events if e["event"] == "page.removed"]
    assert removed["platform_page_id"] == "104857600000001" and removed["platform"] == "facebook"
    handle.advance(to="2026-01-01T12:00:00Z")
    failed = client.get(f"/v1/posts/{scheduled['id']}").json()
    assert failed["status"] == "failed"
    assert failed["targets"][0]["error"]["code"] == "publishing.delivery.page_resolve_failed"
    # No active page is left: a new target without page_id is refused when created.
    assert error_of(create(client, targets=[target("facebook")])) == (
        400,
        "account.no_active_page",
        "targets[0].page_id",
    )
    handle.close()


@pytest.mark.parametrize(
    ("page_id", "code"),
    [(FB_EVENTS_PAGE, "account.page_inactive"), ("sapi_page_nope", "validation.field_invalid")],
)
def test_a_target_page_must_be_an_active_page_of_its_account(client: httpx.Client, page_id: str, code: str) -> None:
    response = create(client, targets=[target("facebook", page_id=page_id)])
    assert error_of(response) == (400, code, "targets[0].page_id")
    assert client.get("/v1/posts").json()["data"] == []


def test_pages_exist_for_facebook_linkedin_and_google_only(client: httpx.Client) -> None:
    for platform in ("linkedin", "google"):
        assert len(client.get(f"/v1/accounts/{ACCOUNTS[platform]}/pages").json()["data"]) == 1
    response = client.get(f"/v1/accounts/{ACCOUNTS['instagram']}/pages")
    assert error_of(response)[:2] == (400, "account.pages_not_supported")
    missing = client.patch(f"/v1/accounts/{ACCOUNTS['facebook']}/pages/sapi_page_nope", json={})
    assert missing.status_code == 404
    assert client.get("/v1/accounts/acc_nope/pages").json()["error"]["code"] == "account.not_found"


def test_page_name_shows_while_exactly_one_page_is_active(client: httpx.Client) -> None:
    def page_name() -> str | None:
        listed = {a["id"]: a for a in client.get("/v1/accounts").json()["data"]}
        return listed[ACCOUNTS["facebook"]].get("page_name")

    assert page_name() == "Acme Coffee Roasters"
    client.patch(f"/v1/accounts/{ACCOUNTS['facebook']}/pages/{FB_EVENTS_PAGE}", json={"is_active": True})
    assert page_name() is None


# -- boards -----------------------------------------------------------------------------------------


def test_pinterest_boards_and_board_checks(sdk: SocialAPI, client: httpx.Client) -> None:
    boards = sdk.accounts.list_boards(ACCOUNTS["pinterest"])
    assert (boards[0].id, boards[0].privacy, len(boards)) == (BOARD, "PUBLIC", 2)
    pin = {"media_ids": [IMAGE], "title": "Pin", "publish_now": True}
    assert create(client, targets=[target("pinterest", board_id=BOARD)], **pin).json()["status"] == "published"
    unknown = create(client, targets=[target("pinterest", board_id="sapi_board_nope")], **pin)
    assert error_of(unknown) == (400, "validation.field_invalid", "targets[0].board_id")
    missing = create(client, targets=[target("pinterest")], **pin)
    assert error_of(missing) == (400, "validation.board_id_required", "targets[0].board_id")
    both = create(client, targets=[target("pinterest", board_id=BOARD, page_id="sapi_board_other")], **pin)
    assert error_of(both)[:2] == (400, "validation.field_invalid")
    wrong = client.get(f"/v1/accounts/{ACCOUNTS['instagram']}/boards")
    assert error_of(wrong)[:2] == (400, "account.unsupported_platform")


# -- creator info -----------------------------------------------------------------------------------


def test_tiktok_creator_info_and_the_privacy_rule(sdk: SocialAPI, client: httpx.Client) -> None:
    info = sdk.accounts.get_creator_info(ACCOUNTS["tiktok"])
    assert info.platform == "tiktok" and info.can_post is True
    assert info.privacy_level_options == [
        "PUBLIC_TO_EVERYONE",
        "MUTUAL_FOLLOW_FRIENDS",
        "FOLLOWER_OF_CREATOR",
        "SELF_ONLY",
    ]
    assert info.interaction_settings is not None and info.interaction_settings.duet_disabled is False
    video = {"media_ids": [VIDEO], "publish_now": True}
    refused = create(client, targets=[target("tiktok", platform_data={"privacy_level": "FRIENDS_ONLY"})], **video)
    assert error_of(refused) == (400, "validation.field_invalid", "targets[0].platform_data.privacy_level")
    assert (
        "PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"
        in refused.json()["error"]["message"]
    )
    # The fixture creator offers FOLLOWER_OF_CREATOR too, as posts/tiktok lists it.
    followers = {"privacy_level": "FOLLOWER_OF_CREATOR"}
    assert create(client, targets=[target("tiktok", platform_data=followers)], media_ids=[VIDEO]).status_code == 201
    fine = create(client, targets=[target("tiktok", platform_data={"privacy_level": "SELF_ONLY"})], **video)
    assert fine.json()["status"] == "published"
    with pytest.raises(APIStatusError) as raised:
        sdk.accounts.get_creator_info(ACCOUNTS["instagram"])
    assert raised.value.status_code == 501 and raised.value.code == "resource.not_supported"


# -- limits -----------------------------------------------------------------------------------------


def test_instagram_allows_25_posts_a_day(sdk: SocialAPI, client: httpx.Client) -> None:
    assert sdk.accounts.get_limits(ACCOUNTS["instagram"]).limits == {"posts_remaining": 25}
    feed = {"media_ids": [IMAGE], "publish_now": True, "skip_duplicate_check": True}
    ig = target("instagram", platform_data={"content_type": "feed"})
    for _ in range(25):
        assert create(client, targets=[ig], **feed).status_code == 201
    assert sdk.accounts.get_limits(ACCOUNTS["instagram"]).limits == {"posts_remaining": 0}
    over = create(client, targets=[ig, target("facebook")], **feed)
    assert over.status_code == 207
    failed = {t["platform"]: t for t in over.json()["targets"]}["instagram"]
    assert failed["status"] == "failed" and failed["error"]["code"] == "platform.instagram.rate_limit"
    client.post("/_mock/clock/advance", json={"seconds": 86_400})
    assert sdk.accounts.get_limits(ACCOUNTS["instagram"]).limits == {"posts_remaining": 25}
    assert create(client, targets=[ig], **feed).json()["status"] == "published"


def test_a_tiktok_creator_at_the_daily_cap_can_not_post(client: httpx.Client) -> None:
    video = {"media_ids": [VIDEO], "publish_now": True, "skip_duplicate_check": True}
    tiktok = target("tiktok", platform_data={"privacy_level": "SELF_ONLY"})
    for _ in range(15):
        assert create(client, targets=[tiktok], **video).json()["status"] == "published"
    info = client.get(f"/v1/accounts/{ACCOUNTS['tiktok']}/creator-info").json()
    assert info["can_post"] is False and info["privacy_level_options"] == []
    refused = create(client, targets=[tiktok], **video)
    assert error_of(refused) == (400, "validation.field_invalid", "posting_limit")
    assert create(client, targets=[tiktok], media_ids=[VIDEO], skip_duplicate_check=True).status_code == 201  # a draft


def test_limits_of_platforms_without_a_ceiling_are_empty(sdk: SocialAPI, client: httpx.Client) -> None:
    assert sdk.accounts.get_limits(ACCOUNTS["youtube"]).limits == {}
    assert sdk.usage.get_account_limits(ACCOUNTS["threads"]).limits == {"posts_remaining": 250}
    client.post(f"/_mock/accounts/{ACCOUNTS['threads']}/expire", json={})
    response = client.get(f"/v1/accounts/{ACCOUNTS['threads']}/limits")
    assert error_of(response)[:2] == (403, "account.reconnection_required")


def test_the_async_sdk_reads_pages_creator_info_and_limits(server: MockServer) -> None:
    handle = TenantHandle.in_process(server, API_KEY)

    async def scenario() -> tuple[int, str | None, dict[str, int]]:
        api = handle.async_sdk()
        pages = await api.accounts.list_pages(ACCOUNTS["facebook"])
        updated = await pages[1].update(is_active=True)
        info = await api.accounts.get_creator_info(ACCOUNTS["tiktok"])
        limits = await api.accounts.get_limits(ACCOUNTS["instagram"])
        return len(pages) + int(bool(updated.is_active)), info.nickname, limits.limits

    assert asyncio.run(scenario()) == (3, "acme.coffee", {"posts_remaining": 25})
    handle.close()
