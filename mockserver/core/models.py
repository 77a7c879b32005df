"""Domain objects. Plain slotted dataclasses: lean in memory, no wire shapes (see ``api/shapes/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from mockserver.core.codecs import MediaBytes

PLATFORMS: tuple[str, ...] = (
    "instagram",
    "facebook",
    "linkedin",
    "threads",
    "tiktok",
    "youtube",
    "twitter",
    "google",
    "pinterest",
    "bluesky",
)
# Connected by direct auth (no OAuth) and listed like any account; Telegram is not published to.
DIRECT_PLATFORMS: tuple[str, ...] = ("telegram", "bluesky")
VISIBILITIES: tuple[str, ...] = ("public", "private", "connections_only", "logged_in")


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    PARTIAL = "partial"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TargetStatus(StrEnum):
    PENDING = "pending"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    platform: str
    name: str
    username: str
    brand_id: str
    status: str = "active"
    reconnect_reason: str | None = None
    profile_picture_url: str | None = None
    bio: str | None = None
    page_id: str | None = None
    page_name: str | None = None
    platform_user_id: str = "0"
    # The IANA zone its analytics days are cut on (``GET /v1/accounts/{id}/analytics``).
    timezone: str = "UTC"
    # The shared platform credential (``cred_…``) a Facebook account was selected through.
    login_id: str | None = None


@dataclass(slots=True)
class MediaItem:
    id: str
    filename: str
    content_type: str
    size_bytes: int
    status: str
    created_at: datetime
    data: Annotated[bytes | None, MediaBytes] = None
    # A presigned upload too large to keep: its bytes' SHA-256 stands for them (``data`` stays None).
    digest: str | None = None

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True, slots=True)
class TargetError:
    message: str
    category: str
    caused_by: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class PlatformMedia:
    """One image or video of a published Instagram post, as Instagram hosts it (links expire)."""

    type: str  # image | video
    # Absent when Instagram withholds the file (a video with licensed audio); the cover stays.
    url: str | None = None
    thumbnail_url: str | None = None


@dataclass(frozen=True, slots=True)
class MediaInput:
    """One item of a ``media`` array: a library id, a public URL, or an id the platform already holds."""

    source_type: str  # url | media_id | platform_attachment_id
    source: str
    type: str | None = None  # image | video | audio | file


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    media_ids: tuple[str, ...] = ()
    media: tuple[MediaInput, ...] | None = None


@dataclass(slots=True)
class Target:
    account_id: str
    platform: str
    page_id: str | None = None
    text: str | None = None
    title: str | None = None
    media_ids: tuple[str, ...] | None = None
    first_comment: str | None = None
    visibility: str | None = None
    scheduled_at: datetime | None = None
    platform_data: dict[str, Any] | None = None
    # Every media item, however it was sent (see core/media_inputs.py); media_ids are its library ids.
    media: tuple[MediaInput, ...] | None = None
    # The request field the media came in ("media" or "media_ids"), for the issues that point at it.
    media_field: str = "media"
    status: TargetStatus = TargetStatus.PENDING
    platform_post_id: str | None = None
    permalink: str | None = None
    published_at: datetime | None = None
    error: TargetError | None = None
    metadata: dict[str, Any] | None = None
    attempts: int = 0
    # Instagram only: the published files (refreshed by an account sync) and the settings it reports.
    platform_media: tuple[PlatformMedia, ...] | None = None
    settings: dict[str, Any] | None = None


@dataclass(slots=True)
class Post:
    id: str
    seq: int
    text: str
    created_at: datetime
    updated_at: datetime
    status: PostStatus
    targets: list[Target] = field(default_factory=list)
    title: str | None = None
    visibility: str | None = None
    media_ids: tuple[str, ...] | None = None
    media: tuple[MediaInput, ...] | None = None
    media_field: str = "media"
    first_comment: str | None = None
    segments: tuple[Segment, ...] = ()
    scheduled_at: datetime | None = None
    published_at: datetime | None = None
    hidden: bool = False
    retry_count: int = 0
    skip_validation: bool = False
    # The instant the scheduler will next look at this post (None when nothing is queued).
    fire_at: datetime | None = None

    def effective(self, target: Target) -> EffectiveTarget:
        return EffectiveTarget(self, target)


class EffectiveTarget:
    """A target's values with the post-level defaults filled in (what the platform would receive)."""

    __slots__ = ("post", "target")

    def __init__(self, post: Post, target: Target) -> None:
        self.post = post
        self.target = target

    @property
    def text(self) -> str:
        return self.target.text if self.target.text is not None else self.post.text

    @property
    def title(self) -> str | None:
        return self.target.title if self.target.title is not None else self.post.title

    @property
    def media_ids(self) -> tuple[str, ...]:
        if self.target.media_ids is not None:
            return self.target.media_ids
        return self.post.media_ids or ()

    @property
    def media(self) -> tuple[MediaInput, ...]:
        own = _level_media(self.target.media, self.target.media_ids)
        if own is not None:
            return own
        return _level_media(self.post.media, self.post.media_ids) or ()

    @property
    def own_media(self) -> bool:
        return self.target.media is not None or self.target.media_ids is not None

    @property
    def media_field(self) -> str:
        """The request field this target's media came in: ``media``, or ``media_ids`` when it came alone."""
        level: Target | Post = self.target if self.own_media else self.post
        return "media_ids" if level.media is None and level.media_ids is not None else level.media_field

    @property
    def first_comment(self) -> str | None:
        if self.target.first_comment is not None:
            return self.target.first_comment
        return self.post.first_comment

    @property
    def visibility(self) -> str | None:
        return self.target.visibility if self.target.visibility is not None else self.post.visibility

    @property
    def scheduled_at(self) -> datetime | None:
        if self.target.scheduled_at is not None:
            return self.target.scheduled_at
        return self.post.scheduled_at

    @property
    def platform_data(self) -> dict[str, Any]:
        return self.target.platform_data or {}


def _level_media(
    media: tuple[MediaInput, ...] | None, media_ids: tuple[str, ...] | None
) -> tuple[MediaInput, ...] | None:
    # A post built without the create path (a restored state of before ``media``) has media_ids only.
    if media is not None:
        return media
    return None if media_ids is None else tuple(MediaInput("media_id", m) for m in media_ids)
