"""Media: uploads, presigned upload URLs, the media list and storage usage."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import Out, PageLimit, Request
from mockserver.core.media.library import DEFAULT_PAGE, MediaPage, StorageUsage
from mockserver.core.models import MediaItem
from mockserver.core.records.media import UploadSlot
from mockserver.core.timefmt import format_instant


class MediaUploadForm(Request):
    """The multipart body of ``POST /v1/media/upload`` (documentation; the handler reads the part)."""

    file: bytes


class UploadUrlQuery(Request):
    media_type: Annotated[str, Field(min_length=1, max_length=100)]
    filename: Annotated[str, Field(min_length=1, max_length=255)]


class MediaListQuery(Request):
    limit: PageLimit = DEFAULT_PAGE
    cursor: str | None = None


class MediaItemOut(Out):
    id: str
    filename: str
    content_type: str
    size_bytes: int
    status: Literal["pending", "ready", "failed"]
    url: str
    created_at: str

    @staticmethod
    def of(item: MediaItem, url: str) -> MediaItemOut:
        return MediaItemOut.build(
            {
                "id": item.id,
                "filename": item.filename,
                "content_type": item.content_type,
                "size_bytes": item.size_bytes,
                "status": item.status,
                "url": url,
                "created_at": format_instant(item.created_at),
            }
        )


class MediaListOut(Out):
    data: list[MediaItemOut]
    count: int
    next_cursor: str | None = None

    @staticmethod
    def of(page: MediaPage, urls: list[str]) -> MediaListOut:
        out: dict[str, Any] = {
            "data": [MediaItemOut.of(item, url) for item, url in zip(page.items, urls, strict=True)],
            "count": len(page.items),
        }
        # The SDK follows any non-null next_cursor, "" included: on the last page the key is left out.
        if page.next_cursor is not None:
            out["next_cursor"] = page.next_cursor
        return MediaListOut.build(out)


class MediaUploadOut(Out):
    media_id: str

    @staticmethod
    def of(item: MediaItem) -> MediaUploadOut:
        return MediaUploadOut.build({"media_id": item.id})


class UploadUrlOut(Out):
    media_id: str
    upload_url: str
    expires_at: str

    @staticmethod
    def of(slot: UploadSlot, upload_url: str) -> UploadUrlOut:
        return UploadUrlOut.build(
            {"media_id": slot.media_id, "upload_url": upload_url, "expires_at": format_instant(slot.expires_at)}
        )


class StorageOut(Out):
    used_bytes: int
    limit_bytes: int
    count: int

    @staticmethod
    def of(usage: StorageUsage) -> StorageOut:
        return StorageOut.build(
            {"used_bytes": usage.used_bytes, "limit_bytes": usage.limit_bytes, "count": usage.count}
        )
