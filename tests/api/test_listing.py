"""GET /v1/posts: filters, sorts and cursor pagination."""

from __future__ import annotations

import httpx
import pytest
from socialapi import SocialAPI

from tests.conftest import ACCOUNTS, target


@pytest.fixture
def mixed(client: httpx.Client) -> dict[str, list[str]]:
    """Drafts, scheduled and published posts on different accounts, created an hour apart."""
    made: dict[str, list[str]] = {"draft": [], "scheduled": [], "published": []}
    for n in range(12):
        kind = ("draft", "scheduled", "published")[n % 3]
        body: dict[str, object] = {
            "text": f"Post {n} {'Coffee' if n % 2 else 'tea'}",
            "targets": [target("linkedin" if n % 2 else "twitter")],
        }
        if kind == "scheduled":
            body["scheduled_at"] = f"2026-02-{n + 1:02d}T00:00:00Z"
        if kind == "published":
            body["publish_now"] = True
        made[kind].append(client.post("/v1/posts", json=body).json()["id"])
        client.post("/_mock/clock/advance", json={"seconds": 3600})
    return made


def test_sdk_pages_through_every_post_exactly_once(sdk: SocialAPI, mixed: dict[str, list[str]]) -> None:
    seen = [post.id for post in sdk.posts.list(limit=5)]
    assert sorted(seen) == sorted(pid for ids in mixed.values() for pid in ids)
    assert len(seen) == len(set(seen))


def test_pagination_envelope(client: httpx.Client, mixed: dict[str, list[str]]) -> None:
    first = client.get("/v1/posts", params={"limit": 5}).json()
    assert first["pagination"]["has_more"] is True
    assert first["pagination"]["limit"] == 5
    rest = client.get("/v1/posts", params={"limit": 100, "cursor": first["pagination"]["next_cursor"]}).json()
    assert rest["pagination"] == {"has_more": False, "limit": 100}
    assert len(first["data"]) + len(rest["data"]) == 12


def test_default_sort_is_by_schedule_then_creation(client: httpx.Client, mixed: dict[str, list[str]]) -> None:
    data = client.get("/v1/posts", params={"limit": 100}).json()["data"]
    moments = [p["scheduled_at"] or p["created_at"] for p in data]
    assert moments == sorted(moments)
    assert [p["id"] for p in data][-4:] == mixed["scheduled"]


@pytest.mark.parametrize("sort", ["created_asc", "created_desc", "scheduled_asc", "scheduled_desc"])
def test_sorts_page_consistently(client: httpx.Client, mixed: dict[str, list[str]], sort: str) -> None:
    whole = [p["id"] for p in client.get("/v1/posts", params={"limit": 100, "sort": sort}).json()["data"]]
    paged: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 5, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/posts", params=params).json()
        paged += [p["id"] for p in page["data"]]
        cursor = page["pagination"].get("next_cursor")
        if not page["pagination"]["has_more"]:
            break
    assert paged == whole
    key = "created_at" if sort.startswith("created") else "scheduled_at"
    if sort.startswith("created"):
        created = [client.get(f"/v1/posts/{pid}").json()[key] for pid in whole]
        assert created == sorted(created, reverse=sort.endswith("desc"))


def test_filters(client: httpx.Client, mixed: dict[str, list[str]]) -> None:
    def ids(**params: object) -> set[str]:
        return {p["id"] for p in client.get("/v1/posts", params={"limit": 100, **params}).json()["data"]}

    assert ids(status="scheduled") == set(mixed["scheduled"])
    linkedin = ids(account_ids=ACCOUNTS["linkedin"])
    assert ids(platform="linkedin") == linkedin
    assert len(linkedin) == 6
    everything = {pid for made in mixed.values() for pid in made}
    assert ids(account_ids=f"{ACCOUNTS['linkedin']},{ACCOUNTS['twitter']}") == everything
    assert len(ids(search="COFFEE")) == 6
    assert len(ids(status="published", platform="twitter")) == 2
    window = ids(**{"from": "2026-01-01T02:00:00Z", "to": "2026-01-01T05:00:00Z"})
    assert len(window) == 3


def test_hidden_posts_are_listed_only_on_request(client: httpx.Client, server: object) -> None:
    from mockserver import MockServer

    assert isinstance(server, MockServer)
    pid = client.post("/v1/posts", json={"text": "secret"}).json()["id"]
    server.tenant("sapi_key_test").state.posts.get(pid).hidden = True  # type: ignore[union-attr]
    assert client.get("/v1/posts").json()["data"] == []
    assert [p["id"] for p in client.get("/v1/posts", params={"hidden": "true"}).json()["data"]] == [pid]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"sort": "-created_at"}, "sort"),
        ({"status": "done"}, "status"),
        ({"platform": "myspace"}, "platform"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"from": "yesterday"}, "from"),
        ({"hidden": "maybe"}, "hidden"),
    ],
)
def test_bad_queries_are_400(client: httpx.Client, params: dict[str, object], field: str) -> None:
    response = client.get("/v1/posts", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation.field_invalid"
    assert response.json()["error"]["meta"]["field"] == field


def test_a_cursor_from_another_sort_is_refused(client: httpx.Client, mixed: dict[str, list[str]]) -> None:
    cursor = client.get("/v1/posts", params={"limit": 2}).json()["pagination"]["next_cursor"]
    response = client.get("/v1/posts", params={"cursor": cursor, "sort": "created_desc"})
    assert response.status_code == 400
