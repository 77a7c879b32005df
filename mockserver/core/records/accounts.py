"""The account area's records: brands, pages, boards, creator info, redirect URIs, pending OAuth
connections and codes, platform logins and the selections they wait on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.ids import stable_seed

# Platforms whose accounts publish through a page (Facebook Pages, LinkedIn organizations, Google
# locations), a board, or a creator profile with TikTok's creator info.
PAGE_PLATFORMS: frozenset[str] = frozenset({"facebook", "linkedin", "google"})
BOARD_PLATFORMS: frozenset[str] = frozenset({"pinterest"})
CREATOR_INFO_PLATFORMS: frozenset[str] = frozenset({"tiktok"})
PAGE_INACTIVE = "account.page_inactive"
NO_ACTIVE_PAGE = "account.no_active_page"

PRIVACY_LEVELS: tuple[str, ...] = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")


@dataclass(frozen=True, slots=True)
class AccountPage:
    id: str
    account_id: str
    name: str
    platform_page_id: str
    is_default: bool = False
    is_active: bool = True
    category: str | None = None
    username: str | None = None
    link: str | None = None
    followers_count: int | None = None


BOARD_PRIVACY: tuple[str, ...] = ("PUBLIC", "PROTECTED", "SECRET")


@dataclass(frozen=True, slots=True)
class Board:
    id: str
    account_id: str
    name: str
    privacy: str = "PUBLIC"
    # Pinterest's own id of the board (``id`` is SocialAPI's handle); derived from ``id`` when empty.
    board_id: str = ""
    description: str = ""

    @property
    def raw_id(self) -> str:
        return self.board_id or pinterest_board_id(self.id)


def pinterest_board_id(handle: str) -> str:
    """A stable numeric Pinterest board id for a board handle (Pinterest's ids are digits)."""
    return str(10**17 + stable_seed("board", handle) % (9 * 10**17))


@dataclass(frozen=True, slots=True)
class CreatorInfo:
    nickname: str
    avatar_url: str | None = None
    max_video_duration_sec: int = 600
    privacy_level_options: tuple[str, ...] = PRIVACY_LEVELS
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False


@dataclass(frozen=True, slots=True)
class Brand:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RedirectUri:
    id: str
    uri: str
    label: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PendingConnection:
    state: str
    platform: str
    brand_id: str
    redirect_uri: str | None
    customer_state: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OAuthCode:
    code: str
    state: str
    platform: str
    account_id: str
    redirect_uri: str | None
    customer_state: str
    expires_at: datetime
    # Set when the approval ended in a selection (2026-08-22): the exchange answers it, not an account.
    connection_id: str = ""


@dataclass(frozen=True, slots=True)
class LoginChoice:
    """One destination a platform login manages: a Facebook Page or a Google Business Profile."""

    id: str
    name: str
    category: str = ""
    username: str = ""
    bio: str = ""


@dataclass(frozen=True, slots=True)
class PlatformLogin:
    """A login on the platform (``cred_…``: the shared credential) and what it manages; in the
    tenant's state, what its latest authorization granted (the Pages left checked)."""

    login_id: str
    platform: str
    platform_user_id: str
    name: str
    username: str
    choices: tuple[LoginChoice, ...] = ()


@dataclass(frozen=True, slots=True)
class LostPage:
    """A Page a re-authorization stopped granting while one of the tenant's brands used it."""

    platform_page_id: str
    name: str
    brand_id: str


@dataclass(frozen=True, slots=True)
class PendingSelection:
    """An approved login waiting for the customer to choose Pages (Facebook) or a Profile (Google)."""

    connection_id: str
    platform: str
    brand_id: str
    login_id: str
    lost_access: tuple[LostPage, ...]
    created_at: datetime
    expires_at: datetime
