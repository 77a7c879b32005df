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
# Below this many admitted publishes in the last 24 hours no window can be full: no window is looked into.
ROOM: Mapping[str, int] = {platform: min(HOURLY_CAP, cap) for platform, cap in DAILY_CAPS.items()}
OTHER_ROOM = min(HOURLY_CAP, OTHER_DAILY_CAP)


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
        limits = self.state.limits
        if not limits.velocity_caps:
            return
        keys = [_key(target) for target in targets]
        refusal = self._refusal(targets, keys, at)
        if refusal is not None:
            raise VelocityLimited(
                platform=refusal.target.platform,
                account_id=refusal.target.account_id,
                window=refusal.window,
                limit=refusal.limit,
                retry_after=refusal.retry_after,
            )
        _count(limits.admitted, keys, at)

    def hold_if_full(self, post: Post, targets: Sequence[Target], at: datetime) -> bool:
        """Whether the scheduled ``targets`` of ``post``, due at ``at``, wait for room (the post is re-timed)."""
        limits = self.state.limits
        if not limits.velocity_caps:
            return False
        keys = [_key(target) for target in targets]
        refusal = self._refusal(targets, keys, at)
        if refusal is None:
            limits.holds.pop(post.id, None)
            _count(limits.admitted, keys, at)
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

    def _refusal(self, targets: Sequence[Target], keys: list[str], at: datetime) -> Refusal | None:
        """The full window with the longest wait, so a retry after it meets every target's room."""
        admitted = self.state.limits.admitted
        worst: Refusal | None = None
        for n, (target, key) in enumerate(zip(targets, keys, strict=True)):
            need = keys.count(key)
            if need > 1 and key in keys[:n]:
                continue  # counted with its first target
            log = admitted.get(key)
            # Far from both caps (the usual case): no window to look into, even before old instants go.
            if (0 if log is None else len(log)) + need <= ROOM.get(target.platform, OTHER_ROOM):
                continue
            log = log or deque()
            _drop_older(log, at - DAY)
            daily = DAILY_CAPS.get(target.platform, OTHER_DAILY_CAP)
            for window, span, limit in (("hour", HOUR, HOURLY_CAP), ("day", DAY, daily)):
                since = at - span
                inside = [t for t in log if t > since]
                wait = _wait(inside, need, limit, span, at)
                if wait is not None and (worst is None or wait > worst.retry_after):
                    worst = Refusal(target, window, limit, wait)
        return worst


def _count(admitted: dict[str, deque[datetime]], keys: list[str], at: datetime) -> None:
    for key in keys:
        log = admitted.get(key)
        if log is None:
            admitted[key] = deque((at,))
        else:
            log.append(at)


def _drop_older(log: deque[datetime], cutoff: datetime) -> None:
    while log and log[0] <= cutoff:
        log.popleft()


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
