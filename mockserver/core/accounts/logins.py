"""What a login looks like to the connection flows: fake profiles, direct-auth credentials, redirect
URI shapes and profile links."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from mockserver.core.errors import ValidationFailed
from mockserver.core.ids import stable_seed
from mockserver.core.models import Account
from mockserver.core.records.accounts import LoginChoice, PendingConnection, PlatformLogin
from mockserver.core.rules.platforms import display_name

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})


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


@dataclass(frozen=True, slots=True)
class Consent:
    """What the consent page shows."""

    connection: PendingConnection
    brand_name: str
    profiles: tuple[Profile, ...]
    expired: bool
    # 2026-08-22: the Pages each Facebook login (by platform user id) may grant, left checked or not.
    grants: Mapping[str, tuple[LoginChoice, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConsentOutcome:
    """The result of Approve or Deny: where the user goes next, and what to show if nowhere."""

    platform: str
    approved: bool
    redirect_url: str | None
    account: Account | None = None
    code: str | None = None
    error: str | None = None
    error_description: str | None = None
    # Set when the approval ended in a pending selection (no account yet).
    connection_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectStarted:
    connection: PendingConnection


# Names of connectable platforms outside the rules table that plain capitalising gets wrong.
KNOWN_NAMES: Mapping[str, str] = {"linkedin_page": "LinkedIn Page", "whatsapp": "WhatsApp"}


def platform_name(platform: str) -> str:
    """The platform's name as users know it (the direct-auth ones are outside the rules table)."""
    name = display_name(platform)
    return KNOWN_NAMES.get(platform) or (name.capitalize() if name == platform else name)


def check_redirect_uri_shape(uri: str, field: str) -> str:
    """https, or http on localhost/127.0.0.1, with a host: the documented rule for redirect URIs."""
    if "#" in uri:
        # RFC 6749 3.1.2: the code would land in the fragment, which the browser never sends on.
        raise ValidationFailed.invalid(
            field,
            f"{field} must not contain a fragment ('#'): the redirection endpoint URI is absolute and "
            f"fragment-free (RFC 6749 section 3.1.2), got {uri!r}",
        )
    parts = urlsplit(uri.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return uri.strip()
    if parts.scheme == "http" and host in LOOPBACK_HOSTS:
        return uri.strip()
    if parts.scheme == "http" and host and _is_loopback_ip(host):
        return uri.strip()
    raise ValidationFailed.invalid(
        field, f"{field} must be an https URL (http is allowed only for localhost and 127.0.0.1), got {uri!r}"
    )


def _is_loopback_ip(host: str) -> bool:
    try:
        return host == "127.0.0.1" and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to whatever query it already has."""
    joiner = "&" if urlsplit(url).query else ("" if url.endswith("?") else "?")
    return url + joiner + urlencode(params)


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


def pick_profile(profiles: tuple[Profile, ...], wanted: str | None) -> Profile:
    if not wanted:
        return profiles[0]
    for profile in profiles:
        if wanted in (profile.platform_user_id, profile.username, profile.account_id, profile.login_id):
            return profile
    choices = ", ".join(p.platform_user_id for p in profiles)
    raise ValidationFailed.invalid("profile", f"unknown profile {wanted!r}; one of {choices}")


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
