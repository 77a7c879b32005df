"""The reads the inspector page adds: the server's tenants and a post's preview per platform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockserver.api.shapes.common import Out
from mockserver.core.posts.preview import Part, TargetPreview


class TenantOut(Out):
    key: str
    posts: int
    now: str


class TenantListOut(Out):
    data: list[TenantOut]

    @staticmethod
    def of(tenants: list[dict[str, Any]]) -> TenantListOut:
        return TenantListOut.build({"data": [TenantOut.build(tenant) for tenant in tenants]})


class MediaPreviewOut(Out):
    id: str
    type: str
    # A same-origin picture of the item (an uploaded image itself, else one drawn from its id);
    # null for a media id the library does not hold.
    thumbnail_url: str | None


class PartOut(Out):
    text: str
    length: int
    limit: int
    media: list[MediaPreviewOut]
    # What the feed shows before its "more" link; the whole text when ``folded`` is false.
    folded_text: str
    folded: bool


class TargetPreviewOut(Out):
    account_id: str
    platform: str
    # As the platform writes its own name ("X", "TikTok").
    platform_name: str
    # Who the feed shows as the author (the page a target posts to, else the account), and the
    # handle under the name where the platform shows one.
    author_name: str
    handle: str | None
    # The link the feed puts after a folded text ("more", "see more").
    more_label: str
    # Whether the feed puts the media above the text (Instagram, TikTok, YouTube, Pinterest).
    media_first: bool
    # What lengths are counted in: "characters" or "UTF-16 code units".
    unit: str
    # The post, then its thread's replies where the platform threads segments.
    segments: list[PartOut]
    title: str | None
    title_length: int
    title_limit: int | None
    first_comment: str | None
    notes: list[str]


class PreviewListOut(Out):
    data: list[TargetPreviewOut]

    @staticmethod
    def of(previews: list[TargetPreview], thumbnail: Callable[[str], str]) -> PreviewListOut:
        return PreviewListOut.build({"data": [_preview(preview, thumbnail) for preview in previews]})


def _preview(preview: TargetPreview, thumbnail: Callable[[str], str]) -> TargetPreviewOut:
    return TargetPreviewOut.build(
        {
            "account_id": preview.account_id,
            "platform": preview.platform,
            "platform_name": preview.platform_name,
            "author_name": preview.author_name,
            "handle": preview.handle,
            "more_label": preview.more_label,
            "media_first": preview.media_first,
            "unit": preview.unit,
            "segments": [_part(part, thumbnail) for part in preview.parts],
            "title": preview.title,
            "title_length": preview.title_length,
            "title_limit": preview.title_limit,
            "first_comment": preview.first_comment,
            "notes": list(preview.notes),
        }
    )


def _part(part: Part, thumbnail: Callable[[str], str]) -> PartOut:
    media = [
        MediaPreviewOut.build(
            {"id": item.id, "type": item.kind, "thumbnail_url": thumbnail(item.id) if item.shown else None}
        )
        for item in part.media
    ]
    return PartOut.build(
        {
            "text": part.text,
            "length": part.length,
            "limit": part.limit,
            "media": media,
            "folded_text": part.folded_text,
            "folded": part.folded,
        }
    )
