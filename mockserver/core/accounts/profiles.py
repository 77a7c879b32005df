"""The logins the mock's consent page offers and the profiles they stand for.

Fake logins are fixed per platform (approving one twice is a reconnect); a direct-auth platform's
credentials stand for a login too; ``profile_url`` is the link ``account.connected`` carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.errors import ValidationFailed
from mockserver.core.ids import stable_seed
from mockserver.core.models import Account
from mockserver.core.records.accounts import LoginChoice, PlatformLogin
from mockserver.core.rules.platforms import display_name

# Where ``profile_url`` in ``account.connected`` comes from, per platform (the rest have none).
PROFILE_URL_BY_USERNAME: Mapping[str, str] = {
    "instagram": "https://www.instagram.com/{}",
    "threads": "https://www.threads.net/@{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "twitter": "https://x.com/{}",
}
PROFILE_URL_BY_USER_ID: Mapping[str, str] = {
    "facebook": "https://www.facebook.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "youtube": "https://www.youtube.com/channel/{}",
    "google": "https://maps.google.com/?cid={}",
}


@dataclass(frozen=True, slots=True)
class Profile:
    """A login the consent page offers: a fresh fake profile, or one of the tenant's own accounts."""

    platform_user_id: str
    name: str
    username: str
    account_id: str | None = None
    # A fixture login (``cred_…``) behind this profile: its Pages or Business Profiles.
    login_id: str | None = None


# Names of connectable platforms outside the rules table that plain capitalising gets wrong.
KNOWN_NAMES: Mapping[str, str] = {"linkedin_page": "LinkedIn Page", "whatsapp": "WhatsApp"}


def platform_name(platform: str) -> str:
    """The platform's name as users know it (the direct-auth ones are outside the rules table)."""
    name = display_name(platform)
    return KNOWN_NAMES.get(platform) or (name.capitalize() if name == platform else name)


def profile_url(account: Account) -> str:
    by_name = PROFILE_URL_BY_USERNAME.get(account.platform)
    if by_name is not None and account.username:
        return by_name.format(account.username)
    by_id = PROFILE_URL_BY_USER_ID.get(account.platform)
    if by_id is not None and account.platform_user_id:
        return by_id.format(account.platform_user_id)
    return ""


def fake_profiles(platform: str) -> tuple[Profile, ...]:
    """Two fresh logins per platform; their ids are fixed so approving one twice is a reconnect."""
    name = platform_name(platform)
    return (
        Profile(_fake_user_id(platform, 1), f"Mock {name} Creator", "mock_creator"),
        Profile(_fake_user_id(platform, 2), f"Mock {name} Studio", "mock_studio"),
    )


def _fake_user_id(platform: str, number: int) -> str:
    return str(10**15 + stable_seed("profile", platform, number) % (9 * 10**15))


def direct_login(platform: str, metadata: Mapping[str, Any]) -> Profile:
    """The login a direct-auth platform's credentials stand for (validated here, as SocialAPI does)."""
    if platform == "telegram":
        token = metadata.get("bot_token")
        if not token:
            raise ValidationFailed.required("metadata.bot_token", "metadata.bot_token is required for Telegram")
        bot_id, _, secret = str(token).partition(":")
        if not bot_id.isdigit() or len(secret) < 20:
            raise ValidationFailed.invalid(
                "metadata.bot_token", "metadata.bot_token is not a Telegram bot token (<bot id>:<secret>)"
            )
        return Profile(bot_id, f"Mock Bot {bot_id[-4:]}", f"mock_{bot_id[-4:]}_bot")
    identifier = metadata.get("identifier")
    if not identifier:
        raise ValidationFailed.required("metadata.identifier", "metadata.identifier is required for Bluesky")
    if not metadata.get("app_password"):
        raise ValidationFailed.required("metadata.app_password", "metadata.app_password is required for Bluesky")
    handle = str(identifier).removeprefix("@")
    return Profile(f"did:plc:{stable_seed('bluesky', handle) % 36**24:024x}", handle, handle)


def login_of(platform: str, profile: Profile) -> PlatformLogin:
    """The credential behind a fake login: one Page (Facebook) or one Business Profile (Google)."""
    seed = stable_seed("login", platform, profile.platform_user_id)
    choice = LoginChoice(str(10**16 + seed % (9 * 10**16)), f"{profile.name} Page")
    login_id = f"cred_{seed % 36**23:023x}"[:28]
    return PlatformLogin(login_id, platform, profile.platform_user_id, profile.name, profile.username, (choice,))
