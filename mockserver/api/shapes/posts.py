"""Posts and their targets: create, edit, list, unpublish, delete and metrics bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from mockserver.api.shapes.common import (
    LIST_MAX,
    Ident,
    MediaIds,
    Out,
    PageLimit,
    Request,
    ShortText,
    instant,
    when,
)
from mockserver.api.shapes.instagram import InstagramSettingsOut, PlatformMediaOut
from mockserver.core.bounds import TEXT_MAX, bounded_free_form
from mockserver.core.commands import NewPost, NewTarget, PostQuery
from mockserver.core.media_inputs import URL_MAX
from mockserver.core.models import MediaInput, Post, Segment, Target
from mockserver.core.posts.editing import PostEdit
from mockserver.core.posts.metrics import MetricsReport
from mockserver.core.posts.outcomes import PostPage
from mockserver.core.posts.removal import Deletion
from mockserver.core.reach import Reach
from mockserver.core.rules.engagement import Engagement, MetricsAt, metrics_payload
from mockserver.core.timefmt import format_instant

Visibility = Literal["public", "private", "connections_only", "logged_in"]
PostStatusName = Literal["draft", "scheduled", "publishing", "published", "partial", "failed", "cancelled"]
TargetStatusName = Literal["pending", "publishing", "published", "failed", "cancelled"]
# The target platform enum of the later documents (twelve values); the mock publishes to ten of them (not
# zalo or whatsapp).
TargetPlatformName = Literal[
    "instagram",
    "facebook",
    "threads",
    "tiktok",
    "linkedin",
    "google",
    "zalo",
    "youtube",
    "twitter",
    "bluesky",
    "whatsapp",
    "pinterest",
]
Text = Annotated[str, Field(max_length=TEXT_MAX)]
# Objects kept as given (stored, exported, sent back on every read): bounded in size and depth.
FreeForm = Annotated[dict[str, Any], AfterValidator(bounded_free_form)]
PlatformData = Annotated[dict[str, dict[str, Any]], AfterValidator(bounded_free_form)]

# -- requests --------------------------------------------------------------------------------------


class MediaInputRequest(Request):
    """One item of ``media``: a public URL, a library id, or an id the platform already holds."""

    source_type: Literal["url", "media_id", "platform_attachment_id"]
    source: Annotated[str, Field(min_length=1, max_length=URL_MAX)]
    type: Literal["image", "video", "audio", "file"] | None = None

    def to_input(self) -> MediaInput:
        return MediaInput(self.source_type, self.source, self.type)


MediaInputs = Annotated[list[MediaInputRequest], Field(max_length=LIST_MAX)]


def _media(items: list[MediaInputRequest] | None) -> tuple[MediaInput, ...] | None:
    return None if items is None else tuple(item.to_input() for item in items)


class SegmentRequest(Request):
    text: Text
    media_ids: MediaIds | None = None
    media: MediaInputs | None = None


class TargetRequest(Request):
    account_id: Ident
    page_id: Ident | None = None
    board_id: Ident | None = None
    text: Text | None = None
    title: ShortText | None = None
    media_ids: MediaIds | None = None
    media: MediaInputs | None = None
    first_comment: ShortText | None = None
    visibility: Visibility | None = None
    scheduled_at: datetime | None = None
    platform_data: FreeForm | None = None

    _when = field_validator("scheduled_at", mode="plain", json_schema_input_type=datetime | None)(instant)

    def to_command(self) -> NewTarget:
        return NewTarget(
            account_id=self.account_id,
            page_id=self.page_id,
            board_id=self.board_id,
            text=self.text,
            title=self.title,
            media_ids=tuple(self.media_ids) if self.media_ids is not None else None,
            media=_media(self.media),
            first_comment=self.first_comment,
            visibility=self.visibility,
            scheduled_at=self.scheduled_at,
            platform_data=self.platform_data,
        )


Segments = Annotated[list[SegmentRequest], Field(max_length=LIST_MAX)]
Targets = Annotated[list[TargetRequest], Field(max_length=LIST_MAX)]


class PostFields(Request):
    """The fields that describe a post, shared by create, validate and edit."""

    text: Text
    title: ShortText | None = None
    media_ids: MediaIds | None = None
    media: MediaInputs | None = None
    visibility: Visibility | None = None
    first_comment: ShortText | None = None
    scheduled_at: datetime | None = None
    segments: Segments | None = None
    platform_data: PlatformData | None = None
    targets: Targets | None = None

    _when = field_validator("scheduled_at", mode="plain", json_schema_input_type=datetime | None)(instant)


class PostContent(PostFields):
    """A whole post (create, validate): turns into the core's ``NewPost``."""

    # Optional when every target supplies its own body (core/rules/platform_data.py).
    text: Text | None = None  # type: ignore[assignment]

    def to_command(self, reach: Reach | None = None) -> NewPost:
        return NewPost(
            reach=reach,
            text=self.text or "",
            title=self.title,
            media_ids=tuple(self.media_ids) if self.media_ids is not None else None,
            media=_media(self.media),
            visibility=self.visibility,
            first_comment=self.first_comment,
            scheduled_at=self.scheduled_at,
            segments=_segments(self.segments),
            platform_data=self.platform_data or {},
            targets=tuple(t.to_command() for t in self.targets or ()),
            text_given=self.text is not None,
        )


