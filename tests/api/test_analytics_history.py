"""Analytics history (``--api-version 2026-10-02``): ``GET /v1/{accounts,brands,posts}/{id}/analytics``.

Every answer is checked against the documented ``AnalyticsResponseWrapper``; each open point of the
docs has a test naming the choice made (docs/api-versions.md lists them). SDK 0.4 has no method
for these routes, so they are read over raw HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.api.shapes.analytics import AnalyticsEnvelopeOut
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, target

V1002 = "2026-10-02"
BRAND = "4b0f3c1e-5d2a-4e8b-9a71-2c6d8e0f1a23"
FACEBOOK_PAGE = "sapi_page_01JGR4N5JJX9K1QQXV5SZ7VZSG"
OTHER_PAGE = "sapi_page_01JGTY1FQ2R7W3M9B4K6X8D5CE"  # LinkedIn's
POINT_KEYS = {"day", "value", "days_spanned", "subjects_counted"}
DAY = 86_400


def http_for(version: str = V1002, seed: int = 0, publish_mode: str = "async") -> httpx.Client:
    server = MockServer(Settings(api_version=version, seed=seed, publish_mode=publish_mode))
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with http_for() as client:
        yield client


def checked(response: httpx.Response) -> dict[str, Any]:
    """The body of a 200, after checking it has exactly the documented shape."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    AnalyticsEnvelopeOut.model_validate(body, strict=True)
    data = body["data"]
    assert set(data) == {"from", "to", "series"}
    for series in data["series"]:
        assert set(series) == {"metric", "kind", "day_tz", "source", "points"}
        assert series["kind"] in ("gauge", "flow")
        assert series["source"] in ("reported", "sampled", "owned", "mixed")
        days = [p["day"] for p in series["points"]]
        assert days == sorted(days)  # oldest first
        for index, point in enumerate(series["points"]):
            with_change = series["kind"] == "gauge" and index > 0
            assert set(point) == POINT_KEYS | ({"change"} if with_change else set())
            assert point["subjects_counted"] >= 1 and point["days_spanned"] == 1
            if with_change:
                assert point["change"] == point["value"] - series["points"][index - 1]["value"]
    return data  # type: ignore[no-any-return]


def series_of(data: dict[str, Any], metric: str) -> dict[str, Any]:
    found = [s for s in data["series"] if s["metric"] == metric]
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def publish(http: httpx.Client, *platforms: str) -> str:
    body = {"text": "Fresh roast", "publish_now": True, "targets": [target(p) for p in platforms]}
    response = http.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    post_id = str(response.json()["id"])
    # 2026-10-02 publishes in the background: the outcome arrives when the clock next moves.
    http.post("/_mock/clock/advance", json={"seconds": 1})
    return post_id


def advance(http: httpx.Client, seconds: int) -> None:
    assert http.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200


# -- posts ---------------------------------------------------------------------------------------------


def test_a_post_history_ends_at_its_current_metrics_and_grows_with_the_clock(http: httpx.Client) -> None:
    pid = publish(http, "linkedin")
    advance(http, 2 * DAY + 3600)
    data = checked(http.get(f"/v1/posts/{pid}/analytics"))
    current = http.get(f"/v1/posts/{pid}/metrics").json()["data"]["targets"][0]["metrics"]
    likes = series_of(data, "likes")
    assert likes["kind"] == "gauge" and likes["source"] == "reported"
    assert [p["day"] for p in likes["points"]] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert likes["points"][-1]["value"] == current["likes"]
    assert series_of(data, "impressions")["points"][-1]["value"] == current["extra"]["impressions"]
    advance(http, DAY)
    later = series_of(checked(http.get(f"/v1/posts/{pid}/analytics")), "likes")["points"]
    assert later[:2] == likes["points"][:2]  # closed days do not move
    assert later[-1]["value"] >= likes["points"][-1]["value"] and later[-1]["day"] == "2026-01-04"


def test_nothing_before_the_post_was_first_tracked(http: httpx.Client) -> None:
    advance(http, 5 * DAY)
    pid = publish(http, "linkedin")
    data = checked(http.get(f"/v1/posts/{pid}/analytics?from=2026-01-01&to=2026-01-06"))
    assert [p["day"] for p in series_of(data, "likes")["points"]] == ["2026-01-06"]


def test_a_post_never_published_has_empty_series(http: httpx.Client) -> None:
    """Open point (the docs do not say): 200 with every series empty, not a 404."""
    draft = http.post("/v1/posts", json={"text": "later", "targets": [target("linkedin")]}).json()["id"]
    data = checked(http.get(f"/v1/posts/{draft}/analytics"))
    assert [s["points"] for s in data["series"]] == [[]] * 5


