"""Small mismatches real clients ran into: trailing slashes, OAuth bearers, our own words in 400s,
fixture media that downloads."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.testing import sync_transport
from tests.conftest import IMAGE, PNG, VIDEO, target

FRAMEWORK_WORDS = ("Input should", "valid dictionary", "instance of", "Value error", "after validation", "pydantic")


@pytest.fixture
def anonymous(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as http:
        yield http


def test_a_trailing_slash_serves_the_same_list_not_a_redirect(client: httpx.Client) -> None:
    plain = client.get("/v1/media")
    slashed = client.get("/v1/media/")
    assert slashed.status_code == 200
    assert slashed.json() == plain.json()


def test_a_trailing_slash_on_create_creates_the_post(client: httpx.Client) -> None:
    response = client.post("/v1/posts/", json={"text": "hello", "targets": [target("linkedin")]})
    assert response.status_code == 201
    assert client.get(f"/v1/posts/{response.json()['id']}/").json()["text"] == "hello"


def test_an_oauth_bearer_is_an_invalid_token_for_the_sdk_too(anonymous: httpx.Client) -> None:
    response = anonymous.get("/v1/posts", headers={"Authorization": "Bearer ya29.a0AfH6SMB"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.invalid_token"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"text": "a", "visibility": "friends"},
            "visibility",
            "visibility must be one of public, private, connections_only, logged_in",
        ),
        ({"text": "a", "publish_now": "maybe"}, "publish_now", "publish_now must be true or false"),
        ({"text": "a", "targets": [1]}, "targets[0]", "targets[0] must be an object"),
        ({"text": 5}, "text", "text must be a string"),
        ({"text": "a", "media_ids": [""]}, "media_ids[0]", "media_ids[0] must not be empty"),
        ({"text": "a", "targets": "acc_1"}, "targets", "targets must be a list"),
    ],
)
def test_a_400_speaks_the_apis_words_not_the_frameworks(
    client: httpx.Client, body: dict[str, object], field: str, message: str
) -> None:
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["meta"]["field"], error["message"]) == (field, message)
    assert client.get("/v1/posts").json()["data"] == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from(
    ["text", "title", "visibility", "publish_now", "scheduled_at", "targets", "media_ids", "segments", "platform_data"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(field_names, json_values, max_size=4))
def test_no_refusal_of_a_create_leaks_framework_text(client: httpx.Client, body: dict[str, object]) -> None:
    response = client.post("/v1/posts", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code < 500
    if response.status_code == 400:
        message = response.json()["error"]["message"]
        assert not any(words in message for words in FRAMEWORK_WORDS), message


@pytest.mark.parametrize(
    ("media_id", "content_type", "magic"),
    [(IMAGE, "image/jpeg", b"\xff\xd8\xff"), (PNG, "image/png", b"\x89PNG\r\n\x1a\n"), (VIDEO, "video/mp4", None)],
)
def test_fixture_media_downloads_bytes_of_its_type_and_size(
    sdk: SocialAPI, anonymous: httpx.Client, media_id: str, content_type: str, magic: bytes | None
) -> None:
    item = next(m for m in sdk.media.list().data if m.id == media_id)
    response = anonymous.get(item.url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert len(response.content) == item.size_bytes
    if magic is not None:
        assert response.content.startswith(magic)
    else:
        assert response.content[4:8] == b"ftyp"
    assert anonymous.get(item.url).content == response.content
