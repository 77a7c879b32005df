"""The complete example of ``docs/pytest.md`` runs green as a downstream test file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "pytest.md"
README = ROOT / "README.md"


def python_blocks(path: Path = DOC) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_readme_shows_the_same_complete_example() -> None:
    readme = [block for block in python_blocks(README) if block.startswith("# test_announcements.py")]
    assert readme == [python_blocks()[0]]


def test_the_complete_example_passes(downstream: pytest.Pytester) -> None:
    complete = python_blocks()[0]
    assert complete.startswith("# test_announcements.py")
    downstream.makepyfile(test_announcements=complete)
    downstream.runpytest().assert_outcomes(passed=4)


def test_the_smaller_examples_pass(downstream: pytest.Pytester) -> None:
    blocks = python_blocks()[1:]
    live = next(b for b in blocks if "def test_production_wiring" in b)
    asynchronous = next(b for b in blocks if "async def test_async" in b)
    outside = next(b for b in blocks if "TenantHandle.in_process" in b)
    assertions = next(b for b in blocks if "def test_assertions_on_requests_and_deliveries" in b)
    sink = next(b for b in blocks if "def test_webhooks_reach_the_sink" in b)
    downstream.makepyfile(
        test_assertions=assertions,
        test_sink=sink,
        test_live=live,
        test_async="import pytest\n\n" + asynchronous,
        test_outside="def test_outside_pytest():\n" + "".join(f"    {line}\n" for line in outside.splitlines()),
    )
    downstream.runpytest().assert_outcomes(passed=5)