def test_a_post_rolls_up_its_targets_on_their_days(http: httpx.Client) -> None:
    pid = publish(http, "linkedin", "facebook")
    data = checked(http.get(f"/v1/posts/{pid}/analytics"))
    likes = series_of(data, "likes")
    # Facebook's account cuts days in Los Angeles, LinkedIn's in UTC: the rollup is "mixed".
    assert likes["day_tz"] == "mixed"
    by_day = {p["day"]: p["subjects_counted"] for p in likes["points"]}
    assert by_day == {"2025-12-31": 1, "2026-01-01": 1}


# -- accounts -------------------------------------------------------------------------------------------


def test_account_history_has_gauges_and_flows_cut_on_the_account_time_zone(http: httpx.Client) -> None:
    publish(http, "facebook")
    advance(http, DAY)
    data = checked(http.get(f"/v1/accounts/{ACCOUNTS['facebook']}/analytics?from=2025-12-30&to=2026-01-02"))
    assert {s["day_tz"] for s in data["series"]} == {"America/Los_Angeles"}
    followers = series_of(data, "followers")
    assert followers["kind"] == "gauge"
    # Tracked from the tenant's start, 2026-01-01T00:00Z: 31 December in Los Angeles.
    assert [p["day"] for p in followers["points"]] == ["2025-12-31", "2026-01-01"]
    posts = series_of(data, "posts_published")
    assert (posts["kind"], posts["source"]) == ("flow", "owned")
    assert [p["value"] for p in posts["points"]] == [1, 0]
    likes = series_of(data, "likes")
    assert likes["kind"] == "flow" and all("change" not in p for p in likes["points"])


def test_a_post_published_at_this_very_instant_counts_today() -> None:
    with http_for(publish_mode="sync") as http:
        body = {"text": "Now", "publish_now": True, "targets": [target("linkedin")]}
        assert http.post("/v1/posts", json=body).json()["status"] == "published"
        data = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?metrics=posts_published"))
    assert series_of(data, "posts_published")["points"][-1] == {
        "day": "2026-01-01",
        "value": 1,
        "days_spanned": 1,
        "subjects_counted": 1,
    }


def test_account_history_narrowed_to_a_page(http: httpx.Client) -> None:
    publish(http, "facebook")
    url = f"/v1/accounts/{ACCOUNTS['facebook']}/analytics?metrics=posts_published"
    inactive = "sapi_page_01JGR4PQ0D3M2B7ZK8F5X1W9TA"
    assert series_of(checked(http.get(f"{url}&page_id={FACEBOOK_PAGE}")), "posts_published")["points"][0]["value"] == 1
    assert series_of(checked(http.get(f"{url}&page_id={inactive}")), "posts_published")["points"][0]["value"] == 0
    refused = http.get(f"{url}&page_id={OTHER_PAGE}")
    assert refused.status_code == 400
    assert refused.json()["error"]["meta"]["field"] == "page_id"


def test_metrics_narrow_and_order_the_series(http: httpx.Client) -> None:
    data = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?metrics=posts_published,followers"))
    assert [s["metric"] for s in data["series"]] == ["posts_published", "followers"]
    unknown = http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?metrics=page_fans")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["meta"]["field"] == "metrics"
    assert "followers" in unknown.json()["error"]["message"]


# -- brands ---------------------------------------------------------------------------------------------


def test_brand_history_sums_the_accounts_it_holds(http: httpx.Client) -> None:
    accounts = http.get("/v1/accounts").json()["data"]
    held = [a for a in accounts if a.get("brand_id") == BRAND]
    advance(http, DAY)  # 1 January has begun in Los Angeles too
    data = checked(http.get(f"/v1/brands/{BRAND}/analytics?metrics=followers&from=2026-01-01&to=2026-01-01"))
    followers = series_of(data, "followers")
    assert followers["day_tz"] == "mixed"
    total = 0
    for account in held:
        url = f"/v1/accounts/{account['id']}/analytics?metrics=followers&from=2026-01-01&to=2026-01-01"
        total += sum(p["value"] for p in series_of(checked(http.get(url)), "followers")["points"])
    assert followers["points"] == [
        {"day": "2026-01-01", "value": total, "days_spanned": 1, "subjects_counted": len(held)}
    ]


