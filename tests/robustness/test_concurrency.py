"""Many clients at once against one live server: nothing lost, nothing doubled, credits exact."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from mockserver import MockServer, ThreadedServer
from tests.conftest import ACCOUNTS
from tests.contract.budget import tally

CLIENTS = 16
CREATES = 40


@pytest.fixture(scope="module")
def live() -> Iterator[ThreadedServer]:
    with ThreadedServer(MockServer()) as running:
        yield running


def in_parallel(live: ThreadedServer, key: str, work: Callable[[httpx.Client, int], Any], count: int) -> list[Any]:
    """``work(client, n)`` for n in range(count), on CLIENTS threads, each with its own connection."""

    def run(worker: int) -> list[Any]:
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
            return [work(http, n) for n in range(worker, count, CLIENTS)]

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [item for chunk in pool.map(run, range(CLIENTS)) for item in chunk]
    tally("requests under load", count)
    return results


def every_post(http: httpx.Client) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100, "sort": "created_asc"}
    while True:
        page = http.get("/v1/posts", params=params).json()
        posts += page["data"]
        if not page["pagination"]["has_more"]:
            return posts
        params["cursor"] = page["pagination"]["next_cursor"]


def schedule(text: str, at: str = "2026-01-02T00:00:00Z") -> dict[str, Any]:
    return {"text": text, "targets": [{"account_id": ACCOUNTS["linkedin"]}], "scheduled_at": at}


def test_parallel_creates_store_every_post_once_and_charge_every_credit(live: ThreadedServer) -> None:
    key = "sapi_key_parallel_creates"
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}) as http:
        assert http.patch("/_mock/tenant", json={"plan": "free", "posts_limit": 10_000}).status_code == 200
        statuses = in_parallel(
            live, key, lambda c, n: c.post("/v1/posts", json=schedule(f"post {n}")).status_code, CLIENTS * CREATES
        )
        posts = every_post(http)
        usage = http.get("/v1/usage").json()
    assert Counter(statuses) == {201: CLIENTS * CREATES}
    assert len(posts) == CLIENTS * CREATES
    assert len({p["id"] for p in posts}) == CLIENTS * CREATES
    assert sorted(p["text"] for p in posts) == sorted(f"post {n}" for n in range(CLIENTS * CREATES))
    assert usage["posts_used"] == CLIENTS * CREATES


def test_parallel_creates_never_spend_more_credits_than_the_plan_has(live: ThreadedServer) -> None:
    key = "sapi_key_parallel_credits"
    limit = CLIENTS * CREATES - 37
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}) as http:
        assert http.patch("/_mock/tenant", json={"plan": "free", "posts_limit": limit}).status_code == 200
        statuses = in_parallel(
            live, key, lambda c, n: c.post("/v1/posts", json=schedule(f"post {n}")).status_code, CLIENTS * CREATES
        )
        usage = http.get("/v1/usage").json()
        stored = len(every_post(http))
    assert Counter(statuses) == {201: limit, 429: 37}
    assert usage["posts_used"] == limit == stored


def test_parallel_advances_and_publishes_fire_each_post_exactly_once(live: ThreadedServer) -> None:
    key = "sapi_key_parallel_firing"
    total = 240
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}) as http:
        ids = []
        for n in range(total):
            at = f"2026-01-01T{1 + n // 60:02d}:{n % 60:02d}:00Z"
            response = http.post("/v1/posts", json=schedule(f"fire {n}", at))
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])

        def act(client: httpx.Client, n: int) -> list[str]:
            if n % 2:  # half the calls publish a post by hand, half move the clock on by a minute
                response = client.post(f"/v1/posts/{ids[n]}/publish")
                assert response.status_code in (201, 409), response.text
                return [ids[n]] if response.status_code == 201 else []
            response = client.post("/_mock/clock/advance", json={"seconds": 60})
            assert response.status_code == 200, response.text
            return [fired["post_id"] for fired in response.json()["fired"]]

        fired = [pid for batch in in_parallel(live, key, act, total) for pid in batch]
        rest = http.post("/_mock/clock/advance", json={"to": "2026-01-02T00:00:00Z"}).json()["fired"]
        fired += [f["post_id"] for f in rest]
        events = http.get("/_mock/events", params={"event": "post.published"}).json()["data"]
        statuses = Counter(p["status"] for p in every_post(http))
    assert sorted(fired) == sorted(ids)  # every post fired, none twice
    assert Counter(e["data"]["post_id"] for e in events) == dict.fromkeys(ids, 1)
    assert statuses == {"published": total}
