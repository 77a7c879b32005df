"""What the posts area's use cases answer with, beside the posts themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.models import Post


@dataclass(slots=True)
class PostOutcome:
    post: Post
    latency_ms: int = 0


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
