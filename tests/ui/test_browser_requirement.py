"""A missing browser: skipped with the step that installs it locally, a failure under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.browser_requirement import INSTALL_STEP, browser_verdict


def test_an_installed_browser_runs_the_tests_locally_and_in_ci() -> None:
    for environ in ({}, {"CI": "true"}):
        assert browser_verdict("/usr/bin/chromium", environ).action == "run"


@pytest.mark.parametrize("environ", [{}, {"CI": ""}, {"CI": "false"}, {"CI": "0"}])
def test_without_a_browser_a_local_run_skips_naming_the_step_that_installs_it(environ: dict[str, str]) -> None:
    verdict = browser_verdict(None, environ)
    assert verdict.action == "skip"
    assert f"`{INSTALL_STEP}` installs it" in verdict.reason


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE", "True"])
def test_ci_refuses_to_skip_the_browser_tests(value: str) -> None:
    verdict = browser_verdict(None, {"CI": value})
    assert verdict.action == "fail"
    assert "may not be skipped" in verdict.reason and INSTALL_STEP in verdict.reason


ROOT = Path(__file__).resolve().parents[2]


def test_the_named_step_is_a_make_target_the_readme_documents() -> None:
    target = INSTALL_STEP.removeprefix("make ")
    assert f"\n{target}:" in (ROOT / "Makefile").read_text()
    assert INSTALL_STEP in (ROOT / "README.md").read_text()


def test_make_test_installs_no_browser_and_ci_asks_for_it_first() -> None:
    rules = [line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("test:")]
    assert rules == ["test: $(STAMP)"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index(INSTALL_STEP) < ci.index("CI=true make test")
