"""Pending selections: the 2026-08-22 connection step between an approved login and its accounts.

A Facebook login always, and a Google login that manages several Business Profiles, do not connect an
account at once: the approval stores a *pending selection* (``pc_`` + 32 hex, 30 minutes of fake time,
single use) and the customer chooses Pages (``{"page_ids": [...]}``) or one Profile
(``{"platform_account_id": ...}``). Facebook Pages belong to the login (``cred_…``), not to a brand:
each Page is assigned to at most one brand, a brand holds at most five, and a brand's Facebook account
goes through one login. A re-authorization that stops granting a Page deactivates it where it was
assigned (``lost_access``); granting it again reactivates it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mockserver.core.accounts.linking import Linking
from mockserver.core.accounts.logins import Profile
from mockserver.core.errors import Conflict, NotFound, PageCapReached, ValidationFailed
from mockserver.core.models import Account
from mockserver.core.records.accounts import (
    AccountPage,
    LoginChoice,
    LostPage,
    PendingSelection,
    PlatformLogin,
)
from mockserver.core.tenancy import Area, Tenant

SELECTION_TTL = timedelta(minutes=30)
PAGE_CAP = 5
PAGE_CAP_MESSAGE = "Each brand can connect up to 5 Facebook Pages. Disconnect one or connect the rest to another brand."
DIFFERENT_LOGIN_MESSAGE = "This brand's Facebook is connected through a different login. Disconnect it first."


@dataclass(frozen=True, slots=True)
class PageCandidate:
    page: LoginChoice
    assigned_brand_id: str
    assigned_brand_name: str
    assigned_account_id: str
    assignable: bool


@dataclass(frozen=True, slots=True)
class SelectionView:
    """A pending selection with its candidates as they stand now."""

    selection: PendingSelection
    pages: tuple[PageCandidate, ...]
    profiles: tuple[LoginChoice, ...]
    lost_access: tuple[tuple[LostPage, str], ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """What the customer selects: Pages (Facebook) or one Profile (Google)."""

    page_ids: list[str] | None = None
    platform_account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    account_id: str
    brand_id: str
    platform_page_id: str


def needs_selection(login: PlatformLogin) -> bool:
    return login.platform == "facebook" or (login.platform == "google" and len(login.choices) > 1)


class Selections(Area):
    """Pending selections, and a Facebook login's Pages after the connection."""

    def __init__(self, tenant: Tenant, linking: Linking) -> None:
        super().__init__(tenant)
        self.linking = linking

    # -- starting one (the approval of a login that needs a choice) --------------------------------

    def begin(self, login: PlatformLogin, brand_id: str, now: datetime) -> PendingSelection:
        """Store the login's latest grant and a selection on it (the caller holds the lock)."""
        with self.lock:
            previous = self.state.accounts.logins.get(login.login_id)
            granted = {c.id for c in login.choices}
            before = {c.id for c in previous.choices} if previous is not None else set()
            lost: list[LostPage] = []
            for page in self._assigned_pages(login):
                account = self.state.accounts.items[page.account_id]
                if page.platform_page_id not in granted and page.platform_page_id in before:
                    lost.append(LostPage(page.platform_page_id, page.name, account.brand_id))
                    self.state.accounts.pages[page.id] = replace(page, is_active=False)
                elif page.platform_page_id in granted and page.platform_page_id not in before:
                    self.state.accounts.pages[page.id] = replace(page, is_active=True)
            self.state.accounts.logins[login.login_id] = login
            selection = PendingSelection(
                connection_id=f"pc_{self.state.ids.hex(32)}",
                platform=login.platform,
                brand_id=brand_id,
                login_id=login.login_id,
                lost_access=tuple(lost),
                created_at=now,
                expires_at=now + SELECTION_TTL,
            )
            self.state.accounts.selections[selection.connection_id] = selection
            return selection

    # -- the customer's side ------------------------------------------------------------------------

    def get_selection(self, connection_id: str) -> SelectionView:
        with self.lock:
            return self._view(self._live(connection_id))

    def select(
        self, connection_id: str, *, page_ids: list[str] | None = None, platform_account_id: str | None = None
    ) -> Account:
        """Finish a pending selection: the chosen Pages (Facebook) or Profile (Google) become an account."""
        with self.lock:
            selection = self._live(connection_id)
            login = self.state.accounts.logins[selection.login_id]
            now = self.clock.now()
            if selection.platform == "google":
                if not platform_account_id:
                    raise ValidationFailed.required("platform_account_id", "platform_account_id is required")
                choice = _choice(login, platform_account_id, "platform_account_id")
                profile = Profile(choice.id, choice.name, choice.username or choice.name)
                account = self.linking.connect_login("google", selection.brand_id, profile, now)
            else:
                if not page_ids:
                    raise ValidationFailed.required("page_ids", "page_ids must name at least one Page")
                chosen = [_choice(login, p, f"page_ids[{i}]") for i, p in enumerate(dict.fromkeys(page_ids))]
                for index, page in enumerate(chosen):
                    owner = self._owner(page.id)
                    if owner is not None and owner.brand_id != selection.brand_id:
                        raise ValidationFailed.invalid(
                            f"page_ids[{index}]", f"Page {page.id} is already assigned to brand {owner.brand_id}"
                        )
                account = self._assign(login, chosen, selection.brand_id, now)
            del self.state.accounts.selections[connection_id]
            return account

    # -- a Facebook login's Pages after connecting --------------------------------------------------

    def login_pages(self, login_id: str) -> tuple[PlatformLogin, tuple[PageCandidate, ...]]:
        with self.lock:
            login = self._login(login_id)
            return login, self._candidates(login, None)

    def assign_page(self, login_id: str, page_id: str, brand_id: str | None) -> Assignment:
        with self.lock:
            login = self._login(login_id)
            if not brand_id:
                raise ValidationFailed.required("brand_id")
            if brand_id not in self.state.accounts.brands:
                raise NotFound.of("brand", brand_id)
            page = next((c for c in login.choices if c.id == page_id), None)
            if page is None:
                raise NotFound(
                    f"login {login_id} grants no Page {page_id}",
                    code="resource.not_found",
                    meta={"resource": "page", "id": page_id},
                )
            owner = self._owner(page_id)
            if owner is not None and owner.brand_id != brand_id:
                raise Conflict(
                    f"Page {page_id} is assigned to brand {owner.brand_id}; disconnect it there first",
                    code="account.page_assigned",
                )
            account = self._assign(login, [page], brand_id, self.clock.now())
            return Assignment(account.id, brand_id, page_id)

    # -- helpers ------------------------------------------------------------------------------------

    def _live(self, connection_id: str) -> PendingSelection:
        selection = self.state.accounts.selections.get(connection_id)
        if selection is not None and self.clock.now() >= selection.expires_at:
            del self.state.accounts.selections[connection_id]
            selection = None
        if selection is None:
            raise NotFound(
                "pending connection not found: unknown, expired (30 minutes) or already used",
                code="resource.not_found",
                meta={"resource": "pending_connection", "id": connection_id},
            )
        return selection

    def _login(self, login_id: str) -> PlatformLogin:
        login = self.state.accounts.logins.get(login_id)
        if login is None or login.platform != "facebook":
            raise NotFound(
                f"Facebook login {login_id} not found", code="resource.not_found", meta={"resource": "login"}
            )
        return login

    def _view(self, selection: PendingSelection) -> SelectionView:
        login = self.state.accounts.logins[selection.login_id]
        brands = self.state.accounts.brands
        lost = tuple((p, brands[p.brand_id].name if p.brand_id in brands else "") for p in selection.lost_access)
        if selection.platform == "google":
            return SelectionView(selection, (), login.choices, lost)
        return SelectionView(selection, self._candidates(login, selection.brand_id), (), lost)

    def _candidates(self, login: PlatformLogin, brand_id: str | None) -> tuple[PageCandidate, ...]:
        out: list[PageCandidate] = []
        for page in login.choices:
            owner = self._owner(page.id)
            if owner is None:
                out.append(PageCandidate(page, "", "", "", True))
                continue
            brand = self.state.accounts.brands.get(owner.brand_id)
            assignable = brand_id is not None and owner.brand_id == brand_id
            out.append(PageCandidate(page, owner.brand_id, brand.name if brand else "", owner.id, assignable))
        return tuple(out)

    def _facebook_accounts(self) -> list[Account]:
        return [
            a for a in self.state.accounts.items.values() if a.platform == "facebook" and a.status != "disconnected"
        ]

    def _assigned_pages(self, login: PlatformLogin) -> list[AccountPage]:
        accounts = {a.id for a in self._facebook_accounts() if a.login_id == login.login_id}
        return [p for p in self.state.accounts.pages.values() if p.account_id in accounts]

    def _owner(self, platform_page_id: str) -> Account | None:
        """The connected Facebook account a Page is assigned to, if any."""
        accounts = {a.id: a for a in self._facebook_accounts()}
        for page in self.state.accounts.pages.values():
            if page.platform_page_id == platform_page_id and page.account_id in accounts:
                return accounts[page.account_id]
        return None

    def _assign(self, login: PlatformLogin, pages: list[LoginChoice], brand_id: str, now: datetime) -> Account:
        """Put ``pages`` on the brand's Facebook account for ``login`` (created on first use)."""
        current = next((a for a in self._facebook_accounts() if a.brand_id == brand_id), None)
        if current is not None and current.login_id != login.login_id:
            raise Conflict(DIFFERENT_LOGIN_MESSAGE, code="account.different_login")
        held = [p for p in self.state.accounts.pages.values() if current is not None and p.account_id == current.id]
        new = [p for p in pages if p.id not in {h.platform_page_id for h in held}]
        if len(held) + len(new) > PAGE_CAP:
            raise PageCapReached(PAGE_CAP_MESSAGE, meta={"brand_id": brand_id, "limit": PAGE_CAP})
        profile = Profile(login.platform_user_id, login.name, login.username, login_id=login.login_id)
        account = self.linking.connect_login("facebook", brand_id, profile, now, destinations=False)
        for page in new:
            record = AccountPage(
                id=self.state.ids.next("sapi_page_", now),
                account_id=account.id,
                name=page.name,
                platform_page_id=page.id,
                is_default=not held,
                category=page.category or None,
            )
            held.append(record)
            self.state.accounts.pages[record.id] = record
        return account


def _choice(login: PlatformLogin, wanted: str, field: str) -> LoginChoice:
    for choice in login.choices:
        if choice.id == wanted:
            return choice
    raise ValidationFailed.invalid(field, f"{wanted!r} is not in the pending connection's candidate set")
