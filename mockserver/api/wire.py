"""The wire format: request schemas (pydantic) and the JSON shapes of responses.

This is the only module that knows field names on the wire. Requests are parsed into core commands;
domain objects are turned into plain dicts for orjson.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from mockserver.core.backend import AdvanceResult, PostPage, Usage
from mockserver.core.bounds import SHORT_MAX, TEXT_MAX, bounded_free_form
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.media_library import MediaPage, StorageUsage, UploadSlot
from mockserver.core.models import Account, MediaItem, Post, Segment, Target
from mockserver.core.platforms import RULES, PlatformRules, constraints
from mockserver.core.post_editing import PostEdit
from mockserver.core.post_import import ImportReport
from mockserver.core.post_metrics import MetricsReport
from mockserver.core.post_removal import Deletion
from mockserver.core.tenant import Plan
from mockserver.core.timefmt import format_instant, parse_instant
from mockserver.core.validation import Issue, Report
from mockserver.core.webhooks import (
    CREATED_MESSAGE,
    EVENT_CATALOGUE,
    Delivery,
    DeliveryPage,
    DeliverySummary,
    Endpoint,
    StatBucket,
)

ID_MAX = 200
LIST_MAX = 100

Visibility = Literal["public", "private", "connections_only", "logged_in"]
ShortText = Annotated[str, Field(max_length=SHORT_MAX)]
Ident = Annotated[str, Field(min_length=1, max_length=ID_MAX)]
MediaIds = Annotated[list[Ident], Field(max_length=LIST_MAX)]
# Objects kept as given (stored, exported, sent back on every read): bounded in size and depth.
FreeForm = Annotated[dict[str, Any], AfterValidator(bounded_free_form)]
PlatformData = Annotated[dict[str, dict[str, Any]], AfterValidator(bounded_free_form)]


def _instant(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected an RFC 3339 timestamp string")
    return parse_instant(value)


class _Request(BaseModel):
    # Unknown fields are dropped silently, as the real API does.
    model_config = ConfigDict(extra="ignore", frozen=True)


class SegmentRequest(_Request):
    text: Annotated[str, Field(max_length=TEXT_MAX)]
    media_ids: MediaIds | None = None


class TargetRequest(_Request):
    account_id: Ident
    page_id: Ident | None = None
    board_id: Ident | None = None
    text: Annotated[str, Field(max_length=TEXT_MAX)] | None = None
    title: ShortText | None = None
    media_ids: MediaIds | None = None
    first_comment: ShortText | None = None
    visibility: Visibility | None = None
    scheduled_at: datetime | None = None
    platform_data: FreeForm | None = None

    _when = field_validator("scheduled_at", mode="plain", json_schema_input_type=datetime | None)(_instant)


Segments = Annotated[list[SegmentRequest], Field(max_length=LIST_MAX)]
Targets = Annotated[list[TargetRequest], Field(max_length=LIST_MAX)]


class _PostFields(_Request):
    """The fields that describe a post, shared by create, validate and edit."""

    text: Annotated[str, Field(max_length=TEXT_MAX)]
    title: ShortText | None = None
    media_ids: MediaIds | None = None
    visibility: Visibility | None = None
    first_comment: ShortText | None = None
    scheduled_at: datetime | None = None
    segments: Segments | None = None
    platform_data: PlatformData | None = None
    targets: Targets | None = None

    _when = field_validator("scheduled_at", mode="plain", json_schema_input_type=datetime | None)(_instant)


class _PostContent(_PostFields):
    def to_command(self) -> NewPost:
        return NewPost(
            text=self.text,
            title=self.title,
            media_ids=tuple(self.media_ids) if self.media_ids is not None else None,
            visibility=self.visibility,
            first_comment=self.first_comment,
            scheduled_at=self.scheduled_at,
            segments=_segments(self.segments),
            platform_data=self.platform_data or {},
            targets=tuple(_target_command(t) for t in self.targets or ()),
        )


class CreatePostRequest(_PostContent):
    publish_now: bool = False
    skip_duplicate_check: bool = False
    skip_validation: bool = False

    def to_command(self) -> NewPost:
        command = super().to_command()
        command.publish_now = self.publish_now
        command.skip_duplicate_check = self.skip_duplicate_check
        command.skip_validation = self.skip_validation
        return command


def _segments(segments: list[SegmentRequest] | None) -> tuple[Segment, ...]:
    return tuple(Segment(s.text, tuple(s.media_ids or ())) for s in segments or ())


def _target_command(t: TargetRequest) -> NewTarget:
    return NewTarget(
        account_id=t.account_id,
        page_id=t.page_id,
        board_id=t.board_id,
        text=t.text,
        title=t.title,
        media_ids=tuple(t.media_ids) if t.media_ids is not None else None,
        first_comment=t.first_comment,
        visibility=t.visibility,
        scheduled_at=t.scheduled_at,
        platform_data=t.platform_data,
    )


class AdvanceRequest(_Request):
    seconds: Annotated[float, Field(ge=0, le=100 * 365 * 86400, allow_inf_nan=False)] | None = None
    to: datetime | None = None

    _when = field_validator("to", mode="plain", json_schema_input_type=datetime | None)(_instant)


class TenantPatch(_Request):
    plan: Literal["free", "paid"] | None = None
    posts_limit: Annotated[int, Field(ge=-1, le=10**9)] | None = None
    posts_used: Annotated[int, Field(ge=0, le=10**9)] | None = None


class PostListQuery(_Request):
    """The query string of ``GET /v1/posts`` (documentation; ``posts.post_query`` parses it)."""

    account_ids: str | None = None
    status: Literal["draft", "scheduled", "publishing", "published", "partial", "failed", "cancelled"] | None = None
    platform: str | None = None
    page_id: str | None = None
    from_: Annotated[str | None, Field(alias="from")] = None
    to: str | None = None
    search: str | None = None
    sort: Literal["scheduled_asc", "scheduled_desc", "created_asc", "created_desc"] | None = None
    hidden: bool | None = None
    limit: Annotated[int, Field(ge=1, le=100)] | None = None
    cursor: str | None = None


class ScenarioPut(BaseModel):
    """A scenario document (see README), or ``{"name": "<bundled scenario>"}``."""

    model_config = ConfigDict(extra="allow")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = None
    deliveries: list[dict[str, Any]] | None = None
    requests: list[dict[str, Any]] | None = None


# -- responses -------------------------------------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return None if value is None else format_instant(value)


def target_json(target: Target) -> dict[str, Any]:
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
        out["published_at"] = _when(target.published_at)
    if target.error is not None:
        error = target.error
        out["error"] = {
            "code": error.code,
            "message": error.message,
            "category": error.category,
            "caused_by": error.caused_by,
        }
    if target.metadata:
        out["metadata"] = target.metadata
    return out


def post_json(post: Post) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": post.id,
        "text": post.text,
        "status": post.status.value,
        "hidden": post.hidden,
        "retry_count": post.retry_count,
        "scheduled_at": _when(post.scheduled_at),
        "published_at": _when(post.published_at),
        "created_at": format_instant(post.created_at),
        "updated_at": format_instant(post.updated_at),
        "targets": [target_json(t) for t in post.targets],
    }
    if post.title is not None:
        out["title"] = post.title
    if post.visibility is not None:
        out["visibility"] = post.visibility
    if post.media_ids is not None:
        out["media_ids"] = list(post.media_ids)
    return out


def page_json(page: PostPage, limit: int) -> dict[str, Any]:
    pagination: dict[str, Any] = {"has_more": page.has_more, "limit": limit}
    if page.next_cursor is not None:
        pagination["next_cursor"] = page.next_cursor
    return {"data": [post_json(p) for p in page.posts], "pagination": pagination}


def account_json(account: Account) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": account.id,
        "platform": account.platform,
        "name": account.name,
        "username": account.username,
        "brand_id": account.brand_id,
        "status": account.status,
    }
    for name in ("reconnect_reason", "profile_picture_url", "bio", "page_name"):
        value = getattr(account, name)
        if value is not None:
            out[name] = value
    return out


def usage_json(usage: Usage) -> dict[str, Any]:
    plan = usage.plan
    free = plan.is_free
    return {
        "plan": plan.name,
        "brands_used": 1,
        "brands_limit": 2 if free else -1,
        "posts_used": plan.posts_used,
        "posts_limit": plan.posts_limit,
        "interactions_used": 0,
        "interactions_limit": 50 if free else -1,
        "profile_units_used": 0,
        "profile_units_limit": -1,
        "period_start": format_instant(usage.period_start),
        "period_end": format_instant(usage.period_end),
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    return {"plan": plan.name, "posts_limit": plan.posts_limit, "posts_used": plan.posts_used}


def advance_json(result: AdvanceResult) -> dict[str, Any]:
    return {
        "now": format_instant(result.now),
        "fired": [{"post_id": f.post_id, "status": f.status} for f in result.fired],
    }


def platforms() -> tuple[str, ...]:
    return tuple(RULES)


# -- media -----------------------------------------------------------------------------------------


class MediaUploadForm(_Request):
    """The multipart body of ``POST /v1/media/upload`` (documentation; ``media.file_part`` reads it)."""

    file: bytes


class UploadUrlQuery(_Request):
    media_type: Annotated[str, Field(min_length=1, max_length=100)]
    filename: Annotated[str, Field(min_length=1, max_length=255)]


class MediaListQuery(_Request):
    limit: Annotated[int, Field(ge=1, le=100)] | None = None
    cursor: str | None = None


def media_json(item: MediaItem, url: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "filename": item.filename,
        "content_type": item.content_type,
        "size_bytes": item.size_bytes,
        "status": item.status,
        "url": url,
        "created_at": format_instant(item.created_at),
    }


def media_page_json(page: MediaPage, urls: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "data": [media_json(item, url) for item, url in zip(page.items, urls, strict=True)],
        "count": len(page.items),
    }
    # The SDK follows any non-null next_cursor, "" included: on the last page the key is left out.
    if page.next_cursor is not None:
        out["next_cursor"] = page.next_cursor
    return out


def media_upload_json(item: MediaItem) -> dict[str, Any]:
    return {"media_id": item.id}


def upload_url_json(slot: UploadSlot, upload_url: str) -> dict[str, Any]:
    return {"media_id": slot.media_id, "upload_url": upload_url, "expires_at": format_instant(slot.expires_at)}


def storage_json(usage: StorageUsage) -> dict[str, Any]:
    return {"used_bytes": usage.used_bytes, "limit_bytes": usage.limit_bytes, "count": usage.count}


# -- webhooks --------------------------------------------------------------------------------------

WebhookUrl = Annotated[str, Field(min_length=1, max_length=2048)]
EventNames = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=LIST_MAX)]


class CreateWebhookRequest(_Request):
    url: WebhookUrl
    events: EventNames


class UpdateWebhookRequest(_Request):
    url: WebhookUrl | None = None
    events: EventNames | None = None
    is_active: bool | None = None


class WebhookTestRequest(_Request):
    event_type: Annotated[str, Field(min_length=1, max_length=100)]
    payload: Any = None


class DeliveryListQuery(_Request):
    status: Literal["pending", "delivered", "failed"] | None = None
    event_type: str | None = None
    limit: Annotated[int, Field(ge=1, le=100)] | None = None
    cursor: str | None = None


class EventListQuery(_Request):
    event: str | None = None
    post_id: str | None = None


def webhook_json(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "is_active": endpoint.is_active,
        "created_at": format_instant(endpoint.created_at),
    }


def webhook_list_json(endpoints: list[Endpoint]) -> dict[str, Any]:
    return {"data": [webhook_json(e) for e in endpoints], "count": len(endpoints)}


def webhook_created_json(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "secret": endpoint.secret,
        "message": CREATED_MESSAGE,
    }


def _bucket_json(bucket: StatBucket) -> dict[str, int]:
    return {"delivered": bucket.delivered, "failed": bucket.failed}


def webhook_detail_json(endpoint: Endpoint, day: StatBucket, week: StatBucket) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "is_active": endpoint.is_active,
        "secret_hint": endpoint.secret_hint,
        "created_at": format_instant(endpoint.created_at),
        "stats": {"last_24h": _bucket_json(day), "last_7d": _bucket_json(week)},
    }


def delivery_item_json(delivery: Delivery) -> dict[str, Any]:
    last = delivery.last_attempt
    return {
        "id": delivery.id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "response_status_code": None if last is None else last.status_code,
        "response_duration_ms": None if last is None else last.duration_ms,
        "attempt_count": len(delivery.attempts),
        "description": delivery.description,
        "created_at": format_instant(delivery.created_at),
        "next_attempt_at": _when(delivery.next_attempt_at),
    }


def delivery_detail_json(delivery: Delivery) -> dict[str, Any]:
    return {
        **delivery_item_json(delivery),
        "endpoint_id": delivery.endpoint_id,
        "payload": delivery.payload,
        "attempts": [
            {
                "attempt_number": a.number,
                "status_code": a.status_code,
                "response_body": a.response_body,
                "duration_ms": a.duration_ms,
                "error_message": a.error_message,
                "created_at": format_instant(a.created_at),
            }
            for a in delivery.attempts
        ],
    }


def delivery_page_json(page: DeliveryPage) -> dict[str, Any]:
    out: dict[str, Any] = {"data": [delivery_item_json(d) for d in page.deliveries], "count": len(page.deliveries)}
    if page.next_cursor is not None:
        out["next_cursor"] = page.next_cursor
    return out


def webhook_test_json(delivery: Delivery) -> dict[str, Any]:
    last = delivery.last_attempt
    return {
        "delivery_id": delivery.id,
        "status": delivery.status,
        # The SDK requires an int here; 0 stands for "no HTTP response" (refused, timed out).
        "response_status_code": 0 if last is None or last.status_code is None else last.status_code,
        "response_body": "" if last is None else last.response_body or last.error_message,
        "response_duration_ms": 0 if last is None else last.duration_ms,
    }


def event_catalogue_json() -> dict[str, Any]:
    data = [{"event": name, "description": text, "category": category} for name, text, category in EVENT_CATALOGUE]
    return {"data": data, "count": len(data)}


def delivery_summary_json(summary: DeliverySummary) -> dict[str, Any]:
    return {
        "pending": summary.pending,
        "in_flight": summary.in_flight,
        "delivered": summary.delivered,
        "failed": summary.failed,
        "next_attempt_at": _when(summary.next_attempt_at),
    }


# -- edit, delete, unpublish, validate, metrics, import (``core/post_*.py``) -----------------------

PlatformSlug = Annotated[str, Field(min_length=1, max_length=40)]


class UpdatePostRequest(_PostFields):
    """``PATCH /v1/posts/{pid}``: every field optional; a field sent as null is cleared (see core/post_editing.py)."""

    text: Annotated[str, Field(max_length=TEXT_MAX)] | None = None  # type: ignore[assignment]
    hidden: bool | None = None
    skip_validation: bool | None = None

    @field_validator("text", "hidden", "skip_validation", "platform_data", "targets")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Validators run only on fields that were sent, so this refuses an explicit null.
        if value is None:
            raise ValueError("must not be null")
        return value

    def to_edit(self) -> PostEdit:
        return PostEdit(
            given=frozenset(self.model_fields_set),
            text=self.text,
            title=self.title,
            media_ids=tuple(self.media_ids) if self.media_ids is not None else None,
            visibility=self.visibility,
            first_comment=self.first_comment,
            scheduled_at=self.scheduled_at,
            hidden=self.hidden,
            skip_validation=self.skip_validation,
            segments=_segments(self.segments) if self.segments is not None else None,
            platform_data=self.platform_data,
            targets=tuple(_target_command(t) for t in self.targets) if self.targets is not None else None,
        )


class UnpublishRequest(_Request):
    """``POST /v1/posts/{pid}/unpublish``: one account, or every account when absent."""

    account_id: Ident | None = None


class ValidatePostRequest(_PostContent):
    """``POST /v1/posts/validate``: a would-be post and the platforms or accounts to check it for."""

    platforms: Annotated[list[PlatformSlug], Field(max_length=LIST_MAX)] | None = None
    account_ids: Annotated[list[Ident], Field(max_length=LIST_MAX)] | None = None


class ConstraintsQuery(_Request):
    """The query string of ``GET /v1/posts/validate`` (documentation)."""

    platform: PlatformSlug | None = None


class ImportQuery(_Request):
    """The query string of ``POST /v1/posts/import`` (documentation)."""

    dry_run: bool | None = None


class ImportForm(_Request):
    """The multipart body of ``POST /v1/posts/import``: the CSV file in the field ``file`` (documentation)."""

    file: bytes


def delete_json(deletion: Deletion) -> dict[str, Any]:
    return {
        "success": True,
        "deleted": deletion.deleted,
        "results": [
            {"platform": r.platform, "account_id": r.account_id, "outcome": r.outcome, "message": r.message}
            for r in deletion.results
        ],
    }


def issue_json(issue: Issue) -> dict[str, Any]:
    out: dict[str, Any] = {"platform": issue.platform, "field": issue.field, "message": issue.message}
    out["code"] = issue.code
    if issue.target:
        out["target"] = issue.target
    if issue.segment_index is not None:
        out["segment_index"] = issue.segment_index
    return out


def validation_json(report: Report) -> dict[str, Any]:
    return {
        "valid": not report.errors,
        "errors": [issue_json(i) for i in report.errors],
        "warnings": [issue_json(i) for i in report.warnings],
    }


def constraints_json(rules: dict[str, PlatformRules]) -> dict[str, Any]:
    return {"data": {slug: constraints(r) for slug, r in rules.items()}}


def metrics_json(report: MetricsReport) -> dict[str, Any]:
    synced = format_instant(report.synced_at)
    targets: list[dict[str, Any]] = []
    for row in report.targets:
        out = target_json(row.target)
        counts = row.engagement
        if counts is not None:
            out["metrics"] = {
                "likes": counts.likes,
                "comments": counts.comments,
                "shares": counts.shares,
                "saves": counts.saves,
                "extra": {"impressions": counts.impressions},
            }
            out["metrics_synced_at"] = synced
        targets.append(out)
    return {"data": {"post_id": report.post_id, "targets": targets}}


def import_json(report: ImportReport) -> dict[str, Any]:
    return {
        "total_rows": report.total_rows,
        "created": report.created,
        "failed": len(report.errors),
        "errors": [{"row": row, "message": message} for row, message in report.errors],
        "posts": [post_json(p) for p in report.posts],
    }
