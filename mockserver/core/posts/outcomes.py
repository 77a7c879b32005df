"""What the posts area's use cases answer with, beside the posts themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.models import Post
from mockserver.core.rules.content import Issue


@dataclass(slots=True)
class PostOutcome:
    post: Post
    latency_ms: int = 0
    # What the platforms will not publish as sent (``rules.content.publish_notes``): answered as warnings.
    warnings: list[Issue] = field(default_factory=list)


@dataclass(slots=True)
class PostPage:
    posts: list[Post]
    has_more: bool
    next_cursor: str | None


@dataclass(slots=True)
class Fired:
    post_id: str
    status: str


@dataclass(slots=True)
class AdvanceResult:
    now: datetime
    fired: list[Fired] = field(default_factory=list)
