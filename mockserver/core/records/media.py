"""The media area's records beside the items themselves: presigned upload slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class UploadSlot:
    """A presigned upload: where to PUT the bytes of ``media_id``, until when, with which type."""

    media_id: str
    token: str
    content_type: str
    expires_at: datetime