class CreatePostRequest(PostContent):
    publish_now: bool = False
    skip_duplicate_check: bool = False
    skip_validation: bool = False

    def to_command(self, reach: Reach | None = None) -> NewPost:
        command = super().to_command(reach)
        command.publish_now = self.publish_now
        command.skip_duplicate_check = self.skip_duplicate_check
        command.skip_validation = self.skip_validation
        return command


class UpdatePostRequest(PostFields):
    """``PATCH /v1/posts/{pid}``: every field optional; a field sent as null is cleared (see core/posts/editing.py)."""

    text: Text | None = None  # type: ignore[assignment]
    hidden: bool | None = None
    skip_validation: bool | None = None

    @field_validator("text", "hidden", "skip_validation", "platform_data", "targets")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Validators run only on fields that were sent, so this refuses an explicit null.
        if value is None:
            raise ValueError("must not be null")
        return value

    def to_edit(self, reach: Reach | None = None) -> PostEdit:
        return PostEdit(
            reach=reach,
            given=frozenset(self.model_fields_set),
            text=self.text,
            title=self.title,
            media_ids=tuple(self.media_ids) if self.media_ids is not None else None,
            media=_media(self.media),
            visibility=self.visibility,
            first_comment=self.first_comment,
            scheduled_at=self.scheduled_at,
            hidden=self.hidden,
            skip_validation=self.skip_validation,
            segments=_segments(self.segments) if self.segments is not None else None,
            platform_data=self.platform_data,
            targets=tuple(t.to_command() for t in self.targets) if self.targets is not None else None,
        )


def _segments(segments: list[SegmentRequest] | None) -> tuple[Segment, ...]:
    return tuple(Segment(s.text, tuple(s.media_ids or ()), _media(s.media)) for s in segments or ())


class UnpublishRequest(Request):
    """``POST /v1/posts/{pid}/unpublish``: one account, or every account when absent."""

    account_id: Ident | None = None


