"""``RequestBudget``: the request rate limit (2026-10-02, docs guides/rate-limits).

One pool per tenant, whatever key draws on it; the tier follows the tenant's connected accounts
(60, 600 or 1,200 requests per minute). Windows are fixed one-minute buckets aligned on the minutes
of the tenant's clock, so on a manual clock a spent bucket refills only when the clock moves into the
next minute. A refused request is not counted: it reached nothing.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from mockserver.core.errors import RateLimited
from mockserver.core.records.limits import Budget
from mockserver.core.tenancy import Area

MINUTE = timedelta(minutes=1)
# (connected accounts up to, requests per minute), the last tier open-ended.
TIERS: tuple[tuple[int, int], ...] = ((2, 60), (2_000, 600))
TOP_TIER = 1_200


class RequestBudget(Area):
    def spend_request(self) -> Budget | None:
        """Count one request in the current bucket; ``None`` when the limit is off, 429 when it is spent."""
        limits = self.state.limits
        if not limits.request_limit:
            return None
        with self.lock:
            now = self.clock.now()
            start = self._bucket(now)
            limit = self.requests_per_minute()
            reset = _seconds_until(start + MINUTE, now)
            if limits.bucket_requests >= limit:
                raise RateLimited(limit=limit, retry_after=reset)
            limits.bucket_requests += 1
            return Budget(limit, limit - limits.bucket_requests, reset)

    def standing(self) -> Budget:
        """The current bucket without spending from it (the control API's view)."""
        with self.lock:
            now = self.clock.now()
            start = self._bucket(now)
            limit = self.requests_per_minute()
            used = self.state.limits.bucket_requests
            return Budget(limit, max(limit - used, 0), _seconds_until(start + MINUTE, now))

    def requests_per_minute(self) -> int:
        # The docs' "within about five minutes" of a new connection is read as at once: deterministic.
        connected = sum(a.status != "disconnected" for a in self.state.accounts.items.values())
        return next((rate for most, rate in TIERS if connected <= most), TOP_TIER)

    def _bucket(self, now: datetime) -> datetime:
        """The start of ``now``'s minute, with the bucket emptied when that minute is a new one."""
        limits = self.state.limits
        start = now.replace(second=0, microsecond=0)
        if limits.bucket_start != start:
            limits.bucket_start = start
            limits.bucket_requests = 0
        return start


def _seconds_until(instant: datetime, now: datetime) -> int:
    return max(math.ceil((instant - now).total_seconds()), 1)
