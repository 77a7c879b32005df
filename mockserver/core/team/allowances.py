"""What each plan allows of analytics exports (the vendor's rate-limits guide, its plan table).

-1 means unlimited. The concurrency cap is not published: the values here are ours (docs/team.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mockserver.core.baseline import Plan

UNLIMITED = -1


@dataclass(frozen=True, slots=True)
class ExportAllowance:
    plan: str
    per_month: int
    max_videos: int
    max_transcripts: int
    vision: bool
    report_days: int
    cooldown: timedelta
    concurrent: int


ALLOWANCES: dict[str, ExportAllowance] = {
    a.plan: a
    for a in (
        ExportAllowance("free", 2, 30, 10, False, 7, timedelta(days=7), 1),
        ExportAllowance("starter", 10, 200, UNLIMITED, True, 30, timedelta(hours=24), 1),
        ExportAllowance("pro", 20, 500, UNLIMITED, True, 30, timedelta(hours=1), 2),
        ExportAllowance("business", UNLIMITED, UNLIMITED, UNLIMITED, True, 90, timedelta(hours=1), 3),
        ExportAllowance("enterprise", UNLIMITED, UNLIMITED, UNLIMITED, True, 90, timedelta(0), 5),
    )
}


def allowance_of(plan: Plan) -> ExportAllowance:
    """The plan's row; a plan the table does not name counts as free when it is limited, else as pro."""
    found = ALLOWANCES.get(plan.name)
    if found is not None:
        return found
    return ALLOWANCES["free" if plan.is_free else "pro"]


def capped(value: int, cap: int) -> int:
    return value if cap == UNLIMITED else min(value, cap)
