"""The media area's records beside the items themselves: presigned upload slots, received bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class UploadSlot:
    """A presigned upload: where to PUT the bytes of ``media_id``, until when, with which type."""

    media_id: str
    token: str
    content_type: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ReceivedBytes:
    """The body of a PUT to an upload URL: its bytes when small enough to keep, else only its size and
    digest (a large upload must not be held in memory)."""

    data: bytes | None
    size: int
    sha256: str
    md5: str

    @classmethod
    def of(cls, data: bytes) -> ReceivedBytes:
        """``data`` received whole and kept."""
        return cls(
            data, len(data), hashlib.sha256(data).hexdigest(), hashlib.md5(data, usedforsecurity=False).hexdigest()
        )
