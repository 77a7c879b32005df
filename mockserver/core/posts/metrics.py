"""``GET /v1/posts/{pid}/metrics``: the engagement of each published target.

Only published targets carry metrics; their numbers come from the engagement model in
``core/rules/engagement.py``, at the fake clock's time. ``GET /v1/posts``, ``GET /v1/posts/{pid}`` and the
webhook payloads carry the same numbers (``metrics_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.models import Target
from mockserver.core.posts.base import PostsBase
from mockserver.core.rules.engagement import Engagement


@dataclass(frozen=True, slots=True)
class TargetMetrics:
    target: Target
    engagement: Engagement | None


@dataclass(frozen=True, slots=True)
class MetricsReport:
    post_id: str
    synced_at: datetime
    targets: list[TargetMetrics]


class PostMetrics(PostsBase):
    """``post_metrics``: the engagement of each published target, at the fake clock's time."""

    def post_metrics(self, post_id: str) -> MetricsReport:
        with self.lock:
            post = self._post(post_id)
            metrics = self.metrics_at(self.clock.now())
            rows = [TargetMetrics(target, metrics.of(target)) for target in post.targets]
            return MetricsReport(post.id, metrics.synced_at, rows)
