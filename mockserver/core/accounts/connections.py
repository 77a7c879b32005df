"""Connecting and disconnecting accounts: the hosted OAuth flow, direct auth, redirect URIs.

The flow, as the API's 2026-06-22 generation documents it:

1. ``connect_account`` starts a *pending connection* (an OAuth platform) and returns its state, or
   connects a direct-auth platform (Telegram, Bluesky) at once.
2. The user opens the consent page (served by the mock in place of the platform's) and approves or
   denies; ``decide_consent`` creates or refreshes the account, emits ``account.connected`` and says
   where to send the user: the customer's ``redirect_uri`` with the documented query, or nowhere
   (the mock then shows its own page).
3. An approval also issues a single-use ``code`` (10 minutes, this tenant only) that
   ``exchange_oauth`` turns into the account: the older client-side flow the SDK still implements.

Pending connections expire after 10 minutes of fake time and are single use, as the real ``state``.
An expired link still answers ``link_expired`` for another 10 minutes; after that, and past
``MAX_PENDING_CONNECTIONS`` per tenant (oldest first), a pending connection is forgotten, so
connects that are never approved hold no memory for ever; codes never exchanged likewise, past
``MAX_OAUTH_CODES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.accounts.area import Accounts
from mockserver.core.accounts.logins import (
    ConnectStarted,
    Consent,
    ConsentOutcome,
    Profile,
    check_redirect_uri_shape,
    direct_login,
    fake_profiles,
    pick_profile,
    platform_name,
    profile_url,
    with_query,
)
from mockserver.core.errors import ByokCredentialsMissing, NotFound, ValidationFailed
from mockserver.core.ids import stable_seed
from mockserver.core.models import DIRECT_PLATFORMS, PLATFORMS, Account
from mockserver.core.records.accounts import (
    BOARD_PLATFORMS,
    PAGE_PLATFORMS,
    AccountPage,
    Board,
    OAuthCode,
    PendingConnection,
    RedirectUri,
)
from mockserver.core.records.events import AccountConnected, AccountDisconnected
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import format_instant

OAUTH_PLATFORMS: tuple[str, ...] = tuple(p for p in PLATFORMS if p not in DIRECT_PLATFORMS)
CONNECTABLE: tuple[str, ...] = OAUTH_PLATFORMS + DIRECT_PLATFORMS
BYOK_PLATFORMS: frozenset[str] = frozenset({"twitter"})
STATE_TTL = timedelta(minutes=10)
CODE_TTL = timedelta(minutes=10)
# How long an expired link keeps saying "expired" (rather than "unknown") before it is forgotten.
EXPIRED_LINK_KEPT = timedelta(minutes=10)
MAX_PENDING_CONNECTIONS = 100
# Unexchanged codes kept per tenant: a manual clock never expires them, so approvals alone would pile up.
MAX_OAUTH_CODES = 100
MAX_REDIRECT_URIS = 20
CUSTOMER_STATE_LIMIT = 512
AUTO_BRAND_NAME = "Untitled brand"


class Connections(Area):
    """The connection flows: hosted OAuth with its consent page, direct auth, redirect URIs, BYOK."""

    def __init__(self, tenant: Tenant, accounts: Accounts) -> None:
        super().__init__(tenant)
        self.accounts = accounts
        tenant.restored.append(self._reindex)

    # -- redirect URIs (dashboard-only upstream; the control plane here) --------------------------

    def _redirect_uri_id(self) -> str:
        return f"sapi_ruri_{self.state.ids.hex(12)}"

    def list_redirect_uris(self) -> list[RedirectUri]:
        with self.lock:
            return list(self.state.accounts.redirect_uris.values())

    def set_redirect_uris(self, entries: list[tuple[str, str | None]]) -> list[RedirectUri]:
        """Replace the registered redirect URIs (an empty list returns connect to open mode)."""
        with self.lock:
            if len(entries) > MAX_REDIRECT_URIS:
                raise ValidationFailed.invalid("data", f"at most {MAX_REDIRECT_URIS} redirect URIs may be registered")
            seen: set[str] = set()
            checked: list[tuple[str, str | None]] = []
            for index, (given, label) in enumerate(entries):
                uri = check_redirect_uri_shape(given, f"data[{index}].uri")
                if uri in seen:
                    raise ValidationFailed.invalid(
                        f"data[{index}].uri", f"URI already registered: {uri}", code="validation.redirect_uri_duplicate"
                    )
                seen.add(uri)
                checked.append((uri, label))
            now = self.clock.now()
            kept = {u.uri: u for u in self.state.accounts.redirect_uris.values()}
            fresh: dict[str, RedirectUri] = {}
            for uri, label in checked:
                old = kept.get(uri)
                entry = replace(old, label=label) if old else RedirectUri(self._redirect_uri_id(), uri, label, now)
                fresh[entry.id] = entry
            self.state.accounts.redirect_uris = fresh
            return list(fresh.values())

    def set_byok(self, platforms: list[str]) -> list[str]:
        with self.lock:
            for index, platform in enumerate(platforms):
                if platform not in BYOK_PLATFORMS:
                    raise ValidationFailed.invalid(
                        f"platforms[{index}]", f"only {', '.join(sorted(BYOK_PLATFORMS))} uses BYOK credentials"
                    )
            self.state.accounts.byok_platforms = set(platforms)
            return sorted(self.state.accounts.byok_platforms)

    def _check_redirect_uri(self, uri: str, field: str) -> str:
        uri = check_redirect_uri_shape(uri, field)
        registered = {u.uri for u in self.state.accounts.redirect_uris.values()}
        if registered and uri not in registered:
            raise ValidationFailed.invalid(
                field,
                f"{field} {uri} is not a registered redirect URI; register it in the dashboard "
                "(in the mock: PUT /_mock/oauth/redirect-uris), or remove every registered URI for open mode",
            )
        return uri

    # -- connect -----------------------------------------------------------------------------------

    def connect_account(
        self,
        platform: str | None,
        *,
        brand_id: str | None = None,
        redirect_uri: str | None = None,
        state: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> ConnectStarted | Account:
        """Start the OAuth flow (a pending connection), or connect a direct-auth platform at once."""
        with self.lock:
            if not platform:
                raise ValidationFailed.required("platform")
            if platform not in CONNECTABLE:
                raise ValidationFailed.invalid(
                    "platform",
                    f"unsupported platform {platform!r}; one of {', '.join(CONNECTABLE)}",
                    code="account.unsupported_platform",
                )
            metadata = metadata or {}
            if state is not None and len(state) > CUSTOMER_STATE_LIMIT:
                raise ValidationFailed.invalid("state", f"state must be at most {CUSTOMER_STATE_LIMIT} characters")
            # The pre-05-30 shape put redirect_uri inside metadata; it is still honoured.
            given_uri = redirect_uri if redirect_uri is not None else metadata.get("redirect_uri")
            field = "redirect_uri" if redirect_uri is not None else "metadata.redirect_uri"
            if given_uri is not None and not isinstance(given_uri, str):
                raise ValidationFailed.invalid(field, f"{field} must be a string")
            uri = self._check_redirect_uri(given_uri, field) if given_uri else None
            if platform in BYOK_PLATFORMS and platform not in self.state.accounts.byok_platforms:
                raise ByokCredentialsMissing(
                    "X connections use your own X app: add its client id and secret in the dashboard first "
                    '(in the mock: PUT /_mock/byok {"platforms": ["twitter"]}, or byok_platforms in the fixtures)',
                    meta={"platform": platform},
                )
            if platform in DIRECT_PLATFORMS:
                login = direct_login(platform, metadata)
            if brand_id is not None:
                if brand_id not in self.state.accounts.brands:
                    raise ValidationFailed.invalid(
                        "brand_id", f"brand {brand_id} does not exist", code="validation.brand_invalid"
                    )
                brand = self.state.accounts.brands[brand_id]
            else:
                brand = self.accounts.new_brand(AUTO_BRAND_NAME)
            now = self.clock.now()
            if platform in DIRECT_PLATFORMS:
                return self._connect(platform, brand.id, login, now)
            connection = PendingConnection(
                state=self.state.ids.hex(32),
                platform=platform,
                brand_id=brand.id,
                redirect_uri=uri,
                customer_state=state or "",
                created_at=now,
                expires_at=now + STATE_TTL,
            )
            self._purge_pending(now)
            self.state.accounts.pending_connections[connection.state] = connection
            self.tenant.shared.connection_owners[connection.state] = self.tenant.name
            return ConnectStarted(connection)

    def _purge_pending(self, now: datetime) -> None:
        """Forget links expired long enough ago, then the oldest past the cap, making room for one more."""
        pending = self.state.accounts.pending_connections
        stale = [s for s, c in pending.items() if now >= c.expires_at + EXPIRED_LINK_KEPT]
        excess = len(pending) - len(stale) - (MAX_PENDING_CONNECTIONS - 1)
        if excess > 0:
            dropped = set(stale)
            oldest = (s for s in pending if s not in dropped)
            stale += [next(oldest) for _ in range(excess)]
        self._forget_connections(stale)
        codes = self.state.accounts.oauth_codes
        for code in [c for c, grant in codes.items() if now >= grant.expires_at]:
            del codes[code]

    def _forget_connections(self, states: Iterable[str]) -> None:
        owners = self.tenant.shared.connection_owners
        for state in list(states):
            self.state.accounts.pending_connections.pop(state, None)
            if owners.get(state) == self.tenant.name:
                del owners[state]

    def _reindex(self) -> None:
        """After the state was replaced (a reset, a restore): the consent index names this tenant's links."""
        owners = self.tenant.shared.connection_owners
        for state in [s for s, owner in owners.items() if owner == self.tenant.name]:
            del owners[state]
        for state in self.state.accounts.pending_connections:
            owners.setdefault(state, self.tenant.name)

    # -- the consent page --------------------------------------------------------------------------

    def _pending(self, state: str) -> PendingConnection:
        connection = self.state.accounts.pending_connections.get(state)
        if connection is None:
            raise NotFound(
                "this connection link is unknown or was already used; start the connection again",
                code="resource.not_found",
                meta={"resource": "connection", "id": state},
            )
        return connection

    def get_consent(self, state: str) -> Consent:
        with self.lock:
            connection = self._pending(state)
            brand = self.state.accounts.brands.get(connection.brand_id)
            own = tuple(
                Profile(a.platform_user_id, a.name, a.username, a.id)
                for a in self.state.accounts.items.values()
                if a.platform == connection.platform and a.status != "disconnected"
            )
            known = {p.platform_user_id for p in own}
            fresh = tuple(p for p in fake_profiles(connection.platform) if p.platform_user_id not in known)
            return Consent(
                connection,
                brand.name if brand else connection.brand_id,
                fresh + own,
                self.clock.now() >= connection.expires_at,
            )

    def decide_consent(self, state: str, *, approve: bool, profile: str | None = None) -> ConsentOutcome:
        """Approve (connect ``profile``, or the first fresh fake login) or deny the pending connection."""
        with self.lock:
            consent = self.get_consent(state)
            connection = consent.connection
            chosen: Profile | None = None
            if approve and not consent.expired:
                chosen = pick_profile(consent.profiles, profile)
            self._forget_connections([state])
            if consent.expired:
                return self._refused(
                    connection, "link_expired", "The connection link expired; start the connection again."
                )
            if not approve:
                return self._refused(connection, "access_denied", "The user denied the authorization request.")
            assert chosen is not None
            now = self.clock.now()
            account = self._connect(connection.platform, connection.brand_id, chosen, now)
            code = OAuthCode(
                code=self.state.ids.hex(40),
                state=connection.state,
                platform=connection.platform,
                account_id=account.id,
                redirect_uri=connection.redirect_uri,
                customer_state=connection.customer_state,
                expires_at=now + CODE_TTL,
            )
            codes = self.state.accounts.oauth_codes
            codes[code.code] = code
            while len(codes) > MAX_OAUTH_CODES:
                del codes[next(iter(codes))]
            redirect = None
            if connection.redirect_uri is not None:
                redirect = with_query(
                    connection.redirect_uri,
                    {
                        "status": "success",
                        "platform": connection.platform,
                        "state": connection.customer_state,
                        "account_id": account.id,
                        "code": code.code,
                    },
                )
            return ConsentOutcome(connection.platform, True, redirect, account=account, code=code.code)

    def _refused(self, connection: PendingConnection, error: str, description: str) -> ConsentOutcome:
        redirect = None
        if connection.redirect_uri is not None:
            redirect = with_query(
                connection.redirect_uri,
                {
                    "status": "error",
                    "error": error,
                    "error_description": description,
                    "platform": connection.platform,
                    "state": connection.customer_state,
                },
            )
        return ConsentOutcome(connection.platform, False, redirect, error=error, error_description=description)

    def _connect(self, platform: str, brand_id: str, login: Profile, now: datetime) -> Account:
        """Create the account of ``login``, or refresh the tenant's existing one (a reconnect)."""
        existing = next(
            (
                a
                for a in self.state.accounts.items.values()
                if (a.platform, a.platform_user_id) == (platform, login.platform_user_id) and a.status != "disconnected"
            ),
            None,
        )
        if existing is not None:
            account = replace(existing, status="active", reconnect_reason=None)
        else:
            account = Account(
                id=self.state.ids.next("acc_", now),
                platform=platform,
                name=login.name,
                username=login.username,
                brand_id=brand_id,
                platform_user_id=login.platform_user_id,
            )
            self._give_destinations(account, now)
        self.state.accounts.items[account.id] = account
        self.record_event(
            AccountConnected(
                account_id=account.id,
                brand_id=account.brand_id,
                platform=account.platform,
                platform_user_id=account.platform_user_id,
                username=account.username,
                display_name=account.name,
                profile_picture_url=account.profile_picture_url or "",
                bio=account.bio or "",
                profile_url=profile_url(account),
                user_email="",
                connected_at=format_instant(now),
            ),
            now,
        )
        return account

    def _give_destinations(self, account: Account, now: datetime) -> None:
        """A new login's one page (Facebook, LinkedIn, Google) or board (Pinterest)."""
        if account.platform in PAGE_PLATFORMS:
            page = AccountPage(
                id=self.state.ids.next("sapi_page_", now),
                account_id=account.id,
                name=f"{account.name} Page",
                platform_page_id=str(10**14 + stable_seed("page", account.id) % (9 * 10**14)),
                is_default=True,
            )
            self.state.accounts.pages[page.id] = page
        if account.platform in BOARD_PLATFORMS:
            board = Board(id=self.state.ids.next("sapi_board_", now), account_id=account.id, name="Mock Board")
            self.state.accounts.boards[board.id] = board

    # -- the older client-side exchange ------------------------------------------------------------

    def exchange_oauth(self, platform: str, code: str, metadata: Mapping[str, Any]) -> Account:
        with self.lock:
            grant = self.state.accounts.oauth_codes.get(code)
            now = self.clock.now()
            if grant is None or now >= grant.expires_at:
                self.state.accounts.oauth_codes.pop(code, None)
                # Another tenant's code gets this same answer: a different one would tell a caller
                # that the code exists elsewhere (an oracle over every tenant's codes).
                raise ValidationFailed.invalid(
                    "code", "invalid or expired state: the code is unknown, already used or older than 10 minutes"
                )
            if platform != grant.platform:
                raise ValidationFailed.invalid(
                    "platform", f"platform must match the connect call ({grant.platform}), got {platform!r}"
                )
            given_state = metadata.get("state")
            if given_state is not None and given_state not in (grant.state, grant.customer_state):
                raise ValidationFailed.invalid("metadata.state", "metadata.state does not match the connection's state")
            given_uri = metadata.get("redirect_uri")
            if given_uri is not None and grant.redirect_uri is not None and given_uri != grant.redirect_uri:
                raise ValidationFailed.invalid(
                    "metadata.redirect_uri", "metadata.redirect_uri does not match the connect call's redirect_uri"
                )
            del self.state.accounts.oauth_codes[code]
            account = self.state.accounts.items.get(grant.account_id)
            if account is None or account.status == "disconnected":
                raise ValidationFailed.invalid("code", "the account this code connected was disconnected since")
            return account

    # -- disconnect and expire ---------------------------------------------------------------------

    def disconnect_account(self, account_id: str) -> None:
        with self.lock:
            account = self.accounts.account(account_id, "account_id")
            self.state.accounts.items[account_id] = replace(account, status="disconnected", reconnect_reason=None)
            self.record_event(AccountDisconnected(account_id, account.platform), self.clock.now())

    def expire_account(self, account_id: str, reason: str | None) -> Account:
        with self.lock:
            account = self.accounts.account(account_id, "account_id")
            text = reason or f"The {platform_name(account.platform)} access token expired; the user must sign in again."
            expired = replace(account, status="reconnect_required", reconnect_reason=text)
            self.state.accounts.items[account_id] = expired
            expired = self.accounts.with_page_name(expired)
            disconnected = AccountDisconnected(account_id, account.platform, "access_revoked", reconnect_required=True)
            self.record_event(disconnected, self.clock.now())
            return expired

    # -- state -------------------------------------------------------------------------------------
