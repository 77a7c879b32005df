"""The scopes an API key may be limited to, and which scope each public route needs (docs/team.md).

One table, read top to bottom, first match wins: the rule for a route lives here and nowhere else.
A key with no scopes and no brands is full-access and passes every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from mockserver.core.errors import ScopeRefused
from mockserver.core.records.team import ApiKey


@dataclass(frozen=True, slots=True)
class Scope:
    name: str
    description: str
    group: str


SCOPES: tuple[Scope, ...] = (
    Scope("accounts:read", "List connected accounts, brands and their details", "accounts"),
    Scope("accounts:manage", "Connect, disconnect and configure accounts", "accounts"),
    Scope("posts:read", "Read posts, their metrics and the event log", "posts"),
    Scope("posts:write", "Create, edit, publish and delete posts", "posts"),
    Scope("media:read", "List media and storage", "media"),
    Scope("media:write", "Upload and delete media", "media"),
    Scope("inbox:read", "Read comments, reviews and mentions", "inbox"),
    Scope("inbox:write", "Reply to, hide, like and delete comments, reviews and mentions", "inbox"),
    Scope("dms:read", "Read conversations and messages", "dms"),
    Scope("dms:send", "Send direct messages and update conversations", "dms"),
    Scope("webhooks:manage", "Create, edit and delete webhooks", "webhooks"),
    Scope("analytics:read", "Run and read analytics exports", "analytics"),
)
SCOPE_NAMES: frozenset[str] = frozenset(scope.name for scope in SCOPES)

# Requirements besides a scope name: none at all, or a full-access key.
ALWAYS: Final = ""
ADMIN: Final = "admin"
# Brand-restricted keys never get these, whatever scopes they list ("fail-closed").
UNRESTRICTED_ONLY: frozenset[str] = frozenset({"webhooks:manage", "analytics:read"})

_ANY = "*"
_RULES: tuple[tuple[str, str, str], ...] = (
    ("GET", r"/v1/users/me", ALWAYS),
    (_ANY, r"/v1/users/me", ADMIN),
    ("GET", r"/v1/usage", ALWAYS),
    ("GET", r"/v1/keys/scopes", ALWAYS),
    (_ANY, r"/v1/keys(/.*)?", ADMIN),
    (_ANY, r"/v1/invites(/.*)?", ADMIN),
    ("GET", r"/v1/brands(/.*)?", "accounts:read"),
    (_ANY, r"/v1/brands(/.*)?", ADMIN),
    ("GET", r"/v1/webhooks/events", ALWAYS),
    (_ANY, r"/v1/webhooks(/.*)?", "webhooks:manage"),
    (_ANY, r"/v1/exports(/.*)?", "analytics:read"),
    ("POST", r"/v1/accounts/[^/]+/export", "analytics:read"),
    ("GET", r"/v1/accounts/[^/]+/mentions", "inbox:read"),
    (_ANY, r"/v1/accounts/[^/]+/mentions(/.*)?", "inbox:write"),
    ("GET", r"/v1/inbox/conversations(/.*)?", "dms:read"),
    (_ANY, r"/v1/inbox/conversations(/.*)?", "dms:send"),
    ("GET", r"/v1/inbox(/.*)?", "inbox:read"),
    (_ANY, r"/v1/inbox(/.*)?", "inbox:write"),
    ("GET", r"/v1/(accounts|oauth)(/.*)?", "accounts:read"),
    (_ANY, r"/v1/(accounts|oauth)(/.*)?", "accounts:manage"),
    ("GET", r"/v1/platforms/youtube/accounts/.*", "accounts:read"),
    ("POST", r"/v1/platforms/youtube/accounts/[^/]+/sync", "accounts:manage"),
    (_ANY, r"/v1/platforms/youtube/accounts/.*", "posts:write"),
    (_ANY, r"/v1/platforms/youtube/comments/.*", "inbox:write"),
    ("GET", r"/v1/(posts|events)(/.*)?", "posts:read"),
    (_ANY, r"/v1/posts(/.*)?", "posts:write"),
    ("GET", r"/v1/media(/.*)?", "media:read"),
    (_ANY, r"/v1/media(/.*)?", "media:write"),
)
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(pattern), needs) for method, pattern, needs in _RULES
)


def requirement(method: str, path: str) -> str:
    """The scope a route needs, ``ADMIN`` for a full-access key, or ``ALWAYS`` (unknown routes too)."""
    method = "GET" if method == "HEAD" else method
    for rule_method, pattern, needs in RULES:
        if rule_method in (_ANY, method) and pattern.fullmatch(path):
            return needs
    return ALWAYS


def check_scope(key: ApiKey, method: str, path: str) -> None:
    """Raise 403 ``auth.insufficient_scope`` when ``key`` may not call this route."""
    if key.full_access:
        return
    needs = requirement(method, path)
    if needs == ALWAYS:
        return
    if needs == ADMIN:
        raise ScopeRefused("This operation requires a full-access API key or the dashboard")
    if key.brand_ids and needs in UNRESTRICTED_ONLY:
        raise ScopeRefused(
            "This operation is not available to brand-restricted API keys", meta={"required_scope": needs}
        )
    if key.scopes and needs not in key.scopes:
        raise ScopeRefused(f"This API key does not have the required scope: {needs}", meta={"required_scope": needs})
