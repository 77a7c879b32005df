"""POST/GET /v1/posts and /publish through the official SDK and raw HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from tests.conftest import ACCOUNTS, API_KEY, IMAGE, RECONNECT_ACCOUNT, VIDEO, target


def test_sdk_creates_a_draft_by_default(sdk: SocialAPI) -> None:
    post = sdk.publishing.create(text="Fresh beans", targets=[target("linkedin"), target("twitter")])
    assert post.status == "draft"
    assert post.id.startswith("p_") and len(post.id) == 28
    assert [t.status for t in post.targets or []] == ["pending", "pending"]
    assert post.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert sdk.usage.get().posts_used == 0


def test_sdk_publish_now_delivers_every_target(sdk: SocialAPI) -> None:
    post = sdk.publishing.create(
        text="Live now",
        publish_now=True,
        targets=[
            target("linkedin"),
            target("facebook"),
            target("twitter"),
            target("instagram", platform_data={"content_type": "feed"}),
        ],
        media_ids=[IMAGE],
    )
    assert post.status == "published"
    by_platform = {t.platform: t for t in post.targets or []}
    assert by_platform["linkedin"].platform_post_id.startswith("urn:li:share:")  # type: ignore[union-attr]
    page, _, rest = by_platform["facebook"].platform_post_id.partition("_")  # type: ignore[union-attr]
    assert page.isdigit() and rest.isdigit()
    assert by_platform["twitter"].platform_post_id.isdigit()  # type: ignore[union-attr]
    assert by_platform["instagram"].platform_post_id.isdigit()  # type: ignore[union-attr]
    assert by_platform["twitter"].permalink.startswith("https://x.com/acme_coffee/status/")  # type: ignore[union-attr]
    assert all(t.published_at == datetime(2026, 1, 1, tzinfo=UTC) for t in post.targets or [])
    assert sdk.usage.get().posts_used == 1


def test_sdk_schedules_and_the_clock_fires_it(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(
        text="Tomorrow", scheduled_at=datetime(2026, 1, 2, 9, tzinfo=UTC), targets=[target("linkedin")]
    )
    assert post.status == "scheduled"
    assert sdk.posts.get(post.id).status == "scheduled"
    early = client.post("/_mock/clock/advance", json={"to": "2026-01-02T08:59:59Z"}).json()
    assert early["fired"] == []
    assert sdk.posts.get(post.id).status == "scheduled"
    fired = client.post("/_mock/clock/advance", json={"seconds": 3600}).json()
    assert fired == {"now": "2026-01-02T09:59:59Z", "fired": [{"post_id": post.id, "status": "published"}]}
    published = sdk.posts.get(post.id)
    assert published.status == "published"
    # Delivered at its own scheduled instant, not at the end of the step.
    assert published.published_at == datetime(2026, 1, 2, 9, tzinfo=UTC)
    assert sdk.usage.get().posts_used == 1


def test_posts_fire_in_scheduled_order_each_at_its_instant(client: httpx.Client) -> None:
    ids = []
    for hour in (12, 10, 11):
        body = {"text": f"at {hour}", "scheduled_at": f"2026-01-01T{hour}:00:00Z", "targets": [target("threads")]}
        ids.append((hour, client.post("/v1/posts", json=body).json()["id"]))
    fired = client.post("/_mock/clock/advance", json={"to": "2026-01-02T00:00:00Z"}).json()["fired"]
    assert [f["post_id"] for f in fired] == [pid for _, pid in sorted(ids)]
    for hour, pid in ids:
        assert client.get(f"/v1/posts/{pid}").json()["published_at"] == f"2026-01-01T{hour}:00:00Z"


def test_target_scheduled_at_overrides_the_post(client: httpx.Client) -> None:
    body = {
        "text": "staggered",
        "scheduled_at": "2026-01-01T10:00:00Z",
        "targets": [target("linkedin"), target("twitter", scheduled_at="2026-01-01T12:00:00Z")],
    }
    pid = client.post("/v1/posts", json=body).json()["id"]
    client.post("/_mock/clock/advance", json={"to": "2026-01-01T11:00:00Z"})
    post = client.get(f"/v1/posts/{pid}").json()
    assert [t["status"] for t in post["targets"]] == ["published", "pending"]
    client.post("/_mock/clock/advance", json={"to": "2026-01-01T12:00:00Z"})
    post = client.get(f"/v1/posts/{pid}").json()
    assert post["status"] == "published"
    assert [t["published_at"] for t in post["targets"]] == ["2026-01-01T10:00:00Z", "2026-01-01T12:00:00Z"]


def test_publish_endpoint_publishes_a_draft_and_refuses_twice(client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "draft", "targets": [target("linkedin")]}).json()["id"]
    published = client.post(f"/v1/posts/{pid}/publish")
    assert published.status_code == 201
    assert published.json()["status"] == "published"
    again = client.post(f"/v1/posts/{pid}/publish")
    assert again.status_code == 400  # 2026-06-22; 409 in 2026-08-22 (tests/api/test_api_versions.py)
    assert again.json()["error"]["code"] == "post.state_invalid"


def test_publish_of_a_scheduled_post_costs_no_second_credit(client: httpx.Client) -> None:
    body = {"text": "soon", "scheduled_at": "2026-01-05T00:00:00Z", "targets": [target("linkedin")]}
    pid = client.post("/v1/posts", json=body).json()["id"]
    assert client.post(f"/v1/posts/{pid}/publish").status_code == 201
    assert client.get("/v1/usage").json()["posts_used"] == 1
    assert client.post("/_mock/clock/advance", json={"to": "2026-01-06T00:00:00Z"}).json()["fired"] == []


def test_segments_become_a_thread_on_x_and_threads(client: httpx.Client) -> None:
    body = {
        "text": "1/3",
        "segments": [{"text": "2/3"}, {"text": "3/3"}],
        "publish_now": True,
        "targets": [target("twitter"), target("threads"), target("linkedin")],
    }
    post = client.post("/v1/posts", json=body).json()
    metas = {t["platform"]: t.get("metadata") for t in post["targets"]}
    assert len(metas["twitter"]["thread_post_ids"]) == 2
    assert len(metas["threads"]["thread_post_ids"]) == 2
    assert metas["linkedin"] is None


def test_platform_data_is_folded_and_the_target_wins(client: httpx.Client) -> None:
    body = {
        "text": "reel",
        "publish_now": True,
        "media_ids": [VIDEO],
        "platform_data": {"instagram": {"content_type": "feed", "share_to_feed": True}},
        "targets": [target("instagram", platform_data={"content_type": "reel"})],
    }
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 201
    assert response.json()["targets"][0]["media_type"] == "reel"


def test_unknown_fields_are_ignored(client: httpx.Client) -> None:
    body = {
        "text": "hi",
        "media_url": "https://example.com/x.jpg",
        "targets": [{"account_id": ACCOUNTS["linkedin"], "platform": "x"}],
    }
    assert client.post("/v1/posts", json=body).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({}, 400, "validation.field_required", "text"),
        ({"text": 5}, 400, "validation.field_invalid", "text"),
        ({"text": "x", "publish_now": True}, 400, "validation.field_required", "targets"),
        ({"text": "x", "targets": [{}]}, 400, "validation.field_required", "targets[0].account_id"),
        ({"text": "x", "visibility": "friends"}, 400, "validation.field_invalid", "visibility"),
        (
            {"text": "x", "scheduled_at": "tomorrow", "targets": [target("linkedin")]},
            400,
            "validation.field_invalid",
            "scheduled_at",
        ),
        (
            {"text": "x", "scheduled_at": "0001-01-01T00:00:00+01:00", "targets": [target("linkedin")]},
            400,
            "validation.field_invalid",
            "scheduled_at",
        ),
        (
            {"text": "x", "scheduled_at": "2025-12-31T00:00:00Z", "targets": [target("linkedin")]},
            400,
            "validation.field_invalid",
            "scheduled_at",
        ),
        (
            {"text": "x", "scheduled_at": "2026-01-02T00:00:00", "targets": [target("linkedin")]},
            400,
            "validation.field_invalid",
            "scheduled_at",
        ),
        ({"text": "x", "targets": [{"account_id": "acc_nope"}]}, 404, "account.not_found", "targets[0].account_id"),
        ({"text": "x", "media_ids": ["med_nope"]}, 404, "media.not_found", "media_ids"),
        (
            {"text": "x", "targets": [{"account_id": RECONNECT_ACCOUNT}]},
            403,
            "account.reconnection_required",
            "targets[0].account_id",
        ),
        (
            {"text": "x" * 281, "publish_now": True, "targets": [target("twitter")]},
            400,
            "validation.field_invalid",
            "text",
        ),
        (
            {"text": "x", "publish_now": True, "targets": [target("twitter", text="y" * 281)]},
            400,
            "validation.field_invalid",
            "targets[0].text",
        ),
        ({"text": "x" * 501, "targets": [target("threads")]}, 400, "validation.field_invalid", "text"),
        (
            {"text": "x", "publish_now": True, "targets": [target("instagram")]},
            400,
            "validation.field_required",
            "targets[0].platform_data.content_type",
        ),
        (
            {"text": "x", "publish_now": True, "targets": [target("instagram", platform_data={"content_type": "x"})]},
            400,
            "validation.field_invalid",
            "targets[0].platform_data.content_type",
        ),
        (
            {
                "text": "x",
                "publish_now": True,
                "targets": [target("tiktok", platform_data={"privacy_level": "SELF_ONLY"})],
            },
            400,
            "platform.tiktok.media_required",
            "media",
        ),
        (
            {"text": "x", "publish_now": True, "media_ids": [VIDEO], "targets": [target("tiktok")]},
            400,
            "validation.field_required",
            "targets[0].platform_data.privacy_level",
        ),
        (
            {"text": "x", "publish_now": True, "media_ids": [VIDEO], "targets": [target("youtube")]},
            400,
            "validation.field_required",
            "title",
        ),
        (
            {"text": "x", "title": "t" * 101, "media_ids": [VIDEO], "targets": [target("youtube")]},
            400,
            "validation.field_invalid",
            "title",
        ),
        (
            {"text": "x", "title": "t", "publish_now": True, "media_ids": [IMAGE], "targets": [target("youtube")]},
            400,
            "validation.field_invalid",
            "media_ids",
        ),
        (
            {"text": "x", "targets": [target("linkedin"), target("linkedin")]},
            400,
            "validation.field_invalid",
            "targets[1].account_id",
        ),
        (
            {"text": "x", "publish_now": True, "segments": [{"text": "s" * 281}], "targets": [target("twitter")]},
            400,
            "validation.field_invalid",
            "segments[0].text",
        ),
    ],
)
def test_bad_creates_are_refused_with_the_field_and_store_nothing(
    client: httpx.Client, body: dict[str, object], status: int, code: str, field: str
) -> None:
    response = client.post("/v1/posts", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == (code, field)
    assert response.json()["request_id"] == response.headers["x-request-id"]
    assert client.get("/v1/posts").json()["data"] == []
    assert client.get("/v1/usage").json()["posts_used"] == 0


def test_tiktok_counts_utf16_units(client: httpx.Client) -> None:
    emoji_caption = "\U0001f600" * 1100  # 2200 UTF-16 units: at the limit
    ok = {"text": emoji_caption, "targets": [target("tiktok")]}
    assert client.post("/v1/posts", json=ok).status_code == 201
    over = {"text": emoji_caption + "x", "targets": [target("tiktok")]}
    assert client.post("/v1/posts", json=over).json()["error"]["meta"]["field"] == "text"


def test_skip_validation_lets_the_platform_refuse_at_delivery(client: httpx.Client) -> None:
    body = {"text": "no video", "publish_now": True, "skip_validation": True, "targets": [target("tiktok")]}
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 422
    error = response.json()["targets"][0]["error"]
    assert error["code"] == "platform.tiktok.media_required"
    assert error["category"] == "validation"


def test_first_comment_and_segments_are_ignored_where_unsupported(client: httpx.Client) -> None:
    body = {
        "text": "x",
        "first_comment": "c",
        "segments": [{"text": "s"}],
        "publish_now": True,
        "targets": [target("tiktok", platform_data={"privacy_level": "SELF_ONLY"}, media_ids=[VIDEO])],
    }
    assert client.post("/v1/posts", json=body).status_code == 201


def test_reposting_the_same_text_is_accepted_by_default(client: httpx.Client) -> None:
    body = {"text": "same", "targets": [target("linkedin")]}
    assert client.post("/v1/posts", json=body).status_code == 201
    assert client.post("/v1/posts", json=body).status_code == 201


def test_the_sdk_reposts_the_same_text_in_one_request_each(client: httpx.Client) -> None:
    # The SDK retries every 409 twice; with no invented 409 a repost is one request, as upstream.
    sdk = SocialAPI(api_key=API_KEY, base_url="http://mock", http_client=client)
    for _ in range(2):
        assert sdk.publishing.create(text="weekly digest", targets=[target("linkedin")]).status == "draft"
    assert [e["status"] for e in client.get("/_mock/requests").json()["data"]] == [201, 201]


@pytest.mark.parametrize("opt_in", ["tenant setting", "scenario"])
def test_duplicate_content_within_24h_is_refused_once_opted_in(client: httpx.Client, opt_in: str) -> None:
    if opt_in == "scenario":
        client.put("/_mock/scenarios", json={"name": "duplicate-content"})
    else:
        assert client.patch("/_mock/tenant", json={"duplicate_check": True}).json()["duplicate_check"] is True
    body = {"text": "same", "targets": [target("linkedin")]}
    first = client.post("/v1/posts", json=body).json()["id"]
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "post.duplicate_content",
        "message": "a post with the same text and accounts was created in the last 24 hours",
        "meta": {"duplicate_of": first},
    }
    assert client.post("/v1/posts", json={**body, "skip_duplicate_check": True}).status_code == 201
    assert client.post("/v1/posts", json={**body, "targets": [target("twitter")]}).status_code == 201
    client.post("/_mock/clock/advance", json={"seconds": 86_400})
    assert client.post("/v1/posts", json=body).status_code == 201


def test_free_plan_without_credit_gets_429_and_nothing_is_stored(client: httpx.Client) -> None:
    assert client.patch("/_mock/tenant", json={"plan": "free", "posts_limit": 1}).status_code == 200
    first = client.post("/v1/posts", json={"text": "a", "publish_now": True, "targets": [target("linkedin")]})
    assert first.status_code == 201
    assert (first.headers["x-posts-limit"], first.headers["x-posts-remaining"]) == ("1", "0")
    response = client.post("/v1/posts", json={"text": "b", "publish_now": True, "targets": [target("linkedin")]})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "billing.post_limit"
    assert response.json()["error"]["message"] == "not enough post credits: need 1, have 0 remaining"
    assert (response.headers["x-posts-limit"], response.headers["x-posts-remaining"]) == ("1", "0")
    assert len(client.get("/v1/posts").json()["data"]) == 1
    # Drafts stay free.
    assert client.post("/v1/posts", json={"text": "c", "targets": [target("linkedin")]}).status_code == 201


def test_named_free_tenant_from_fixtures(server: object) -> None:
    from mockserver import MockServer
    from mockserver.testing import sync_transport

    assert isinstance(server, MockServer)
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as http:
        sdk = SocialAPI(api_key="sapi_key_free_exhausted", base_url="http://mock", max_retries=0, http_client=http)
        usage = sdk.usage.get()
        assert (usage.posts_limit, usage.posts_used) == (10, 10)
        with pytest.raises(socialapi.RateLimitError):
            sdk.publishing.create(text="x", publish_now=True, targets=[target("linkedin")])


def test_sdk_reads_usage(sdk: SocialAPI) -> None:
    usage = sdk.usage.get()
    assert usage.posts_limit == -1
    assert usage.period_start == datetime(2026, 1, 1, tzinfo=UTC)
    assert usage.period_end == datetime(2026, 2, 1, tzinfo=UTC)


def test_sdk_lists_accounts_with_their_status(sdk: SocialAPI) -> None:
    accounts = sdk.accounts.list().data
    assert {a.platform for a in accounts} == set(ACCOUNTS)
    stale = [a for a in accounts if a.status == "reconnect_required"]
    assert [a.id for a in stale] == [RECONNECT_ACCOUNT]
    assert stale[0].reconnect_reason


def test_sdk_get_of_an_unknown_post_raises_not_found(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.NotFoundError) as caught:
        sdk.posts.get("p_01KDVDNA00N2JG97Q9T8K979YF")
    assert caught.value.code == "post.not_found"
