"""The schema corrections of the later documents (docs 2026-10-02, section "Posts: schema changes"),
which hold in every generation: an optional post text, Bluesky publishing, Pinterest's misplaced
board, Instagram's unlisted ``platform_data`` keys, a feed video published as a Reel, a story's
caption, and the status of an unpublished target."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver.api.shapes.posts import TargetPlatformName
from tests.conftest import ACCOUNTS, IMAGE, VIDEO, target


def connect_bluesky(client: httpx.Client) -> str:
    body = {
        "platform": "bluesky",
        "metadata": {"identifier": "acme.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"},
    }
    response = client.post("/v1/accounts/connect", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["account_id"])


def warnings_header(response: httpx.Response) -> str:
    return response.headers.get("x-mock-warnings", "")


# -- text may be omitted when every target brings its own body ------------------------------------------


def test_text_may_be_omitted_when_every_target_has_its_own(client: httpx.Client) -> None:
    targets = [target("linkedin", text="For LinkedIn"), target("threads", text="For Threads")]
    response = client.post("/v1/posts", json={"targets": targets, "publish_now": True})
    assert response.status_code == 201, response.text
    assert [t["text"] for t in response.json()["targets"]] == ["For LinkedIn", "For Threads"]


def test_pinterest_description_is_a_body_of_its_own(client: httpx.Client) -> None:
    pin = target("pinterest", board_id="sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC", platform_data={"description": "A pin"})
    response = client.post("/v1/posts", json={"targets": [pin], "media_ids": [IMAGE]})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"targets": [target("linkedin", text="own"), target("threads")]},
        {"targets": []},
        {},
    ],
    ids=["one-target-without-a-body", "no-targets", "empty"],
)
def test_text_is_required_when_a_target_lacks_a_body(client: httpx.Client, body: dict[str, Any]) -> None:
    """Open point (the docs give no code): 400 validation.field_required on ``text``."""
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == ("validation.field_required", "text")
    assert "every target supplies its own body" in error["message"]


# -- Bluesky publishing --------------------------------------------------------------------------------


def test_bluesky_publishes_and_deletes(client: httpx.Client, sdk: SocialAPI) -> None:
    account = connect_bluesky(client)
    post = sdk.publishing.create(text="Hello from the mock", targets=[{"account_id": account}], publish_now=True)
    live = (post.targets or [])[0]
    assert (post.status, live.platform, live.status) == ("published", "bluesky", "published")
    assert (live.platform_post_id or "").startswith("at://did:plc:")
    assert (live.permalink or "").startswith("https://bsky.app/profile/acme.bsky.social/post/")
    assert sdk.posts.delete(post.id).deleted is True


def test_bluesky_text_over_300_characters_is_refused(client: httpx.Client) -> None:
    account = connect_bluesky(client)
    response = client.post("/v1/posts", json={"text": "x" * 301, "targets": [{"account_id": account}]})
    assert response.status_code == 400
    assert response.json()["error"]["meta"]["field"] == "text"


def test_target_platform_enum_is_the_later_documents_twelve() -> None:
    assert set(TargetPlatformName.__args__) == {
        "instagram", "facebook", "threads", "tiktok", "linkedin", "google", "zalo",
        "youtube", "twitter", "bluesky", "whatsapp", "pinterest",
    }  # fmt: skip


# -- Pinterest: board_id inside platform_data -----------------------------------------------------------


def test_board_id_inside_platform_data_is_refused_use_board_id(client: httpx.Client) -> None:
    pin = target("pinterest", platform_data={"board_id": "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"})
    response = client.post("/v1/posts", json={"text": "Pin", "targets": [pin], "media_ids": [IMAGE]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation.use_board_id"
    assert error["meta"]["field"] == "targets[0].platform_data.board_id"


# -- Instagram: unlisted keys, a feed video, a story's caption --------------------------------------------


def test_unlisted_instagram_keys_are_warned_about_on_validate_create_and_edit(client: httpx.Client) -> None:
    data = {"content_type": "feed", "product_tags": ["x"], "share_to_feed": True, "alt_text": "a cup"}
    body = {"text": "Hi", "targets": [target("instagram", platform_data=data)], "media_ids": [IMAGE]}
    checked = client.post("/v1/posts/validate", json=body).json()
    assert checked["valid"] is True
    fields = {w["field"]: w["message"] for w in checked["warnings"]}
    assert "not an Instagram publish option" in fields["targets[0].platform_data.product_tags"]
    assert "does not apply to feed posts" in fields["targets[0].platform_data.share_to_feed"]
    assert "targets[0].platform_data.alt_text" not in fields
    created = client.post("/v1/posts", json=body)
    assert created.status_code == 201
    assert "platform_data.instagram.product_tags" in warnings_header(created)
    assert "platform_data.instagram.share_to_feed" in warnings_header(created)
    edited = client.patch(f"/v1/posts/{created.json()['id']}", json={"text": "Hi again"})
    assert edited.status_code == 200
    assert "platform_data.instagram.product_tags" in warnings_header(edited)


def test_a_listed_key_gets_no_warning(client: httpx.Client) -> None:
    data = {"content_type": "feed", "alt_text": "a cup", "location_id": "110506962309835"}
    body = {"text": "Hi", "targets": [target("instagram", platform_data=data)], "media_ids": [IMAGE]}
    created = client.post("/v1/posts", json=body)
    assert created.status_code == 201
    assert "x-mock-warnings" not in created.headers


def test_an_instagram_video_sent_as_feed_is_published_as_a_reel(client: httpx.Client) -> None:
    body = {
        "text": "A clip",
        "publish_now": True,
        "targets": [target("instagram", platform_data={"content_type": "feed"})],
        "media_ids": [VIDEO],
    }
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["targets"][0]["media_type"] == "reel"
    assert "published as a Reel" in warnings_header(response)
    assert client.get(f"/v1/posts/{response.json()['id']}").json()["targets"][0]["media_type"] == "reel"


def test_an_instagram_story_with_a_caption_is_warned_that_the_caption_is_dropped(client: httpx.Client) -> None:
    body = {"text": "Caption", "targets": [target("instagram", platform_data={"content_type": "stories"})]}
    body["media_ids"] = [IMAGE]
    checked = client.post("/v1/posts/validate", json=body).json()
    assert checked["valid"] is True
    assert [w["field"] for w in checked["warnings"]] == ["text"]
    assert "stories take no caption" in checked["warnings"][0]["message"]
    response = client.post("/v1/posts", json={**body, "publish_now": True})
    assert response.status_code == 201
    assert response.json()["targets"][0]["media_type"] == "stories"
    assert "stories take no caption" in warnings_header(response)


# -- an unpublished target's status ------------------------------------------------------------------------


def test_an_unpublished_target_is_failed_a_value_of_the_documented_enum(client: httpx.Client, sdk: SocialAPI) -> None:
    """Open point (the docs do not say): ``failed``, terminal, with an error naming the unpublish."""
    body = {"text": "Live", "publish_now": True, "targets": [target("linkedin"), target("threads")]}
    post = client.post("/v1/posts", json=body).json()
    sdk.posts.unpublish(post["id"], account_id=ACCOUNTS["linkedin"])
    after = sdk.posts.get(post["id"])
    states = {t.platform: t.status for t in after.targets or []}
    assert states == {"linkedin": "failed", "threads": "published"}
    assert set(states.values()) <= {"pending", "publishing", "published", "failed"}
    error = (after.targets or [])[0].error
    assert error is not None and error.message.startswith("unpublished from LinkedIn")
    with pytest.raises(socialapi.APIStatusError):
        sdk.posts.unpublish(post["id"], account_id=ACCOUNTS["linkedin"])


def test_the_sdk_sends_media_through_its_targets_as_the_readme_shows(sdk: SocialAPI, client: httpx.Client) -> None:
    media = [{"source_type": "url", "source": "https://cdn.example.com/roast.jpg", "type": "image"}]
    post = sdk.publishing.create(
        text="Fresh roast today", targets=[{"account_id": ACCOUNTS["linkedin"], "media": media}]
    )
    # SDK 0.4's PostTarget has no media attribute; the post holds it.
    assert client.get(f"/v1/posts/{post.id}").json()["targets"][0]["media"] == media
