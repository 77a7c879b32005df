"""How each platform would take a post: its text, title, thread and media, measured by its rules.

Everything comes from the one rules table (``core/rules/platforms.py``): the limit and the counting unit
of each platform, whether it threads segments and takes a first comment, how many media it takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mockserver.core.models import MediaItem, Post, Target
from mockserver.core.rules.platforms import rules_of, text_length

UNITS = {"chars": "characters", "utf16": "UTF-16 code units"}


@dataclass(frozen=True, slots=True)
class MediaPreview:
    id: str
    kind: str  # image | video | missing
    shown: bool  # an image held in the library, so a thumbnail can be drawn


@dataclass(frozen=True, slots=True)
class Part:
    """One message as the platform would publish it: the post, or one reply of its thread."""

    text: str
    length: int
    limit: int
    media: tuple[MediaPreview, ...] = ()


@dataclass(frozen=True, slots=True)
class TargetPreview:
    account_id: str
    platform: str
    unit: str
    parts: tuple[Part, ...]
    title: str | None = None
    title_length: int = 0
    title_limit: int | None = None
    first_comment: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def preview_post(post: Post, media: Mapping[str, MediaItem]) -> list[TargetPreview]:
    return [preview_target(post, target, media) for target in post.targets]


def preview_target(post: Post, target: Target, media: Mapping[str, MediaItem]) -> TargetPreview:
    rules = rules_of(target.platform)
    values = post.effective(target)
    notes: list[str] = []

    def part(text: str, media_ids: tuple[str, ...]) -> Part:
        shown = tuple(_media(media_id, media) for media_id in media_ids) if not rules.text_only else ()
        return Part(text, text_length(text, rules.counting_mode), rules.text_limit, shown)

    parts = [part(values.text, values.media_ids)]
    if post.segments:
        if rules.supports_segments:
            parts.extend(part(segment.text, segment.media_ids) for segment in post.segments)
        else:
            notes.append(f"{target.platform} publishes no thread: the {len(post.segments)} segments are dropped")
    if rules.text_only and values.media_ids:
        notes.append(f"{target.platform} takes text only: the {len(values.media_ids)} media are dropped")
    elif len(values.media_ids) > rules.max_media:
        notes.append(f"{target.platform} takes at most {rules.max_media} media; this post has {len(values.media_ids)}")
    first_comment = values.first_comment
    if first_comment is not None and not rules.supports_first_comment:
        notes.append(f"{target.platform} has no first comment: it is dropped")
        first_comment = None
    title = values.title if rules.title_limit is not None else None
    return TargetPreview(
        account_id=target.account_id,
        platform=target.platform,
        unit=UNITS.get(rules.counting_mode, rules.counting_mode),
        parts=tuple(parts),
        title=title,
        title_length=text_length(title, rules.counting_mode) if title is not None else 0,
        title_limit=rules.title_limit,
        first_comment=first_comment,
        notes=tuple(notes),
    )


def _media(media_id: str, library: Mapping[str, MediaItem]) -> MediaPreview:
    item = library.get(media_id)
    if item is None:
        return MediaPreview(media_id, "missing", False)
    # Fixture media have no stored bytes: nothing to draw.
    shown = item.is_image and item.status == "ready" and item.data is not None
    return MediaPreview(media_id, "video" if item.is_video else "image", shown)