class PostListQuery(Request):
    """The query string of ``GET /v1/posts``."""

    account_ids: Annotated[str | None, Field(description="Comma-separated account ids")] = None
    status: PostStatusName | None = None
    platform: str | None = None
    page_id: str | None = None
    brand_id: str | None = None
    from_: Annotated[datetime | None, Field(alias="from")] = None
    to: datetime | None = None
    search: str | None = None
    sort: Literal["scheduled_asc", "scheduled_desc", "created_asc", "created_desc"] = "scheduled_asc"
    hidden: bool = False
    limit: PageLimit = 25
    cursor: str | None = None

    _when = field_validator("from_", "to", mode="plain", json_schema_input_type=datetime | None)(instant)

    def to_query(self, reach: Reach | None = None) -> PostQuery:
        return PostQuery(
            reach=reach,
            account_ids=tuple(a for a in (self.account_ids or "").split(",") if a),
            status=self.status,
            platform=self.platform,
            page_id=self.page_id,
            brand_id=self.brand_id,
            since=self.from_,
            until=self.to,
            search=self.search,
            sort=self.sort,
            hidden=self.hidden,
            limit=self.limit,
            cursor=self.cursor,
        )


# -- responses -------------------------------------------------------------------------------------


class TargetErrorOut(Out):
    code: str | None = None
    message: str
    category: str
    caused_by: str


class MetricsOut(Out):
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    extra: dict[str, Any] | None = None


class MediaInputOut(Out):
    source_type: Literal["url", "media_id", "platform_attachment_id"]
    source: str
    type: Literal["image", "video", "audio", "file"] | None = None

    @staticmethod
    def of(item: MediaInput) -> MediaInputOut:
        out = {"source_type": item.source_type, "source": item.source}
        if item.type is not None:
            out["type"] = item.type
        return MediaInputOut.build(out)


_media_of = MediaInputOut.of


class TargetOut(Out):
    account_id: str
    platform: TargetPlatformName
    status: TargetStatusName
    page_id: str | None = None
    text: str | None = None
    title: str | None = None
    first_comment: str | None = None
    visibility: str | None = None
    media_ids: list[str] | None = None
    media: list[MediaInputOut] | None = None
    scheduled_at: str | None = None
    media_type: str | None = None
    platform_post_id: str | None = None
    permalink: str | None = None
    published_at: str | None = None
    metrics: MetricsOut | None = None
    metrics_synced_at: str | None = None
    error: TargetErrorOut | None = None
    metadata: dict[str, Any] | None = None
    platform_media: list[PlatformMediaOut] | None = None
    settings: InstagramSettingsOut | None = None

    @staticmethod
    def of(target: Target, metrics: MetricsAt | None = None) -> TargetOut:
        """A target; with ``metrics``, a published one carries its engagement at ``metrics.synced_at``."""
        out = _target_fields(target)
        if metrics is not None:
            counts = metrics.of(target)
            if counts is not None:
                out["metrics"] = _metrics_of(counts)
                out["metrics_synced_at"] = format_instant(metrics.synced_at)
        return TargetOut.build(out)


def _target_fields(target: Target) -> dict[str, Any]:
    """A target's fields but its engagement, in their order on the wire."""
    out: dict[str, Any] = {
        "account_id": target.account_id,
        "platform": target.platform,
        "status": target.status.value,
    }
    if target.page_id is not None:
        out["page_id"] = target.page_id
    for name in ("text", "title", "first_comment", "visibility"):
        value = getattr(target, name)
        if value is not None:
            out[name] = value
    if target.media is not None:
        out["media"] = [_media_of(m) for m in target.media]
    if target.media_ids is not None:
        out["media_ids"] = list(target.media_ids)
    if target.scheduled_at is not None:
        out["scheduled_at"] = format_instant(target.scheduled_at)
    data = target.platform_data
    if data and target.platform in ("instagram", "facebook") and "content_type" in data:
        out["media_type"] = data["content_type"]
    if target.platform_post_id is not None:
        out["platform_post_id"] = target.platform_post_id
        out["permalink"] = target.permalink
        out["published_at"] = when(target.published_at)
    if target.error is not None:
        error = target.error
        out["error"] = TargetErrorOut.build(
            {
                "code": error.code,
                "message": error.message,
                "category": error.category,
                "caused_by": error.caused_by,
            }
        )
    if target.metadata:
        out["metadata"] = target.metadata
    if target.platform_media is not None:
        out["platform_media"] = [PlatformMediaOut.of(m) for m in target.platform_media]
    if target.settings:
        out["settings"] = InstagramSettingsOut.build(dict(target.settings))
    return out


