"""The simulated audience: arrivals are a function of the seed, the subject and the instant, a post's
comments follow its /metrics, webhooks tell of them, it can be switched off, and a saved state brings
back every inbox read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.api.inbox_support import advance, publish
from tests.conftest import ACCOUNTS, API_KEY, AUTH

INBOX_EVENTS = ["comment.received", "dm.received", "review.received", "mention.received"]


def fresh_client(seed: int = 7) -> httpx.Client:
    server = MockServer(Settings(seed=seed))
    server.tenant(API_KEY).inbox.audience.set_enabled(True)
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock.test", headers=AUTH)


def audience_on(client: httpx.Client) -> None:
    assert client.put("/_mock/inbox/audience", json={"enabled": True}).json() == {"enabled": True}


@pytest.fixture
def pair() -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with fresh_client() as first, fresh_client() as second:
        yield first, second


def hook_sink(client: httpx.Client) -> None:
    url = client.post("/_mock/sinks", json={"name": "inbox"}).json()["url"]
    assert client.post("/v1/webhooks", json={"url": url, "events": INBOX_EVENTS}).status_code == 201


def sunk_bodies(client: httpx.Client) -> list[bytes]:
    client.post("/_mock/webhooks/flush")
    received = client.get("/_mock/sinks/inbox").json()["received"]
    return [json.dumps(r["body"], sort_keys=False).encode() for r in received]


def inbox_reads(client: httpx.Client) -> list[bytes]:
    """Every inbox list a client can read, as bytes."""
    answers = [client.get("/v1/inbox/comments", params={"limit": 100})]
    for row in answers[0].json()["data"]:
        answers.append(client.get(f"/v1/inbox/comments/{row['id']}", params={"account_id": row["account_id"]}))
    answers.append(client.get("/v1/inbox/conversations", params={"limit": 100}))
    for conversation in answers[-1].json()["data"]:
        answers.append(client.get(f"/v1/inbox/conversations/{conversation['id']}/messages", params={"limit": 200}))
    answers.append(client.get("/v1/inbox/reviews", params={"limit": 100}))
    for platform in ("instagram", "facebook", "twitter"):
        answers.append(client.get(f"/v1/accounts/{ACCOUNTS[platform]}/mentions", params={"limit": 100}))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    return [a.content for a in answers]


def events(client: httpx.Client) -> list[Any]:
    return [e for e in client.get("/_mock/events").json()["data"] if e["event"] in INBOX_EVENTS]


def test_one_30_day_advance_gives_the_same_audience_as_thirty_1_day_advances(
    pair: tuple[httpx.Client, httpx.Client],
) -> None:
    for client in pair:
        hook_sink(client)
        publish(client, "instagram", "facebook", "threads")
    one, thirty = pair
    advance(one, 30 * 86_400)
    for _ in range(30):
        advance(thirty, 86_400)
    reads = inbox_reads(one)
    assert reads == inbox_reads(thirty)
    assert len(json.loads(reads[0])["data"]) == 3 and all(json.loads(r)["data"] for r in reads[1:4])
    assert events(one) == events(thirty) and len(events(one)) > 60
    assert sunk_bodies(one) == sunk_bodies(thirty)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_people() -> None:
    answers = []
    for seed in (7, 7, 8):
        with fresh_client(seed) as client:
            publish(client, "instagram")
            advance(client, 3 * 86_400)
            answers.append(inbox_reads(client))
    assert answers[0] == answers[1]
    assert answers[0] != answers[2]


def test_a_post_s_comments_follow_its_metrics_up_to_the_bound(client: httpx.Client) -> None:
    audience_on(client)
    post_id = client.post(
        "/v1/posts",
        json={
            "text": "hi",
            "publish_now": True,
            "media_ids": ["med_01JGB6MH4JMAGG40TGT036F1K7"],
            "targets": [{"account_id": ACCOUNTS["facebook"]}],
        },
    ).json()["id"]
    seen = set()
    for _ in range(40):
        advance(client, 300)
        (metrics,) = client.get(f"/v1/posts/{post_id}/metrics").json()["data"]["targets"]
        expected = metrics["metrics"]["comments"]
        (row,) = client.get("/v1/inbox/comments").json()["data"]
        listed = client.get(f"/v1/inbox/comments/{row['id']}", params={"account_id": row["account_id"], "limit": 100})
        assert row["comment_count"] == expected
        assert len(listed.json()["data"]) == min(expected, 20)
        seen.add(min(expected, 20))
    assert len(seen) > 3  # the count grew while the test watched


def test_comment_webhooks_carry_the_interaction() -> None:
    client = fresh_client()
    hook_sink(client)
    posts = publish(client, "instagram", "twitter")
    advance(client, 86_400)
    bodies = [json.loads(b) for b in sunk_bodies(client)]
    comments = [b for b in bodies if b["event"] == "comment.received"]
    assert comments, bodies
    # No comment webhooks from X: "every platform that produces comment events is Meta-based".
    assert {b["data"]["platform_post_id"] for b in comments} == {posts["instagram"]}
    data = comments[0]["data"]
    assert data["type"] == "comment" and data["id"].startswith("sapi_cmt_") and data["content"]["text"]
    assert set(data["author"]) == {"id", "name", "username"}
    listed = client.get(f"/v1/inbox/comments/{posts['instagram']}", params={"account_id": ACCOUNTS["instagram"]})
    assert data["id"] == listed.json()["data"][0]["id"]
    tweets = client.get(f"/v1/inbox/comments/{posts['twitter']}", params={"account_id": ACCOUNTS["twitter"]})
    assert tweets.json()["data"]  # X's comments arrived, silently


def test_switched_off_nothing_arrives_and_switched_on_it_starts_from_now(client: httpx.Client) -> None:
    audience_on(client)
    publish(client, "instagram")
    # Switched off with the post's comments and the accounts' DMs already on the schedule.
    client.put("/_mock/inbox/audience", json={"enabled": False})
    advance(client, 86_400)
    # The post is listed, but no comment, conversation, review or mention came.
    assert all(json.loads(r)["data"] == [] for r in inbox_reads(client)[1:])
    assert events(client) == []
    client.put("/_mock/inbox/audience", json={"enabled": True})
    assert events(client) == []
    advance(client, 86_400)
    arrived = events(client)
    assert arrived and min(e["created_at"] for e in arrived) > "2026-01-02T00:00:00Z"


def test_a_saved_state_brings_back_every_inbox_read() -> None:
    client = fresh_client()
    publish(client, "instagram", "facebook")
    advance(client, 2 * 86_400)
    client.post(
        "/_mock/inbox/arrivals",
        json={"kind": "dm", "account_id": ACCOUNTS["instagram"], "text": "later", "at": "2026-01-05T00:00:00Z"},
    )
    before = inbox_reads(client)
    saved = client.get("/_mock/state").content
    with fresh_client() as other:
        assert other.put("/_mock/state", content=saved, headers={"Content-Type": "application/json"}).status_code == 200
        assert inbox_reads(other) == before
        advance(client, 3 * 86_400)
        advance(other, 3 * 86_400)
        assert inbox_reads(other) == inbox_reads(client)
