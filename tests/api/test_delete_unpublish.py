"""DELETE /v1/posts/{pid} and POST /v1/posts/{pid}/unpublish: the states they leave a post in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.api.shapes.posts import DeletePostOut
from mockserver.core.records.events import event_json
from tests.conftest import ACCOUNTS, API_KEY, IMAGE, VIDEO, target

INSTAGRAM = target("instagram", platform_data={"content_type": "feed"})
TIKTOK = target("tiktok", platform_data={"privacy_level": "PUBLIC_TO_EVERYONE"})


def events(server: MockServer, kind: str) -> list[dict[str, Any]]:
    return [event_json(e.data) for e in server.tenant(API_KEY).event_records() if e.event == kind]


def publish(client: httpx.Client, *targets: dict[str, Any], media: str | None = IMAGE) -> dict[str, Any]:
    body: dict[str, Any] = {"text": "Live", "publish_now": True, "targets": list(targets)}
    if media:
        body["media_ids"] = [media]
    response = client.post("/v1/posts", json=body)
    assert response.status_code in (201, 207), response.text
    return response.json()  # type: ignore[no-any-return]


def outcomes(results: list[Any]) -> dict[str, str]:
    return {r.platform: r.outcome for r in results}


# -- DELETE ----------------------------------------------------------------------------------------


def test_deleting_a_draft_cancels_it_and_it_stays_readable(sdk: SocialAPI, server: MockServer) -> None:
    post = sdk.publishing.create(text="Draft", targets=[target("linkedin")])
    result = sdk.posts.delete(post.id)
    assert (result.success, result.deleted) == (True, True)
    assert [(r.platform, r.account_id, r.outcome) for r in result.results] == [
        ("linkedin", ACCOUNTS["linkedin"], "deleted")
    ]
    cancelled = sdk.posts.get(post.id)
    assert cancelled.status == "cancelled"
    assert [t.status for t in cancelled.targets or []] == ["cancelled"]
    assert events(server, "post.deleted") == [{"post_id": post.id, "was_status": "draft"}]


def test_a_deleted_scheduled_post_never_fires_and_keeps_its_credit_spent(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(
        text="Later", scheduled_at=datetime(2026, 1, 2, tzinfo=UTC), targets=[target("linkedin")]
    )
    assert post.delete().deleted is True
    assert client.post("/_mock/clock/advance", json={"seconds": 3 * 86400}).json()["fired"] == []
    assert sdk.posts.get(post.id).status == "cancelled"
    assert sdk.usage.get().posts_used == 1


def test_deleting_a_failed_post_cancels_it(client: httpx.Client, sdk: SocialAPI) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    failed = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("facebook")]})
    pid = failed.json()["id"]
    assert sdk.posts.delete(pid).deleted is True
    post = sdk.posts.get(pid)
    assert post.status == "cancelled"
    # The failed delivery keeps its error for the record.
    assert [t.status for t in post.targets or []] == ["failed"]


def test_deleting_a_published_post_everywhere_removes_it(
    sdk: SocialAPI, client: httpx.Client, server: MockServer
) -> None:
    post = publish(client, target("facebook"), target("linkedin"), target("twitter"), media=None)
    response = client.delete(f"/v1/posts/{post['id']}")
    assert response.status_code == 200
    DeletePostOut.model_validate(response.json())
    body = response.json()
    assert body["deleted"] is True
    assert {r["outcome"] for r in body["results"]} == {"deleted"}
    assert client.get(f"/v1/posts/{post['id']}").status_code == 404
    assert sdk.posts.list().data == []
    assert events(server, "post.deleted") == [{"post_id": post["id"], "was_status": "published"}]
    with pytest.raises(socialapi.NotFoundError):
        sdk.posts.delete(post["id"])


def test_a_delete_keeps_what_instagram_and_tiktok_cannot_delete(sdk: SocialAPI, client: httpx.Client) -> None:
    photo = publish(client, target("facebook"), INSTAGRAM)
    result = sdk.posts.delete(photo["id"])
    assert result.deleted is False
    assert outcomes(result.results) == {"facebook": "deleted", "instagram": "not_supported"}
    shrunk = sdk.posts.get(photo["id"])
    assert shrunk.status == "published"
    assert [t.platform for t in shrunk.targets or []] == ["instagram"]
    video = publish(client, TIKTOK, media=VIDEO)
    untouched = sdk.posts.delete(video["id"])
    assert (untouched.deleted, outcomes(untouched.results)) == (False, {"tiktok": "not_supported"})
    assert sdk.posts.get(video["id"]).targets[0].status == "published"  # type: ignore[index]


def test_deleting_a_partial_post_leaves_only_live_copies(sdk: SocialAPI, client: httpx.Client) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    partial = publish(client, target("facebook"), INSTAGRAM, target("linkedin"))
    assert partial["status"] == "partial"
    result = sdk.posts.delete(partial["id"])
    assert outcomes(result.results) == {"facebook": "deleted", "instagram": "not_supported", "linkedin": "deleted"}
    left = sdk.posts.get(partial["id"])
    assert (left.status, [t.platform for t in left.targets or []]) == ("published", ["instagram"])


def test_delete_refusals_are_state_invalid_a_400_in_2026_06_22(client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "x", "targets": [target("linkedin")]}).json()["id"]
    client.delete(f"/v1/posts/{pid}")
    again = client.delete(f"/v1/posts/{pid}")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "post.state_invalid"
    assert client.delete("/v1/posts/p_01JG00000000000000000000000").json()["error"]["code"] == "post.not_found"


# -- unpublish -------------------------------------------------------------------------------------


def test_unpublish_everywhere_cancels_the_post_and_keeps_the_ids(
    sdk: SocialAPI, client: httpx.Client, server: MockServer
) -> None:
    post = publish(client, target("facebook"), target("linkedin"), media=None)
    client.post("/_mock/clock/advance", json={"seconds": 60})
    sdk.posts.unpublish(post["id"])
    after = sdk.posts.get(post["id"])
    assert after.status == "cancelled"
    for before, now in zip(post["targets"], after.targets or [], strict=True):
        # The documented target enum has no "cancelled": an unpublished copy is a terminal "failed".
        assert now.status == "failed"
        assert now.error is not None and now.error.message.startswith("unpublished from ")
        assert now.platform_post_id is None
        assert now.metadata == {
            "platform_post_id": before["platform_post_id"],
            "permalink": before["permalink"],
            "unpublished_at": "2026-01-01T00:01:00Z",
        }
    assert events(server, "post.unpublished") == [{"post_id": post["id"], "account_id": None, "unpublished_count": 2}]
    conflict = client.post(f"/v1/posts/{post['id']}/unpublish")
    assert (conflict.status_code, conflict.json()["error"]["code"]) == (400, "post.state_invalid")


def test_unpublish_one_account_keeps_the_rest_live(sdk: SocialAPI, client: httpx.Client, server: MockServer) -> None:
    post = publish(client, target("facebook"), target("linkedin"), media=None)
    sdk.posts.unpublish(post["id"], account_id=ACCOUNTS["linkedin"])
    after = sdk.posts.get(post["id"])
    assert after.status == "published"
    assert {t.platform: t.status for t in after.targets or []} == {"facebook": "published", "linkedin": "failed"}
    assert events(server, "post.unpublished") == [
        {"post_id": post["id"], "account_id": ACCOUNTS["linkedin"], "unpublished_count": 1}
    ]
    metrics = sdk.posts.get_metrics(post["id"])
    assert [t.metrics is not None for t in metrics.targets] == [True, False]
    # Deleting afterwards drops the unpublished target too.
    assert sdk.posts.delete(post["id"]).deleted is True


def test_unpublish_from_instagram_is_refused_not_supported_and_changes_nothing(
    sdk: SocialAPI, client: httpx.Client
) -> None:
    post = publish(client, INSTAGRAM, target("facebook"))
    before = client.get(f"/v1/posts/{post['id']}").json()
    with pytest.raises(socialapi.APIStatusError) as caught:
        sdk.posts.unpublish(post["id"], account_id=ACCOUNTS["instagram"])
    assert caught.value.status_code == 400  # 501 in 2026-08-22 (tests/api/test_api_versions.py)
    assert caught.value.code == "resource.not_supported"
    assert client.get(f"/v1/posts/{post['id']}").json() == before


def test_unpublish_everywhere_takes_down_the_others_and_refuses_instagram(
    client: httpx.Client, server: MockServer
) -> None:
    post = publish(client, INSTAGRAM, target("facebook"))
    response = client.post(f"/v1/posts/{post['id']}/unpublish", json={})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "resource.not_supported"
    assert error["meta"] == {"platforms": ["instagram"], "account_ids": [ACCOUNTS["instagram"]], "unpublished_count": 1}
    after = client.get(f"/v1/posts/{post['id']}").json()
    assert after["status"] == "published"
    assert {t["platform"]: t["status"] for t in after["targets"]} == {"instagram": "published", "facebook": "failed"}
    assert events(server, "post.unpublished")[0]["unpublished_count"] == 1


def test_a_partial_post_is_cancelled_once_its_live_copies_are_gone(client: httpx.Client, sdk: SocialAPI) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    post = publish(client, target("facebook"), target("linkedin"), media=None)
    sdk.posts.unpublish(post["id"])
    after = sdk.posts.get(post["id"])
    assert after.status == "cancelled"
    assert {t.platform: t.status for t in after.targets or []} == {"facebook": "failed", "linkedin": "failed"}


@pytest.mark.parametrize(
    ("setup", "body", "status", "code"),
    [
        ("draft", None, 400, "post.state_invalid"),
        ("published", {"account_id": ACCOUNTS["twitter"]}, 400, "validation.field_invalid"),
        ("published", {"account_id": 7}, 400, "validation.field_invalid"),
        ("published", [], 400, "validation.body_invalid"),
        ("partial", {"account_id": ACCOUNTS["facebook"]}, 400, "post.state_invalid"),
        ("missing", None, 404, "post.not_found"),
    ],
)
def test_unpublish_refusals(client: httpx.Client, setup: str, body: object, status: int, code: str) -> None:
    if setup == "draft":
        pid = client.post("/v1/posts", json={"text": "x", "targets": [target("linkedin")]}).json()["id"]
    elif setup == "missing":
        pid = "p_01JG00000000000000000000000"
    else:
        if setup == "partial":
            client.put("/_mock/scenarios", json={"name": "facebook-down"})
        pid = publish(client, target("facebook"), target("linkedin"), media=None)["id"]
    before = client.get(f"/v1/posts/{pid}").json()
    response = client.post(f"/v1/posts/{pid}/unpublish", json=body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    if setup != "missing":
        assert client.get(f"/v1/posts/{pid}").json() == before
