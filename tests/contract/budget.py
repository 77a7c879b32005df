"""How hard the fuzz tests try: a small, fixed budget by default so ``make test`` stays fast.

``MOCK_FUZZ_EXAMPLES=1000 make test`` raises every fuzz test's example count and lets Hypothesis pick
fresh random examples; without it the examples are derandomized, so CI runs are repeatable.
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings

LONG = int(os.environ.get("MOCK_FUZZ_EXAMPLES", "0") or 0)


def examples(default: int) -> int:
    return LONG or default


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        derandomize=not LONG,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def coverage_phase(schema: Any) -> Any:
    """Schemathesis's coverage phase (boundary values of every field) runs on long budgets only."""
    schema.config.phases.coverage.enabled = bool(LONG)
    return schema


_tally: Counter[str] = Counter()


def tally(kind: str, count: int = 1) -> None:
    """Count fuzzed examples; with ``MOCK_FUZZ_REPORT=path`` the counts are appended there at exit."""
    _tally[kind] += count


def _report() -> None:
    target = os.environ.get("MOCK_FUZZ_REPORT")
    if target and _tally:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(dict(_tally)) + "\n")


atexit.register(_report)
