"""The documented example downstream suite in ``examples/`` passes, run as its own project would run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.conftest import SUBPROCESS_ARGS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "downstream_app"


def test_example_downstream_suite_passes(pytester: pytest.Pytester) -> None:
    # Its own pytest.ini (warnings are errors) applies: the rootdir is the example's directory.
    result = pytester.runpytest_subprocess(*SUBPROCESS_ARGS, str(EXAMPLE))
    result.stdout.fnmatch_lines([f"rootdir: {EXAMPLE}", "configfile: pytest.ini"])
    result.assert_outcomes(passed=7)
