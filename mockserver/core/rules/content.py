"""Per-platform content rules, applied to a post's effective targets.

The same checks back ``POST /v1/posts`` (the first error becomes a 400), ``POST /v1/posts/validate``
(errors and warnings listed) and delivery of posts created with ``skip_validation`` (the platform
refuses them then). ``Issue`` is also what the target rules of ``core/rules/targets.py`` report, and
``as_error`` is the one place an issue becomes the error a create or PATCH raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.core import messages
from mockserver.core.errors import DomainError, MediaRejected, NotFound, ReconnectionRequired, ValidationFailed
from mockserver.core.media_inputs import ResolvedMedia, resolved
from mockserver.core.models import EffectiveTarget, MediaInput, MediaItem, Post, Target
from mockserver.core.rules.platform_data import instagram_notes, misplaced_board
from mockserver.core.rules.platforms import RULES, PlatformRules, text_length


@dataclass(frozen=True, slots=True)
class Issue:
    platform: str
    field: str
    message: str
    code: str = "validation.field_invalid"
    target: str | None = None
    segment_index: int | None = None
    # More of the error's meta when the issue is raised (``resource`` and ``id`` of a missing one).
    meta: Mapping[str, Any] | None = None

    @property
    def missing(self) -> bool:
        """The issue is a reference to something the tenant does not have (a 404, never a listed issue)."""
        return self.code.endswith(".not_found")


def as_error(issue: Issue) -> DomainError:
    """The error a create or PATCH raises for ``issue``."""
    meta: dict[str, Any] = {"field": issue.field}
    if issue.platform:
        meta["platform"] = issue.platform
    if issue.target:
        meta["account_id"] = issue.target
    if issue.meta:
        meta.update(issue.meta)
    if issue.missing:
        return NotFound(issue.message, code=issue.code, meta=meta)
    if issue.code == ReconnectionRequired.code:
        return ReconnectionRequired(issue.message, meta=meta)
    if issue.code.startswith("publishing.media."):
        return MediaRejected(issue.message, code=issue.code, meta=meta)
    return ValidationFailed(issue.message, code=issue.code, meta=meta)


def raise_first(issues: Sequence[Issue]) -> None:
    if issues:
        raise as_error(issues[0])


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


def _field(index: int, name: str, own: bool) -> str:
    """The request field an issue points at: the target's own value, or the post-level default."""
    return f"targets[{index}].{name}" if own else name


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
    account_id = target.account_id
    errors = report.errors

    def error(field: str, message: str, code: str = "validation.field_invalid") -> None:
        errors.append(Issue(platform, field, message, code, account_id))

    def warn(field: str, message: str) -> None:
        report.warnings.append(Issue(platform, field, message, "validation.warning", account_id))

    text = eff.text
    # Only text that could be over the limit is measured (UTF-16 length is at most 2 x len).
    if len(text) > rules.text_limit // 2:
        length = text_length(text, rules.counting_mode)
        if length > rules.text_limit:
            error(
                _field(index, "text", target.text is not None),
                messages.TEXT_TOO_LONG.format(limit=rules.text_limit, length=length),
            )

    if post.segments:
        _check_segments(report, post, rules, account_id)
    if eff.first_comment and not rules.supports_first_comment:
        warn("first_comment", messages.IGNORED_ON_PLATFORM.format(what="first_comment is", platform=platform))

    title = eff.title
    if title and rules.title_limit is not None and len(title) > rules.title_limit:
        error(
            _field(index, "title", target.title is not None),
            f"title exceeds {rules.title_limit} character limit ({len(title)})",
        )

    data = eff.platform_data
    if data and misplaced_board(platform, data):
        error(
            f"targets[{index}].platform_data.board_id",
            "board_id belongs in the target's board_id, not in platform_data",
            "validation.use_board_id",
        )
    if data:
        for key, allowed in rules.enums.items():
            value = data.get(key)
            if value is not None and value not in allowed:
                error(f"targets[{index}].platform_data.{key}", f"{key} must be one of {', '.join(allowed)}")

    inputs = eff.media
    media_field = _field(index, eff.media_field, eff.own_media)
    items = resolved(inputs, media) if inputs else []
    _check_sources(inputs, media_field, rules, error)
    if items:
        if rules.text_only:
            warn(media_field, f"{platform} posts are text only; media will be ignored")
            items = []
        elif len(items) > rules.max_media:
            error(media_field, f"{platform} accepts at most {rules.max_media} media items ({len(items)} given)")
        elif len(items) > 1 and rules.images_only_carousel and any(m.is_video for m in items):
            error(media_field, f"{platform} albums accept images only")
    if platform == "instagram" and data:
        report.warnings.extend(_instagram_issues(eff, index, items))

    if publishing:
        _check_send(report, eff, media_field, index, items, rules, error)


def _instagram_issues(eff: EffectiveTarget, index: int, items: list[ResolvedMedia]) -> Iterator[Issue]:
    target = eff.target
    for key, message in instagram_notes(eff.platform_data, items, bool(eff.text)):
        where = (
            _field(index, "text", target.text is not None) if key == "text" else f"targets[{index}].platform_data.{key}"
        )
        yield Issue(target.platform, where, message, "validation.warning", target.account_id)


