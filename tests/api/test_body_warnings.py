"""Never a silent false green: unknown keys and coerced values are named in ``X-Mock-Warnings`` and the
journal, and refused (400, nothing stored) in strict mode."""

from __future__ import annotations

import json

import httpx
import pytest
import socialapi
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socialapi import SocialAPI

from mockserver import Settings
from mockserver.api.body_warnings import body_warnings
from mockserver.api.shapes.posts import CreatePostRequest
from tests.conftest import ACCOUNTS, target

LINKEDIN = [target("linkedin")]


def warnings_of(response: httpx.Response) -> str:
    return response.headers.get("x-mock-warnings", "")


def test_a_clean_body_gets_no_warning_header(client: httpx.Client) -> None:
    response = client.post("/v1/posts", json={"text": "hi", "publish_now": True, "targets": LINKEDIN})
    assert response.status_code == 201
    assert "x-mock-warnings" not in response.headers


def test_a_misspelt_field_is_accepted_but_named_with_a_suggestion(client: httpx.Client) -> None:
    response = client.post(
        "/v1/posts", json={"text": "later", "schedule_at": "2026-02-01T09:00:00Z", "targets": LINKEDIN}
    )
    # The real API ignores it, so the post is a draft, not scheduled: the header says why.
    assert (response.status_code, response.json()["status"]) == (201, "draft")
    assert warnings_of(response) == (
        "schedule_at is not a field of this request and was ignored (did you mean scheduled_at?)"
    )


def test_unknown_keys_at_any_depth_and_coerced_values_are_each_named(client: httpx.Client) -> None:
    body = {
        "text": "hi",
        "publish_now": "yes",
        "caption": "hi",
        "media_url": "https://example.com/a.jpg",
        "platform_data": {"linkdin": {"x": 1}},
        "targets": [{"account_id": ACCOUNTS["linkedin"], "platfrom_data": {}, "platform": "linkedin"}],
    }
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 201
    assert warnings_of(response).split("; ") == [
        'publish_now must be true or false, not "yes" (read as true)',
        "caption is not a field of this request and was ignored (did you mean text?)",
        "media_url is not a field of this request and was ignored (did you mean media?)",
        "platform_data.linkdin is not a field of this request and was ignored (did you mean linkedin?)",
        "targets[0].platfrom_data is not a field of this request and was ignored (did you mean platform_data?)",
        "targets[0].platform is not a field of this request and was ignored (the platform comes from the account)",
    ]
    journal = client.get("/_mock/requests").json()["data"][-1]
    assert journal["warnings"][0] == 'publish_now must be true or false, not "yes" (read as true)'
    assert len(journal["warnings"]) == 6


def test_warnings_come_with_error_responses_too(client: httpx.Client) -> None:
    response = client.post("/v1/posts", json={"text": "x", "titel": "t", "targets": [{"account_id": "acc_nope"}]})
    assert response.status_code == 404
    assert warnings_of(response).startswith("titel is not a field of this request")


def test_the_sdk_still_works_and_its_extra_target_keys_are_named(client: httpx.Client, sdk: SocialAPI) -> None:
    # The SDK repository's own tests send "platform" in targets; the API ignores it.
    post = sdk.publishing.create(text="sdk", targets=[{"account_id": ACCOUNTS["linkedin"], "platform": "linkedin"}])
    assert post.status == "draft"
    assert client.get("/_mock/requests").json()["data"][-1]["warnings"] == [
        "targets[0].platform is not a field of this request and was ignored (the platform comes from the account)"
    ]


def test_the_header_is_one_printable_ascii_line_whatever_the_keys(client: httpx.Client) -> None:
    response = client.post("/v1/posts", json={"text": "hi", "bad\nkey": 1, "emoji\u2603": 2})
    header = warnings_of(response)
    assert header.isascii() and header.isprintable()
    assert "bad\\nkey" in header and "emoji\\u2603" in header


@pytest.mark.parametrize(
    ("body", "code", "field", "suggestion"),
    [
        (
            {"text": "x", "schedule_at": "2026-02-01T09:00:00Z"},
            "validation.unknown_field",
            "schedule_at",
            "scheduled_at",
        ),
        (
            {"text": "x", "targets": [{"account_id": ACCOUNTS["linkedin"], "txt": "y"}]},
            "validation.unknown_field",
            "targets[0].txt",
            "text",
        ),
        ({"text": "x", "publish_now": "yes", "targets": LINKEDIN}, "validation.invalid_type", "publish_now", "true"),
        ({"text": "x", "whatever": 1}, "validation.unknown_field", "whatever", None),
    ],
)
def test_strict_requests_are_refused_and_store_nothing(
    client: httpx.Client, body: dict[str, object], code: str, field: str, suggestion: str | None
) -> None:
    response = client.post("/v1/posts", json=body, headers={"X-Mock-Strict": "1"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"], error["meta"]["suggestion"]) == (code, field, suggestion)
    assert client.get("/v1/posts").json()["data"] == []
    assert client.get("/v1/usage").json()["posts_used"] == 0


def test_strict_edits_change_nothing(client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "x", "targets": LINKEDIN}).json()["id"]
    before = client.get(f"/v1/posts/{pid}").json()
    refused = client.patch(f"/v1/posts/{pid}", json={"text": "y", "hiden": True}, headers={"X-Mock-Strict": "1"})
    assert (refused.status_code, refused.json()["error"]["meta"]["suggestion"]) == (400, "hidden")
    assert client.get(f"/v1/posts/{pid}").json() == before


class TestServeStrict:
    @pytest.fixture
    def settings(self) -> Settings:
        return Settings(strict=True)

    def test_every_request_is_strict(self, client: httpx.Client, sdk: SocialAPI) -> None:
        response = client.post("/v1/posts", json={"text": "x", "scheduledAt": "2026-02-01T09:00:00Z"})
        assert response.json()["error"]["meta"] == {"field": "scheduledAt", "suggestion": "scheduled_at"}
        with pytest.raises(socialapi.BadRequestError) as caught:
            sdk.publishing.create(text="sdk", targets=[{"account_id": ACCOUNTS["linkedin"], "platform": "linkedin"}])
        assert caught.value.code == "validation.unknown_field"
        assert sdk.posts.list().data == []


known_keys = st.sampled_from(["text", "title", "publish_now", "scheduled_at", "targets", "visibility", "media_ids"])
any_key = st.text(min_size=1, max_size=12)
scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.dictionaries(any_key, scalars, max_size=3), flag=st.sampled_from([True, False, "yes", "0", 1, 0]))
def test_accepted_and_strict_answers_agree_with_the_warnings(
    client: httpx.Client, extra: dict[str, object], flag: object
) -> None:
    body = {"text": "gen", **{k: v for k, v in extra.items() if k not in CreatePostRequest.model_fields}}
    body["skip_validation"] = flag
    raw = json.dumps(body)
    lenient = client.post("/v1/posts", content=raw, headers={"Content-Type": "application/json"})
    assert lenient.status_code == 201
    expected = body_warnings(CreatePostRequest, body)
    assert bool(warnings_of(lenient)) == bool(expected)
    count = len(client.get("/v1/posts", params={"limit": 100}).json()["data"])
    strict = client.post("/v1/posts", content=raw, headers={"Content-Type": "application/json", "X-Mock-Strict": "1"})
    assert strict.status_code == (400 if expected else 201)
    if expected:
        assert strict.json()["error"]["meta"]["field"] == expected[0].field
        assert len(client.get("/v1/posts", params={"limit": 100}).json()["data"]) == count
