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
from mockserver.core.accounts.linking import Linking
from mockserver.core.accounts.logins import (
    ConnectStarted,
    Consent,
    ConsentOutcome,
    Profile,
    check_redirect_uri_shape,
    direct_login,
    fake_profiles,
    login_of,
    pick_profile,
    platform_name,
    with_query,
)
from mockserver.core.accounts.selection import Choice, Selections, SelectionView, needs_selection
from mockserver.core.errors import ByokCredentialsMissing, NotFound, ValidationFailed
from mockserver.core.models import DIRECT_PLATFORMS, PLATFORMS, Account
from mockserver.core.records.accounts import (
    LoginChoice,
    OAuthCode,
    PendingConnection,
    PlatformLogin,
    RedirectUri,
)
from mockserver.core.records.events import AccountDisconnected
from mockserver.core.tenancy import Area, Tenant

# Bluesky publishes (PLATFORMS) but connects with an app password, never through OAuth.
OAUTH_PLATFORMS: tuple[str, ...] = tuple(p for p in PLATFORMS if p not in DIRECT_PLATFORMS)
# Connected from 2026-08-22: LinkedIn organization pages (beta) and WhatsApp (Embedded Signup).
LATER_PLATFORMS: tuple[str, ...] = ("linkedin_page", "whatsapp")
LINKEDIN_CONNECTION_TYPES = ("organization", "personal")
CONNECTABLE: tuple[str, ...] = OAUTH_PLATFORMS + DIRECT_PLATFORMS + LATER_PLATFORMS
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

    def __init__(self, tenant: Tenant, accounts: Accounts, linking: Linking, selections: Selections) -> None:
        super().__init__(tenant)
        self.accounts = accounts
        tenant.restored.append(self._reindex)
        self.linking = linking
        self.selections = selections

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
            offered = CONNECTABLE
            if not self.tenant.generation.later_connects:
                offered = tuple(p for p in CONNECTABLE if p not in LATER_PLATFORMS)
            if platform not in offered:
                raise ValidationFailed.invalid(
                    "platform",
                    f"unsupported platform {platform!r}; one of {', '.join(offered)}",
                    code="account.unsupported_platform",
                )
            metadata = metadata or {}
            kind = metadata.get("connection_type", "organization")
            if platform == "linkedin_page" and kind not in LINKEDIN_CONNECTION_TYPES:
                raise ValidationFailed.invalid(
                    "metadata.connection_type", "metadata.connection_type must be organization or personal"
                )
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
                return self.linking.connect_login(platform, brand.id, login, now)
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
        forget_connections(self.tenant, stale)
        codes = self.state.accounts.oauth_codes
        for code in [c for c, grant in codes.items() if now >= grant.expires_at]:
            del codes[code]

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
            # A login selected into several brands has an account in each: it is offered once.
            own = tuple(
                {
                    a.platform_user_id: Profile(a.platform_user_id, a.name, a.username, a.id, login_id=a.login_id)
                    for a in reversed(self.state.accounts.items.values())
                    if a.platform == connection.platform and a.status != "disconnected"
                }.values()
            )
            known = {p.platform_user_id for p in own}
            fixture = tuple(
                Profile(login.platform_user_id, login.name, login.username, login_id=login.login_id)
                for login in self.tenant.baseline.logins
                if login.platform == connection.platform
            )
            offered = fake_profiles(connection.platform) + fixture
            fresh = tuple(p for p in offered if p.platform_user_id not in known)
            grants: dict[str, tuple[LoginChoice, ...]] = {}
            if self.tenant.generation.pending_selections and connection.platform == "facebook":
                for profile in fresh + own:
                    login = self._login_for(connection.platform, profile)
                    if login is not None:
                        grants[profile.platform_user_id] = login.choices
            return Consent(
                connection,
                brand.name if brand else connection.brand_id,
                fresh + own,
                self.clock.now() >= connection.expires_at,
                grants,
            )

    def decide_consent(
        self,
        state: str,
        *,
        approve: bool,
        profile: str | None = None,
        grant: list[str] | None = None,
        choice: Choice | None = None,
    ) -> ConsentOutcome:
        """Approve (connect ``profile``, or the first fresh fake login) or deny the pending connection.

        ``grant`` names the Pages left checked (Facebook; default: all the login's Pages). Where the
        approval ends in a pending selection, ``choice`` finishes it at once (the control plane's
        shortcut for a test that does not care about the selection step)."""
        with self.lock:
            consent = self.get_consent(state)
            connection = consent.connection
            chosen: Profile | None = None
            login: PlatformLogin | None = None
            if approve and not consent.expired:
                chosen = pick_profile(consent.profiles, profile)
                login = self._login_for(connection.platform, chosen)
                if not (self.tenant.generation.pending_selections and login and needs_selection(login)):
                    login = None
                if choice is not None and login is None:
                    # Checked before the link is used up, so the caller can approve again without it.
                    raise ValidationFailed.invalid(
                        "page_ids" if choice.page_ids is not None else "platform_account_id",
                        "this approval connects the account at once: there is no selection to make",
                    )
            forget_connections(self.tenant, [state])
            if consent.expired:
                return self._refused(
                    connection, "link_expired", "The connection link expired; start the connection again."
                )
            if not approve:
                return self._refused(connection, "access_denied", "The user denied the authorization request.")
            assert chosen is not None
            now = self.clock.now()
            if login is not None:
                if grant is not None:
                    login = replace(login, choices=tuple(c for c in login.choices if c.id in set(grant)))
                outcome = self._select_later(connection, login, now)
                if choice is None or outcome.connection_id is None:
                    return outcome
                account = self.selections.select(
                    outcome.connection_id, page_ids=choice.page_ids, platform_account_id=choice.platform_account_id
                )
                return replace(outcome, account=account)
            account = self.linking.connect_login(connection.platform, connection.brand_id, chosen, now)
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

    def _login_for(self, platform: str, chosen: Profile) -> PlatformLogin | None:
        """The credential behind the chosen login, where the platform has one (Facebook, Google)."""
        wanted = chosen.login_id
        if wanted is None and chosen.account_id is not None:
            wanted = self.state.accounts.items[chosen.account_id].login_id
        fixture = next((x for x in self.tenant.baseline.logins if x.login_id == wanted), None)
        if fixture is not None:
            return fixture
        return login_of(platform, chosen) if platform == "facebook" else None

    def _select_later(self, connection: PendingConnection, login: PlatformLogin, now: datetime) -> ConsentOutcome:
        """No account yet: a pending selection, and a code the exchange answers with it."""
        selection = self.selections.begin(login, connection.brand_id, now)
        code = OAuthCode(
            code=self.state.ids.hex(40),
            state=connection.state,
            platform=connection.platform,
            account_id="",
            redirect_uri=connection.redirect_uri,
            customer_state=connection.customer_state,
            expires_at=now + CODE_TTL,
            connection_id=selection.connection_id,
        )
        self.state.accounts.oauth_codes[code.code] = code
        redirect = None
        if connection.redirect_uri is not None:
            query = {
                "status": "selection_required",
                "connection_id": selection.connection_id,
                "platform": connection.platform,
                "state": connection.customer_state,
                "code": code.code,
            }
            redirect = with_query(connection.redirect_uri, query)
        return ConsentOutcome(
            connection.platform, True, redirect, code=code.code, connection_id=selection.connection_id
        )

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

    # -- the older client-side exchange ------------------------------------------------------------

    def exchange_oauth(self, platform: str, code: str, metadata: Mapping[str, Any]) -> Account | SelectionView:
        """The code's account, or (2026-08-22) the pending selection its approval started."""
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
            if grant.connection_id:
                return self.selections.get_selection(grant.connection_id)
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


def forget_connections(tenant: Tenant, states: Iterable[str]) -> None:
    """Drop pending connections, and their entries in the server's consent index."""
    owners = tenant.shared.connection_owners
    for state in list(states):
        tenant.state.accounts.pending_connections.pop(state, None)
        if owners.get(state) == tenant.name:
            del owners[state]
