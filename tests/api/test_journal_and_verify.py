"""The journal queried (``/_mock/requests``), the delivery log (``/_mock/deliveries``) and ``/_mock/verify``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, target


def paths(client: httpx.Client, **params: Any) -> list[tuple[str, str, int]]:
    response = client.get("/_mock/requests", params=params)
    assert response.status_code == 200, response.text
    return [(e["method"], e["path"], e["status"]) for e in response.json()["data"]]


@pytest.fixture
def traffic(client: httpx.Client) -> dict[str, str]:
    """A draft, a published post, a 404 and a list, one second apart on the fake clock."""
    draft = client.post("/v1/posts", json={"text": "draft one"}, headers={"X-Request-ID": "req-draft"}).json()
    client.post("/_mock/clock/advance", json={"seconds": 1})
    client.post(f"/v1/posts/{draft['id']}/publish", json={})
    client.post("/_mock/clock/advance", json={"seconds": 1})
    client.get("/v1/posts/p_missing")
    client.get("/v1/posts", params={"limit": 5})
    return {"draft": draft["id"]}


# -- GET /_mock/requests filters -------------------------------------------------------------------


def test_method_filter_ignores_case(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert paths(client, method="get") == [("GET", "/v1/posts/p_missing", 404), ("GET", "/v1/posts", 200)]


def test_path_filter_takes_a_literal_path(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert paths(client, path="/v1/posts") == [("POST", "/v1/posts", 201), ("GET", "/v1/posts", 200)]


def test_path_filter_takes_a_route_template_whose_parameter_is_one_segment(
    client: httpx.Client, traffic: dict[str, str]
) -> None:
    assert paths(client, path="/v1/posts/{pid}") == [("GET", "/v1/posts/p_missing", 404)]
    assert paths(client, path="/v1/posts/{pid}/publish") == [("POST", f"/v1/posts/{traffic['draft']}/publish", 400)]


def test_status_filter(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert paths(client, status=404) == [("GET", "/v1/posts/p_missing", 404)]


def test_since_filter_is_a_fake_instant_and_inclusive(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert [p for _, p, _ in paths(client, since="2026-01-01T00:00:02Z")] == ["/v1/posts/p_missing", "/v1/posts"]
    assert len(paths(client, since="2026-01-01T00:00:01Z")) == 3


def test_request_id_filter(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert paths(client, request_id="req-draft") == [("POST", "/v1/posts", 201)]


def test_limit_keeps_the_newest_entries_oldest_first(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert paths(client, limit=2) == [("GET", "/v1/posts/p_missing", 404), ("GET", "/v1/posts", 200)]
    assert paths(client, method="POST", limit=1) == [("POST", f"/v1/posts/{traffic['draft']}/publish", 400)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"status": "teapot"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"path": "v1/posts"}, "path"),
        ({"pathh": "/v1/posts"}, "pathh"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client: httpx.Client, params: dict[str, Any], field: str) -> None:
    response = client.get("/_mock/requests", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["meta"]["field"] == field


def test_delete_empties_the_journal(client: httpx.Client, traffic: dict[str, str]) -> None:
    assert client.delete("/_mock/requests").json() == {"success": True}
    assert paths(client) == []
    client.get("/v1/accounts")
    assert paths(client) == [("GET", "/v1/accounts", 200)]


# -- GET /_mock/deliveries -------------------------------------------------------------------------


@pytest.fixture
def delivered(client: httpx.Client) -> str:
    """Facebook down, LinkedIn fine, one post to both with a LinkedIn text override and platform_data."""
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    post = client.post(
        "/v1/posts",
        json={
            "text": "Grand opening",
            "publish_now": True,
            "targets": [
                target("facebook"),
                {"account_id": ACCOUNTS["linkedin"], "text": "Grand opening (LinkedIn cut)"},
            ],
            "platform_data": {"linkedin": {"visibility": "PUBLIC"}},
        },
    ).json()
    assert post["status"] == "partial"
    return str(post["id"])


def deliveries(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/_mock/deliveries", params=params)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_a_delivery_is_recorded_as_the_platform_received_it(client: httpx.Client, delivered: str) -> None:
    facebook, linkedin = deliveries(client)
    assert facebook["platform"] == "facebook" and facebook["outcome"] == "failed"
    assert facebook["error"]["code"] == "platform.facebook.api_error"
    assert facebook["scenario_rule"] == "facebook-down.deliveries[0]"
    assert facebook["page_id"] is not None
    assert (facebook["attempt"], facebook["at"], facebook["post_id"]) == (1, "2026-01-01T00:00:00Z", delivered)
    # The per-target text override and the folded platform_data are what LinkedIn got.
    assert linkedin["text"] == "Grand opening (LinkedIn cut)"
    assert linkedin["platform_data"] == {"visibility": "PUBLIC"}
    assert (linkedin["outcome"], linkedin["error"], linkedin["scenario_rule"]) == ("published", None, None)


def test_a_retry_is_a_second_attempt(client: httpx.Client, delivered: str) -> None:
    client.delete("/_mock/scenarios")
    client.post(f"/v1/posts/{delivered}/retry")
    client.post("/_mock/clock/advance", json={"seconds": 0})
    attempts = [(d["attempt"], d["outcome"]) for d in deliveries(client, platform="facebook")]
    assert attempts == [(1, "failed"), (2, "published")]


@pytest.mark.parametrize(
    ("params", "platforms"),
    [
        ({"platform": "linkedin"}, ["linkedin"]),
        ({"account_id": ACCOUNTS["facebook"]}, ["facebook"]),
        ({"outcome": "failed"}, ["facebook"]),
        ({"outcome": "published"}, ["linkedin"]),
        ({"post_id": "p_other"}, []),
    ],
)
def test_delivery_filters(client: httpx.Client, delivered: str, params: dict[str, str], platforms: list[str]) -> None:
    assert [d["platform"] for d in deliveries(client, **params)] == platforms


def test_post_id_filter(client: httpx.Client, delivered: str) -> None:
    assert len(deliveries(client, post_id=delivered)) == 2


@pytest.mark.parametrize(("params", "field"), [({"platform": "myspace"}, "platform"), ({"outcome": "ok"}, "outcome")])
def test_bad_delivery_filters_are_a_400(client: httpx.Client, params: dict[str, str], field: str) -> None:
    response = client.get("/_mock/deliveries", params=params)
    assert response.status_code == 400 and response.json()["error"]["meta"]["field"] == field


def test_the_delivery_log_is_bounded_by_the_journal_size() -> None:
    server = MockServer(Settings(journal_size=2))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://m", headers=AUTH) as http:
        for n in range(3):
            http.post("/v1/posts", json={"text": f"post {n}", "publish_now": True, "targets": [target("linkedin")]})
        assert [d["text"] for d in http.get("/_mock/deliveries").json()["data"]] == ["post 1", "post 2"]


def test_reset_empties_the_delivery_log(client: httpx.Client, delivered: str) -> None:
    client.post("/_mock/reset")
    assert deliveries(client) == []


# -- POST /_mock/verify ----------------------------------------------------------------------------


def verify(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post("/_mock/verify", json=body)


def test_verify_requests_passes_with_the_match_count(client: httpx.Client, traffic: dict[str, str]) -> None:
    response = verify(client, {"requests": {"method": "POST", "path": "/v1/posts", "json": {"text": "draft one"}}})
    assert (response.status_code, response.json()) == (200, {"matched": 1})
    assert verify(client, {"requests": {"path": "/v1/posts/{pid}"}, "count": 1}).json() == {"matched": 1}
    assert verify(client, {"requests": {"method": "GET"}, "at_least": 2, "at_most": 2}).json() == {"matched": 2}
    assert verify(client, {"requests": {"query": {"limit": "5"}}, "count": 1}).status_code == 200


def test_verify_requests_fails_with_the_nearest_misses_and_their_differences(
    client: httpx.Client, traffic: dict[str, str]
) -> None:
    response = verify(client, {"requests": {"method": "POST", "path": "/v1/posts", "json": {"text": "draft two"}}})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "mock.verification_failed"
    assert error["message"] == (
        'expected at least 1 request matching {"method":"POST","path":"/v1/posts","json":{"text":"draft two"}}, '
        "but 0 requests matched"
    )
    meta = error["meta"]
    assert meta["matched"] == 0
    assert len(meta["nearest"]) == 3
    closest = meta["nearest"][0]
    assert closest["entry"]["request_id"] == "req-draft"
    assert closest["differences"] == [{"field": "json.text", "expected": "draft two", "actual": "draft one"}]
    # Two differences each; on a tie the newer entry comes first.
    _, listing, publish = meta["nearest"]
    assert listing["differences"] == [
        {"field": "method", "expected": "POST", "actual": "GET"},
        {"field": "json", "expected": {"text": "draft two"}, "actual": "<no body>"},
    ]
    assert publish["differences"] == [
        {"field": "path", "expected": "/v1/posts", "actual": f"/v1/posts/{traffic['draft']}/publish"},
        {"field": "json.text", "expected": "draft two", "actual": "<missing>"},
    ]


def test_verify_requests_counts_exactly(client: httpx.Client, traffic: dict[str, str]) -> None:
    response = verify(client, {"requests": {"method": "GET"}, "count": 1})
    meta = response.json()["error"]["meta"]
    assert (response.status_code, meta["matched"], meta["expected"]["count"]) == (409, 2, "exactly 1")
    # Too many: the entries that did match are shown as examples.
    assert [e["path"] for e in meta["examples"]] == ["/v1/posts", "/v1/posts/p_missing"]


def test_verify_a_json_subset_needs_lists_item_by_item(client: httpx.Client) -> None:
    client.post("/v1/posts", json={"text": "t", "targets": [target("linkedin"), target("facebook")]})
    one = {"requests": {"json": {"targets": [{"account_id": ACCOUNTS["linkedin"]}]}}}
    two = {"requests": {"json": {"targets": [target("linkedin"), target("facebook")]}}}
    assert verify(client, one).status_code == 409
    assert verify(client, two).json() == {"matched": 1}


def test_verify_tells_true_from_one(client: httpx.Client) -> None:
    client.post("/v1/posts", json={"text": "t", "publish_now": True, "targets": [target("linkedin")]})
    assert verify(client, {"requests": {"json": {"publish_now": True}}}).status_code == 200
    miss = verify(client, {"requests": {"json": {"publish_now": 1}}})
    assert miss.json()["error"]["meta"]["nearest"][0]["differences"] == [
        {"field": "json.publish_now", "expected": 1, "actual": True}
    ]


def test_verify_says_when_a_body_is_not_json(client: httpx.Client) -> None:
    client.post("/v1/posts", content=b"text=hi", headers={"Content-Type": "application/x-www-form-urlencoded"})
    miss = verify(client, {"requests": {"path": "/v1/posts", "json": {"text": "hi"}}})
    assert miss.json()["error"]["meta"]["nearest"][0]["differences"][0]["actual"] in ("<body is not JSON>", "<no body>")


def test_verify_leaves_the_pytest_handles_own_calls_out(client: httpx.Client) -> None:
    client.get("/v1/posts", headers={"X-Request-ID": "socialapi-mock-handle-7"})
    assert verify(client, {"requests": {"path": "/v1/posts"}, "count": 0}).json() == {"matched": 0}


def test_verify_deliveries_passes_and_fails(client: httpx.Client, delivered: str) -> None:
    ok = verify(client, {"deliveries": {"platform": "linkedin", "text_contains": "LinkedIn cut"}, "count": 1})
    assert ok.json() == {"matched": 1}
    assert verify(client, {"deliveries": {"outcome": "failed"}, "at_most": 1}).json() == {"matched": 1}
    miss = verify(client, {"deliveries": {"platform": "facebook", "outcome": "published"}})
    assert miss.status_code == 409
    meta = miss.json()["error"]["meta"]
    assert meta["expected"] == {"count": "at least 1", "delivery": {"platform": "facebook", "outcome": "published"}}
    first, second = meta["nearest"]
    assert first["entry"]["platform"] == "linkedin"
    assert first["differences"] == [{"field": "platform", "expected": "facebook", "actual": "linkedin"}]
    assert second["entry"]["platform"] == "facebook"
    assert second["differences"] == [{"field": "outcome", "expected": "published", "actual": "failed"}]


def test_verify_deliveries_text_contains_shows_the_text_delivered(client: httpx.Client, delivered: str) -> None:
    miss = verify(client, {"deliveries": {"platform": "linkedin", "text_contains": "Soft opening"}})
    assert miss.json()["error"]["meta"]["nearest"][0]["differences"] == [
        {"field": "text_contains", "expected": "Soft opening", "actual": "Grand opening (LinkedIn cut)"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"requests": {}, "deliveries": {}},
        {"requests": {}, "count": 1, "at_least": 1},
        {"requests": {}, "at_least": 3, "at_most": 1},
        {"requests": {}, "count": -1},
        {"requests": {"methd": "GET"}},
        {"deliveries": {"platform": "myspace"}},
        {"deliveries": {"outcome": "ok"}},
        {"requests": {"path": "no-slash"}},
    ],
)
def test_bad_verify_bodies_are_a_400(client: httpx.Client, body: dict[str, Any]) -> None:
    response = verify(client, body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"].startswith("validation.")


def test_a_body_kept_only_in_part_cannot_match_a_json_expectation_and_the_miss_says_so(client: httpx.Client) -> None:
    text = "x" * 5000
    client.post("/v1/posts", json={"text": text})
    miss = verify(client, {"requests": {"path": "/v1/posts", "json": {"text": text}}})
    [difference] = miss.json()["error"]["meta"]["nearest"][0]["differences"]
    assert difference["field"] == "json"
    assert difference["actual"].startswith("<body of 5011 bytes kept only in part in the journal")


def test_the_mocks_own_routes_stay_out_of_the_journal_when_refused_too(client: httpx.Client) -> None:
    client.post("/v1/posts", json={"text": "one"})
    assert client.post("/_mock/verify", json={"requests": {"method": "DELETE"}}).status_code == 409
    assert client.post("/_mock/clock/advance", json={"seconds": -1}).status_code == 400
    assert client.post("/_mock/verify", json={"requests": {"method": "POST"}}).status_code == 200
    assert paths(client) == [("POST", "/v1/posts", 201)]


def test_the_pytest_handles_own_calls_take_no_room_in_the_journal() -> None:
    server = MockServer(Settings(journal_size=2))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock.test", headers=AUTH) as http:
        http.post("/v1/posts", json={"text": "one"})
        http.post("/v1/posts", json={"text": "two"})
        for n in range(5):
            http.get("/v1/posts", headers={"X-Request-ID": f"socialapi-mock-handle-{n}"})
        listed = http.get("/_mock/requests").json()["data"]
    assert [entry["body"] for entry in listed] == [{"text": "one"}, {"text": "two"}]
