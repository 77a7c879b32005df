"""One API generation at a time: ``--api-version 2026-06-22`` (the default) or ``2026-08-22``.

Each difference of docs/api-versions.md is checked in both generations, through raw HTTP (what a
TypeScript app or the n8n node sees) and, where the SDK has a method, through the SDK.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.cli import _parser, settings_from
from mockserver.testing import sync_transport
from tests.conftest import API_KEY, AUTH, IMAGE, target

V0622, V0822 = "2026-06-22", "2026-08-22"


def http_for(version: str, **extra: object) -> httpx.Client:
    server = MockServer(Settings(api_version=version, **extra))  # type: ignore[arg-type]
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH)


@pytest.fixture(params=[V0622, V0822])
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def http(version: str) -> Iterator[httpx.Client]:
    with http_for(version, publish_mode="sync") as client:
        yield client


def published(http: httpx.Client) -> str:
    body = {"text": "live", "publish_now": True, "targets": [target("linkedin")]}
    response = http.post("/v1/posts", json=body)
    assert response.status_code == 201
    return str(response.json()["id"])


STATE_STATUS = {V0622: 400, V0822: 409}


def test_publishing_a_published_post(http: httpx.Client, version: str) -> None:
    response = http.post(f"/v1/posts/{published(http)}/publish")
    assert (response.status_code, response.json()["error"]["code"]) == (STATE_STATUS[version], "post.state_invalid")


def test_editing_a_published_post(http: httpx.Client, version: str) -> None:
    response = http.patch(f"/v1/posts/{published(http)}", json={"text": "changed"})
    assert (response.status_code, response.json()["error"]["code"]) == (STATE_STATUS[version], "post.state_invalid")


def test_retrying_a_published_post(http: httpx.Client, version: str) -> None:
    response = http.post(f"/v1/posts/{published(http)}/retry")
    assert (response.status_code, response.json()["error"]["code"]) == (STATE_STATUS[version], "post.state_invalid")


def test_the_sdk_raises_conflict_in_both_generations(http: httpx.Client) -> None:
    sdk = SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
    pid = published(http)
    with pytest.raises(socialapi.ConflictError):  # mapped by the code, whatever the status
        sdk.publishing.update(pid, text="changed")


def test_unpublishing_from_instagram(http: httpx.Client, version: str) -> None:
    body = {
        "text": "ig",
        "publish_now": True,
        "media_ids": [IMAGE],
        "targets": [target("instagram", platform_data={"content_type": "feed"})],
    }
    pid = http.post("/v1/posts", json=body).json()["id"]
    response = http.post(f"/v1/posts/{pid}/unpublish")
    expected = {V0622: 400, V0822: 501}[version]
    assert (response.status_code, response.json()["error"]["code"]) == (expected, "resource.not_supported")


def test_deleting_a_draft(http: httpx.Client, version: str) -> None:
    pid = http.post("/v1/posts", json={"text": "draft", "targets": [target("linkedin")]}).json()["id"]
    assert http.delete(f"/v1/posts/{pid}").json()["deleted"] is True
    after = http.get(f"/v1/posts/{pid}")
    if version == V0622:
        assert (after.status_code, after.json()["status"]) == (200, "cancelled")
    else:
        assert (after.status_code, after.json()["error"]["code"]) == (404, "post.not_found")


def test_running_out_of_credits(http: httpx.Client, version: str) -> None:
    http.patch("/_mock/tenant", json={"plan": "free", "posts_used": 10})
    response = http.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("linkedin")]})
    assert response.status_code == 429
    error = response.json()["error"]
    expected = {
        V0622: ("billing.post_limit", "not enough post credits: need 1, have 0 remaining"),
        V0822: ("validation.post_limit_exhausted", "Monthly post limit exhausted"),
    }[version]
    assert (error["code"], error["message"]) == expected


@pytest.mark.parametrize(
    ("version", "publish_mode", "status", "post_status"),
    [(V0622, None, 201, "published"), (V0822, None, 201, "publishing"), (V0822, "sync", 201, "published")],
)
def test_publish_mode_follows_the_version_unless_overridden(
    version: str, publish_mode: str | None, status: int, post_status: str
) -> None:
    with http_for(version, publish_mode=publish_mode) as http:
        response = http.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("linkedin")]})
        assert (response.status_code, response.json()["status"]) == (status, post_status)
        assert http.get("/_mock/tenant").json()["api_version"] == version


def test_media_is_accepted_in_both_generations(http: httpx.Client) -> None:
    body = {"text": "x", "media": [{"source_type": "media_id", "source": IMAGE}], "targets": [target("linkedin")]}
    response = http.post("/v1/posts", json=body)
    assert response.status_code == 201
    assert response.json()["media_ids"] == [IMAGE]
    assert "x-mock-warnings" not in response.headers


def test_the_cli_takes_the_version_from_the_flag_or_the_environment() -> None:
    assert settings_from(_parser({}).parse_args(["serve"])).api_version == V0622
    from_env = _parser({"MOCKSERVER_API_VERSION": V0822}).parse_args(["serve"])
    assert settings_from(from_env).api_version == V0822
    assert settings_from(from_env).effective_publish_mode == "async"
    flag = _parser({}).parse_args(["serve", "--api-version", V0822, "--publish-mode", "sync"])
    assert settings_from(flag).effective_publish_mode == "sync"
    with pytest.raises(SystemExit):
        _parser({}).parse_args(["serve", "--api-version", "2025-01-01"])


def test_an_unknown_version_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="--api-version must be one of 2026-06-22, 2026-08-22, 2026-10-02 or latest"):
        Settings(api_version="2026-09-01")
