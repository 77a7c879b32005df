"""Engagement of a published post: deterministic, and growing with the fake time since publication.

Each counter follows ``cap * s / (s + half_life)``, with ``s`` the seconds since publication: zero at
publication, half its cap after ``half_life``, approaching the cap from below. Caps and half-life come
from a generator seeded by (tenant seed, platform post id), and the arithmetic is integer-only, so the
same post at the same fake instant shows the same numbers on every run and every machine, and the
numbers never go down as the clock moves on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from mockserver.core.ids import stable_seed
from mockserver.core.models import Target, TargetStatus

# Platforms where people save posts; elsewhere ``saves`` stays 0.
SAVING_PLATFORMS = frozenset({"instagram", "tiktok", "pinterest", "facebook", "linkedin"})


@dataclass(frozen=True, slots=True)
class Engagement:
    likes: int
    comments: int
    shares: int
    saves: int
    impressions: int


_ZERO = Engagement(likes=0, comments=0, shares=0, saves=0, impressions=0)


@dataclass(frozen=True, slots=True)
class _Curve:
    half_life: int  # seconds
    impressions: int
    likes: int
    comments: int
    shares: int
    saves: int


# Seeding a generator costs more than the rest of a response (and a history reads a post's curve once
# per day of its range): a post's curve is kept while it is read.
@lru_cache(maxsize=4096)
def _curve(seed: int, platform: str, platform_post_id: str) -> _Curve:
    rng = random.Random(stable_seed(seed, "metrics", platform, platform_post_id))
    impressions = rng.randrange(500, 50_000)
    likes = impressions * rng.randrange(2, 12) // 100
    return _Curve(
        half_life=rng.randrange(2 * 3600, 48 * 3600),
        impressions=impressions,
        likes=likes,
        comments=likes * rng.randrange(3, 20) // 100,
        shares=likes * rng.randrange(1, 15) // 100,
        saves=likes * rng.randrange(1, 10) // 100 if platform in SAVING_PLATFORMS else 0,
    )


def metrics_payload(counts: Engagement) -> dict[str, Any]:
    """A target's ``metrics`` object, the same in API responses and webhook payloads."""
    return {
        "likes": counts.likes,
        "comments": counts.comments,
        "shares": counts.shares,
        "saves": counts.saves,
        "extra": {"impressions": counts.impressions},
    }


@dataclass(frozen=True, slots=True)
class MetricsAt:
    """The engagement of a tenant's published targets at one fake instant (``synced_at``)."""

    seed: int
    synced_at: datetime

    def of(self, target: Target) -> Engagement | None:
        """The counters of ``target``, or None while it is not published (only published targets have any)."""
        if target.status is not TargetStatus.PUBLISHED or not target.platform_post_id or not target.published_at:
            return None
        return engagement(self.seed, target.platform, target.platform_post_id, self.synced_at - target.published_at)


def engagement(seed: int, platform: str, platform_post_id: str, since_published: timedelta) -> Engagement:
    """The counters of one published target, ``since_published`` after it went live."""
    elapsed = max(int(since_published.total_seconds()), 0)
    if elapsed == 0:
        # Every counter starts at zero whatever its curve: a post answered as it publishes needs none.
        return _ZERO
    curve = _curve(seed, platform, platform_post_id)

    def grown(cap: int) -> int:
        return cap * elapsed // (elapsed + curve.half_life)

    return Engagement(
        likes=grown(curve.likes),
        comments=grown(curve.comments),
        shares=grown(curve.shares),
        saves=grown(curve.saves),
        impressions=grown(curve.impressions),
    )


@cache
def metrics_seed(seed: int) -> int:
    """The engagement model's seed for a mock seeded ``seed``.

    Not the tenant's key: the platform post id already tells posts apart, and a state restored
    under another key must show the same numbers. Computed once: every post response asks for it.
    """
    return stable_seed(seed, "metrics")


def followers(seed: int, subject: str, since_tracked: timedelta) -> int:
    """The followers of an account or page (``subject``), ``since_tracked`` after the mock began tracking it.

    A seeded base and a seeded daily gain, in integer arithmetic: deterministic, never going down.
    """
    rng = random.Random(stable_seed(seed, "followers", subject))
    base = rng.randrange(200, 20_000)
    per_day = rng.randrange(1, 60)
    return base + max(int(since_tracked.total_seconds()), 0) * per_day // 86_400
