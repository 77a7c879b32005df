"""``@pytest.mark.socialapi_mock(...)``: what each argument does, which marker wins, and misuse."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

PRELUDE = """
from datetime import datetime, timedelta, timezone

import pytest

FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"
LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
THREADS = "acc_01JGJH029XZQCGZXZV2JMX6WGW"


def publish(mock, *accounts):
    return mock.sdk().publishing.create(
        text="x", targets=[{"account_id": a} for a in accounts], publish_now=True, skip_duplicate_check=True
    )
"""


def test_marker_is_registered_with_its_signature(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("--markers")
    [line] = [line for line in result.outlines if line.startswith("@pytest.mark.socialapi_mock(")]
    # pytest cuts a marker's line at its first colon: none may come before the signature's end.
    signature, _, help = line.partition("): ")
    assert signature + ")" == (
        "@pytest.mark.socialapi_mock(*, seed=0, start=None, scenario=None, fixtures=None, "
        "assert_all_scenarios_used=False, assert_no_warnings=False, strict=False, api_version='2026-06-22', "
        "request_limit=None, velocity_caps=None)"
    )
    assert "'now' for the wall clock's current minute; None or absent: 2026-01-01T00:00:00Z" in help


def test_seed_and_start(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        PRELUDE
        + """
IDS = {}


@pytest.mark.parametrize("run", [1, 2])
@pytest.mark.socialapi_mock(seed=7)
def test_same_seed(socialapi_mock, run):
    IDS[("seven", run)] = publish(socialapi_mock, FACEBOOK).id


@pytest.mark.socialapi_mock(seed=8)
def test_other_seed(socialapi_mock):
    IDS["eight"] = publish(socialapi_mock, FACEBOOK).id


def test_ids_follow_the_seed():
    assert IDS[("seven", 1)] == IDS[("seven", 2)]
    assert IDS["eight"] != IDS[("seven", 1)]


@pytest.mark.socialapi_mock(start="2030-06-01T09:30:00+02:00")
def test_start_as_rfc3339(socialapi_mock):
    assert socialapi_mock.now() == datetime(2030, 6, 1, 7, 30, tzinfo=timezone.utc)


@pytest.mark.socialapi_mock(start=datetime(2031, 1, 1, tzinfo=timezone.utc))
def test_start_as_datetime(socialapi_mock):
    assert socialapi_mock.now() == datetime(2031, 1, 1, tzinfo=timezone.utc)
    assert publish(socialapi_mock, FACEBOOK).created_at == datetime(2031, 1, 1, tzinfo=timezone.utc)


def test_default_start(socialapi_mock):
    assert socialapi_mock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.mark.socialapi_mock(start=None)
def test_start_none_is_the_default(socialapi_mock):
    assert socialapi_mock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)


def minute():
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


@pytest.fixture
def minute_before():
    return minute()


@pytest.mark.socialapi_mock(start="now")
def test_start_now_is_the_wall_clocks_current_minute(minute_before, socialapi_mock):
    assert minute_before <= socialapi_mock.now() <= minute()
    assert socialapi_mock.now().second == 0
"""
    )
    downstream.runpytest().assert_outcomes(passed=9)


def test_scenario_forms(downstream: pytest.Pytester) -> None:
    downstream.mkdir("scenarios")
    (downstream.path / "scenarios" / "threads-down.yaml").write_text(
        "name: threads-down\n"
        "description: Threads fails.\n"
        "deliveries:\n"
        "  - match: {platform: threads}\n"
        "    fail: {code: platform.threads.api_error, message: down, category: platform}\n"
    )
    downstream.makepyfile(
        PRELUDE
        + """
LINKEDIN_DOWN = {
    "name": "linkedin-down",
    "description": "LinkedIn fails.",
    "deliveries": [
        {"match": {"platform": "linkedin"},
         "fail": {"code": "platform.linkedin.api_error", "message": "no", "category": "platform"}}
    ],
}


