"""``RequestBudget``: the request rate limit (2026-10-02, docs guides/rate-limits).

One pool per tenant, whatever key draws on it; the tier follows the tenant's connected accounts
(60, 600 or 1,200 requests per minute). Windows are fixed one-minute buckets aligned on the minutes
of the tenant's clock, so on a manual clock a spent bucket refills only when the clock moves into the
next minute. A refused request is not counted: it reached nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.core.errors import RateLimited
from mockserver.core.records.limits import Budget
from mockserver.core.tenancy import Area

MINUTE = timedelta(minutes=1)
ZERO = timedelta(0)
# (connected accounts up to, requests per minute), the last tier open-ended.
TIERS: tuple[tuple[int, int], ...] = ((2, 60), (2_000, 600))
TOP_TIER = 1_200


class RequestBudget(Area):
    def spend_request(self) -> Budget | None:
        """Count one request in the current bucket; ``None`` when the limit is off, 429 when it is spent."""
        tenant = self.tenant
        limits = tenant.state.limits
        if not limits.request_limit:
            return None
        # Every API request passes here: the tenant's parts are read once (bench/limits.py measures it).
        with tenant.lock:
            now = tenant.clock.now()
            reset = _seconds_until(self._bucket_end(now), now)
            limit = limits.bucket_limit
            if limits.bucket_requests >= limit:
                raise RateLimited(limit=limit, retry_after=reset)
            limits.bucket_requests += 1
            return Budget(limit, limit - limits.bucket_requests, reset)

    def standing(self) -> Budget:
        """The current bucket without spending from it (the control API's view).

        A read: a minute no request has opened yet is shown as it will open (empty, at the tier of
        now) and is left unopened, so looking never changes what the state file saves.
        """
        with self.lock:
            now = self.clock.now()
            limits = self.state.limits
            end = limits.bucket_end
            if end is None or not end - MINUTE <= now < end:
                limit = self.requests_per_minute()
                return Budget(limit, limit, _seconds_until(_minute_end(now), now))
            return Budget(
                limits.bucket_limit, max(limits.bucket_limit - limits.bucket_requests, 0), _seconds_until(end, now)
            )

    def requests_per_minute(self) -> int:
        connected = sum(a.status != "disconnected" for a in self.state.accounts.items.values())
        return next((rate for most, rate in TIERS if connected <= most), TOP_TIER)

    def _bucket_end(self, now: datetime) -> datetime:
        """The end of ``now``'s minute; a new minute starts an empty bucket at the tier of that moment."""
        limits = self.state.limits
        end = limits.bucket_end
        if end is None or not end - MINUTE <= now < end:
            end = _minute_end(now)
            limits.bucket_end = end
            limits.bucket_requests = 0
            # The docs' "a newly connected account widens the budget within about five minutes": the
            # tier is read as each minute starts, so a connection change shows from the next minute.
            limits.bucket_limit = self.requests_per_minute()
        return end


def _minute_end(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + MINUTE


def _seconds_until(instant: datetime, now: datetime) -> int:
    """Whole seconds up to ``instant``, rounded up: within a bucket, 1 to 60."""
    left = instant - now
    return left.days * 86_400 + left.seconds + (1 if left.microseconds else 0) if left > ZERO else 1
