"""``/v1/posts/validate``: a would-be post checked against the platforms' rules, and the rules themselves."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import LIST_MAX, Ident, Out, Request
from mockserver.api.shapes.posts import PostContent
from mockserver.core.rules.content import Issue, Report
from mockserver.core.rules.platforms import PlatformRules

PlatformSlug = Annotated[str, Field(min_length=1, max_length=40)]


class ValidatePostRequest(PostContent):
    """``POST /v1/posts/validate``: a would-be post and the platforms or accounts to check it for."""

    platforms: Annotated[list[PlatformSlug], Field(max_length=LIST_MAX)] | None = None
    account_ids: Annotated[list[Ident], Field(max_length=LIST_MAX)] | None = None


class ConstraintsQuery(Request):
    """The query string of ``GET /v1/posts/validate``."""

    platform: PlatformSlug | None = None


class ValidationIssueOut(Out):
    platform: str
    field: str
    message: str
    code: str
    target: str | None = None
    segment_index: int | None = None

    @staticmethod
    def of(issue: Issue) -> ValidationIssueOut:
        out: dict[str, Any] = {"platform": issue.platform, "field": issue.field, "message": issue.message}
        out["code"] = issue.code
        if issue.target:
            out["target"] = issue.target
        if issue.segment_index is not None:
            out["segment_index"] = issue.segment_index
        return ValidationIssueOut.build(out)


class ValidationOut(Out):
    valid: bool
    errors: list[ValidationIssueOut]
    warnings: list[ValidationIssueOut]

    @staticmethod
    def of(report: Report) -> ValidationOut:
        issue = ValidationIssueOut.of
        return ValidationOut.build(
            {
                "valid": not report.errors,
                "errors": [issue(i) for i in report.errors],
                "warnings": [issue(i) for i in report.warnings],
            }
        )


class ConstraintsTextOut(Out):
    max_length: int
    max_hashtags: int
    max_mentions: int
    counting_mode: Literal["chars", "utf16", "bytes"]
    photo_max_length: int


class ConstraintsMediaOut(Out):
    max_image_size_bytes: int
    max_video_size_bytes: int
    max_video_duration_sec: int
    min_video_duration_sec: int
    max_video_fps: int
    supported_image_types: list[str]
    supported_video_types: list[str]


class ConstraintsCarouselOut(Out):
    supported: bool
    min_items: int
    max_items: int
    allow_video: bool
    images_only: bool
    photos_only: bool


class ConstraintsSchedulingOut(Out):
    supported: bool
    mode: Literal["native", "server_side"]


class PlatformConstraintsOut(Out):
    """One platform's entry in the rules table, as ``GET /v1/posts/validate`` describes it."""

    text: ConstraintsTextOut
    media: ConstraintsMediaOut
    carousel: ConstraintsCarouselOut
    scheduling: ConstraintsSchedulingOut
    supports_platform_attachment_id: bool
    supports_mixed_media: bool

    @staticmethod
    def of(rules: PlatformRules) -> PlatformConstraintsOut:
        return PlatformConstraintsOut.build(
            {
                "text": ConstraintsTextOut.build(
                    {
                        "max_length": rules.text_limit,
                        "max_hashtags": 30 if rules.slug == "instagram" else 0,
                        "max_mentions": 0,
                        "counting_mode": rules.counting_mode,
                        "photo_max_length": rules.text_limit,
                    }
                ),
                "media": ConstraintsMediaOut.build(
                    {
                        "max_image_size_bytes": rules.max_image_bytes if rules.image_types else 0,
                        "max_video_size_bytes": rules.max_video_bytes if rules.video_types else 0,
                        "max_video_duration_sec": 600 if rules.video_types else 0,
                        "min_video_duration_sec": 3 if rules.video_types else 0,
                        "max_video_fps": 60 if rules.video_types else 0,
                        "supported_image_types": list(rules.image_types),
                        "supported_video_types": list(rules.video_types),
                    }
                ),
                "carousel": ConstraintsCarouselOut.build(
                    {
                        "supported": rules.carousel is not None,
                        "min_items": rules.carousel[0] if rules.carousel else 0,
                        "max_items": rules.carousel[1] if rules.carousel else 0,
                        "allow_video": rules.carousel is not None and rules.carousel_allow_video,
                        "images_only": rules.images_only_carousel,
                        "photos_only": rules.images_only_carousel,
                    }
                ),
                "scheduling": ConstraintsSchedulingOut.build({"supported": True, "mode": "server_side"}),
                "supports_platform_attachment_id": rules.attachment_ids,
                "supports_mixed_media": rules.slug in ("instagram", "threads"),
            }
        )


class ConstraintsOut(Out):
    data: dict[str, PlatformConstraintsOut]

    @staticmethod
    def of(rules: dict[str, PlatformRules]) -> ConstraintsOut:
        return ConstraintsOut.build({"data": {slug: PlatformConstraintsOut.of(r) for slug, r in rules.items()}})
