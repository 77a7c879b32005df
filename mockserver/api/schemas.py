"""Response models: the documented shape of every JSON body the mock answers.

``wire.py`` builds the bodies as plain dicts for speed; tests validate those dicts against these
models (``extra="forbid"``), so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    # Built on first use (the OpenAPI document, tests), not at every server start.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ErrorDetail(_Out):
    code: str
    message: str
    meta: dict[str, Any]


class ErrorOut(_Out):
    error: ErrorDetail
    request_id: str


class TargetErrorOut(_Out):
    code: str | None = None
    message: str
    category: str
    caused_by: str


class MetricsOut(_Out):
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    extra: dict[str, Any] | None = None


class TargetOut(_Out):
    account_id: str
    platform: str
    status: Literal["pending", "publishing", "published", "failed", "cancelled"]
    page_id: str | None = None
    text: str | None = None
    title: str | None = None
    first_comment: str | None = None
    visibility: str | None = None
    media_ids: list[str] | None = None
    scheduled_at: str | None = None
    media_type: str | None = None
    platform_post_id: str | None = None
    permalink: str | None = None
    published_at: str | None = None
    metrics: MetricsOut | None = None
    metrics_synced_at: str | None = None
    error: TargetErrorOut | None = None
    metadata: dict[str, Any] | None = None


class PostOut(_Out):
    id: str
    text: str
    title: str | None = None
    status: Literal["draft", "scheduled", "publishing", "published", "partial", "failed", "cancelled"]
    visibility: str | None = None
    media_ids: list[str] | None = None
    scheduled_at: str | None
    published_at: str | None
    hidden: bool
    retry_count: int
    created_at: str
    updated_at: str
    targets: list[TargetOut]


class PaginationOut(_Out):
    has_more: bool
    limit: int
    next_cursor: str | None = None


class PostPageOut(_Out):
    data: list[PostOut]
    pagination: PaginationOut


class AccountOut(_Out):
    id: str
    platform: str
    name: str
    username: str
    brand_id: str
    status: Literal["active", "reconnect_required"]
    reconnect_reason: str | None = None
    profile_picture_url: str | None = None
    bio: str | None = None
    page_name: str | None = None


class AccountListOut(_Out):
    data: list[AccountOut]
    count: int


class UsageOut(_Out):
    plan: str
    brands_used: int
    brands_limit: int
    posts_used: int
    posts_limit: int
    interactions_used: int
    interactions_limit: int
    profile_units_used: int
    profile_units_limit: int
    period_start: str
    period_end: str


class SuccessOut(_Out):
    success: bool


class ClockOut(_Out):
    now: str
    mode: Literal["manual", "realtime"]


class FiredOut(_Out):
    post_id: str
    status: str


class AdvanceOut(_Out):
    now: str
    fired: list[FiredOut]


class ResetOut(_Out):
    success: bool
    now: str


class PlanOut(_Out):
    plan: str
    posts_limit: int
    posts_used: int


class JournalEntryOut(_Out):
    method: str
    path: str
    query: dict[str, str]
    status: int
    # The body as JSON when the stored copy is the whole body and parses; else the stored text.
    body: Any
    body_size: int
    body_truncated: bool
    request_id: str
    at: str


class JournalOut(_Out):
    data: list[JournalEntryOut]


class ScenarioListOut(_Out):
    # Each item is the document's JSON with a ``fired`` count on every rule.
    data: list[dict[str, Any]]


# -- media -----------------------------------------------------------------------------------------


class MediaItemOut(_Out):
    id: str
    filename: str
    content_type: str
    size_bytes: int
    status: Literal["pending", "ready", "failed"]
    url: str
    created_at: str


class MediaListOut(_Out):
    data: list[MediaItemOut]
    count: int
    next_cursor: str | None = None


class MediaUploadOut(_Out):
    media_id: str


class UploadUrlOut(_Out):
    media_id: str
    upload_url: str
    expires_at: str


class StorageOut(_Out):
    used_bytes: int
    limit_bytes: int
    count: int


# -- webhooks --------------------------------------------------------------------------------------


class WebhookOut(_Out):
    id: str
    url: str
    events: list[str]
    is_active: bool
    created_at: str


class WebhookListOut(_Out):
    data: list[WebhookOut]
    count: int


class WebhookCreatedOut(_Out):
    id: str
    url: str
    events: list[str]
    secret: str
    message: str


class StatBucketOut(_Out):
    delivered: int
    failed: int


class WebhookStatsOut(_Out):
    last_24h: StatBucketOut
    last_7d: StatBucketOut


class WebhookDetailOut(_Out):
    id: str
    url: str
    events: list[str]
    is_active: bool
    secret_hint: str
    created_at: str
    stats: WebhookStatsOut


class OkOut(_Out):
    ok: bool


class WebhookEventInfoOut(_Out):
    event: str
    description: str
    category: Literal["posts", "inbox", "accounts"]


class WebhookEventsOut(_Out):
    data: list[WebhookEventInfoOut]
    count: int


class DeliveryItemOut(_Out):
    id: str
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    response_status_code: int | None
    response_duration_ms: int | None
    attempt_count: int
    description: str
    created_at: str
    next_attempt_at: str | None


class DeliveryListOut(_Out):
    data: list[DeliveryItemOut]
    count: int
    next_cursor: str | None = None


class DeliveryAttemptOut(_Out):
    attempt_number: int
    status_code: int | None
    response_body: str
    duration_ms: int
    error_message: str
    created_at: str


class DeliveryDetailOut(DeliveryItemOut):
    endpoint_id: str
    payload: Any
    attempts: list[DeliveryAttemptOut]


class WebhookTestOut(_Out):
    delivery_id: str
    status: Literal["pending", "delivered", "failed"]
    response_status_code: int
    response_body: str
    response_duration_ms: int


class DeliverySummaryOut(_Out):
    pending: int
    in_flight: int
    delivered: int
    failed: int
    next_attempt_at: str | None


# -- the event outbox ------------------------------------------------------------------------------


class EventRecordOut(_Out):
    id: str
    event: str
    created_at: str
    data: dict[str, Any]


class EventListOut(_Out):
    data: list[EventRecordOut]


# -- edit, delete, unpublish, validate, metrics, import ---------------------------------------------


class DeleteResultOut(_Out):
    platform: str
    account_id: str
    outcome: Literal["deleted", "not_supported", "failed"]
    message: str


class DeletePostOut(_Out):
    success: bool
    deleted: bool
    results: list[DeleteResultOut]


class ValidationIssueOut(_Out):
    platform: str
    field: str
    message: str
    code: str
    target: str | None = None
    segment_index: int | None = None


class ValidationOut(_Out):
    valid: bool
    errors: list[ValidationIssueOut]
    warnings: list[ValidationIssueOut]


class ConstraintsTextOut(_Out):
    max_length: int
    max_hashtags: int
    max_mentions: int
    counting_mode: Literal["chars", "utf16", "bytes"]
    photo_max_length: int


class ConstraintsMediaOut(_Out):
    max_image_size_bytes: int
    max_video_size_bytes: int
    max_video_duration_sec: int
    min_video_duration_sec: int
    max_video_fps: int
    supported_image_types: list[str]
    supported_video_types: list[str]


class ConstraintsCarouselOut(_Out):
    supported: bool
    min_items: int
    max_items: int
    allow_video: bool
    images_only: bool
    photos_only: bool


class ConstraintsSchedulingOut(_Out):
    supported: bool
    mode: Literal["native", "server_side"]


class PlatformConstraintsOut(_Out):
    text: ConstraintsTextOut
    media: ConstraintsMediaOut
    carousel: ConstraintsCarouselOut
    scheduling: ConstraintsSchedulingOut
    supports_platform_attachment_id: bool
    supports_mixed_media: bool


class ConstraintsOut(_Out):
    data: dict[str, PlatformConstraintsOut]


class PostMetricsOut(_Out):
    post_id: str
    targets: list[TargetOut]


class PostMetricsEnvelopeOut(_Out):
    data: PostMetricsOut


class ImportErrorOut(_Out):
    row: int
    message: str


class ImportOut(_Out):
    total_rows: int
    created: int
    failed: int
    errors: list[ImportErrorOut]
    posts: list[PostOut]
