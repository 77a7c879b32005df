"""The team area's records: API keys, brand invites, analytics export jobs, the user's profile, and
what the YouTube routes changed (video edits, comment edits and moderation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class ApiKey:
    """One key of the team. ``secret`` is what a client sends; it is never listed, only shown once."""

    id: str
    name: str
    secret: str
    created_at: datetime
    # Empty scopes mean unrestricted; empty brand_ids mean every brand (a full-access key has neither).
    scopes: tuple[str, ...] = ()
    brand_ids: tuple[str, ...] = ()
    is_active: bool = True
    last_used_at: datetime | None = None

    @property
    def preview(self) -> str:
        return f"{self.secret[:14]}..."

    @property
    def full_access(self) -> bool:
        return not self.scopes and not self.brand_ids


@dataclass(frozen=True, slots=True)
class Invite:
    id: str
    brand_id: str
    platform: str
    token: str
    created_at: datetime
    expires_at: datetime
    # Revoked or redeemed: a single-use link is spent either way.
    used: bool = False

    def is_active(self, now: datetime) -> bool:
        return not self.used and now < self.expires_at


@dataclass(frozen=True, slots=True)
class ExportJob:
    """An export as it was asked for; its status and progress follow from the clock (core/team/progress.py)."""

    id: str
    account_id: str
    platform: str
    created_at: datetime
    total_videos: int
    # How many of the videos carry a transcript (the plan caps it), and whether vision ran.
    transcripts: int
    vision: bool
    report_days: int


@dataclass(slots=True)
class UserProfile:
    id: str
    email: str
    onboarding: bool = True
    use_case: str | None = None
    referral: str | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class VideoEdit:
    """What ``PATCH /platforms/youtube/accounts/{id}/videos/{videoId}`` last set (None: left alone)."""

    account_id: str
    video_id: str
    updated_at: datetime
    title: str | None = None
    description: str | None = None
    visibility: str | None = None


@dataclass(frozen=True, slots=True)
class YouTubeCommentChange:
    """What the YouTube comment routes did to one comment: its edited text, moderation, a banned author."""

    comment_id: str
    account_id: str
    post_id: str
    updated_at: datetime
    text: str | None = None
    moderation_status: str | None = None
    author_banned: bool = False


def uuid_of(hex32: str) -> str:
    """A version-4 UUID built from 32 hex digits."""
    h = hex32
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"
