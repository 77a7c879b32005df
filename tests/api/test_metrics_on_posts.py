"""Published targets carry ``metrics`` and ``metrics_synced_at`` in GET, list and webhook payloads:
the numbers of ``GET /v1/posts/{pid}/metrics`` at the same fake instant."""

from __future__ import annotations

import httpx
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.core.records.events import event_json
from tests.conftest import API_KEY, target


def publish(client: httpx.Client) -> str:
    body = {"text": "numbers", "publish_now": True, "targets": [target("linkedin"), target("facebook")]}
    return str(client.post("/v1/posts", json=body).json()["id"])


def test_get_and_list_carry_the_metrics_endpoints_numbers(client: httpx.Client) -> None:
    pid = publish(client)
    client.post("/_mock/clock/advance", json={"seconds": 6 * 3600})
    expected = client.get(f"/v1/posts/{pid}/metrics").json()["data"]["targets"]
    got = client.get(f"/v1/posts/{pid}").json()["targets"]
    listed = client.get("/v1/posts").json()["data"][0]["targets"]
    for target_json in (got, listed):
        assert [t["metrics"] for t in target_json] == [t["metrics"] for t in expected]
        assert {t["metrics_synced_at"] for t in target_json} == {"2026-01-01T06:00:00Z"}
    assert got[0]["metrics"]["likes"] > 0


def test_the_numbers_grow_with_the_fake_clock_and_not_without_it(client: httpx.Client) -> None:
    pid = publish(client)
    client.post("/_mock/clock/advance", json={"seconds": 3600})
    first = client.get(f"/v1/posts/{pid}").json()["targets"][0]["metrics"]
    assert client.get(f"/v1/posts/{pid}").json()["targets"][0]["metrics"] == first
    client.post("/_mock/clock/advance", json={"seconds": 86_400})
    later = client.get(f"/v1/posts/{pid}").json()["targets"][0]["metrics"]
    assert later["likes"] >= first["likes"] and later != first


def test_unpublished_targets_have_no_metrics(client: httpx.Client) -> None:
    draft = client.post("/v1/posts", json={"text": "d", "targets": [target("linkedin")]}).json()
    assert "metrics" not in draft["targets"][0]
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    partial = client.post(
        "/v1/posts", json={"text": "p", "publish_now": True, "targets": [target("linkedin"), target("facebook")]}
    ).json()
    assert ["metrics" in t for t in partial["targets"]] == [True, False]


def test_the_sdk_reads_metrics_from_a_plain_get(sdk: SocialAPI, client: httpx.Client) -> None:
    pid = publish(client)
    client.post("/_mock/clock/advance", json={"seconds": 7200})
    post = sdk.posts.get(pid)
    metrics = sdk.posts.get_metrics(pid)
    assert [t.metrics.likes for t in post.targets or [] if t.metrics] == [
        t.metrics.likes for t in metrics.targets if t.metrics
    ]
    assert post.targets and post.targets[0].metrics and post.targets[0].metrics.likes > 0


def test_webhook_payloads_carry_the_metrics_at_the_instant_of_the_event(
    client: httpx.Client, server: MockServer
) -> None:
    body = {"text": "later", "scheduled_at": "2026-01-01T09:00:00Z", "targets": [target("linkedin")]}
    pid = client.post("/v1/posts", json=body).json()["id"]
    client.post("/_mock/clock/advance", json={"to": "2026-01-02T09:00:00Z"})
    record = next(e for e in server.tenant(API_KEY).event_records() if e.event == "post.published")
    event = {"data": event_json(record.data)}
    result = event["data"]["results"][0]
    assert result["metrics_synced_at"] == "2026-01-01T09:00:00Z"
    # Fired at 09:00: the counters of a post that has just gone live.
    assert (result["metrics"]["likes"], result["metrics"]["comments"]) == (0, 0)
    assert event["data"]["post_id"] == pid
