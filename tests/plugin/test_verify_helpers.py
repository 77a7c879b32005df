"""The handle's assertions (``assert_called``, ``assert_not_called``, ``assert_delivered``, ``deliveries``) and
the marker's teardown checks, run in a downstream suite: what passes, and what a failure prints."""

from __future__ import annotations

import pytest

COMMON = """
import pytest


def accounts(sdk):
    return {a.platform: a.id for a in sdk.accounts.list() if a.status == "active"}


def publish(mock, text, *platforms):
    sdk = mock.sdk()
    ids = accounts(sdk)
    return sdk.publishing.create(text=text, publish_now=True, targets=[{"account_id": ids[p]} for p in platforms])
"""


def test_the_helpers_pass_when_the_expectation_holds(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
@pytest.mark.socialapi_mock(scenario="facebook-down")
def test_helpers(socialapi_mock):
    post = publish(socialapi_mock, "Spring sale", "facebook", "linkedin")
    socialapi_mock.assert_called("POST", "/v1/posts", json={"text": "Spring sale"}, times=1)
    socialapi_mock.assert_called("GET", "/v1/accounts")
    socialapi_mock.assert_not_called("DELETE", "/v1/posts/{pid}")
    socialapi_mock.assert_not_called("POST", "/v1/posts", json={"text": "Autumn sale"})
    socialapi_mock.assert_delivered(platform="linkedin", text_contains="Spring", times=1)
    socialapi_mock.assert_delivered(platform="facebook", outcome="failed")
    [facebook] = socialapi_mock.deliveries(platform="facebook")
    assert facebook["post_id"] == post.id
    assert facebook["scenario_rule"] == "facebook-down.deliveries[0]"
    assert [d["platform"] for d in socialapi_mock.deliveries(outcome="published")] == ["linkedin"]
    socialapi_mock.posts()   # the handle's own reads are never counted
    socialapi_mock.assert_called("GET", "/v1/posts", times=0)
"""
    )
    downstream.runpytest().assert_outcomes(passed=1)


def test_assert_called_prints_the_nearest_requests_and_what_differed(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
def test_wrong_text(socialapi_mock):
    publish(socialapi_mock, "Spring sale", "linkedin")
    socialapi_mock.assert_called("POST", "/v1/posts", json={"text": "Summer sale"})
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected at least 1 request matching "
            '{"method":"POST","path":"/v1/posts","json":{"text":"Summer sale"}}, but 0 requests matched.',
            "E       Nearest requests:",
            "E         1. POST /v1/posts -> 201 at 2026-01-01T00:00:00Z (request id *)",
            "E              json.text: expected 'Summer sale', got 'Spring sale'",
            "E         2. GET /v1/accounts -> 200 at 2026-01-01T00:00:00Z (request id *)",
            "E              method: expected 'POST', got 'GET'",
        ]
    )
    # The helper's own frames are hidden: the failure points at the user's line.
    result.stdout.no_fnmatch_line("*def _assert*")


def test_assert_called_with_times_says_how_many_matched(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
def test_twice(socialapi_mock):
    publish(socialapi_mock, "one", "linkedin")
    socialapi_mock.assert_called("POST", "/v1/posts", times=2)
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expected exactly 2 requests matching *, but 1 request matched.*"])


def test_assert_not_called_lists_the_calls_that_happened(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
def test_no_posts(socialapi_mock):
    publish(socialapi_mock, "oops", "linkedin")
    socialapi_mock.assert_not_called("POST", "/v1/posts")
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '*expected exactly 0 requests matching {"method":"POST","path":"/v1/posts"}, but 1 request matched.',
            "E       Matching requests (first 1):",
            "E         - POST /v1/posts -> 201 at 2026-01-01T00:00:00Z (request id *)",
        ]
    )


def test_assert_delivered_prints_the_nearest_deliveries(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
@pytest.mark.socialapi_mock(scenario="facebook-down")
def test_facebook(socialapi_mock):
    publish(socialapi_mock, "Grand opening", "facebook", "linkedin")
    socialapi_mock.assert_delivered(platform="facebook", text_contains="opening")
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected at least 1 delivery matching "
            '{"platform":"facebook","text_contains":"opening","outcome":"published"}, but 0 deliveries matched.',
            "E       Nearest deliveries:",
            "E         1. linkedin acc_* post p_* attempt 1: published at 2026-01-01T00:00:00Z, text 'Grand opening'",
            "E              platform: expected 'facebook', got 'linkedin'",
            "E         2. facebook acc_* post p_* attempt 1: failed (platform.facebook.api_error) at *",
            "E              outcome: expected 'published', got 'failed'",
        ]
    )


def test_an_empty_log_says_so(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        """
def test_nothing(socialapi_mock):
    socialapi_mock.assert_delivered(platform="x" if False else "tiktok")
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["E       There is nothing in the delivery log to compare with."])


def test_assert_all_scenarios_used_fails_the_teardown_naming_the_unused_rule(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
SCENARIO = {
    "name": "two-outages",
    "description": "facebook and x down",
    "deliveries": [
        {"match": {"platform": "facebook"}, "fail": {"code": "platform.down", "message": "x", "category": "platform"}},
        {"match": {"platform": "twitter"}, "fail": {"code": "platform.down", "message": "x", "category": "platform"}},
    ],
}


@pytest.mark.socialapi_mock(scenario=SCENARIO, assert_all_scenarios_used=True)
def test_only_facebook(socialapi_mock):
    publish(socialapi_mock, "hi", "facebook", "linkedin")


@pytest.mark.socialapi_mock(scenario=SCENARIO, assert_all_scenarios_used=True)
def test_both(socialapi_mock):
    publish(socialapi_mock, "hi", "facebook", "linkedin")
    publish(socialapi_mock, "hi again", "twitter", "linkedin")


@pytest.mark.socialapi_mock(scenario=SCENARIO)
def test_not_asked(socialapi_mock):
    pass
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_only_facebook*",
            "E   AssertionError: assert_all_scenarios_used: these scenario rules never fired:",
            '*- two-outages.deliveries[[]1]: {"match":{"platform":"twitter"},*',
            '*See docs/pytest.md, section "Teardown checks"',
        ]
    )


def test_a_bad_teardown_check_argument_names_the_fix(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        """
import pytest


@pytest.mark.socialapi_mock(assert_no_warnings="yes")
def test_bad(socialapi_mock):
    pass
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*assert_no_warnings=...) must be True or False*"])


def test_assert_no_warnings_fails_the_test_that_sent_an_unknown_field(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        COMMON
        + """
@pytest.mark.socialapi_mock(assert_no_warnings=True)
def test_misspelt(socialapi_mock):
    ids = accounts(socialapi_mock.sdk())
    body = {"text": "Later", "schedule_at": "2026-01-02T09:00:00Z", "targets": [{"account_id": ids["linkedin"]}]}
    socialapi_mock.http.post("/v1/posts", json=body)


@pytest.mark.socialapi_mock(assert_no_warnings=True)
def test_clean(socialapi_mock):
    publish(socialapi_mock, "hi", "linkedin")
"""
    )
    result = downstream.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_misspelt*",
            "E   AssertionError: assert_no_warnings: these requests carried X-Mock-Warnings*",
            "*POST /v1/posts (request id *schedule_at*scheduled_at*",
        ]
    )
