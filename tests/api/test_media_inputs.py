"""The ``media`` array (docs 2026-08-22) on create, targets, segments, PATCH and validate, and the
per-platform media rules whichever way media arrives: raw HTTP as a TypeScript app sends it, the
SDK for ``media_ids``, hypothesis for arrays nobody thought of."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socialapi import SocialAPI

from tests.conftest import ACCOUNTS, IMAGE, IMAGE_2, PNG, VIDEO, target

IMAGE_URL = "https://cdn.example.com/launch/latte.jpg"
VIDEO_URL = "https://cdn.example.com/launch/pour-over.mp4"

# What each platform needs besides its media to publish.
EXTRA: dict[str, dict[str, Any]] = {
    "instagram": {"platform_data": {"content_type": "feed"}},
    "tiktok": {"platform_data": {"privacy_level": "PUBLIC_TO_EVERYONE"}},
    "youtube": {"title": "Launch"},
    "pinterest": {"board_id": "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"},
}
NEEDS_VIDEO = {"tiktok", "youtube"}


def media_item(kind: str, way: str) -> dict[str, Any]:
    if way == "url":
        return {"source_type": "url", "source": VIDEO_URL if kind == "video" else IMAGE_URL, "type": kind}
    return {"source_type": "media_id", "source": VIDEO if kind == "video" else IMAGE}


def body_for(platform: str, way: str, kind: str) -> dict[str, Any]:
    """A publish_now body for ``platform`` with one ``kind`` item given ``way``."""
    spec = target(platform, **EXTRA.get(platform, {}))
    body: dict[str, Any] = {"text": "Launch day", "publish_now": True, "targets": [spec]}
    if way == "media url":
        body["media"] = [media_item(kind, "url")]
    elif way == "media media_id":
        body["media"] = [media_item(kind, "media_id")]
    elif way == "media_ids":
        body["media_ids"] = [VIDEO if kind == "video" else IMAGE]
    else:  # per target
        spec["media"] = [media_item(kind, "url")]
    return body


def stored(client: httpx.Client) -> tuple[list[Any], int]:
    return client.get("/v1/posts", params={"limit": 100}).json()["data"], client.get("/v1/usage").json()["posts_used"]


WAYS = ["media url", "media media_id", "media_ids", "per target"]
PLATFORMS = list(ACCOUNTS)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_platform_publishes_its_media_given_each_way(client: httpx.Client, platform: str, way: str) -> None:
    kind = "video" if platform in NEEDS_VIDEO else "image"
    response = client.post("/v1/posts", json=body_for(platform, way, kind))
    assert response.status_code == 201, response.json()
    post = response.json()
    assert post["status"] == "published"
    media = post["media"] if way != "per target" else post["targets"][0]["media"]
    assert [m["type"] for m in media] == [kind]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("platform", "kind", "code"),
    [
        ("youtube", "image", "validation.field_invalid"),
        ("tiktok", "image", "validation.media_type_mismatch"),
        ("pinterest", "video", "validation.field_required"),
        ("google", "video", "validation.field_invalid"),
    ],
)
def test_media_a_platform_refuses_is_a_400_whichever_way_it_came(
    client: httpx.Client, platform: str, kind: str, code: str, way: str
) -> None:
    response = client.post("/v1/posts", json=body_for(platform, way, kind))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    own = "targets[0]." if way == "per target" else ""
    assert error["meta"]["field"] == own + ("media_ids" if way == "media_ids" else "media")
    assert stored(client) == ([], 0)


@pytest.mark.parametrize("when", ["publish_now", "scheduled_at"])
def test_an_instagram_post_without_media_is_refused_when_publishing_or_scheduling(
    client: httpx.Client, when: str
) -> None:
    body: dict[str, Any] = {"text": "caption only", "targets": [target("instagram", **EXTRA["instagram"])]}
    body.update({"publish_now": True} if when == "publish_now" else {"scheduled_at": "2026-01-02T09:00:00Z"})
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == ("validation.field_required", "media")
    assert "Instagram" in error["message"]
    assert stored(client) == ([], 0)


def test_an_instagram_draft_without_media_is_fine_but_cannot_be_published(client: httpx.Client) -> None:
    draft = client.post("/v1/posts", json={"text": "later", "targets": [target("instagram", **EXTRA["instagram"])]})
    assert draft.status_code == 201
    refused = client.post(f"/v1/posts/{draft.json()['id']}/publish")
    assert (refused.status_code, refused.json()["error"]["meta"]["field"]) == (400, "media")
    assert client.get(f"/v1/posts/{draft.json()['id']}").json()["status"] == "draft"


def test_with_skip_validation_the_text_only_instagram_target_fails_at_delivery(client: httpx.Client) -> None:
    body = {
        "text": "caption only",
        "publish_now": True,
        "skip_validation": True,
        "targets": [target("instagram", **EXTRA["instagram"]), target("linkedin")],
    }
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 207
    instagram = response.json()["targets"][0]
    assert (instagram["status"], instagram["error"]["code"]) == ("failed", "validation.field_required")


@pytest.mark.parametrize(
    ("content_type", "items", "status"),
    [("carousel", [IMAGE], 400), ("carousel", [IMAGE, IMAGE_2], 201), ("reel", [VIDEO], 201), ("stories", [], 400)],
)
def test_instagram_formats_need_their_number_of_items(
    client: httpx.Client, content_type: str, items: list[str], status: int
) -> None:
    spec = target("instagram", platform_data={"content_type": content_type})
    body = {"text": "ig", "publish_now": True, "media_ids": items, "targets": [spec]}
    assert client.post("/v1/posts", json=body).status_code == status


def test_tiktok_takes_one_video_or_a_set_of_photos(client: httpx.Client) -> None:
    spec = target("tiktok", **EXTRA["tiktok"])
    photos = [{"source_type": "url", "source": f"https://cdn.example.com/{n}.jpg"} for n in range(3)]
    assert (
        client.post("/v1/posts", json={"text": "t", "publish_now": True, "media": photos, "targets": [spec]}).json()[
            "status"
        ]
        == "published"
    )
    mixed = [*photos[:1], media_item("video", "url")]
    refused = client.post("/v1/posts", json={"text": "t", "publish_now": True, "media": mixed, "targets": [spec]})
    assert refused.status_code == 400
    png = client.post(
        "/v1/posts", json={"text": "t", "publish_now": True, "media_ids": [PNG, IMAGE], "targets": [spec]}
    )
    assert png.json()["error"]["code"] == "validation.unsupported_photo_format"
    none = client.post("/v1/posts", json={"text": "t", "publish_now": True, "targets": [spec]})
    assert none.json()["error"]["code"] == "platform.tiktok.media_required"


def test_media_wins_over_media_ids_and_media_ids_lists_only_library_items(client: httpx.Client) -> None:
    body = {
        "text": "both",
        "media_ids": [IMAGE_2],
        "media": [{"source_type": "url", "source": IMAGE_URL}, {"source_type": "media_id", "source": IMAGE}],
        "targets": [target("linkedin")],
    }
    post = client.post("/v1/posts", json=body).json()
    assert post["media_ids"] == [IMAGE]
    assert post["media"] == [
        {"source_type": "url", "source": IMAGE_URL, "type": "image"},
        {"source_type": "media_id", "source": IMAGE, "type": "image"},
    ]
    assert client.get(f"/v1/posts/{post['id']}").json()["media"] == post["media"]


def test_media_ids_alone_are_echoed_as_media_too(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="sdk", media_ids=[VIDEO], targets=[{"account_id": ACCOUNTS["linkedin"]}])
    assert post.media_ids == [VIDEO]
    raw = client.get(f"/v1/posts/{post.id}").json()
    assert raw["media"] == [{"source_type": "media_id", "source": VIDEO, "type": "video"}]


@pytest.mark.parametrize(
    ("media", "status", "code", "field"),
    [
        (["m_1"], 400, "validation.field_invalid", "media[0]"),
        ([{"source_type": "url"}], 400, "validation.field_required", "media[0].source"),
        (
            [{"source_type": "url", "source": IMAGE_URL, "type": "gif"}],
            400,
            "validation.field_invalid",
            "media[0].type",
        ),
        ([{"source_type": "ftp", "source": "x"}], 400, "validation.field_invalid", "media[0].source_type"),
        ("m_1", 400, "validation.field_invalid", "media"),
        (
            [{"source_type": "url", "source": "ftp://cdn.example.com/a.jpg"}],
            400,
            "validation.field_invalid",
            "media[0].source",
        ),
        (
            [{"source_type": "url", "source": "http://127.0.0.1/a.jpg"}],
            400,
            "validation.field_invalid",
            "media[0].source",
        ),
        (
            [{"source_type": "url", "source": "https://cdn.example.com/blob"}],
            400,
            "validation.field_required",
            "media[0].type",
        ),
        ([{"source_type": "media_id", "source": "med_nope"}], 404, "media.not_found", "media[0].source"),
        (
            [{"source_type": "media_id", "source": IMAGE, "type": "video"}],
            400,
            "validation.field_invalid",
            "media[0].type",
        ),
        (
            [{"source_type": "platform_attachment_id", "source": "att_1"}],
            400,
            "validation.field_required",
            "media[0].type",
        ),
    ],
)
def test_malformed_media_items_are_refused_by_field_and_store_nothing(
    client: httpx.Client, media: object, status: int, code: str, field: str
) -> None:
    response = client.post("/v1/posts", json={"text": "x", "media": media, "targets": [target("linkedin")]})
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == (code, field)
    assert stored(client) == ([], 0)


def test_a_malformed_item_of_a_later_target_names_its_target(client: httpx.Client) -> None:
    targets = [target("linkedin"), target("facebook", media=[{"source_type": "url", "source": IMAGE_URL, "type": "x"}])]
    response = client.post("/v1/posts", json={"text": "x", "targets": targets})
    assert response.json()["error"]["meta"]["field"] == "targets[1].media[0].type"


@pytest.mark.parametrize("platform", ["facebook", "tiktok", "youtube", "google", "pinterest"])
def test_platform_attachments_are_unsupported_outside_four_platforms(client: httpx.Client, platform: str) -> None:
    attachment = {"source_type": "platform_attachment_id", "source": "att_1", "type": "image"}
    spec = target(platform, **EXTRA.get(platform, {}))
    response = client.post("/v1/posts", json={"text": "x", "media": [attachment], "targets": [spec]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == ("publishing.media.unsupported_source", "media[0].source_type")
    assert stored(client) == ([], 0)


@pytest.mark.parametrize("platform", ["instagram", "threads"])
def test_an_attachment_must_be_alone_on_instagram_and_threads(client: httpx.Client, platform: str) -> None:
    attachment = {"source_type": "platform_attachment_id", "source": "17890000000000001", "type": "image"}
    spec = target(platform, **EXTRA.get(platform, {}))
    alone = client.post("/v1/posts", json={"text": "x", "publish_now": True, "media": [attachment], "targets": [spec]})
    assert alone.json()["status"] == "published"
    mixed = {"text": "y", "publish_now": True, "media": [attachment, media_item("image", "url")], "targets": [spec]}
    response = client.post("/v1/posts", json=mixed)
    assert (response.status_code, response.json()["error"]["code"]) == (422, "publishing.media.mixing_unsupported")


def test_attachments_mix_freely_on_linkedin_and_x(client: httpx.Client) -> None:
    attachment = {"source_type": "platform_attachment_id", "source": "urn:li:image:1", "type": "image"}
    media = [attachment, media_item("image", "url")]
    body = {"text": "x", "publish_now": True, "media": media, "targets": [target("linkedin"), target("twitter")]}
    assert client.post("/v1/posts", json=body).json()["status"] == "published"


def test_segments_take_media_and_their_items_are_checked(client: httpx.Client) -> None:
    good = {
        "text": "1/2",
        "segments": [{"text": "2/2", "media": [media_item("image", "url")]}],
        "targets": [target("twitter")],
    }
    post = client.post("/v1/posts", json=good)
    assert post.status_code == 201
    bad = {"text": "1/2", "segments": [{"text": "2/2", "media": [{"source_type": "media_id", "source": "med_x"}]}]}
    response = client.post("/v1/posts", json=bad)
    assert (response.status_code, response.json()["error"]["meta"]["field"]) == (404, "segments[0].media[0].source")


def test_patch_replaces_media_and_a_bad_item_changes_nothing(client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "x", "media_ids": [IMAGE], "targets": [target("linkedin")]}).json()[
        "id"
    ]
    edited = client.patch(f"/v1/posts/{pid}", json={"media": [media_item("video", "url")]})
    assert edited.status_code == 200
    assert (edited.json()["media"][0]["source"], edited.json()["media_ids"]) == (VIDEO_URL, [])
    before = client.get(f"/v1/posts/{pid}").json()
    refused = client.patch(f"/v1/posts/{pid}", json={"media": [{"source_type": "url", "source": "nope"}]})
    assert (refused.status_code, refused.json()["error"]["meta"]["field"]) == (400, "media[0].source")
    assert client.get(f"/v1/posts/{pid}").json() == before


def test_patch_of_a_target_takes_its_own_media(client: httpx.Client) -> None:
    spec = target("instagram", **EXTRA["instagram"])
    pid = client.post("/v1/posts", json={"text": "x", "targets": [spec]}).json()["id"]
    edited = client.patch(f"/v1/posts/{pid}", json={"targets": [{**spec, "media": [media_item("image", "url")]}]})
    assert edited.json()["targets"][0]["media"][0]["source"] == IMAGE_URL
    assert client.post(f"/v1/posts/{pid}/publish").json()["status"] == "published"


def test_validate_lists_media_issues_per_platform(client: httpx.Client) -> None:
    attachment = {"source_type": "platform_attachment_id", "source": "att_1", "type": "image"}
    body = {"text": "x", "platforms": ["instagram", "youtube"], "media": [attachment]}
    report = client.post("/v1/posts/validate", json=body).json()
    found = {(i["platform"], i["field"], i["code"]) for i in report["errors"]}
    assert ("youtube", "media[0].source_type", "publishing.media.unsupported_source") in found
    assert not any(p == "instagram" and code.startswith("publishing.") for p, _, code in found)


def test_library_media_over_a_platforms_size_limit_is_refused(sdk: SocialAPI, client: httpx.Client) -> None:
    big = sdk.media.upload(content=b"\xff\xd8\xff\xe0" + bytes(9 * 1024 * 1024), filename="big.jpg")
    spec = target("instagram", **EXTRA["instagram"])
    body = {"text": "big", "publish_now": True, "media": [{"source_type": "media_id", "source": big.media_id}]}
    response = client.post("/v1/posts", json={**body, "targets": [spec]})
    assert response.status_code == 400
    assert "8388608" in response.json()["error"]["message"]
    # Facebook takes images up to 10 MB.
    assert client.post("/v1/posts", json={**body, "targets": [target("facebook")]}).json()["status"] == "published"


def test_n8n_style_calls_work_and_say_what_they_dropped(client: httpx.Client) -> None:
    # The n8n node lists media at /media/, sends media_ids from a comma-separated field, publishes a
    # draft with a bare POST, and unpublishes with an account_ids array the API does not read.
    assert client.get("/v1/media/", params={"limit": 5}).status_code == 200
    body = {"text": "from n8n", "targets": [{"account_id": ACCOUNTS["facebook"]}], "media_ids": [IMAGE]}
    draft = client.post("/v1/posts", json=body).json()
    assert client.post(f"/v1/posts/{draft['id']}/publish").json()["status"] == "published"
    unpublish = client.post(f"/v1/posts/{draft['id']}/unpublish", json={"account_ids": [ACCOUNTS["facebook"]]})
    assert unpublish.status_code == 200
    assert unpublish.headers["x-mock-warnings"].startswith("account_ids is not a field of this request")


media_items = st.one_of(
    st.fixed_dictionaries(
        {
            "source_type": st.just("url"),
            "source": st.sampled_from([IMAGE_URL, VIDEO_URL, "http://10.0.0.1/a.png", "x"]),
        },
        optional={"type": st.sampled_from(["image", "video", "audio", "file", "gif"])},
    ),
    st.fixed_dictionaries(
        {"source_type": st.just("media_id"), "source": st.sampled_from([IMAGE, IMAGE_2, VIDEO, PNG, "med_nope"])},
        optional={"type": st.sampled_from(["image", "video"])},
    ),
    st.fixed_dictionaries(
        {"source_type": st.just("platform_attachment_id"), "source": st.text(min_size=1, max_size=8)},
        optional={"type": st.sampled_from(["image", "video"])},
    ),
    st.none() | st.integers() | st.text(max_size=5) | st.dictionaries(st.text(max_size=5), st.text(max_size=5)),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    media=st.lists(media_items, max_size=4),
    platform=st.sampled_from(PLATFORMS),
    where=st.sampled_from(["post", "target", "segment"]),
    mode=st.sampled_from(["draft", "publish_now", "scheduled_at", "validate"]),
)
def test_generated_media_arrays_never_5xx_and_refusals_store_nothing(
    client: httpx.Client, media: list[Any], platform: str, where: str, mode: str
) -> None:
    before = stored(client)
    spec = target(platform, **EXTRA.get(platform, {}))
    body: dict[str, Any] = {"text": "gen", "targets": [spec]}
    if where == "post":
        body["media"] = media
    elif where == "target":
        spec["media"] = media
    else:
        body["segments"] = [{"text": "more", "media": media}]
    if mode == "publish_now":
        body["publish_now"] = True
    elif mode == "scheduled_at":
        body["scheduled_at"] = "2026-03-01T09:00:00Z"
    path = "/v1/posts/validate" if mode == "validate" else "/v1/posts"
    response = client.post(path, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    if response.status_code >= 400 or mode == "validate":
        assert stored(client) == before
    else:
        assert len(stored(client)[0]) == len(before[0]) + 1
