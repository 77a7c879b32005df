"""``BackendView``: what the post use-case mixins use of ``PublishingBackend``.

The mixins (``post_editing``, ``post_removal``, ``post_validation``, ``metrics``, ``importing``) type
``self`` with this protocol, so none of them imports ``backend.py`` at run time (``backend.py``
imports them to build the class).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mockserver.core.baseline import Plan
from mockserver.core.models import Account, MediaItem, Post
from mockserver.core.posts.commands import NewPost
from mockserver.core.rules.engagement import MetricsAt
from mockserver.core.rules.targets import TargetContext

if TYPE_CHECKING:
    from mockserver.core.backend import PostOutcome
    from mockserver.core.clock import Clock
    from mockserver.core.posts.store import PostStore
    from mockserver.core.versions import Generation


class BackendView(Protocol):
    seed: int
    tenant: str
    plan: Plan
    generation: Generation

    @property
    def checks_duplicates(self) -> bool: ...

    @property
    def lock(self) -> AbstractContextManager[Any]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def store(self) -> PostStore: ...
    @property
    def accounts(self) -> Mapping[str, Account]: ...
    @property
    def media(self) -> Mapping[str, MediaItem]: ...

    def _post(self, post_id: str) -> Post: ...
    def _charge(self) -> None: ...
    def _consume_credit(self) -> None: ...
    def target_context(self, now: datetime) -> TargetContext: ...
    def metrics_at(self, at: datetime) -> MetricsAt: ...
    def _next_fire(self, post: Post) -> datetime | None: ...
    def _scheduled_payload(self, post: Post) -> dict[str, Any]: ...
    def _checked_post(self, cmd: NewPost, now: datetime) -> Post: ...
    def create_post(self, cmd: NewPost) -> PostOutcome: ...
    def record_event(self, event: str, data: dict[str, Any], at: datetime) -> None: ...
