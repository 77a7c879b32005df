"""A brand-restricted key (2026-08-22) sees its brands' accounts and the posts that target them;
everything else reads as if it did not exist: filtered lists and a plain 404, never a 403."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from socialapi import NotFoundError, SocialAPI

from mockserver import MockServer, Settings
from mockserver.core.versions import V0822
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, IMAGE, target


@pytest.fixture
def settings() -> Settings:
    # Publishing synchronously: the inbox test comments on posts as soon as they are created.
    return Settings(api_version=V0822, publish_mode="sync")


def http_as(server: MockServer, key: str) -> httpx.Client:
    return httpx.Client(
        transport=sync_transport(server.app), base_url="http://mock", headers={"Authorization": f"Bearer {key}"}
    )


class Team:
    """The fixture brand holds every fixture account; a second brand holds one connected Pinterest account."""

    def __init__(self, server: MockServer, admin: httpx.Client) -> None:
        self.home = admin.get("/v1/brands").json()["data"][0]["id"]
        self.other = admin.post("/v1/brands", json={"name": "Other brand"}).json()["id"]
        connect = admin.post("/v1/accounts/connect", json={"platform": "pinterest", "brand_id": self.other})
        approved = admin.post("/_mock/oauth/approve", json={"auth_url": connect.json()["auth_url"]})
        self.outside_account = approved.json()["account_id"]
        self.inside_post = admin.post("/v1/posts", json={"text": "in", "targets": [target("linkedin")]}).json()["id"]
        outside = {"text": "out", "targets": [{"account_id": self.outside_account}]}
        self.outside_post = admin.post("/v1/posts", json=outside).json()["id"]
        self.untargeted_draft = admin.post("/v1/posts", json={"text": "nobody's"}).json()["id"]
        key = {"name": "home only", "brand_ids": [self.home]}
        self.secret = admin.post("/v1/keys", json=key).json()["raw_key"]
        self.restricted = http_as(server, self.secret)


@pytest.fixture
def team(server: MockServer, client: httpx.Client) -> Iterator[Team]:
    made = Team(server, client)
    yield made
    made.restricted.close()


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_lists_leave_out_what_lies_outside_the_keys_brands(team: Team, client: httpx.Client) -> None:
    assert team.restricted.get("/v1/brands").json()["data"] == [
        b for b in client.get("/v1/brands").json()["data"] if b["id"] == team.home
    ]
    accounts = ids(team.restricted.get("/v1/accounts"))
    everyone = ids(client.get("/v1/accounts"))
    assert team.outside_account in everyone and set(ACCOUNTS.values()) <= set(accounts)
    assert accounts == [a for a in everyone if a != team.outside_account]
    listed = ids(team.restricted.get("/v1/posts", params={"limit": 100}))
    assert team.inside_post in listed
    assert team.outside_post not in listed and team.untargeted_draft not in listed
    # The full-access key still sees everything.
    assert {team.outside_post, team.untargeted_draft} <= set(ids(client.get("/v1/posts", params={"limit": 100})))


def test_anything_outside_answers_the_plain_404_of_an_unknown_id(team: Team) -> None:
    def refusal(path: str, method: str = "GET") -> tuple[int, str]:
        answer = team.restricted.request(method, path)
        return answer.status_code, answer.json()["error"]["code"]

    assert refusal(f"/v1/posts/{team.outside_post}") == (404, "post.not_found")
    assert refusal(f"/v1/posts/{team.untargeted_draft}/publish", "POST") == (404, "post.not_found")
    assert refusal(f"/v1/accounts/{team.outside_account}/boards") == (404, "account.not_found")
    by_brand = team.restricted.get("/v1/accounts", params={"brand_id": team.other})
    assert (by_brand.status_code, by_brand.json()["error"]["code"]) == (404, "brand.not_found")
    # The same message as an id nobody holds: the answer does not tell that the post exists.
    hidden = team.restricted.get(f"/v1/posts/{team.outside_post}").json()["error"]["message"]
    unknown = team.restricted.get("/v1/posts/p_01JZZZZZZZZZZZZZZZZZZZZZZZ").json()["error"]["message"]
    assert hidden.replace(team.outside_post, "ID") == unknown.replace("p_01JZZZZZZZZZZZZZZZZZZZZZZZ", "ID")
    assert team.restricted.get(f"/v1/posts/{team.inside_post}").status_code == 200


def test_a_target_outside_the_keys_brands_is_an_unknown_account_and_nothing_is_stored(
    team: Team, client: httpx.Client
) -> None:
    before = ids(client.get("/v1/posts", params={"limit": 100}))
    body = {"text": "sneaky", "targets": [{"account_id": team.outside_account}]}
    refused = team.restricted.post("/v1/posts", json=body)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "account.not_found"
    assert ids(client.get("/v1/posts", params={"limit": 100})) == before
    moved = team.restricted.patch(f"/v1/posts/{team.inside_post}", json=body)
    assert (moved.status_code, moved.json()["error"]["code"]) == (404, "account.not_found")
    assert team.restricted.post("/v1/posts", json={"text": "fine", "targets": [target("linkedin")]}).status_code == 201


def test_the_sdk_reads_a_hidden_post_as_not_found(server: MockServer, team: Team) -> None:
    sdk = SocialAPI(
        api_key=team.secret, base_url="http://mock", max_retries=0, http_client=http_as(server, team.secret)
    )
    with pytest.raises(NotFoundError):
        sdk.posts.get(team.outside_post)
    assert team.outside_account not in [a.id for a in sdk.accounts.list()]


def test_the_inbox_lists_leave_out_what_arrived_on_other_brands(team: Team, client: httpx.Client) -> None:
    def connect(platform: str) -> str:
        started = client.post("/v1/accounts/connect", json={"platform": platform, "brand_id": team.other})
        return str(
            client.post("/_mock/oauth/approve", json={"auth_url": started.json()["auth_url"]}).json()["account_id"]
        )

    outside_instagram, outside_google = connect("instagram"), connect("google")
    posts: dict[str, str] = {}
    for account in (ACCOUNTS["instagram"], outside_instagram):
        body = {
            "text": "a post",
            "publish_now": True,
            "media_ids": [IMAGE],
            "targets": [{"account_id": account, "platform_data": {"content_type": "feed"}}],
        }
        published = client.post("/v1/posts", json=body)
        assert published.status_code == 201, published.text
        posts[account] = published.json()["targets"][0]["platform_post_id"]
        arrivals = [
            {"kind": "comment", "post_id": posts[account], "text": "hi"},
            {"kind": "dm", "account_id": account, "text": "hello"},
        ]
        for arrival in arrivals:
            assert client.post("/_mock/inbox/arrivals", json=arrival).status_code == 201
    for account in (ACCOUNTS["google"], outside_google):
        review = {"kind": "review", "account_id": account, "text": "ok", "rating": 4}
        assert client.post("/_mock/inbox/arrivals", json=review).status_code == 201

    def accounts_in(path: str, http: httpx.Client) -> set[str]:
        answer = http.get(path)
        assert answer.status_code == 200, answer.text
        return {row["account_id"] for row in answer.json()["data"]}

    for path in ("/v1/inbox/comments", "/v1/inbox/conversations", "/v1/inbox/reviews"):
        everyone = accounts_in(path, client)
        assert everyone & {outside_instagram, outside_google}, path  # the admin key sees both brands
        assert accounts_in(path, team.restricted) == everyone - {outside_instagram, outside_google}, path
    refused = team.restricted.get("/v1/inbox/reviews", params={"account_id": outside_google})
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "account.not_found")