def _metrics_of(counts: Engagement) -> MetricsOut:
    return MetricsOut.build(metrics_payload(counts))


# Bound once: each attribute read on a pydantic class goes through its metaclass's __getattr__ hook.
_target_of = TargetOut.of


class PostOut(Out):
    id: str
    text: str
    title: str | None = None
    status: PostStatusName
    visibility: str | None = None
    media_ids: list[str] | None = None
    media: list[MediaInputOut] | None = None
    scheduled_at: str | None
    published_at: str | None
    hidden: bool
    retry_count: int
    created_at: str
    updated_at: str
    targets: list[TargetOut]

    @staticmethod
    def of(post: Post, metrics: MetricsAt | None = None) -> PostOut:
        """A post; with ``metrics``, its published targets carry their engagement at ``metrics.synced_at``."""
        out: dict[str, Any] = {
            "id": post.id,
            "text": post.text,
            "status": post.status.value,
            "hidden": post.hidden,
            "retry_count": post.retry_count,
            "scheduled_at": when(post.scheduled_at),
            "published_at": when(post.published_at),
            "created_at": format_instant(post.created_at),
            "updated_at": format_instant(post.updated_at),
            "targets": [_target_of(t, metrics) for t in post.targets],
        }
        if post.title is not None:
            out["title"] = post.title
        if post.visibility is not None:
            out["visibility"] = post.visibility
        if post.media is not None:
            out["media"] = [_media_of(m) for m in post.media]
        if post.media_ids is not None:
            out["media_ids"] = list(post.media_ids)
        return PostOut.build(out)


_post_of = PostOut.of


class PaginationOut(Out):
    has_more: bool
    limit: int
    next_cursor: str | None = None


class PostPageOut(Out):
    data: list[PostOut]
    pagination: PaginationOut

    @staticmethod
    def of(page: PostPage, limit: int, metrics: MetricsAt | None = None) -> PostPageOut:
        fields: dict[str, Any] = {"has_more": page.has_more, "limit": limit}
        if page.next_cursor is not None:
            fields["next_cursor"] = page.next_cursor
        pagination = PaginationOut.build(fields)
        return PostPageOut.build({"data": [_post_of(p, metrics) for p in page.posts], "pagination": pagination})


class DeleteResultOut(Out):
    platform: str
    account_id: str
    outcome: Literal["deleted", "not_supported", "failed"]
    message: str


class DeletePostOut(Out):
    success: bool
    deleted: bool
    results: list[DeleteResultOut]

    @staticmethod
    def of(deletion: Deletion) -> DeletePostOut:
        return DeletePostOut.build(
            {
                "success": True,
                "deleted": deletion.deleted,
                "results": [
                    DeleteResultOut.build(
                        {"platform": r.platform, "account_id": r.account_id, "outcome": r.outcome, "message": r.message}
                    )
                    for r in deletion.results
                ],
            }
        )


class PostMetricsOut(Out):
    post_id: str
    targets: list[TargetOut]


class PostMetricsEnvelopeOut(Out):
    data: PostMetricsOut

    @staticmethod
    def of(report: MetricsReport) -> PostMetricsEnvelopeOut:
        synced = format_instant(report.synced_at)
        targets: list[TargetOut] = []
        for row in report.targets:
            out = _target_fields(row.target)
            counts = row.engagement
            if counts is not None:
                out["metrics"] = _metrics_of(counts)
                out["metrics_synced_at"] = synced
            targets.append(TargetOut.build(out))
        data = PostMetricsOut.build({"post_id": report.post_id, "targets": targets})
        return PostMetricsEnvelopeOut.build({"data": data})
