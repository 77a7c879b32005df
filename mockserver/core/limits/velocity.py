"""``VelocityCaps``: the posting velocity caps (2026-10-02, docs guides/rate-limits).

Each publish target (an account; a Facebook Page, LinkedIn organization, Pinterest board or Google
location on its own) may take 25 publishes per rolling hour and its platform's daily cap per rolling
24 hours, on the tenant's clock. Publishing now (create with ``publish_now``, ``/publish``, ``/retry``)
is refused whole when one target is full: 429 ``publishing.velocity_limit``, nothing created or spent.
A scheduled post that falls due in a full window is held, not failed: it stays ``scheduled`` and
fires again when the window has room. Every admitted delivery counts, whatever its outcome, retries
included; drafts, validation and imports count nothing (docs/api-versions.md lists these choices).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.core.errors import VelocityLimited
from mockserver.core.models import Post, PostStatus, Target
from mockserver.core.records.limits import Hold
from mockserver.core.tenancy import Area

HOUR = timedelta(hours=1)
DAY = timedelta(hours=24)
HOURLY_CAP = 25
# Posts per rolling 24 hours per publish target; "fixed: upgrading your plan does not raise them".
DAILY_CAPS: Mapping[str, int] = {
    "instagram": 45,
    "facebook": 100,
    "threads": 250,
    "twitter": 50,
    "pinterest": 25,
    "tiktok": 18,
}
OTHER_DAILY_CAP = 50


@dataclass(frozen=True, slots=True)
class Refusal:
    """The full window that keeps one target from publishing, and how long until it has room."""

    target: Target
    window: str  # hour | day
    limit: int
    retry_after: int


class VelocityCaps(Area):
    def admit(self, targets: Sequence[Target], at: datetime) -> None:
        """Count a publish to each of ``targets`` now, or refuse them all (429) when one is full."""
        if not self.state.limits.velocity_caps:
            return
        refusal = self._refusal(targets, at)
        if refusal is not None:
            raise VelocityLimited(
                platform=refusal.target.platform,
                account_id=refusal.target.account_id,
                window=refusal.window,
                limit=refusal.limit,
                retry_after=refusal.retry_after,
            )
        self._count(targets, at)

    def hold_if_full(self, post: Post, targets: Sequence[Target], at: datetime) -> bool:
        """Whether the scheduled ``targets`` of ``post``, due at ``at``, wait for room (the post is re-timed)."""
        limits = self.state.limits
        if not limits.velocity_caps:
            return False
        refusal = self._refusal(targets, at)
        if refusal is None:
            limits.holds.pop(post.id, None)
            self._count(targets, at)
            return False
        release = at + timedelta(seconds=refusal.retry_after)
        held = limits.holds.get(post.id)
        target = refusal.target
        since = held.since if held is not None else at
        limits.holds[post.id] = Hold(
            post.id, target.account_id, target.page_id, refusal.window, refusal.limit, since, release
        )
        post.fire_at = release
        return True

    def holds(self) -> list[Hold]:
        """The scheduled posts waiting for room now, by release instant."""
        with self.lock:
            live = [h for h in self.state.limits.holds.values() if self._is_live(h)]
            return sorted(live, key=lambda h: (h.release_at, h.post_id))

    def hold_of(self, post_id: str) -> Hold | None:
        with self.lock:
            held = self.state.limits.holds.get(post_id)
            return held if held is not None and self._is_live(held) else None

    def _is_live(self, held: Hold) -> bool:
        # A hold ends when its post fires; a post published, edited or deleted meanwhile leaves a stale one.
        post = self.state.posts.get(held.post_id)
        return (
            post is not None
            and post.status in (PostStatus.SCHEDULED, PostStatus.PUBLISHING)
            and post.fire_at == held.release_at
        )

    def _refusal(self, targets: Sequence[Target], at: datetime) -> Refusal | None:
        """The full window with the longest wait, so a retry after it meets every target's room."""
        wanted: dict[str, int] = {}
        for target in targets:
            wanted[_key(target)] = wanted.get(_key(target), 0) + 1
        worst: Refusal | None = None
        for target in targets:
            key = _key(target)
            need = wanted.pop(key, 0)
            if not need:
                continue
            log = self._log(key, at)
            daily = DAILY_CAPS.get(target.platform, OTHER_DAILY_CAP)
            for window, span, limit in (("hour", HOUR, HOURLY_CAP), ("day", DAY, daily)):
                inside = [t for t in log if t > at - span]
                wait = _wait(inside, need, limit, span, at)
                if wait is not None and (worst is None or wait > worst.retry_after):
                    worst = Refusal(target, window, limit, wait)
        return worst

    def _count(self, targets: Sequence[Target], at: datetime) -> None:
        admitted = self.state.limits.admitted
        for target in targets:
            admitted.setdefault(_key(target), deque()).append(at)

    def _log(self, key: str, at: datetime) -> deque[datetime]:
        """The target's admitted publishes of the last 24 hours (older ones are dropped here)."""
        log = self.state.limits.admitted.get(key)
        if log is None:
            return deque()
        while log and log[0] <= at - DAY:
            log.popleft()
        return log


def _key(target: Target) -> str:
    return f"{target.account_id}/{target.page_id}" if target.page_id else target.account_id


def _wait(inside: list[datetime], need: int, limit: int, span: timedelta, at: datetime) -> int | None:
    """Seconds until ``need`` more fit under ``limit`` in a rolling ``span``; None when they fit now."""
    excess = len(inside) + need - limit
    if excess <= 0:
        return None
    if need > limit:
        # More targets of one publish target than a window holds: no wait makes room; the longest is named.
        return math.ceil(span.total_seconds())
    # The window has room once the ``excess`` oldest of its publishes have left it.
    frees_at = inside[excess - 1] + span
    return max(math.ceil((frees_at - at).total_seconds()), 1)
