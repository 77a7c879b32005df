"""Where the guide pages contradict the reference, the mock follows the reference and says so."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACCOUNTS

THREADS, LINKEDIN, FACEBOOK = ACCOUNTS["threads"], ACCOUNTS["linkedin"], ACCOUNTS["facebook"]


def published(client: httpx.Client, *accounts: str) -> str:
    targets = [{"account_id": a} for a in accounts]
    post = client.post("/v1/posts", json={"text": "Fresh roast", "targets": targets, "publish_now": True})
    assert post.json()["status"] == "published"
    return str(post.json()["id"])


def test_delete_with_a_platform_parameter_deletes_everywhere_and_says_so(client: httpx.Client) -> None:
    # Four platform pages show DELETE /v1/posts/{pid}?platform=x; the reference has no such parameter.
    pid = published(client, THREADS, LINKEDIN)
    deleted = client.delete(f"/v1/posts/{pid}", params={"platform": "threads"})
    assert deleted.status_code == 200
    assert [r["outcome"] for r in deleted.json()["results"]] == ["deleted", "deleted"]
    warning = deleted.headers["X-Mock-Warnings"]
    assert "query parameter platform is not a parameter of this request" in warning
    assert "applies to the whole post on every platform" in warning


def test_unknown_query_parameters_are_warned_about_like_unknown_body_fields(client: httpx.Client) -> None:
    listed = client.get("/v1/posts", params={"platfrom": "threads", "limit": "5"})
    assert listed.status_code == 200
    assert listed.headers["X-Mock-Warnings"] == (
        "query parameter platfrom is not a parameter of this request and was ignored (did you mean platform?)"
    )
    assert "X-Mock-Warnings" not in client.get("/v1/posts", params={"platform": "threads", "limit": "5"}).headers
    journal = client.get("/_mock/requests", params={"path": "/v1/posts", "method": "GET"}).json()["data"]
    assert any("platfrom" in " ".join(entry["warnings"]) for entry in journal)


@pytest.mark.parametrize("route", ["/v1/posts", "/v1/accounts", "/v1/media"])
def test_strict_mode_refuses_an_unknown_query_parameter(client: httpx.Client, route: str) -> None:
    refused = client.get(route, params={"order_by": "newest"}, headers={"X-Mock-Strict": "1"})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert (error["code"], error["meta"]["field"]) == ("validation.unknown_field", "query.order_by")


def test_strict_mode_refuses_delete_with_platform_before_deleting(client: httpx.Client) -> None:
    pid = published(client, THREADS)
    refused = client.delete(f"/v1/posts/{pid}", params={"platform": "threads"}, headers={"X-Mock-Strict": "1"})
    assert refused.status_code == 400
    assert client.get(f"/v1/posts/{pid}").json()["status"] == "published"


def test_editing_a_published_post_names_the_guide_page_and_the_rule(client: httpx.Client) -> None:
    pid = published(client, FACEBOOK, THREADS)
    refused = client.patch(f"/v1/posts/{pid}", json={"text": "Fixed typo"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "post.state_invalid"
    assert refused.headers["X-Mock-Warnings"] == (
        "posts/facebook (4. Update post) shows editing a published post, but the reference allows "
        "PATCH /v1/posts/{pid} only on draft, scheduled or failed posts (this one is published)"
    )
    # A platform whose page does not show it gets the refusal alone.
    only_threads = published(client, THREADS)
    assert "X-Mock-Warnings" not in client.patch(f"/v1/posts/{only_threads}", json={"text": "x"}).headers
