"""Inputs of the backend's use cases, already parsed from the wire (see ``api/shapes/``).

Not frozen: a frozen dataclass sets every field through ``object.__setattr__``, which made building
a create command cost more than storing the post. Nothing mutates a command after it is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.media_inputs import field_of, normalised, normalised_segment
from mockserver.core.models import MediaInput, MediaItem, Post, PostStatus, Segment, Target
from mockserver.core.reach import Reach


@dataclass(slots=True)
class NewTarget:
    account_id: str
    page_id: str | None = None
    board_id: str | None = None
    text: str | None = None
    title: str | None = None
    media_ids: tuple[str, ...] | None = None
    first_comment: str | None = None
    visibility: str | None = None
    scheduled_at: datetime | None = None
    platform_data: dict[str, Any] | None = None
    media: tuple[MediaInput, ...] | None = None


@dataclass(slots=True)
class NewPost:
    text: str
    title: str | None = None
    media_ids: tuple[str, ...] | None = None
    media: tuple[MediaInput, ...] | None = None
    visibility: str | None = None
    first_comment: str | None = None
    scheduled_at: datetime | None = None
    publish_now: bool = False
    skip_duplicate_check: bool = False
    skip_validation: bool = False
    segments: tuple[Segment, ...] = ()
    platform_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: tuple[NewTarget, ...] = ()
    # False when the request omitted ``text``: allowed only when every target brings its own body.
    text_given: bool = True
    # A brand-restricted key's reach: a target on an account outside it reads as an unknown account.
    reach: Reach | None = None

    def draft(self, targets: list[Target], now: datetime, library: Mapping[str, MediaItem]) -> Post:
        """The post this command describes, with ``targets`` resolved from its specs; not stored yet."""
        media, media_ids = normalised(self.media, self.media_ids, library)
        scheduled_at = self.scheduled_at
        if scheduled_at is None and not self.publish_now:
            # Scheduled by its targets' own times alone: the post fires at the first.
            own = [t.scheduled_at for t in targets if t.scheduled_at is not None]
            scheduled_at = min(own) if own else None
        return Post(
            id="",
            seq=0,
            text=self.text,
            created_at=now,
            updated_at=now,
            status=PostStatus.DRAFT,
            targets=targets,
            title=self.title,
            visibility=self.visibility,
            media_ids=media_ids,
            media=media,
            media_field=field_of(self.media, self.media_ids),
            first_comment=self.first_comment,
            segments=tuple(normalised_segment(s, library) for s in self.segments),
            scheduled_at=scheduled_at,
            skip_validation=self.skip_validation,
        )


@dataclass(frozen=True, slots=True)
class PostQuery:
    account_ids: tuple[str, ...] = ()
    status: str | None = None
    platform: str | None = None
    page_id: str | None = None
    brand_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    sort: str = "scheduled_asc"
    hidden: bool = False
    limit: int = 25
    cursor: str | None = None
    # A brand-restricted key's reach: only posts with a target on its brands' accounts.
    reach: Reach | None = None


SORTS: tuple[str, ...] = ("scheduled_asc", "scheduled_desc", "created_asc", "created_desc")
