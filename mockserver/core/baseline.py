"""What a tenant starts with (from the fixtures) and its plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.models import Account, MediaItem
from mockserver.core.records.accounts import AccountPage, Board, CreatorInfo, PlatformLogin
from mockserver.core.records.inbox import AudienceRates


@dataclass(frozen=True, slots=True)
class Plan:
    name: str = "paid"
    posts_limit: int = -1
    posts_used: int = 0

    @property
    def is_free(self) -> bool:
        return self.posts_limit >= 0


@dataclass(frozen=True, slots=True)
class SeedMedia:
    id: str
    filename: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class ExternalPost:
    """A post published on the platform outside the API; an account sync brings it in."""

    account_id: str
    platform_post_id: str
    text: str
    published_at: datetime
    # The kinds of its files, in order ("image" or "video"), and which ones Instagram withholds.
    media: tuple[str, ...] = ()
    withheld: frozenset[int] = frozenset()
    settings: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class SeedBrand:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Baseline:
    """A tenant's state after ``reset``: fixture brands, accounts (with their pages, boards, creator
    info and limits), media, plan, registered redirect URIs, BYOK credentials and platform logins."""

    accounts: tuple[Account, ...] = ()
    media: tuple[SeedMedia, ...] = ()
    plan: Plan = field(default_factory=Plan)
    brands: tuple[SeedBrand, ...] = ()
    pages: tuple[AccountPage, ...] = ()
    boards: tuple[Board, ...] = ()
    creator_info: Mapping[str, CreatorInfo] = field(default_factory=dict)
    # Posts per 24 hours per account id, overriding the platform's ceiling.
    daily_limits: Mapping[str, int] = field(default_factory=dict)
    redirect_uris: tuple[tuple[str, str | None], ...] = ()
    byok_platforms: frozenset[str] = frozenset()
    # Logins the consent page offers besides fresh fake ones: several Facebook Pages or Google Profiles.
    logins: tuple[PlatformLogin, ...] = ()
    # The duplicate-content check (409 post.duplicate_content) is ours, not the real API's: opt-in.
    duplicate_check: bool = False
    audience: AudienceRates = field(default_factory=AudienceRates)
    external_posts: tuple[ExternalPost, ...] = ()

    def media_items(self, at: datetime) -> dict[str, MediaItem]:
        return {m.id: MediaItem(m.id, m.filename, m.content_type, m.size_bytes, "ready", at) for m in self.media}


def _nothing_held() -> int:
    return 0


@dataclass(slots=True)
class Shared:
    """What the tenants of one server share: the total media budget and the capability-URL index.

    ``media_held`` sums the media bytes every tenant holds (the server supplies it); ``media_owners``
    maps a media id to its tenant's key, so an upload or download URL, which carries no API key,
    finds its tenant by one lookup rather than by asking every tenant.
    """

    max_media_bytes: int = -1
    media_held: Callable[[], int] = _nothing_held
    media_owners: dict[str, str] = field(default_factory=dict)
    # A pending connection's state to its tenant's key: the consent page carries no API key either.
    connection_owners: dict[str, str] = field(default_factory=dict)
    # A webhook sink's name to its tenant's key: the sink's receiving URL carries no API key.
    sink_owners: dict[str, str] = field(default_factory=dict)
    # The secrets made by POST /v1/keys (and rotations), by the tenant they open; revoked ones stay, so
    # that a revoked key answers 401 rather than opening a new tenant.
    key_owners: dict[str, str] = field(default_factory=dict)