@pytest.mark.socialapi_mock(scenario="facebook-down")
def test_bundled_name(socialapi_mock):
    assert [s["name"] for s in socialapi_mock.scenarios()] == ["facebook-down"]
    assert publish(socialapi_mock, FACEBOOK, LINKEDIN).status == "partial"


@pytest.mark.socialapi_mock(scenario=LINKEDIN_DOWN)
def test_document(socialapi_mock):
    assert publish(socialapi_mock, FACEBOOK, LINKEDIN).status == "partial"


@pytest.mark.socialapi_mock(scenario="scenarios/threads-down.yaml")
def test_path_relative_to_the_test_file(socialapi_mock):
    assert publish(socialapi_mock, THREADS, LINKEDIN).status == "partial"


@pytest.mark.socialapi_mock(scenario=["facebook-down", LINKEDIN_DOWN, "scenarios/threads-down.yaml"])
def test_a_list(socialapi_mock):
    assert [s["name"] for s in socialapi_mock.scenarios()] == ["facebook-down", "linkedin-down", "threads-down"]
    post = publish(socialapi_mock, FACEBOOK, LINKEDIN, THREADS, "acc_01JGR43PP11YMKWM7ZXA9DVNXE")
    assert [t.status for t in post.targets] == ["failed", "failed", "failed", "published"]


def test_no_scenario_by_default(socialapi_mock):
    assert socialapi_mock.scenarios() == []
    assert publish(socialapi_mock, FACEBOOK, LINKEDIN).status == "published"
"""
    )
    downstream.runpytest().assert_outcomes(passed=5)


def test_fixtures_directory(downstream: pytest.Pytester) -> None:
    fixtures = downstream.mkdir("my_fixtures")
    accounts = (FIXTURES / "accounts.yaml").read_text()
    # Only the first account (Instagram) of the project's fixtures.
    head, _, _ = accounts.partition("\n  - id: acc_01JGR4N5JJX9K1QQXV5SZ7VZSG")
    (fixtures / "accounts.yaml").write_text(head + "\n")
    (fixtures / "tenants.yaml").write_text("tenants:\n  - {api_key: sapi_key_pytest, plan: free, posts_limit: 3}\n")
    downstream.makepyfile(
        PRELUDE
        + """
pytestmark = pytest.mark.socialapi_mock(fixtures="my_fixtures")


def test_accounts_and_plan_come_from_the_directory(socialapi_mock):
    accounts = socialapi_mock.sdk().accounts.list().data
    assert [a.platform for a in accounts] == ["instagram"]
    assert socialapi_mock.http.get("/v1/usage").json()["plan"] == "free"


def test_again_from_the_cached_fixtures(socialapi_mock):
    assert len(socialapi_mock.sdk().accounts.list().data) == 1
"""
    )
    downstream.runpytest().assert_outcomes(passed=2)


def test_closest_marker_wins_whole(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        PRELUDE
        + """
pytestmark = pytest.mark.socialapi_mock(start="2030-01-01T00:00:00Z", scenario="facebook-down")


def test_module_marker(socialapi_mock):
    assert socialapi_mock.now().year == 2030
    assert publish(socialapi_mock, FACEBOOK, LINKEDIN).status == "partial"


@pytest.mark.socialapi_mock(start="2032-01-01T00:00:00Z")
class TestClass:
    def test_class_marker_replaces_the_module_one(self, socialapi_mock):
        assert socialapi_mock.now().year == 2032
        assert socialapi_mock.scenarios() == []

    @pytest.mark.socialapi_mock(seed=3)
    def test_function_marker_replaces_both(self, socialapi_mock):
        assert socialapi_mock.now().year == 2026
