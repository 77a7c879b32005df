"""The later generation's limits as plain data: a held scheduled post and the request budget's standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Hold:
    """A scheduled post that fell due in a full velocity window: it fires again at ``release_at``."""

    post_id: str
    account_id: str
    page_id: str | None
    window: str  # hour | day
    limit: int
    since: datetime
    release_at: datetime


@dataclass(slots=True)
class Budget:
    """Where a tenant stands in the current minute: the ``X-RateLimit-*`` headers."""

    limit: int
    remaining: int
    reset_seconds: int