def publish_notes(post: Post, media: Mapping[str, MediaItem]) -> list[Issue]:
    """What the platforms will not publish as sent (Instagram's unlisted keys, a story's caption):
    the warnings a create or an edit answers with, beside validate's."""
    notes: list[Issue] = []
    for index, target in enumerate(post.targets):
        if target.platform == "instagram" and target.platform_data:
            eff = post.effective(target)
            notes.extend(_instagram_issues(eff, index, resolved(eff.media, media)))
    return notes


def _check_sources(
    inputs: tuple[MediaInput, ...], media_field: str, rules: PlatformRules, error: Callable[..., None]
) -> None:
    """Media sources a platform cannot take: ids of media the platform already holds, mostly (docs /guides/media)."""
    attachments = [i for i, item in enumerate(inputs) if item.source_type == "platform_attachment_id"]
    if not attachments:
        return
    if not rules.attachment_ids:
        error(
            f"{media_field}[{attachments[0]}].source_type",
            f"{rules.name} does not accept platform_attachment_id media; send a url or a media_id",
            "publishing.media.unsupported_source",
        )
    elif rules.attachment_alone and len(inputs) > 1:
        error(
            media_field,
            f"on {rules.name} a platform_attachment_id must be the only media item ({len(inputs)} given)",
            "publishing.media.mixing_unsupported",
        )


def _check_send(
    report: Report,
    eff: EffectiveTarget,
    media_field: str,
    index: int,
    items: list[ResolvedMedia],
    rules: PlatformRules,
    error: Callable[..., None],
) -> None:
    """The rules that only apply when the post is really sent (publish now, schedule, fire)."""
    target = eff.target
    platform = target.platform
    data = eff.platform_data
    if rules.media_required and not items:
        error(media_field, "Video posts require at least one media URL", f"platform.{platform}.media_required")
    for key in rules.required_platform_data:
        if data.get(key) is None:
            error(
                f"targets[{index}].platform_data.{key}",
                f"{key} is required for {rules.name}",
                "validation.field_required",
            )
    if len(items) < rules.min_media:
        error(
            media_field,
            f"{rules.name} posts need at least {rules.min_media} media item; text-only posts are not supported",
            "validation.field_required",
        )
    elif rules.carousel and data.get("content_type") == "carousel":
        low, high = rules.carousel
        if not low <= len(items) <= high:
            error(media_field, f"{rules.name} carousels take {low} to {high} items ({len(items)} given)")
    if rules.title_required and not eff.title:
        error(
            _field(index, "title", target.title is not None),
            f"title is required for {platform}",
            "validation.field_required",
        )
    if rules.video_required:
        videos = [m for m in items if m.is_video]
        if not items:
            error(media_field, messages.ONE_VIDEO.format(platform=platform), "validation.field_required")
        elif len(items) != 1 or len(videos) != 1:
            error(media_field, messages.ONE_VIDEO.format(platform=platform))
    if rules.board_required and not target.page_id:
        error(f"targets[{index}].board_id", f"board_id is required for {rules.name}", "validation.board_id_required")
    if rules.single_image_required and (len(items) != 1 or not items[0].is_image):
        error(media_field, f"{rules.name} needs exactly one image", "validation.field_required")
    _check_kinds(media_field, items, rules, error)
    for item in items:
        if item.status != "ready":
            error(media_field, f"media {item.source} is not ready or not found")


def _check_kinds(
    media_field: str, items: list[ResolvedMedia], rules: PlatformRules, error: Callable[..., None]
) -> None:
    """Which kinds, formats, sizes and mixes a platform takes (the constraints of GET /v1/posts/validate)."""
    name = rules.name
    videos = sum(m.is_video for m in items)
    images = sum(m.is_image for m in items)
    if rules.mixing_refused and videos and images:
        error(media_field, f"{name} does not mix images and videos in one post")
    elif rules.single_image_refused and images == 1 and not videos:
        error(
            media_field,
            f"a single image cannot be posted to {name}: send one video or a set of photos",
            "validation.media_type_mismatch",
        )
    elif rules.max_videos is not None and videos > rules.max_videos:
        error(media_field, f"{name} takes at most {rules.max_videos} video ({videos} given)")
    for item in items:
        if item.is_image:
            allowed, limit = rules.image_types, rules.max_image_bytes
        elif item.is_video:
            allowed, limit = rules.video_types, rules.max_video_bytes
        else:
            error(media_field, f"{name} does not accept {item.kind} media ({item.source})")
            continue
        if not allowed:
            error(media_field, f"{name} does not accept {item.kind}s ({item.source})")
        elif item.content_type is not None and item.content_type not in allowed:
            code = "validation.unsupported_photo_format" if item.is_image else "validation.field_invalid"
            error(
                media_field,
                f"{name} does not accept {item.content_type} ({item.source}); use {', '.join(allowed)}",
                code,
            )
        elif item.size_bytes is not None and item.size_bytes > limit:
            error(
                media_field,
                f"media {item.source} is {item.size_bytes} bytes; {name} accepts {item.kind}s up to {limit} bytes",
            )


def _check_segments(report: Report, post: Post, rules: PlatformRules, account_id: str) -> None:
    if not post.segments:
        return
    if not rules.supports_segments:
        report.warnings.append(
            Issue(
                rules.slug,
                "segments",
                messages.IGNORED_ON_PLATFORM.format(what="segments are", platform=rules.slug),
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
                    messages.TEXT_TOO_LONG.format(limit=rules.text_limit, length=length),
                    target=account_id,
                    segment_index=number,
                )
            )
