"""What a target's ``platform_data`` may hold, and the format Instagram really publishes.

- **Pinterest**: the board is the target's ``board_id``; a ``board_id`` inside ``platform_data`` is
  refused with 400 ``validation.use_board_id`` (docs /posts/pinterest), in every generation.
- **Instagram** (docs posts/instagram.mdx, "Platform data fields"): a key the table does not list,
  or does not list for the format being published, is not sent to Instagram, and the answer names it
  in a validation warning (``POST /v1/posts/validate``'s ``warnings``, ``X-Mock-Warnings`` on create
  and edit). A single video sent as ``feed`` goes out as a Reel ("Single video (Reel)": published as
  ``REELS``), and a story carries no caption ("captions not supported"): both are warned about, and a
  published target reports the format it really got (``media_type``).
- **Instagram's published files** (``platform_media``) are links on Instagram's CDN that "expire after
  a few days" (``LINK_LIFETIME``); an account sync issues fresh ones. ``settings`` is what Instagram
  reports back of a published post.
- **A post's ``text``** may be omitted when every target brings a body of its own: its ``text``, or
  the ``platform_data`` field its connector publishes as the body (``BODY_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.media_inputs import ResolvedMedia
from mockserver.core.models import PlatformMedia, Target

FEED, REEL, CAROUSEL, STORIES = "feed", "reel", "carousel", "stories"
_ALL = frozenset({FEED, REEL, CAROUSEL, STORIES})
_POSTS = frozenset({FEED, REEL, CAROUSEL})

# Each documented ``platform_data.instagram`` key and the formats it applies to.
INSTAGRAM_KEYS: Mapping[str, frozenset[str]] = {
    "content_type": _ALL,
    "alt_text": frozenset({FEED, CAROUSEL}),
    "location_id": _POSTS,
    "share_to_feed": frozenset({REEL}),
    "collaborators": _POSTS,
    "cover_url": frozenset({REEL}),
    "video_cover_timestamp_ms": frozenset({REEL}),
    "thumb_offset": frozenset({REEL}),
    "is_ai_generated": _ALL,
    "is_paid_partnership": _POSTS,
    "branded_content_sponsor_ids": _POSTS,
    "user_tags": frozenset({FEED, REEL}),
    "audio_name": frozenset({REEL}),
    "trial_params": frozenset({REEL}),
}


def instagram_format(data: Mapping[str, Any], items: Sequence[ResolvedMedia]) -> str:
    """The format Instagram publishes: the ``content_type`` asked for (a lone video on the feed is a
    Reel), else the auto-detection of the docs (several items: a carousel; one video: a Reel)."""
    asked = data.get("content_type")
    lone_video = len(items) == 1 and items[0].is_video
    if isinstance(asked, str) and asked.lower() in _ALL:
        chosen = asked.lower()
        return REEL if chosen == FEED and lone_video else chosen
    if len(items) > 1:
        return CAROUSEL
    return REEL if lone_video else FEED


def instagram_notes(
    data: Mapping[str, Any], items: Sequence[ResolvedMedia], has_text: bool
) -> Iterator[tuple[str, str]]:
    """(``platform_data`` key or ``text``, message) for what Instagram will not publish as sent."""
    chosen = instagram_format(data, items)
    for key in data:
        formats = INSTAGRAM_KEYS.get(key)
        if formats is None:
            yield key, f"platform_data.instagram.{key} is not an Instagram publish option; it is not sent"
        elif chosen not in formats:
            yield key, f"platform_data.instagram.{key} does not apply to {chosen} posts; it is not sent"
    asked = data.get("content_type")
    if isinstance(asked, str) and asked.lower() == FEED and chosen == REEL:
        yield "content_type", "a single video on the Instagram feed is published as a Reel"
    if chosen == STORIES and has_text:
        yield "text", "Instagram stories take no caption; the text is not published"


def misplaced_board(platform: str, data: Mapping[str, Any]) -> bool:
    """Pinterest's board goes in the target's ``board_id``, never in ``platform_data``."""
    return platform == "pinterest" and "board_id" in data


# The ``platform_data`` field each connector publishes as the body (docs: "Pinterest's
# platform_data.description IS the pin body"); the docs name no other.
BODY_FIELDS: Mapping[str, str] = {"pinterest": "description"}


def has_own_body(target: Target) -> bool:
    """The target brings a body of its own, so the post's ``text`` may be omitted."""
    if target.text:
        return True
    body_field = BODY_FIELDS.get(target.platform)
    return body_field is not None and bool((target.platform_data or {}).get(body_field))


LINK_LIFETIME = timedelta(days=3)
_CDN = "https://scontent.cdninstagram.com"
# The settings Instagram reports back of a published post, of those a publish may set.
_REPORTED = ("is_ai_generated", "alt_text", "share_to_feed")
_PRODUCT_TYPES = {FEED: "FEED", CAROUSEL: "FEED", REEL: "REELS", STORIES: "STORY"}


def instagram_links(
    kinds: Sequence[str], withheld: frozenset[int], native: str, at: datetime
) -> tuple[PlatformMedia, ...]:
    """A published post's files as Instagram hosts them: links that expire ``LINK_LIFETIME`` after ``at``."""
    stamp = f"{int((at + LINK_LIFETIME).timestamp()):x}"
    out: list[PlatformMedia] = []
    for index, kind in enumerate(kinds):
        cover = f"{_CDN}/v/t51.29350-15/{native}_{index}_n.jpg?oe={stamp}"
        if kind == "video":
            url = None if index in withheld else f"{_CDN}/o1/v/t16/{native}_{index}.mp4?oe={stamp}"
            out.append(PlatformMedia("video", url, cover))
        else:
            out.append(PlatformMedia("image", cover))
    return tuple(out)


def refreshed_links(media: Sequence[PlatformMedia], native: str, at: datetime) -> tuple[PlatformMedia, ...]:
    """The same files with links fresh from ``at`` (a withheld file stays withheld)."""
    withheld = frozenset(i for i, m in enumerate(media) if m.type == "video" and m.url is None)
    return instagram_links([m.type for m in media], withheld, native, at)


def instagram_settings(data: Mapping[str, Any], items: Sequence[ResolvedMedia]) -> dict[str, Any]:
    """What Instagram reports back of a post published with ``data``."""
    settings = {key: data[key] for key in _REPORTED if key in data}
    settings["comments_enabled"] = True
    settings["product_type"] = _PRODUCT_TYPES[instagram_format(data, items)]
    return settings
