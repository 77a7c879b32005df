"""What a target's ``platform_data`` may hold, and the format Instagram really publishes.

- **Pinterest**: the board is the target's ``board_id``; a ``board_id`` inside ``platform_data`` is
  refused with 400 ``validation.use_board_id`` (docs /posts/pinterest), in every generation.
- **Instagram** (docs posts/instagram.mdx, "Platform data fields"): a key the table does not list,
  or does not list for the format being published, is not sent to Instagram, and the answer names it
  in a validation warning (``POST /v1/posts/validate``'s ``warnings``, ``X-Mock-Warnings`` on create
  and edit). A single video sent as ``feed`` goes out as a Reel ("Single video (Reel)": published as
  ``REELS``), and a story carries no caption ("captions not supported"): both are warned about, and a
  published target reports the format it really got (``media_type``).
- **A post's ``text``** may be omitted when every target brings a body of its own: its ``text``, or
  the ``platform_data`` field its connector publishes as the body (``BODY_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mockserver.core.media_inputs import ResolvedMedia
from mockserver.core.models import Target

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
