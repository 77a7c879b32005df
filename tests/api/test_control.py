"""The /_mock control API: clock, reset, tenant plan and request journal."""

from __future__ import annotations

import httpx

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import target


def test_reset_returns_the_tenant_to_its_fixtures(client: httpx.Client) -> None:
    first = client.post("/v1/posts", json={"text": "a", "publish_now": True, "targets": [target("linkedin")]}).json()
    client.post("/_mock/clock/advance", json={"seconds": 3600})
    client.patch("/_mock/tenant", json={"plan": "free"})
    assert client.post("/_mock/reset").json() == {"success": True, "now": "2026-01-01T00:00:00Z"}
    assert client.get("/v1/posts").json()["data"] == []
    assert client.get("/v1/usage").json()["posts_used"] == 0
    assert client.get("/_mock/tenant").json() == {
        "plan": "paid",
        "posts_limit": -1,
        "posts_used": 0,
        "duplicate_check": False,
        "api_version": "2026-06-22",
        "request_limit": False,
        "velocity_caps": False,
    }
    # Sequences restart too: the same request gives the same id again.
    again = client.post("/v1/posts", json={"text": "a", "publish_now": True, "targets": [target("linkedin")]}).json()
    assert again["id"] == first["id"]


def test_tenant_plan_patch(client: httpx.Client) -> None:
    assert client.patch("/_mock/tenant", json={"plan": "free"}).json() == {
        "plan": "free",
        "posts_limit": 10,
        "posts_used": 0,
        "duplicate_check": False,
        "api_version": "2026-06-22",
        "request_limit": False,
        "velocity_caps": False,
    }
    assert client.patch("/_mock/tenant", json={"posts_used": 9}).json()["posts_used"] == 9
    usage = client.get("/v1/usage").json()
    assert (usage["posts_limit"], usage["posts_used"]) == (10, 9)
    bad = client.patch("/_mock/tenant", json={"plan": "gold"})
    assert bad.status_code == 400 and bad.json()["error"]["meta"]["field"] == "plan"


def test_journal_records_requests_oldest_first_with_parsed_bodies(client: httpx.Client) -> None:
    client.post("/v1/posts", json={"text": "journal me"}, headers={"X-Request-ID": "req-1"})
    client.get("/v1/posts", params={"limit": 5})
    entries = client.get("/_mock/requests").json()["data"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/v1/posts", 201),
        ("GET", "/v1/posts", 200),
    ]
    assert entries[0]["body"] == {"text": "journal me"}
    assert entries[0]["request_id"] == "req-1"
    assert entries[1]["query"] == {"limit": "5"}
    assert entries[0]["at"] == "2026-01-01T00:00:00Z"


def test_journal_is_bounded() -> None:
    server = MockServer(Settings(journal_size=3))
    with httpx.Client(
        transport=sync_transport(server.app), base_url="http://m", headers={"Authorization": "Bearer sapi_key_j"}
    ) as http:
        for n in range(5):
            http.get("/v1/posts", params={"limit": n + 1})
        limits = [e["query"]["limit"] for e in http.get("/_mock/requests").json()["data"]]
    assert limits == ["3", "4", "5"]


def test_tenants_are_isolated(server: MockServer, client: httpx.Client) -> None:
    pid = client.post("/v1/posts", json={"text": "mine"}).json()["id"]
    with httpx.Client(
        transport=sync_transport(server.app), base_url="http://m", headers={"Authorization": "Bearer sapi_key_other"}
    ) as other:
        assert other.get(f"/v1/posts/{pid}").status_code == 404
        assert other.get("/v1/posts").json()["data"] == []
        other.post("/_mock/clock/advance", json={"seconds": 60})
    assert client.get("/_mock/clock").json()["now"] == "2026-01-01T00:00:00Z"


def test_realtime_clock_fires_due_posts_by_itself() -> None:
    import time
    from datetime import UTC, datetime

    from mockserver import ThreadedServer

    server = MockServer(Settings(clock="realtime", start_time=datetime(2026, 1, 1, tzinfo=UTC), tick_seconds=0.05))
    with (
        ThreadedServer(server) as live,
        httpx.Client(base_url=live.url, headers={"Authorization": "Bearer sapi_key_rt"}) as http,
    ):
        clock = http.get("/_mock/clock").json()
        assert clock["mode"] == "realtime"
        body = {"text": "t", "scheduled_at": "2026-01-01T00:00:01Z", "targets": [target("linkedin")]}
        pid = http.post("/v1/posts", json=body).json()["id"]
        deadline = time.monotonic() + 5
        while server.tenant("sapi_key_rt").posts.get_post(pid).status.value != "published":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert http.get(f"/v1/posts/{pid}").json()["published_at"] == "2026-01-01T00:00:01Z"
