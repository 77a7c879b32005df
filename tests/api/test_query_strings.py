"""Query strings are parsed by the same models that document them in ``/openapi.json``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mockserver import MockServer


def _webhook(client: httpx.Client) -> str:
    created = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["post.published"]})
    return str(created.json()["id"])


@pytest.mark.parametrize(
    ("path", "field", "code"),
    [
        ("/v1/media?limit=0", "limit", "validation.field_invalid"),
        ("/v1/media?limit=101", "limit", "validation.field_invalid"),
        ("/v1/webhooks/{webhook}/deliveries?limit=x", "limit", "validation.field_invalid"),
        ("/v1/webhooks/{webhook}/deliveries?status=lost", "status", "validation.field_invalid"),
        ("/v1/media/upload-url?filename=a.png", "media_type", "validation.field_required"),
        ("/v1/posts/validate?platform=" + "x" * 41, "platform", "validation.field_invalid"),
    ],
)
def test_a_bad_query_value_is_a_400_naming_the_parameter(
    client: httpx.Client, path: str, field: str, code: str
) -> None:
    response = client.get(path.format(webhook=_webhook(client)) if "{webhook}" in path else path)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["code"], error["meta"]["field"]) == (code, field)
    assert field in error["message"]


def test_a_missing_required_parameter_says_it_is_a_query_parameter(client: httpx.Client) -> None:
    error = client.get("/v1/media/upload-url?media_type=image/png").json()["error"]
    assert error["message"] == "the query parameter filename is required"


def test_an_empty_value_counts_as_absent(client: httpx.Client) -> None:
    client.post("/v1/posts", json={"text": "a draft"})
    plain = client.get("/v1/posts")
    empty = client.get("/v1/posts?status=&limit=&hidden=&from=&sort=")
    assert empty.status_code == 200
    assert empty.json() == plain.json()


@pytest.mark.parametrize(("path", "limit"), [("/v1/posts", 25), ("/v1/media", 50)])
def test_the_documented_default_page_size_is_the_one_used(
    client: httpx.Client, server: MockServer, path: str, limit: int
) -> None:
    document: dict[str, Any] = client.get("/openapi.json").json()
    params = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
    assert params["limit"]["schema"]["default"] == limit
    if path == "/v1/posts":
        for n in range(limit + 1):
            client.post("/v1/posts", json={"text": f"draft {n}"})
        body = client.get(path).json()
        assert (len(body["data"]), body["pagination"]["limit"], body["pagination"]["has_more"]) == (limit, limit, True)


def test_a_query_flag_accepts_true_and_false(client: httpx.Client) -> None:
    assert client.get("/v1/posts?hidden=true").status_code == 200
    assert client.get("/v1/posts?hidden=0").status_code == 200
    csv = b"text\nhello\n"
    dry = client.post("/v1/posts/import?dry_run=true", files={"file": ("a.csv", csv, "text/csv")})
    assert dry.status_code == 200, dry.text
    assert client.get("/v1/posts").json()["data"] == []
