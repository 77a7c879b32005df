"""POST /v1/posts/validate (dry-run checks) and GET /v1/posts/validate (the constraints table)."""

from __future__ import annotations

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver.api.shapes.post_validation import ConstraintsOut, ValidationOut
from mockserver.core.models import PLATFORMS
from tests.conftest import ACCOUNTS, IMAGE, RECONNECT_ACCOUNT, VIDEO, target


def test_a_valid_post_is_valid_and_nothing_is_stored_or_charged(sdk: SocialAPI, client: httpx.Client) -> None:
    client.patch("/_mock/tenant", json={"plan": "free", "posts_used": 10})
    result = sdk.publishing.validate(
        text="Fresh beans",
        account_ids=[ACCOUNTS["linkedin"], ACCOUNTS["facebook"]],
        scheduled_at="2026-02-01T09:00:00Z",
    )
    assert (result.valid, result.errors, result.warnings) == (True, [], [])
    assert sdk.posts.list().data == []
    assert sdk.usage.get().posts_used == 10


def test_errors_name_the_platform_field_and_account(sdk: SocialAPI) -> None:
    result = sdk.publishing.validate(text="x" * 300, account_ids=[ACCOUNTS["twitter"], ACCOUNTS["linkedin"]])
    assert result.valid is False
    assert [(i.platform, i.field, i.message, i.target) for i in result.errors] == [
        ("twitter", "text", "exceeds 280 character limit (300/280)", ACCOUNTS["twitter"])
    ]


def test_platforms_alone_are_checked_without_an_account(client: httpx.Client) -> None:
    response = client.post(
        "/v1/posts/validate", json={"text": "Hi", "platforms": ["tiktok", "instagram"], "media_ids": [IMAGE]}
    )
    assert response.status_code == 200
    body = response.json()
    ValidationOut.model_validate(body)
    assert {(i["platform"], i["field"], i["code"]) for i in body["errors"]} == {
        ("tiktok", "platform_data.privacy_level", "validation.field_required"),
        ("instagram", "platform_data.content_type", "validation.field_required"),
    }
    assert all("target" not in i for i in body["errors"])


def test_targets_and_platform_data_are_checked_like_a_create(sdk: SocialAPI) -> None:
    result = sdk.publishing.validate(
        text="Clip",
        media_ids=[VIDEO],
        targets=[
            target("tiktok", platform_data={"privacy_level": "EVERYONE"}),
            target("youtube", title="t" * 101),
        ],
    )
    assert {(i.platform, i.field) for i in result.errors} == {
        ("tiktok", "targets[0].platform_data.privacy_level"),
        ("youtube", "targets[1].title"),
    }


def test_warnings_do_not_make_a_post_invalid(sdk: SocialAPI) -> None:
    result = sdk.publishing.validate(text="Hi", platforms=["twitter"], media_ids=[IMAGE])
    assert result.valid is True
    assert [(w.platform, w.field) for w in result.warnings] == [("twitter", "media_ids")]


def test_a_past_schedule_and_a_disconnected_account_are_reported(client: httpx.Client) -> None:
    body = {"text": "Hi", "account_ids": [RECONNECT_ACCOUNT], "scheduled_at": "2025-06-01T00:00:00Z"}
    response = client.post("/v1/posts/validate", json=body)
    errors = response.json()["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("account_ids[0]", "account.reconnection_required"),
        ("scheduled_at", "validation.field_invalid"),
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"text": "Hi", "platforms": ["myspace"]}, 400, "validation.field_invalid", "platforms[0]"),
        ({"text": "Hi"}, 400, "validation.field_required", "platforms"),
        ({"platforms": ["twitter"]}, 400, "validation.field_required", "text"),
        ({"text": "Hi", "account_ids": ["acc_nope"]}, 404, "account.not_found", "account_ids[0]"),
        ({"text": "Hi", "platforms": ["twitter"], "media_ids": ["med_nope"]}, 404, "media.not_found", "media_ids"),
        ({"text": "Hi", "platforms": "twitter"}, 400, "validation.field_invalid", "platforms"),
    ],
)
def test_bad_validate_requests(client: httpx.Client, body: object, status: int, code: str, field: str) -> None:
    response = client.post("/v1/posts/validate", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == (code, field)


def test_constraints_cover_every_platform(sdk: SocialAPI, client: httpx.Client) -> None:
    everything = sdk.publishing.get_constraints()
    assert set(everything) == set(PLATFORMS)
    assert everything["tiktok"].text.max_length == 2200
    assert everything["tiktok"].text.counting_mode == "utf16"
    assert everything["twitter"].carousel.supported is False
    assert everything["instagram"].carousel.min_items == 2
    body = client.get("/v1/posts/validate").json()
    ConstraintsOut.model_validate(body)
    assert body["data"]["youtube"]["scheduling"] == {"supported": True, "mode": "server_side"}


def test_constraints_for_one_platform(sdk: SocialAPI) -> None:
    only = sdk.publishing.get_constraints(platform="linkedin")
    assert list(only) == ["linkedin"]
    assert only["linkedin"].text.max_length == 3000


def test_an_unknown_platform_is_400(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.BadRequestError) as caught:
        sdk.publishing.get_constraints(platform="myspace")
    assert caught.value.code == "validation.field_invalid"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_published_text_limit_is_the_one_validation_enforces(sdk: SocialAPI, platform: str) -> None:
    limit = sdk.publishing.get_constraints(platform=platform)[platform].text.max_length

    def text_errors(length: int) -> list[str]:
        result = sdk.publishing.validate(text="a" * length, platforms=[platform])
        return [i.message for i in result.errors if i.field == "text"]

    assert text_errors(limit) == []
    assert text_errors(limit + 1) == [f"exceeds {limit} character limit ({limit + 1}/{limit})"]
