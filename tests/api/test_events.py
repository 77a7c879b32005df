"""GET /_mock/events: every post transition, driven through the SDK, lands in the tenant's outbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.api.shapes.control import EventListOut
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, target


def events(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    response = client.get("/_mock/events", params=params)
    assert response.status_code == 200
    data: list[dict[str, Any]] = EventListOut.model_validate(response.json()).model_dump()["data"]
    return data


def use(client: httpx.Client, scenario: str | None) -> None:
    if scenario is None:
        assert client.delete("/_mock/scenarios").status_code == 200
    else:
        assert client.put("/_mock/scenarios", json={"name": scenario}).status_code == 200


def test_every_post_transition_records_its_event_oldest_first(sdk: SocialAPI, client: httpx.Client) -> None:
    scheduled = sdk.publishing.create(text="Later", scheduled_at="2026-01-02T09:00:00Z", targets=[target("linkedin")])
    published = sdk.publishing.create(text="Now", publish_now=True, targets=[target("facebook")])
    draft = sdk.publishing.create(text="Draft", targets=[target("linkedin")])
    sdk.publishing.update(draft.id, text="Draft, edited")
    sdk.posts.delete(draft.id)
    sdk.posts.unpublish(published.id)
    use(client, "facebook-down")
    partial = client.post(
        "/v1/posts", json={"text": "Both", "publish_now": True, "targets": [target("facebook"), target("linkedin")]}
    ).json()
    with pytest.raises(socialapi.APIStatusError):
        sdk.publishing.create(text="Only facebook", publish_now=True, targets=[target("facebook")])
    failed = sdk.posts.list(status="failed").data[0]
    use(client, None)
    sdk.posts.retry(failed.id)

    recorded = [(e["event"], e["data"]["post_id"]) for e in events(client)]
    assert recorded[:8] == [
        ("post.scheduled", scheduled.id),
        ("post.published", published.id),
        ("post.updated", draft.id),
        ("post.deleted", draft.id),
        ("post.unpublished", published.id),
        ("post.partial", partial["id"]),
        ("post.failed", failed.id),
        ("post.retried", failed.id),
    ]
    # A retry is re-enqueued: its outcome comes with the next clock advance (the outage is over).
    assert recorded[8:] == []
    advance = client.post("/_mock/clock/advance", json={"seconds": 0})
    assert advance.json()["fired"] == [{"post_id": failed.id, "status": "published"}]
    assert [(e["event"], e["data"]["post_id"]) for e in events(client)][8:] == [("post.published", failed.id)]


def test_payloads_carry_what_the_docs_list(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Now", publish_now=True, targets=[target("facebook")])
    sdk.posts.unpublish(post.id, account_id=ACCOUNTS["facebook"])
    published, unpublished = events(client)
    assert published["id"].startswith("evt_")
    assert published["created_at"] == "2026-01-01T00:00:00Z"
    assert published["data"]["status"] == "published"
    result = published["data"]["results"][0]
    assert (result["account_id"], result["platform"], result["status"]) == (
        ACCOUNTS["facebook"],
        "facebook",
        "published",
    )
    assert result["platform_post_id"]
    assert unpublished["data"] == {"post_id": post.id, "account_id": ACCOUNTS["facebook"], "unpublished_count": 1}


def test_filters_by_event_names_and_post(sdk: SocialAPI, client: httpx.Client) -> None:
    first = sdk.publishing.create(text="One", publish_now=True, targets=[target("facebook")])
    second = sdk.publishing.create(text="Two", scheduled_at="2026-01-03T00:00:00Z", targets=[target("facebook")])
    assert [e["data"]["post_id"] for e in events(client, event="post.published")] == [first.id]
    assert len(events(client, event="post.published,post.scheduled")) == 2
    assert [e["event"] for e in events(client, post_id=second.id)] == ["post.scheduled"]
    assert events(client, event="post.nothing") == []


def test_the_outbox_is_per_tenant_and_reset_empties_it(
    server: MockServer, sdk: SocialAPI, client: httpx.Client
) -> None:
    sdk.publishing.create(text="Now", publish_now=True, targets=[target("facebook")])
    other = {"Authorization": "Bearer sapi_key_other_tenant"}
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=other) as http:
        assert events(http) == []
    client.post("/_mock/reset")
    assert events(client) == []


def test_a_draft_records_nothing(sdk: SocialAPI, client: httpx.Client) -> None:
    sdk.publishing.create(text="Just a draft", targets=[target("facebook")])
    assert events(client) == []


def test_the_outbox_needs_an_api_key(server: MockServer) -> None:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as anonymous:
        response = anonymous.get("/_mock/events")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.missing_header"
