"""Per-platform content rules, applied to a post's effective targets.

The same checks back ``POST /v1/posts`` (the first error becomes a 400), ``POST /v1/posts/validate``
(errors and warnings listed) and delivery of posts created with ``skip_validation`` (the platform
refuses them then).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mockserver.core.models import EffectiveTarget, MediaItem, Post, Target
from mockserver.core.platforms import RULES, PlatformRules, text_length


@dataclass(frozen=True, slots=True)
class Issue:
    platform: str
    field: str
    message: str
    code: str = "validation.field_invalid"
    target: str | None = None
    segment_index: int | None = None


@dataclass(slots=True)
class Report:
    errors: list[Issue]
    warnings: list[Issue]


def check_post(post: Post, media: Mapping[str, MediaItem], *, publishing: bool, only: Target | None = None) -> Report:
    """Every issue of every target (or of ``only``). ``publishing`` adds the checks of a real send."""
    report = Report([], [])
    for index, target in enumerate(post.targets):
        if only is not None and target is not only:
            continue
        _check_target(report, post, post.effective(target), index, media, publishing=publishing)
    return report


def _check_target(
    report: Report,
    post: Post,
    eff: EffectiveTarget,
    index: int,
    media: Mapping[str, MediaItem],
    *,
    publishing: bool,
) -> None:
    target = eff.target
    rules = RULES.get(target.platform)
    if rules is None:
        return
    platform = target.platform
    prefix = f"targets[{index}]"

    def error(field: str, message: str, code: str = "validation.field_invalid") -> None:
        report.errors.append(Issue(platform, field, message, code, target.account_id))

    def warn(field: str, message: str) -> None:
        report.warnings.append(Issue(platform, field, message, "validation.warning", target.account_id))

    text_field = f"{prefix}.text" if target.text is not None else "text"
    length = text_length(eff.text, rules.counting_mode)
    if length > rules.text_limit:
        error(text_field, f"exceeds {rules.text_limit} character limit ({length}/{rules.text_limit})")

    _check_segments(report, post, rules, target.account_id)
    if eff.first_comment and not rules.supports_first_comment:
        warn("first_comment", f"first_comment is not supported on {platform} and will be ignored")

    title_field = f"{prefix}.title" if target.title is not None else "title"
    if rules.title_limit is not None and eff.title and len(eff.title) > rules.title_limit:
        error(title_field, f"title exceeds {rules.title_limit} character limit ({len(eff.title)})")

    data = eff.platform_data
    for key, allowed in rules.enums.items():
        value = data.get(key)
        if value is not None and value not in allowed:
            error(f"{prefix}.platform_data.{key}", f"{key} must be one of {', '.join(allowed)}")

    media_field = f"{prefix}.media_ids" if target.media_ids is not None else "media_ids"
    items = [media[m] for m in eff.media_ids if m in media]
    if rules.text_only and items:
        warn(media_field, f"{platform} posts are text only; media will be ignored")
        items = []
    elif len(items) > rules.max_media:
        error(media_field, f"{platform} accepts at most {rules.max_media} media items ({len(items)} given)")
    elif len(items) > 1 and rules.images_only_carousel and any(m.is_video for m in items):
        error(media_field, f"{platform} albums accept images only")

    if not publishing:
        return
    if rules.media_required and not items:
        error(media_field, "Video posts require at least one media URL", f"platform.{platform}.media_required")
    for key in rules.required_platform_data:
        if data.get(key) is None:
            error(
                f"{prefix}.platform_data.{key}",
                f"{key} is required for {platform.capitalize() if platform != 'tiktok' else 'TikTok'}",
                "validation.field_required",
            )
    if rules.title_required and not eff.title:
        error(title_field, f"title is required for {platform}", "validation.field_required")
    if rules.video_required:
        videos = [m for m in items if m.is_video]
        if not items:
            error(media_field, f"{platform} needs exactly one video", "validation.field_required")
        elif len(items) != 1 or len(videos) != 1:
            error(media_field, f"{platform} needs exactly one video")
    if platform == "pinterest":
        if not target.page_id:
            error(f"{prefix}.board_id", "board_id is required for Pinterest", "validation.board_id_required")
        if len(items) != 1 or not items[0].is_image:
            error(media_field, "Pinterest needs exactly one image", "validation.field_required")
    for media_id in eff.media_ids:
        item = media.get(media_id)
        if item is not None and item.status != "ready":
            error(media_field, f"media {media_id} is not ready or not found")


def _check_segments(report: Report, post: Post, rules: PlatformRules, account_id: str) -> None:
    if not post.segments:
        return
    if not rules.supports_segments:
        report.warnings.append(
            Issue(
                rules.slug,
                "segments",
                f"segments are not supported on {rules.slug} and will be ignored",
                "validation.warning",
                account_id,
            )
        )
        return
    for number, segment in enumerate(post.segments):
        length = text_length(segment.text, rules.counting_mode)
        if length > rules.text_limit:
            report.errors.append(
                Issue(
                    rules.slug,
                    f"segments[{number}].text",
                    f"exceeds {rules.text_limit} character limit ({length}/{rules.text_limit})",
                    target=account_id,
                    segment_index=number,
                )
            )
