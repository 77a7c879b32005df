"""Installing the package registers the plugin: auto-loaded by name, or enabled by name when autoload is off."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import SUBPROCESS_ARGS

USES_FIXTURE = """
def test_uses_it(socialapi_mock):
    assert socialapi_mock.posts() == []
"""


def test_fixtures_are_listed_with_their_docs(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("--fixtures")
    result.stdout.fnmatch_lines(
        [
            "socialapi_mock -- *pytest_plugin.py:*",
            "*A fresh in-process SocialAPI mock for this test*",
            "socialapi_mock_server [[]session scope[]] -- *pytest_plugin.py:*",
            "*The mock served by uvicorn on a free loopback port*",
        ]
    )


def test_disabled_by_name(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(USES_FIXTURE)
    result = downstream.runpytest("-p", "no:socialapi_mock")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'socialapi_mock' not found*"])


def test_enabled_by_name_without_autoload_and_imported_only_when_used(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    downstream.makeini("[pytest]\nfilterwarnings = error\n")
    downstream.makeconftest(
        """
import sys


def pytest_collection_finish(session):
    # Loading the plugin must not import the mock (or httpx): that happens when a fixture is used.
    assert "mockserver.mock" not in sys.modules
    assert "httpx" not in sys.modules
"""
    )
    downstream.makepyfile(USES_FIXTURE)
    result = downstream.runpytest_subprocess(*SUBPROCESS_ARGS, "-p", "socialapi_mock")
    result.assert_outcomes(passed=1)
