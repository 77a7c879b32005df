"""The ``socialapi_mock`` handle, used from a downstream suite: every method a user can call."""

from __future__ import annotations

import pytest

COMMON = """
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from socialapi import APIStatusError, AsyncSocialAPI, SocialAPI

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def accounts(sdk):
    return {a.platform: a.id for a in sdk.accounts.list() if a.status == "active"}
"""


def test_sdk_and_http_clients_are_wired_to_the_tenant(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
def test_identity(socialapi_mock):
    assert socialapi_mock.api_key == "sapi_key_pytest"
    assert socialapi_mock.base_url.startswith("http")
    assert isinstance(socialapi_mock.http, httpx.Client)
    response = socialapi_mock.http.get("/v1/accounts")
    assert response.status_code == 200
    assert len(response.json()["data"]) >= 9


def test_sdk_publishes_and_reads_back(socialapi_mock):
    sdk = socialapi_mock.sdk()
    assert isinstance(sdk, SocialAPI)
    ids = accounts(sdk)
    post = sdk.publishing.create(text="hello", targets=[{"account_id": ids["facebook"]}], publish_now=True)
    assert post.status == "published"
    assert sdk.posts.get(post.id).id == post.id
    [listed] = socialapi_mock.posts()
    assert listed["id"] == post.id and listed["status"] == "published"
    assert listed["targets"][0]["account_id"] == ids["facebook"]


def test_sdk_does_not_retry_unless_asked(socialapi_mock):
    socialapi_mock.use_scenario("api-503-burst")
    sdk = socialapi_mock.sdk()
    ids = accounts(sdk)
    with pytest.raises(APIStatusError) as raised:
        sdk.publishing.create(text="x", targets=[{"account_id": ids["facebook"]}])
    assert raised.value.status_code == 503
    assert [r["status"] for r in socialapi_mock.requests if r["method"] == "POST"] == [503]
    assert socialapi_mock.sdk(max_retries=3)._client._config.max_retries == 3


def test_closing_an_sdk_leaves_the_handle_usable(socialapi_mock):
    with socialapi_mock.sdk() as sdk:
        sdk.accounts.list()
    assert socialapi_mock.sdk().accounts.list().data
    assert socialapi_mock.now() == START


def test_posts_filters_and_pages(socialapi_mock):
    sdk = socialapi_mock.sdk()
    ids = accounts(sdk)
    for number in range(105):
        sdk.publishing.create(text=f"draft {number}", targets=[{"account_id": ids["linkedin"]}])
    sdk.publishing.create(text="now", targets=[{"account_id": ids["linkedin"]}], publish_now=True)
    assert len(socialapi_mock.posts()) == 106
    assert [p["text"] for p in socialapi_mock.posts(status="published")] == ["now"]
    assert len(socialapi_mock.posts(status="draft")) == 105
"""
    )
    downstream.runpytest().assert_outcomes(passed=5)


def test_clock_advance_and_fired_posts(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
def test_now_is_the_fake_clock(socialapi_mock):
    now = socialapi_mock.now()
    assert now == START and now.tzinfo is not None


def test_advance_by_seconds_and_to_an_instant(socialapi_mock):
    sdk = socialapi_mock.sdk()
    ids = accounts(sdk)
    post = sdk.publishing.create(
        text="later", targets=[{"account_id": ids["facebook"]}], scheduled_at=START + timedelta(hours=1)
    )
    assert post.status == "scheduled"
    assert socialapi_mock.advance(seconds=1800) == []
    assert socialapi_mock.now() == START + timedelta(minutes=30)
    assert socialapi_mock.advance(to=START + timedelta(hours=2)) == [{"post_id": post.id, "status": "published"}]
    assert socialapi_mock.now() == START + timedelta(hours=2)
    assert socialapi_mock.advance(to="2026-01-02T00:00:00Z") == []
    assert socialapi_mock.now() == datetime(2026, 1, 2, tzinfo=timezone.utc)
    paris = timezone(timedelta(hours=1))
    assert socialapi_mock.advance(to=datetime(2026, 1, 2, 3, tzinfo=paris)) == []
    assert socialapi_mock.now() == datetime(2026, 1, 2, 2, tzinfo=timezone.utc)
    socialapi_mock.advance(seconds=timedelta(minutes=1))
    assert socialapi_mock.now() == datetime(2026, 1, 2, 2, 1, tzinfo=timezone.utc)
    assert sdk.posts.get(post.id).status == "published"


def test_advance_misuse_names_the_fix(socialapi_mock):
    with pytest.raises(TypeError, match="exactly one of seconds="):
        socialapi_mock.advance()
    with pytest.raises(TypeError, match="exactly one of seconds="):
        socialapi_mock.advance(seconds=1, to=START)
    with pytest.raises(ValueError, match="aware datetime"):
        socialapi_mock.advance(to=datetime(2027, 1, 1))
    with pytest.raises(ValueError, match="backwards"):
        socialapi_mock.advance(to=START - timedelta(days=1))
    assert socialapi_mock.now() == START
"""
    )
    downstream.runpytest().assert_outcomes(passed=3)