"""
    )
    downstream.runpytest().assert_outcomes(passed=3)


MISUSE = [
    (
        "socialapi_mock(sead=1, strat='x')",
        "TypeError: @pytest.mark.socialapi_mock got unexpected argument(s) sead, strat; "
        "valid arguments: api_version, assert_all_scenarios_used, assert_no_warnings, fixtures, request_limit, "
        "scenario, seed, start, strict, velocity_caps",
    ),
    (
        "socialapi_mock('facebook-down')",
        "TypeError: @pytest.mark.socialapi_mock takes keyword arguments only; "
        "valid arguments: api_version, assert_all_scenarios_used, assert_no_warnings, fixtures, request_limit, "
        "scenario, seed, start, strict, velocity_caps",
    ),
    ("socialapi_mock(seed='1')", "TypeError: @pytest.mark.socialapi_mock(seed=...) must be an int, not str"),
    ("socialapi_mock(seed=True)", "TypeError: @pytest.mark.socialapi_mock(seed=...) must be an int, not bool"),
    ("socialapi_mock(start='tomorrow')", "ValueError: @pytest.mark.socialapi_mock(start='tomorrow'): expected*"),
    (
        "socialapi_mock(start=datetime(2026, 1, 1))",
        "ValueError: @pytest.mark.socialapi_mock(start=...) needs an aware datetime; pass tzinfo=UTC",
    ),
    ("socialapi_mock(start=1)", "TypeError: @pytest.mark.socialapi_mock(start=...) must be RFC 3339 text*"),
    (
        "socialapi_mock(scenario='nope')",
        "ValueError: scenario: name: no bundled scenario is named 'nope'; bundled scenarios: api-503-burst, *",
    ),
    ("socialapi_mock(scenario='missing.yaml')", "ValueError: *missing.yaml: cannot read the file*"),
    ("socialapi_mock(scenario=[{'name': 'x'}])", "ValueError: scenario: description: Field required"),
    ("socialapi_mock(scenario=42)", "TypeError: a scenario is a bundled scenario name, a file path, *not int"),
    ("socialapi_mock(fixtures=1)", "TypeError: @pytest.mark.socialapi_mock(fixtures=...) must be a directory*"),
    ("socialapi_mock(fixtures='nowhere')", "*nowhere: not a directory of fixture files"),
    (
        "socialapi_mock(api_version='2026-09-01')",
        "ValueError: @pytest.mark.socialapi_mock(api_version='2026-09-01') must be one of 2026-06-22, 2026-08-22, "
        "2026-10-02 or 'latest'",
    ),
    (
        "socialapi_mock(request_limit='off')",
        "TypeError: @pytest.mark.socialapi_mock(request_limit=...) must be True, False or None*, not str",
    ),
]


def test_misuse_fails_the_test_with_a_message_that_names_the_fix(downstream: pytest.Pytester) -> None:
    tests = "".join(
        f"""
@pytest.mark.{marker}
def test_misuse_{number}(socialapi_mock):
    pass
"""
        for number, (marker, _) in enumerate(MISUSE)
    )
    downstream.makepyfile(
        f"""
from datetime import datetime

import pytest
{tests}

def test_unaffected(socialapi_mock):
    assert socialapi_mock.posts() == []
"""
    )
    result = downstream.runpytest("--tb=short")
    result.assert_outcomes(passed=1, errors=len(MISUSE))
    result.stdout.fnmatch_lines([f"E   *{message}" for _, message in MISUSE])


def test_latest_and_the_limit_switches(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        PRELUDE
        + """
@pytest.mark.socialapi_mock(api_version="latest", velocity_caps=False)
def test_latest_with_the_caps_off(socialapi_mock):
    assert socialapi_mock.api_version == "2026-10-02"
    for _ in range(26):
        publish(socialapi_mock, LINKEDIN)
    answer = socialapi_mock.http.get("/v1/posts")
    assert answer.headers["X-RateLimit-Limit"] == "600"


@pytest.mark.socialapi_mock(request_limit=True)
def test_the_request_limit_in_the_default_generation(socialapi_mock):
    assert socialapi_mock.http.get("/v1/posts").headers["X-RateLimit-Remaining"] == "599"
"""
    )
    downstream.runpytest().assert_outcomes(passed=2)
