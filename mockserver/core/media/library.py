"""The media library: uploads (server-side and presigned), verification, listing, deletion, quota.

Bytes live in memory, except a presigned upload above ``KEEP_BYTES_MAX``, of which only the size and
a digest are kept (it downloads as stand-in bytes of its size). Two limits apply: the plan's storage
quota (the free plan's 100 MB, counted over every ready item, as the real API does) and the mock's
own cap on bytes held per tenant, which keeps a paid tenant from filling the server's memory. Both
answer 413 ``billing.storage_quota``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from mockserver.core import messages
from mockserver.core.errors import (
    Conflict,
    LimitReached,
    NotFound,
    StorageQuotaExceeded,
    UploadRefused,
    ValidationFailed,
)
from mockserver.core.models import MediaItem, Post, PostStatus
from mockserver.core.records.media import ReceivedBytes, UploadSlot
from mockserver.core.tenancy import Area
from mockserver.core.timefmt import shifted

MB = 1024 * 1024
FREE_STORAGE_BYTES = 100 * MB
MAX_UPLOAD_BYTES = 50 * MB
# A presigned upload has no API size limit, only the plan's storage quota (guides/media); on a paid
# plan the mock stops at this. Above KEEP_BYTES_MAX only its size and digest are kept, not its bytes.
PRESIGNED_MAX_BYTES = 4 * 1024 * MB
KEEP_BYTES_MAX = MAX_UPLOAD_BYTES
DEFAULT_MEMORY_LIMIT = 256 * MB
UPLOAD_URL_TTL = timedelta(minutes=15)
DEFAULT_PAGE = 50
MAX_PAGE = 100
FILENAME_MAX = 255
MEDIA_TYPE = re.compile(r"^(image|video)/[a-z0-9][a-z0-9.+-]{0,63}$")

PENDING = "pending"
READY = "ready"
FAILED = "failed"


@dataclass(slots=True)
class MediaPage:
    items: list[MediaItem]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StorageUsage:
    used_bytes: int
    limit_bytes: int
    count: int


class MediaLibrary(Area):
    """Use cases of ``/v1/media``."""

    # Bytes of uploaded media the mock holds for one tenant (fixture media hold none).
    media_memory_limit: int = DEFAULT_MEMORY_LIMIT

    # -- uploads -----------------------------------------------------------------------------------

    def upload_media(self, filename: str, content_type: str, data: bytes) -> MediaItem:
        """``POST /v1/media/upload``: stored and ready at once."""
        with self.lock:
            _check_filename(filename, "file")
            _check_media_type(content_type, "file")
            _check_size(len(data), "file")
            self._check_quota(len(data))
            self._check_memory(len(data))
            now = self.clock.now()
            item = MediaItem(self.state.ids.next("med_", now), filename, content_type, len(data), READY, now, data)
            self.state.media.items[item.id] = item
            self.tenant.shared.media_owners[item.id] = self.tenant.name
            return item

    def create_upload_url(self, media_type: str, filename: str) -> UploadSlot:
        """``GET /v1/media/upload-url``: a pending item and the slot its bytes go to."""
        with self.lock:
            _check_media_type(media_type, "media_type")
            _check_filename(filename, "filename")
            self._check_quota(0)
            now = self.clock.now()
            item = MediaItem(self.state.ids.next("med_", now), filename, media_type, 0, PENDING, now)
            slot = UploadSlot(item.id, self.state.ids.hex(32), media_type, shifted(now, UPLOAD_URL_TTL))
            self.state.media.items[item.id] = item
            self.state.media.upload_slots[item.id] = slot
            self.tenant.shared.media_owners[item.id] = self.tenant.name
            return slot

    def presigned_limit(self) -> int:
        """The most bytes a PUT to an upload URL may carry: the free plan's whole quota, else the mock's cap."""
        limit = self._storage_limit()
        return limit if limit >= 0 else PRESIGNED_MAX_BYTES

    def receive_upload(self, media_id: str, token: str, content_type: str, body: ReceivedBytes) -> MediaItem:
        """The PUT to an upload URL: keeps the bytes (or, for a large one, their digest);
        ``verify_media`` makes them usable."""
        with self.lock:
            slot = self._slot(media_id, token)
            if slot is None:
                raise UploadRefused(messages.UPLOAD_URL_INVALID, meta={"media_id": media_id})
            if self.clock.now() > slot.expires_at:
                raise UploadRefused("this upload URL has expired; request a new one", meta={"media_id": media_id})
            given = content_type.split(";", 1)[0].strip().lower()
            if given != slot.content_type:
                raise ValidationFailed.invalid(
                    "content_type",
                    f"Content-Type must be {slot.content_type}, as given to upload-url (got {given or 'none'})",
                )
            if body.size == 0:
                raise ValidationFailed.invalid("body", "the file is empty")
            item = self.state.media.items[media_id]
            kept = len(body.data) if body.data is not None else 0
            self._check_memory(kept - len(item.data or b""))
            item.data = body.data
            item.digest = None if body.data is not None else body.sha256
            item.size_bytes = body.size
            item.status = PENDING
            return item

    def upload_slot(self, media_id: str, token: str) -> UploadSlot | None:
        """The slot behind an upload URL, if it belongs to this tenant (the URL carries no API key)."""
        with self.lock:
            return self._slot(media_id, token)

    def _slot(self, media_id: str, token: str) -> UploadSlot | None:
        slot = self.state.media.upload_slots.get(media_id)
        if slot is None or not hmac.compare_digest(slot.token, token):
            return None
        return slot

    def verify_media(self, media_id: str) -> MediaItem:
        """``POST /v1/media/{id}/verify``: a presigned upload becomes ready, or fails."""
        with self.lock:
            item = self._media_item(media_id)
            if item.status == READY:
                return item
            if item.data is None and item.digest is None:
                item.status = FAILED
                raise ValidationFailed(
                    f"media {media_id} has no uploaded bytes; PUT the file to its upload_url first",
                    code="media.upload_missing",
                    meta={"field": "media_id", "id": media_id},
                )
            try:
                self._check_quota(item.size_bytes)
            except StorageQuotaExceeded:
                item.status = FAILED
                raise
            item.status = READY
            self.state.media.upload_slots.pop(media_id, None)
            return item

    # -- reading -----------------------------------------------------------------------------------

    def list_media(self, *, limit: int = DEFAULT_PAGE, cursor: str | None = None) -> MediaPage:
        """Ready items, newest first; the cursor is the last id of the previous page."""
        with self.lock:
            if not 1 <= limit <= MAX_PAGE:
                raise ValidationFailed.invalid("limit", messages.LIMIT_RANGE.format(max=MAX_PAGE))
            if cursor is not None and cursor not in self.state.media.items:
                raise ValidationFailed.invalid("cursor", messages.CURSOR_INVALID)
            items: list[MediaItem] = []
            for item in _newest_after(self.state.media.items, cursor):
                if item.status != READY:
                    continue
                items.append(item)
                if len(items) > limit:
                    break
            has_more = len(items) > limit
            del items[limit:]
            return MediaPage(items, items[-1].id if has_more else None)

    def get_media(self, media_id: str) -> MediaItem:
        with self.lock:
            return self._media_item(media_id)

    def media_download_token(self, media_id: str) -> str:
        """The token in a media item's ``url``; stable, and unguessable without the tenant's seed."""
        return hashlib.blake2b(media_id.encode(), key=self.state.media.key, digest_size=16).hexdigest()

    def media_by_download_token(self, media_id: str, token: str) -> MediaItem | None:
        with self.lock:
            item = self.state.media.items.get(media_id)
            if item is None or item.status != READY:
                return None
            if not hmac.compare_digest(self.media_download_token(media_id), token):
                return None
            return item

    def storage_usage(self) -> StorageUsage:
        with self.lock:
            ready = [m for m in self.state.media.items.values() if m.status == READY]
            return StorageUsage(sum(m.size_bytes for m in ready), self._storage_limit(), len(ready))

    # -- deleting ----------------------------------------------------------------------------------

    def delete_media(self, media_id: str) -> None:
        """``DELETE /v1/media/{id}``: refused while a post that is not cancelled uses it."""
        with self.lock:
            self._media_item(media_id)
            user = next((p for p in self.state.posts.all_posts() if _uses(p, media_id)), None)
            if user is not None:
                raise Conflict(
                    f"media {media_id} is used by post {user.id}",
                    code="media.in_use",
                    meta={"id": media_id, "post_id": user.id},
                )
            del self.state.media.items[media_id]
            self.state.media.upload_slots.pop(media_id, None)
            if self.tenant.shared.media_owners.get(media_id) == self.tenant.name:
                del self.tenant.shared.media_owners[media_id]

    # -- limits ------------------------------------------------------------------------------------

    def _media_item(self, media_id: str) -> MediaItem:
        item = self.state.media.items.get(media_id)
        if item is None:
            raise NotFound.of("media", media_id)
        return item

    def _storage_limit(self) -> int:
        return FREE_STORAGE_BYTES if self.state.plan.is_free else -1

    def _check_quota(self, adding: int) -> None:
        limit = self._storage_limit()
        if limit < 0:
            return
        used = sum(m.size_bytes for m in self.state.media.items.values() if m.status == READY)
        if used + adding > limit or (adding == 0 and used >= limit):
            raise StorageQuotaExceeded(
                "Storage quota exceeded. Free plan is limited to 100MB. Delete media or upgrade your plan.",
                meta={"plan": self.state.plan.name, "max": limit, "used": used},
            )

    def media_bytes_held(self) -> int:
        """Bytes of uploaded media this tenant keeps in memory."""
        return sum(len(m.data) for m in self.state.media.items.values() if m.data is not None)

    def _check_memory(self, adding: int) -> None:
        budget = self.tenant.shared.max_media_bytes
        if budget >= 0 and adding > 0 and self.tenant.shared.media_held() + adding > budget:
            raise LimitReached(
                f"the mock holds at most {budget} bytes of media across all tenants (--max-media-bytes); "
                "delete media or reset tenants",
                code="mock.media_limit",
                meta={"limit": budget},
            )
        held = self.media_bytes_held()
        if held + adding > self.media_memory_limit:
            raise StorageQuotaExceeded(
                f"the mock holds at most {self.media_memory_limit} bytes of media per tenant; "
                "delete media or reset the tenant",
                meta={"max": self.media_memory_limit, "used": held},
            )


def _check_filename(filename: str, field: str) -> None:
    if not filename or len(filename) > FILENAME_MAX or any(c in filename for c in "/\\\0"):
        raise ValidationFailed.invalid(field, f"a file name of 1 to {FILENAME_MAX} characters without slashes")


def _check_media_type(media_type: str, field: str) -> None:
    if not MEDIA_TYPE.match(media_type):
        raise ValidationFailed.invalid(
            field, f"unsupported media type {media_type[:80]!r}: upload an image (image/*) or a video (video/*)"
        )


def _check_size(size: int, field: str) -> None:
    if size == 0:
        raise ValidationFailed.invalid(field, "the file is empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed.invalid(field, f"the file exceeds 50 MB ({size} bytes)")


def _newest_after(media: dict[str, MediaItem], cursor: str | None) -> Iterator[MediaItem]:
    passed = cursor is None
    for item in reversed(media.values()):
        if passed:
            yield item
        elif item.id == cursor:
            passed = True


def _uses(post: Post, media_id: str) -> bool:
    if post.status is PostStatus.CANCELLED:
        return False
    if post.media_ids and media_id in post.media_ids:
        return True
    if any(media_id in segment.media_ids for segment in post.segments):
        return True
    return any(t.media_ids and media_id in t.media_ids for t in post.targets)