def test_looking_at_the_mock_does_not_change_what_requests_get(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
SEEN = {}


def create(socialapi_mock, text):
    response = socialapi_mock.http.post(
        "/v1/posts", json={"text": text, "targets": [{"account_id": "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"}]}
    )
    return response.headers["X-Request-ID"], response.json()["id"]


def test_without_looking(socialapi_mock):
    SEEN["quiet"] = [create(socialapi_mock, "a"), create(socialapi_mock, "b")]


def test_looking_in_between(socialapi_mock):
    socialapi_mock.now()
    socialapi_mock.posts()
    first = create(socialapi_mock, "a")
    socialapi_mock.requests
    socialapi_mock.scenarios()
    socialapi_mock.events
    SEEN["looking"] = [first, create(socialapi_mock, "b")]


def test_same_ids():
    assert SEEN["quiet"] == SEEN["looking"]
"""
    )
    downstream.runpytest().assert_outcomes(passed=3)


def test_scenarios_plan_journal_and_events(downstream: pytest.Pytester) -> None:
    downstream.makefile(
        ".yaml",
        **{
            "threads-down": """
name: threads-down
description: Threads fails every delivery.
deliveries:
  - match: {platform: threads}
    fail: {code: platform.threads.api_error, message: down, category: platform}
"""
        },
    )
    downstream.makepyfile(
        COMMON
        + """
def publish(socialapi_mock, *platforms):
    sdk = socialapi_mock.sdk()
    ids = accounts(sdk)
    return sdk.publishing.create(
        text="x", targets=[{"account_id": ids[p]} for p in platforms], publish_now=True, skip_duplicate_check=True
    )


def test_bundled_scenario_by_name_then_cleared(socialapi_mock):
    active = socialapi_mock.use_scenario("facebook-down")
    assert [s["name"] for s in active] == ["facebook-down"]
    assert [s["name"] for s in socialapi_mock.scenarios()] == ["facebook-down"]
    post = publish(socialapi_mock, "facebook", "linkedin")
    assert post.status == "partial"
    socialapi_mock.clear_scenarios()
    assert socialapi_mock.scenarios() == []
    assert publish(socialapi_mock, "facebook", "linkedin").status == "published"


def test_scenario_as_a_dict(socialapi_mock):
    socialapi_mock.use_scenario({
        "name": "linkedin-down",
        "description": "LinkedIn fails",
        "deliveries": [{"match": {"platform": "linkedin"},
                        "fail": {"code": "platform.linkedin.api_error", "message": "no", "category": "platform"}}],
    })
    assert publish(socialapi_mock, "linkedin", "facebook").status == "partial"


def test_scenario_from_a_file(socialapi_mock, request):
    socialapi_mock.use_scenario(request.path.parent / "threads-down.yaml")
    assert publish(socialapi_mock, "threads", "linkedin").status == "partial"


def test_bad_scenario_is_refused_before_it_is_sent(socialapi_mock):
    with pytest.raises(ValueError, match="no bundled scenario is named 'nope'"):
        socialapi_mock.use_scenario("nope")
    with pytest.raises(ValueError, match="deliveries"):
        socialapi_mock.use_scenario({"name": "x", "description": "y", "deliveries": "all"})
    assert socialapi_mock.scenarios() == []


def test_set_plan_limits_credits(socialapi_mock):
    assert socialapi_mock.set_plan("free", posts_limit=1) == {
        "plan": "free",
        "posts_limit": 1,
        "posts_used": 0,
        "duplicate_check": False,
        "api_version": "2026-06-22",
        "request_limit": False,
        "velocity_caps": False,
    }
    publish(socialapi_mock, "facebook")
    with pytest.raises(APIStatusError) as raised:
        publish(socialapi_mock, "linkedin")
    assert raised.value.status_code == 429
    assert socialapi_mock.set_plan(posts_used=0)["posts_used"] == 0
    with pytest.raises(TypeError, match="at least one of"):
        socialapi_mock.set_plan()


def test_requests_journal_holds_only_the_users_calls(socialapi_mock):
    assert socialapi_mock.requests == []
    post = publish(socialapi_mock, "facebook")
    socialapi_mock.posts()
    socialapi_mock.now()
    [entry] = socialapi_mock.requests[1:]
    assert socialapi_mock.requests[0]["path"] == "/v1/accounts"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/v1/posts", 201)
    assert entry["body"]["publish_now"] is True
    assert post.id


def test_events_tell_the_story(socialapi_mock):
    sdk = socialapi_mock.sdk()
    ids = accounts(sdk)
    post = sdk.publishing.create(
        text="later", targets=[{"account_id": ids["facebook"]}], scheduled_at=START + timedelta(hours=1)
    )
    socialapi_mock.advance(seconds=3600)
    story = [(e["event"], e["data"]["post_id"]) for e in socialapi_mock.events]
    assert story == [("post.scheduled", post.id), ("post.published", post.id)]


def test_reset_goes_back_to_the_fixtures(socialapi_mock):
    publish(socialapi_mock, "facebook")
    socialapi_mock.advance(seconds=60)
    socialapi_mock.reset()
    assert socialapi_mock.posts() == []
    assert socialapi_mock.requests == []
    assert socialapi_mock.now() == START
"""
    )
    downstream.runpytest().assert_outcomes(passed=8)
