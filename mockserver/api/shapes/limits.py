"""``GET /_mock/limits``: the tenant's request budget and the scheduled posts held by the velocity caps."""

from __future__ import annotations

from typing import Literal

from mockserver.api.shapes.common import Out
from mockserver.core.backend import LimitSwitches
from mockserver.core.records.limits import Budget, Hold
from mockserver.core.timefmt import format_instant


class BudgetOut(Out):
    """The current one-minute bucket of the tenant's clock (what ``X-RateLimit-*`` would say)."""

    limit: int
    remaining: int
    reset_seconds: int


class HoldOut(Out):
    """A scheduled post that fell due in a full window: still ``scheduled``, it fires at ``release_at``."""

    post_id: str
    account_id: str
    page_id: str | None
    window: Literal["hour", "day"]
    limit: int
    held_since: str
    release_at: str

    @staticmethod
    def of(hold: Hold) -> HoldOut:
        return HoldOut.build(
            {
                "post_id": hold.post_id,
                "account_id": hold.account_id,
                "page_id": hold.page_id,
                "window": hold.window,
                "limit": hold.limit,
                "held_since": format_instant(hold.since),
                "release_at": format_instant(hold.release_at),
            }
        )


class LimitsOut(Out):
    request_limit: bool
    velocity_caps: bool
    budget: BudgetOut
    holds: list[HoldOut]

    @staticmethod
    def of(switches: LimitSwitches, budget: Budget, holds: list[Hold]) -> LimitsOut:
        left = {"limit": budget.limit, "remaining": budget.remaining, "reset_seconds": budget.reset_seconds}
        return LimitsOut.build(
            {
                "request_limit": switches.request_limit,
                "velocity_caps": switches.velocity_caps,
                "budget": BudgetOut.build(left),
                "holds": [HoldOut.of(hold) for hold in holds],
            }
        )
