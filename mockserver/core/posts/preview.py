"""How each platform would take a post: who posts it, its text, title, thread and media, by its rules.

The limits and counting units come from the one rules table (``core/platforms.py``). How a feed
shows a post (the fold before "... more", the handle) is display, not validation, so it lives here in
``FEEDS``. The fold points are the usual ones of each platform's feed; the platforms move them
between app versions and screen sizes, so they are a close likeness, not a contract.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mockserver.core.models import MediaItem, Post, Target
from mockserver.core.rules.platforms import display_name, rules_of, text_length

UNITS = {"chars": "characters", "utf16": "UTF-16 code units"}


@dataclass(frozen=True, slots=True)
class Feed:
    """How a platform's feed shows a post before the reader asks for the rest."""

    fold_chars: int | None  # None: the whole text is shown
    fold_lines: int | None
    more_label: str
    handle_prefix: str | None  # None: the feed names the author only, no handle
    media_first: bool = False  # the picture above the words


FEEDS: dict[str, Feed] = {
    "instagram": Feed(125, 2, "more", "@", media_first=True),
    "facebook": Feed(480, 5, "See more", None),
    "linkedin": Feed(210, 3, "see more", None),
    "threads": Feed(None, None, "", "@"),
    "tiktok": Feed(100, 2, "more", "@", media_first=True),
    "youtube": Feed(150, 3, "more", "@", media_first=True),
    "twitter": Feed(None, None, "", "@"),
    "google": Feed(250, 4, "More", None),
    "pinterest": Feed(100, 2, "more", "@", media_first=True),
}
WHOLE = Feed(None, None, "", None)


@dataclass(frozen=True, slots=True)
class Author:
    """Who a target publishes as: the account, or the page it posts to."""

    name: str
    username: str


@dataclass(frozen=True, slots=True)
class MediaPreview:
    id: str
    kind: str  # image | video | missing
    shown: bool  # in the library, so a thumbnail can be drawn


@dataclass(frozen=True, slots=True)
class Part:
    """One message as the platform would publish it: the post, or one reply of its thread."""

    text: str
    length: int
    limit: int
    media: tuple[MediaPreview, ...] = ()
    # What the feed shows before "... more"; the whole text when it is not folded.
    folded_text: str = ""
    folded: bool = False


@dataclass(frozen=True, slots=True)
class TargetPreview:
    account_id: str
    platform: str
    unit: str
    parts: tuple[Part, ...]
    platform_name: str = ""
    author_name: str = ""
    handle: str | None = None
    more_label: str = ""
    media_first: bool = False
    title: str | None = None
    title_length: int = 0
    title_limit: int | None = None
    first_comment: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


AuthorOf = Callable[[Target], Author]


def preview_post(post: Post, media: Mapping[str, MediaItem], author_of: AuthorOf) -> list[TargetPreview]:
    return [preview_target(post, target, media, author_of(target)) for target in post.targets]


def fold(text: str, feed: Feed) -> tuple[str, bool]:
    """The text a feed shows before its "... more", cut at a word where there is one near."""
    end = len(text)
    if feed.fold_lines is not None:
        breaks = [i for i, char in enumerate(text) if char == "\n"]
        if len(breaks) >= feed.fold_lines:
            end = breaks[feed.fold_lines - 1]
    if feed.fold_chars is not None and end > feed.fold_chars:
        end = feed.fold_chars
        space = text.rfind(" ", 0, end + 1)
        # A word is not split unless it is very long.
        if space > feed.fold_chars * 2 // 3:
            end = space
    if end >= len(text):
        return text, False
    return text[:end].rstrip(), True


def preview_target(post: Post, target: Target, media: Mapping[str, MediaItem], author: Author) -> TargetPreview:
    rules = rules_of(target.platform)
    feed = FEEDS.get(target.platform, WHOLE)
    values = post.effective(target)
    notes: list[str] = []

    def part(text: str, media_ids: tuple[str, ...]) -> Part:
        shown = tuple(_media(media_id, media) for media_id in media_ids) if not rules.text_only else ()
        folded_text, folded = fold(text, feed)
        return Part(text, text_length(text, rules.counting_mode), rules.text_limit, shown, folded_text, folded)

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
        platform_name=display_name(target.platform),
        author_name=author.name,
        handle=None if feed.handle_prefix is None else f"{feed.handle_prefix}{author.username}",
        more_label=feed.more_label,
        media_first=feed.media_first,
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
    # Fixture media have no stored bytes: their thumbnails are drawn (core/thumbnails.py).
    return MediaPreview(media_id, "video" if item.is_video else "image", item.status == "ready")
