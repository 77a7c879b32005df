"""Every test gets a fresh mock, in one process and under pytest-xdist (each worker its own state)."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import SUBPROCESS_ARGS

ISOLATION_TESTS = """
from datetime import datetime, timezone

import pytest

FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("run", range(6))
def test_starts_fresh_then_dirties_everything(socialapi_mock, socialapi_mock_server, request, run):
    assert socialapi_mock.posts() == []
    assert socialapi_mock.requests == []
    assert socialapi_mock.now() == START
    assert socialapi_mock.scenarios() == []
    assert socialapi_mock.http.get("/v1/usage").json()["plan"] == "paid"
    sdk = socialapi_mock.sdk()
    sdk.publishing.create(text=f"run {run}", targets=[{"account_id": FACEBOOK}], publish_now=True)
    socialapi_mock.advance(seconds=3600)
    socialapi_mock.use_scenario("facebook-down")
    socialapi_mock.set_plan("free")
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    record = request.config.rootpath / "seen" / f"{run}.txt"
    record.parent.mkdir(exist_ok=True)
    record.write_text(f"{worker} {socialapi_mock_server.url}")
"""


def _seen(pytester: pytest.Pytester) -> set[tuple[str, str]]:
    records = sorted((pytester.path / "seen").iterdir())
    assert len(records) == 6
    return {tuple(path.read_text().split()) for path in records}  # type: ignore[misc]


def test_fresh_state_for_every_test(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(ISOLATION_TESTS)
    downstream.runpytest().assert_outcomes(passed=6)
    assert {worker for worker, _ in _seen(downstream)} == {"main"}


def test_under_xdist_each_worker_has_its_own_server(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(ISOLATION_TESTS)
    result = downstream.runpytest_subprocess(*SUBPROCESS_ARGS, "-n", "2", "--dist", "load")
    result.assert_outcomes(passed=6)
    seen = _seen(downstream)
    workers = {worker for worker, _ in seen}
    assert workers == {"gw0", "gw1"}
    # One live server per worker, so exactly two URLs, each used by one worker only.
    urls = {url: {w for w, u in seen if u == url} for _, url in seen}
    assert len(urls) == 2
    assert all(len(owners) == 1 for owners in urls.values())
