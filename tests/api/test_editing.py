"""PATCH /v1/posts/{pid} through the SDK (``publishing.update``, ``Post.update``) and raw HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.core.records.events import event_json
from tests.conftest import ACCOUNTS, API_KEY, IMAGE, RECONNECT_ACCOUNT, target

TOMORROW = datetime(2026, 1, 2, 9, tzinfo=UTC)


def events(server: MockServer, kind: str) -> list[dict[str, Any]]:
    return [event_json(e.data) for e in server.tenant(API_KEY).event_records() if e.event == kind]


def draft(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {"text": "Fresh beans", "targets": [target("linkedin")], **extra}
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def patch_error(client: httpx.Client, pid: str, body: object, status: int) -> dict[str, Any]:
    before = client.get(f"/v1/posts/{pid}").json()
    response = client.patch(f"/v1/posts/{pid}", json=body)
    assert response.status_code == status, response.text
    assert client.get(f"/v1/posts/{pid}").json() == before, "a refused PATCH must not change the post"
    return response.json()["error"]  # type: ignore[no-any-return]


def test_sdk_update_edits_a_draft_and_records_post_updated(
    sdk: SocialAPI, client: httpx.Client, server: MockServer
) -> None:
    post = sdk.publishing.create(text="Fresh beans", targets=[target("linkedin")])
    client.post("/_mock/clock/advance", json={"seconds": 60})
    updated = sdk.publishing.update(post.id, text="Fresher beans", title="Beans", visibility="connections_only")
    assert (updated.text, updated.title, updated.visibility, updated.status) == (
        "Fresher beans",
        "Beans",
        "connections_only",
        "draft",
    )
    assert updated.updated_at == datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    assert updated.created_at == post.created_at
    assert sdk.posts.get(post.id).text == "Fresher beans"
    assert events(server, "post.updated") == [
        {"post_id": post.id, "status": "draft", "changed_fields": ["text", "title", "visibility"]}
    ]
    assert sdk.usage.get().posts_used == 0


def test_bound_post_update_returns_the_new_post(sdk: SocialAPI) -> None:
    post = sdk.publishing.create(text="Fresh beans", targets=[target("linkedin")])
    updated = post.update(first_comment="Order now", media_ids=[IMAGE])
    assert updated.id == post.id
    assert updated.media_ids == [IMAGE]
    assert updated.status == "draft"


def test_an_empty_or_idempotent_patch_changes_nothing(sdk: SocialAPI, client: httpx.Client, server: MockServer) -> None:
    post = draft(client)
    client.post("/_mock/clock/advance", json={"seconds": 60})
    assert client.patch(f"/v1/posts/{post['id']}", json={}).json() == post
    assert sdk.publishing.update(post["id"], text="Fresh beans").updated_at == sdk.posts.get(post["id"]).created_at
    assert events(server, "post.updated") == []


def test_scheduled_at_on_a_draft_schedules_it_charges_a_credit_and_fires(
    sdk: SocialAPI, client: httpx.Client, server: MockServer
) -> None:
    post = sdk.publishing.create(text="Fresh beans", targets=[target("linkedin")])
    scheduled = sdk.publishing.update(post.id, scheduled_at=TOMORROW)
    assert scheduled.status == "scheduled"
    assert scheduled.scheduled_at == TOMORROW
    assert sdk.usage.get().posts_used == 1
    assert events(server, "post.scheduled") == [
        {
            "post_id": post.id,
            "status": "scheduled",
            "scheduled_at": "2026-01-02T09:00:00Z",
            "targets": [{"account_id": ACCOUNTS["linkedin"], "platform": "linkedin"}],
        }
    ]
    assert events(server, "post.updated")[0]["changed_fields"] == ["scheduled_at"]
    fired = client.post("/_mock/clock/advance", json={"to": "2026-01-02T09:00:00Z"}).json()["fired"]
    assert fired == [{"post_id": post.id, "status": "published"}]


def test_rescheduling_moves_the_firing_and_costs_nothing(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Fresh beans", scheduled_at=TOMORROW, targets=[target("linkedin")])
    later = datetime(2026, 1, 3, 9, tzinfo=UTC)
    assert sdk.publishing.update(post.id, scheduled_at=later).scheduled_at == later
    assert sdk.usage.get().posts_used == 1
    assert client.post("/_mock/clock/advance", json={"to": "2026-01-02T12:00:00Z"}).json()["fired"] == []
    fired = client.post("/_mock/clock/advance", json={"to": "2026-01-03T09:00:00Z"}).json()["fired"]
    assert fired == [{"post_id": post.id, "status": "published"}]


def test_scheduled_at_null_unschedules_back_to_a_draft_without_refund(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(
        text="Fresh beans", scheduled_at=TOMORROW, targets=[target("linkedin", scheduled_at="2026-01-02T10:00:00Z")]
    )
    response = client.patch(f"/v1/posts/{post.id}", json={"scheduled_at": None})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert body["scheduled_at"] is None
    assert "scheduled_at" not in body["targets"][0]
    assert client.post("/_mock/clock/advance", json={"seconds": 7 * 86400}).json()["fired"] == []
    assert sdk.posts.get(post.id).status == "draft"
    assert sdk.usage.get().posts_used == 1


def test_hidden_posts_leave_the_default_list(sdk: SocialAPI) -> None:
    shown = sdk.publishing.create(text="Shown", targets=[target("linkedin")])
    hidden = sdk.publishing.create(text="Hidden", targets=[target("linkedin")])
    assert sdk.publishing.update(hidden.id, hidden=True).hidden is True
    assert [p.id for p in sdk.posts.list().data] == [shown.id]
    assert {p.id for p in sdk.posts.list(hidden=True).data} == {shown.id, hidden.id}
    assert sdk.publishing.update(hidden.id, hidden=False).hidden is False
    assert len(sdk.posts.list().data) == 2


def test_targets_are_replaced_by_account(sdk: SocialAPI, client: httpx.Client) -> None:
    post = draft(client, targets=[target("linkedin", text="For LinkedIn"), target("twitter")])
    updated = sdk.publishing.update(post["id"], targets=[target("linkedin", title="New title"), target("threads")])
    by_platform = {t.platform: t for t in updated.targets or []}
    assert list(by_platform) == ["linkedin", "threads"]
    # The new configuration replaces the old one: the LinkedIn text override is gone.
    assert by_platform["linkedin"].text is None
    assert by_platform["linkedin"].title == "New title"
    assert all(t.status == "pending" for t in updated.targets or [])


def test_platform_data_merges_into_the_existing_targets(client: httpx.Client) -> None:
    post = draft(client, targets=[target("instagram", platform_data={"content_type": "feed"})], media_ids=[IMAGE])
    response = client.patch(f"/v1/posts/{post['id']}", json={"platform_data": {"instagram": {"content_type": "reel"}}})
    assert response.status_code == 200
    assert response.json()["targets"][0]["media_type"] == "reel"


def test_a_failed_post_is_fixed_by_edit_then_retry(sdk: SocialAPI, client: httpx.Client) -> None:
    # skip_validation lets an over-long tweet through to the platform, which refuses it.
    response = client.post(
        "/v1/posts",
        json={"text": "x" * 300, "publish_now": True, "skip_validation": True, "targets": [target("twitter")]},
    )
    assert response.status_code == 422
    pid = response.json()["id"]
    fixed = sdk.publishing.update(pid, text="short and sweet")
    assert fixed.status == "failed"
    sdk.posts.retry(pid)
    fired = client.post("/_mock/clock/advance", json={"seconds": 0}).json()["fired"]
    assert fired == [{"post_id": pid, "status": "published"}]


def test_a_target_added_to_a_failed_post_is_delivered_by_the_retry(sdk: SocialAPI, client: httpx.Client) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    failed = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("facebook")]})
    assert failed.status_code == 422
    pid = failed.json()["id"]
    client.delete("/_mock/scenarios")
    edited = sdk.publishing.update(pid, targets=[target("facebook"), target("linkedin")])
    added = (edited.targets or [])[1]
    assert (added.status, added.error.code if added.error else None) == ("failed", "post.not_delivered")
    sdk.posts.retry(pid)
    client.post("/_mock/clock/advance", json={"seconds": 0})
    assert {t.status for t in sdk.posts.get(pid).targets or []} == {"published"}


def test_scheduling_a_failed_post_resets_its_deliveries(sdk: SocialAPI, client: httpx.Client) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    pid = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("facebook")]}).json()[
        "id"
    ]
    client.delete("/_mock/scenarios")
    scheduled = sdk.publishing.update(pid, scheduled_at=TOMORROW)
    assert scheduled.status == "scheduled"
    assert [(t.status, t.error) for t in scheduled.targets or []] == [("pending", None)]
    assert sdk.usage.get().posts_used == 2
    fired = client.post("/_mock/clock/advance", json={"to": "2026-01-02T09:00:00Z"}).json()["fired"]
    assert fired == [{"post_id": pid, "status": "published"}]


@pytest.mark.parametrize("status", ["published", "cancelled", "partial"])
def test_posts_past_editing_are_state_invalid_a_400_in_2026_06_22(client: httpx.Client, status: str) -> None:
    targets = [target("linkedin"), target("facebook")]
    if status == "partial":
        client.put("/_mock/scenarios", json={"name": "facebook-down"})
    if status == "cancelled":
        pid = draft(client)["id"]
        client.delete(f"/v1/posts/{pid}")
    else:
        pid = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": targets}).json()["id"]
    error = patch_error(client, pid, {"text": "changed", "hidden": True}, 400)
    assert error["code"] == "post.state_invalid"
    assert error["meta"] == {"status": status}


def test_the_sdk_raises_conflict_for_a_published_post(sdk: SocialAPI) -> None:
    post = sdk.publishing.create(text="Live", publish_now=True, targets=[target("linkedin")])
    with pytest.raises(socialapi.ConflictError) as caught:
        sdk.publishing.update(post.id, text="changed")
    assert caught.value.code == "post.state_invalid"


def test_an_unknown_post_is_404(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.NotFoundError) as caught:
        sdk.publishing.update("p_01JG00000000000000000000000", text="x")
    assert caught.value.code == "post.not_found"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"text": None}, "validation.field_invalid", "text"),
        ({"hidden": None}, "validation.field_invalid", "hidden"),
        ({"hidden": "sometimes"}, "validation.field_invalid", "hidden"),
        ({"targets": None}, "validation.field_invalid", "targets"),
        ({"visibility": "everyone"}, "validation.field_invalid", "visibility"),
        ({"scheduled_at": "2025-12-31T00:00:00Z"}, "validation.field_invalid", "scheduled_at"),
        ({"scheduled_at": "tomorrow"}, "validation.field_invalid", "scheduled_at"),
        ({"targets": [target("linkedin"), target("linkedin")]}, "validation.field_invalid", "targets[1].account_id"),
        (
            {"targets": [target("linkedin", scheduled_at="2025-01-01T00:00:00Z")]},
            "validation.field_invalid",
            "targets[0].scheduled_at",
        ),
        ({"text": "x" * 3001}, "validation.field_invalid", "text"),
    ],
)
def test_bad_edits_are_400_and_change_nothing(client: httpx.Client, body: object, code: str, field: str) -> None:
    pid = draft(client)["id"]
    error = patch_error(client, pid, body, 400)
    assert (error["code"], error["meta"]["field"]) == (code, field)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"targets": [{"account_id": "acc_nope"}]}, 404, "account.not_found"),
        ({"media_ids": ["med_nope"]}, 404, "media.not_found"),
        ({"targets": [{"account_id": RECONNECT_ACCOUNT}]}, 403, "account.reconnection_required"),
        ([1, 2], 400, "validation.body_invalid"),
    ],
)
def test_bad_references_are_refused_like_on_create(client: httpx.Client, body: object, status: int, code: str) -> None:
    pid = draft(client)["id"]
    assert patch_error(client, pid, body, status)["code"] == code


def test_scheduling_runs_the_publish_checks(client: httpx.Client) -> None:
    no_targets = draft(client, targets=[])["id"]
    error = patch_error(client, no_targets, {"scheduled_at": "2026-01-02T09:00:00Z"}, 400)
    assert (error["code"], error["meta"]["field"]) == ("validation.field_required", "targets")
    # Instagram needs content_type only to publish or schedule, so the draft itself was fine.
    instagram = draft(client, targets=[target("instagram")], media_ids=[IMAGE])["id"]
    error = patch_error(client, instagram, {"scheduled_at": "2026-01-02T09:00:00Z"}, 400)
    assert error["meta"]["field"] == "targets[0].platform_data.content_type"


def test_skip_validation_posts_are_edited_without_checks(client: httpx.Client) -> None:
    pid = draft(client, targets=[target("twitter")], skip_validation=True)["id"]
    response = client.patch(f"/v1/posts/{pid}", json={"text": "x" * 400, "scheduled_at": "2026-01-02T09:00:00Z"})
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"


def test_scheduling_without_credits_is_429_and_leaves_the_draft(client: httpx.Client, sdk: SocialAPI) -> None:
    client.patch("/_mock/tenant", json={"plan": "free", "posts_used": 10})
    pid = draft(client)["id"]
    error = patch_error(client, pid, {"scheduled_at": "2026-01-02T09:00:00Z"}, 429)
    assert error["code"] == "billing.post_limit"
    assert sdk.posts.get(pid).status == "draft"