def test_a_brand_total_reflects_the_accounts_it_holds_now(http: httpx.Client) -> None:
    url = f"/v1/brands/{BRAND}/analytics?metrics=followers&from=2026-01-01&to=2026-01-01"
    before = series_of(checked(http.get(url)), "followers")["points"][0]
    assert http.delete(f"/v1/accounts/{ACCOUNTS['linkedin']}").status_code == 204
    after = series_of(checked(http.get(url)), "followers")["points"][0]
    assert after["subjects_counted"] == before["subjects_counted"] - 1
    assert after["value"] < before["value"]


# -- ranges and errors ------------------------------------------------------------------------------------


def test_the_range_defaults_to_the_last_30_days_ending_today_utc(http: httpx.Client) -> None:
    advance(http, 40 * DAY)
    data = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics"))
    assert (data["from"], data["to"]) == ("2026-01-12", "2026-02-10")
    assert len(series_of(data, "followers")["points"]) == 30
    only_to = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?to=2026-01-31"))
    assert (only_to["from"], only_to["to"]) == ("2026-01-02", "2026-01-31")


def test_a_future_to_is_accepted_and_has_no_points_yet(http: httpx.Client) -> None:
    """Open point (the docs do not say whether ``to`` may be in the future): it may; no point is invented."""
    data = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?from=2026-01-01&to=2026-03-01"))
    assert [p["day"] for p in series_of(data, "followers")["points"]] == ["2026-01-01"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-01-05&to=2026-01-01", "from"),
        ("from=2025-01-01&to=2026-02-05", "to"),
        ("from=2026-1-5", "from"),
        ("from=2026-01-01&to=20260105", "to"),
        ("to=yesterday", "to"),
        ("from=2026-02-30", "from"),
    ],
    ids=["inverted", "401-days", "not-zero-padded", "basic-format", "not-a-day", "no-such-day"],
)
def test_bad_ranges_are_400(http: httpx.Client, query: str, field: str) -> None:
    """Open point (the docs give no code): 400 ``validation.field_invalid`` naming ``from`` or ``to``."""
    for url in (f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics", f"/v1/brands/{BRAND}/analytics"):
        response = http.get(f"{url}?{query}")
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], error["meta"]["field"]) == ("validation.field_invalid", field)


def test_exactly_400_days_is_accepted(http: httpx.Client) -> None:
    data = checked(http.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics?from=2025-01-01&to=2026-02-04"))
    assert (data["from"], data["to"]) == ("2025-01-01", "2026-02-04")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/v1/accounts/acc_01JG00000000000000000000000/analytics", "account.not_found"),
        ("/v1/brands/no-such-brand/analytics", "brand.not_found"),
        ("/v1/posts/p_01JG00000000000000000000000/analytics", "post.not_found"),
    ],
)
def test_unknown_subjects_are_404(http: httpx.Client, path: str, code: str) -> None:
    response = http.get(path)
    assert (response.status_code, response.json()["error"]["code"]) == (404, code)


@pytest.mark.parametrize("version", ["2026-06-22", "2026-08-22"])
def test_older_generations_have_no_history_routes(version: str) -> None:
    with http_for(version) as http:
        for path in (f"/v1/accounts/{ACCOUNTS['linkedin']}/analytics", f"/v1/brands/{BRAND}/analytics"):
            response = http.get(path)
            assert (response.status_code, response.json()["error"]["code"]) == (404, "http.404")
        assert not [p for p in http.get("/openapi.json").json()["paths"] if p.endswith("/analytics")]


def test_the_served_openapi_document_declares_the_routes() -> None:
    with http_for() as http:
        paths = http.get("/openapi.json").json()["paths"]
    for path in ("/v1/accounts/{account_id}/analytics", "/v1/brands/{brand_id}/analytics", "/v1/posts/{pid}/analytics"):
        operation = paths[path]["get"]
        assert set(operation["responses"]) >= {"200", "400", "401", "404"}
        names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        assert names >= {"from", "to", "metrics"}
    assert "page_id" in {p["name"] for p in paths["/v1/accounts/{account_id}/analytics"]["get"]["parameters"]}


def test_same_seed_same_history() -> None:
    def history(seed: int) -> list[Any]:
        with http_for(seed=seed) as http:
            pid = publish(http, "linkedin", "threads")
            advance(http, 3 * DAY)
            return [
                http.get(f"/v1/posts/{pid}/analytics").json(),
                http.get(f"/v1/brands/{BRAND}/analytics?metrics=followers").json(),
            ]

    seven, eight = history(7), history(8)
    assert seven == history(7)
    # Another seed, other numbers: the post's engagement and the accounts' followers both come from the seed.
    assert seven[0] != eight[0] and seven[1] != eight[1]
