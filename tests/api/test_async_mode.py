"""``--api-version 2026-08-22`` (async publishing): 201 ``publishing`` at once, the outcome at the next
clock advance; wrong-state calls are 409s in that generation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from tests.conftest import API_KEY, target

THREE = [target("facebook"), target("linkedin"), target("twitter")]


@pytest.fixture
def settings() -> Settings:
    return Settings(api_version="2026-08-22")


def events(server: MockServer) -> list[tuple[str, Any]]:
    return [(e.event, getattr(e.data, "status", None)) for e in server.tenant(API_KEY).event_records()]


def test_publish_now_answers_publishing_and_the_advance_delivers(
    sdk: SocialAPI, client: httpx.Client, server: MockServer
) -> None:
    post = sdk.publishing.create(text="Live", publish_now=True, targets=THREE)
    assert post.status == "publishing"
    assert [t.status for t in post.targets or []] == ["publishing"] * 3
    assert all(t.platform_post_id is None for t in post.targets or [])
    assert sdk.posts.get(post.id).status == "publishing"
    assert events(server) == []
    fired = client.post("/_mock/clock/advance", json={"seconds": 0}).json()
    assert fired == {"now": "2026-01-01T00:00:00Z", "fired": [{"post_id": post.id, "status": "published"}]}
    done = sdk.posts.get(post.id)
    assert done.status == "published"
    assert all(t.platform_post_id for t in done.targets or [])
    assert events(server) == [("post.published", "published")]
    assert sdk.usage.get().posts_used == 1


def test_a_mixed_outcome_is_still_201_then_partial(client: httpx.Client, server: MockServer) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    response = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": THREE})
    assert (response.status_code, response.json()["status"]) == (201, "publishing")
    pid = response.json()["id"]
    assert client.post("/_mock/clock/advance", json={"seconds": 0}).json()["fired"] == [
        {"post_id": pid, "status": "partial"}
    ]
    assert events(server) == [("post.partial", "partial")]


def test_publish_of_a_draft_is_asynchronous_too(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Draft", targets=[target("linkedin")])
    response = client.post(f"/v1/posts/{post.id}/publish")
    assert (response.status_code, response.json()["status"]) == (201, "publishing")
    client.post("/_mock/clock/advance", json={"seconds": 0})
    assert sdk.posts.get(post.id).status == "published"


def test_a_publishing_post_can_be_neither_edited_nor_deleted(client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": THREE}).json()["id"]
    for response in (client.patch(f"/v1/posts/{pid}", json={"text": "y"}), client.delete(f"/v1/posts/{pid}")):
        assert response.status_code == 409
        assert response.json()["error"] == {
            "code": "post.state_invalid",
            "message": response.json()["error"]["message"],
            "meta": {"status": "publishing"},
        }
    assert client.post(f"/v1/posts/{pid}/unpublish").status_code == 409
    client.post("/_mock/clock/advance", json={"seconds": 0})
    assert client.delete(f"/v1/posts/{pid}").json()["deleted"] is True


def test_scheduled_posts_fire_the_same_way_in_both_modes(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Later", scheduled_at="2026-01-01T01:00:00Z", targets=[target("linkedin")])
    fired = client.post("/_mock/clock/advance", json={"seconds": 3600}).json()["fired"]
    assert fired == [{"post_id": post.id, "status": "published"}]
