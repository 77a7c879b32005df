"""``socialapi_mock_server``: a real server on a loopback port, shared by a session, tenants by API key."""

from __future__ import annotations

import pytest

LIVE_TESTS = """
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from socialapi import SocialAPI

FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"
LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_url_serves_plain_http(socialapi_mock_server):
    assert socialapi_mock_server.url.startswith("http://127.0.0.1:")
    response = httpx.get(
        socialapi_mock_server.url + "/v1/accounts", headers={"Authorization": "Bearer sapi_key_plain"}
    )
    assert response.status_code == 200


def test_another_process_reaches_it(socialapi_mock_server):
    script = (
        "import sys, urllib.request;"
        "r = urllib.request.Request(sys.argv[1] + '/v1/accounts', headers={'Authorization': 'Bearer sapi_key_proc'});"
        "print(urllib.request.urlopen(r).status)"
    )
    out = subprocess.run([sys.executable, "-c", script, socialapi_mock_server.url], capture_output=True, text=True)
    assert out.stdout.strip() == "200", out.stderr
    assert [r["path"] for r in socialapi_mock_server.tenant("sapi_key_proc").requests] == ["/v1/accounts"]


def test_tenant_handle_over_http(socialapi_mock_server):
    tenant = socialapi_mock_server.tenant("sapi_key_live_a")
    assert (tenant.api_key, tenant.base_url) == ("sapi_key_live_a", socialapi_mock_server.url)
    assert tenant.http.get("/v1/accounts").status_code == 200
    sdk = tenant.sdk()
    assert tenant.now() == START
    post = sdk.publishing.create(
        text="live", targets=[{"account_id": FACEBOOK}], scheduled_at=START + timedelta(minutes=10)
    )
    assert tenant.advance(seconds=600) == [{"post_id": post.id, "status": "published"}]
    assert tenant.advance(to="2026-01-01T01:00:00Z") == []
    assert [(e["event"], e["data"]["post_id"]) for e in tenant.events] == [
        ("post.scheduled", post.id), ("post.published", post.id)
    ]
    assert [p["status"] for p in tenant.posts()] == ["published"]
    assert [r["method"] + " " + r["path"] for r in tenant.requests] == ["GET /v1/accounts", "POST /v1/posts"]
    assert tenant.set_plan("free", posts_limit=5)["posts_limit"] == 5
    tenant.use_scenario("facebook-down")
    partial = sdk.publishing.create(
        text="p", targets=[{"account_id": FACEBOOK}, {"account_id": LINKEDIN}], publish_now=True
    )
    assert partial.status == "partial"
    tenant.clear_scenarios()
    assert tenant.scenarios() == []
    tenant.reset()
    assert tenant.posts() == [] and tenant.now() == START


def test_tenants_are_isolated_by_key(socialapi_mock_server):
    a = socialapi_mock_server.tenant("sapi_key_iso_a")
    b = socialapi_mock_server.tenant("sapi_key_iso_b")
    a.sdk().publishing.create(text="only a", targets=[{"account_id": FACEBOOK}], publish_now=True)
    a.advance(seconds=60)
    assert len(a.posts()) == 1 and b.posts() == []
    assert b.now() == START


@pytest.mark.parametrize("run", [1, 2])
def test_the_server_lives_for_the_session(socialapi_mock_server, run):
    tenant = socialapi_mock_server.tenant("sapi_key_session")
    tenant.sdk().publishing.create(text=f"run {run}", targets=[{"account_id": FACEBOOK}])
    assert len(tenant.posts()) == run


def test_sdk_from_the_environment(socialapi_mock_server, monkeypatch):
    monkeypatch.setenv("SOCIALAPI_BASE_URL", socialapi_mock_server.url)
    monkeypatch.setenv("SOCIALAPI_API_KEY", "sapi_key_env")
    with SocialAPI(max_retries=0) as sdk:
        assert len(sdk.accounts.list().data) >= 9


def test_webhooks_of_an_in_process_mock_reach_a_live_url(socialapi_mock, socialapi_mock_server):
    assert socialapi_mock.flush_webhooks()["pending"] == 0
    hook = {"url": socialapi_mock_server.url + "/hook", "events": ["post.published"]}
    assert socialapi_mock.http.post("/v1/webhooks", json=hook).status_code == 201
    socialapi_mock.sdk().publishing.create(text="x", targets=[{"account_id": FACEBOOK}], publish_now=True)
    summary = socialapi_mock.flush_webhooks()
    # The receiver (a 404 route) refused it: one attempt made and settled, a retry pending.
    assert summary["in_flight"] == 0
    assert summary["pending"] + summary["delivered"] + summary["failed"] == 1
    assert summary["delivered"] == 0


def test_in_process_and_live_fixtures_together(socialapi_mock, socialapi_mock_server):
    socialapi_mock.advance(seconds=5)
    assert socialapi_mock_server.tenant(socialapi_mock.api_key).now() == START
"""


def test_live_server_fixture(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(LIVE_TESTS)
    result = downstream.runpytest("-W", "error::ResourceWarning")
    result.assert_outcomes(passed=9)
