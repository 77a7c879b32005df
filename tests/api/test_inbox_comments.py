"""Comments through the official SDK: commented posts, threads addressed by platform_id, replies that
spend credits, hide, like, delete, private replies, and 501 where the platform cannot."""

from __future__ import annotations

import httpx
import pytest
from socialapi import SocialAPI
from socialapi._exceptions import BadRequestError, NotFoundError, NotSupportedError, RateLimitError

from tests.api.inbox_support import advance, comment_on, publish, quiet
from tests.conftest import ACCOUNTS

IG = ACCOUNTS["instagram"]
FB = ACCOUNTS["facebook"]


@pytest.fixture
def posts(client: httpx.Client) -> dict[str, str]:
    quiet(client)
    return publish(client, "instagram", "facebook", "twitter")


def test_the_sdk_lists_commented_posts_newest_comment_first(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    comment_on(client, posts["instagram"])
    advance(client, 60)
    comment_on(client, posts["facebook"])
    listed = sdk.comments.list_posts()
    assert [p.id for p in listed.data][:2] == [posts["facebook"], posts["instagram"]]
    assert listed.has_more is False and listed.next_cursor is None
    only = sdk.comments.list_posts(account_id=IG)
    assert [(p.platform, p.platform_id, p.account_id) for p in only.data] == [("instagram", posts["instagram"], IG)]
    assert sdk.comments.list_posts(platform="twitter").data[0].id == posts["twitter"]


def test_comments_carry_author_and_capabilities_and_are_addressed_by_platform_id(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    platform_id = comment_on(client, posts["instagram"], "Love it", author_name="Maya R.")
    (comment,) = sdk.comments.list(posts["instagram"], account_id=IG).data
    assert (comment.platform_id, comment.text, comment.author_name) == (platform_id, "Love it", "Maya R.")
    assert comment.author_id
    caps = comment.capabilities
    assert (caps.can_reply, caps.can_hide, caps.can_like, caps.can_delete, caps.can_private_reply) == (
        True,
        True,
        False,
        True,
        True,
    )
    twitter = comment_on(client, posts["twitter"])
    (tweet,) = sdk.comments.list(posts["twitter"], account_id=ACCOUNTS["twitter"]).data
    assert tweet.platform_id == twitter and not tweet.capabilities.can_hide


def test_a_threaded_reply_lists_under_its_comment_and_a_top_level_one_on_the_post(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    comment_on(client, posts["instagram"])
    (comment,) = sdk.comments.list(posts["instagram"], account_id=IG).data
    answer = comment.reply(text="It's in every shop")
    assert answer.success is True
    (reply,) = comment.list_replies().data
    assert (reply.platform_id, reply.parent_id, reply.is_owner) == (answer.comment_id, comment.platform_id, True)
    top = sdk.comments.list_posts(account_id=IG).data[0].reply(text="Thanks, everyone")
    listed = sdk.comments.list(posts["instagram"], account_id=IG).data
    assert [c.platform_id for c in listed] == [comment.platform_id, top.comment_id]
    assert listed[0].has_replies is True and listed[0].reply_count == 1


def test_hidden_and_deleted_comments_leave_the_lists(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    first = comment_on(client, posts["instagram"], "one")
    second = comment_on(client, posts["instagram"], "two")
    sdk.comments.hide(posts["instagram"], first, account_id=IG)
    assert [c.platform_id for c in sdk.comments.list(posts["instagram"], account_id=IG).data] == [second]
    sdk.comments.unhide(posts["instagram"], first, account_id=IG)
    assert [c.platform_id for c in sdk.comments.list(posts["instagram"], account_id=IG).data] == [first, second]
    sdk.comments.delete(posts["instagram"], second, account_id=IG)
    assert [c.platform_id for c in sdk.comments.list(posts["instagram"], account_id=IG).data] == [first]
    with pytest.raises(NotFoundError):
        sdk.comments.delete(posts["instagram"], second, account_id=IG)


def test_likes_toggle_on_facebook_and_are_not_supported_on_instagram(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    on_facebook = comment_on(client, posts["facebook"])
    sdk.comments.like(posts["facebook"], on_facebook, account_id=FB)
    (liked,) = sdk.comments.list(posts["facebook"], account_id=FB).data
    assert liked.like_count == 1
    assert client.get(f"/v1/inbox/comments/{posts['facebook']}", params={"account_id": FB}).json()["data"][0][
        "liked_by_viewer"
    ]
    sdk.comments.unlike(posts["facebook"], on_facebook, account_id=FB)
    assert sdk.comments.list(posts["facebook"], account_id=FB).data[0].like_count == 0
    on_instagram = comment_on(client, posts["instagram"])
    with pytest.raises(NotSupportedError):
        sdk.comments.like(posts["instagram"], on_instagram, account_id=IG)
    response = client.post(f"/v1/inbox/comments/{posts['instagram']}/{on_instagram}/like", json={"account_id": IG})
    assert (response.status_code, response.json()["error"]["code"]) == (501, "resource.not_supported")


def test_one_private_reply_per_comment_within_seven_days(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    first = comment_on(client, posts["instagram"])
    sdk.comments.private_reply(posts["instagram"], first, account_id=IG, text="Check your DMs")
    with pytest.raises(BadRequestError) as again:
        sdk.comments.private_reply(posts["instagram"], first, account_id=IG, text="Again")
    assert again.value.body["error"]["code"] == "platform.instagram.private_reply_ineligible"  # type: ignore[index]
    late = comment_on(client, posts["instagram"])
    advance(client, 7 * 86_400 + 1)
    response = client.post(
        f"/v1/inbox/comments/{posts['instagram']}/{late}/private-reply", json={"account_id": IG, "text": "Too late"}
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        400,
        "platform.instagram.private_reply_ineligible",
    )


def test_a_sapi_cmt_interaction_id_names_the_same_comment(
    client: httpx.Client, sdk: SocialAPI, posts: dict[str, str]
) -> None:
    comment_on(client, posts["instagram"])
    raw = client.get(f"/v1/inbox/comments/{posts['instagram']}", params={"account_id": IG}).json()["data"][0]
    assert raw["id"].startswith("sapi_cmt_")
    sdk.comments.hide(posts["instagram"], raw["id"], account_id=IG)
    assert sdk.comments.list(posts["instagram"], account_id=IG).data == []


def test_the_fifty_first_reply_of_a_free_month_is_refused_with_a_429(server: object) -> None:
    from mockserver import MockServer
    from mockserver.testing import sync_transport

    assert isinstance(server, MockServer)
    auth = {"Authorization": "Bearer sapi_key_free"}
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=auth) as free:
        quiet(free)
        post = publish(free, "facebook")["facebook"]
        sdk = SocialAPI(api_key="sapi_key_free", base_url="http://mock", max_retries=0, http_client=free)
        for n in range(50):
            sdk.comments.reply(post, account_id=FB, text=f"reply {n}")
        with pytest.raises(RateLimitError):
            sdk.comments.reply(post, account_id=FB, text="one too many")
        refused = free.post(f"/v1/inbox/comments/{post}", json={"account_id": FB, "text": "again"})
        assert refused.json()["error"]["code"] == "billing.interaction_limit"
        assert refused.headers["X-Interactions-Remaining"] == "0"
        assert len(sdk.comments.list(post, account_id=FB, limit=100).data) == 50


def test_bad_requests_are_4xx_in_the_envelope(client: httpx.Client, posts: dict[str, str]) -> None:
    on_post = f"/v1/inbox/comments/{posts['instagram']}"
    cases = [
        ("GET", on_post, {}, None, 400),
        ("GET", "/v1/inbox/comments/nope", {"account_id": IG}, None, 404),
        ("GET", f"/v1/inbox/comments/{posts['instagram']}", {"account_id": "acc_nope"}, None, 404),
        ("GET", f"/v1/inbox/comments/{posts['instagram']}", {"account_id": IG, "cursor": "bogus"}, None, 400),
        ("POST", f"/v1/inbox/comments/{posts['instagram']}", {}, {"account_id": IG, "text": ""}, 400),
        ("POST", on_post, {}, {"account_id": IG, "text": "x", "comment_id": "9"}, 404),
        ("GET", "/v1/inbox/comments", {"limit": "0"}, None, 400),
        ("GET", "/v1/inbox/comments/p/1", {"account_id": ACCOUNTS["tiktok"]}, None, 405),
    ]
    for method, path, params, body, status in cases:
        response = client.request(method, path, params=params, json=body)
        assert response.status_code == status, (method, path, response.text)
        if status != 405:
            assert set(response.json()) == {"error", "request_id"}
    tiktok = client.get("/v1/inbox/comments/123", params={"account_id": ACCOUNTS["tiktok"]})
    assert (tiktok.status_code, tiktok.json()["error"]["code"]) == (501, "resource.not_supported")
