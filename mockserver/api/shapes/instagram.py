"""The fields the later documents add to an Instagram target: its published files and reported settings."""

from __future__ import annotations

from typing import Any, Literal

from mockserver.api.shapes.common import Out
from mockserver.core.models import PlatformMedia


class PlatformMediaOut(Out):
    """One file of a published Instagram post; the links expire (``POST /v1/accounts/{id}/sync`` renews them)."""

    type: Literal["image", "video"]
    url: str | None = None
    thumbnail_url: str | None = None

    @staticmethod
    def of(media: PlatformMedia) -> PlatformMediaOut:
        out: dict[str, Any] = {"type": media.type}
        if media.url is not None:
            out["url"] = media.url
        if media.thumbnail_url is not None:
            out["thumbnail_url"] = media.thumbnail_url
        return PlatformMediaOut.build(out)


class InstagramSettingsOut(Out):
    """What Instagram reports back of a published post; absent when it reported none."""

    is_ai_generated: bool | None = None
    alt_text: str | None = None
    share_to_feed: bool | None = None
    comments_enabled: bool | None = None
    product_type: Literal["FEED", "REELS", "STORY", "AD"] | None = None
    audio_type: Literal["MUSIC", "ORIGINAL_SOUND"] | None = None
