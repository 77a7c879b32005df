"""Turning an approved login into an account: a new one with its page or board, or a reconnect.

Every connection path ends here (the consent page, direct auth, a pending selection), so each emits
``account.connected`` the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from mockserver.core.accounts.logins import Profile, profile_url
from mockserver.core.ids import stable_seed
from mockserver.core.models import Account
from mockserver.core.records.accounts import BOARD_PLATFORMS, PAGE_PLATFORMS, AccountPage, Board, pinterest_board_id
from mockserver.core.records.events import AccountConnected
from mockserver.core.tenancy import Area
from mockserver.core.timefmt import format_instant


class Linking(Area):
    """Creates or refreshes the account a login stands for."""

    def connect_login(
        self, platform: str, brand_id: str, login: Profile, now: datetime, *, destinations: bool = True
    ) -> Account:
        """Create the account of ``login``, or refresh the tenant's existing one (a reconnect).

        A login behind a shared credential (``login.login_id``: Facebook) has one account per brand;
        ``destinations=False`` leaves its Pages to the caller (the customer's selection)."""
        existing = next(
            (
                a
                for a in self.state.accounts.items.values()
                if (a.platform, a.platform_user_id) == (platform, login.platform_user_id)
                and a.status != "disconnected"
                and (login.login_id is None or a.brand_id == brand_id)
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
                login_id=login.login_id,
            )
            if destinations:
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
            handle = self.state.ids.next("sapi_board_", now)
            board = Board(handle, account.id, "Mock Board", board_id=pinterest_board_id(handle))
            self.state.accounts.boards[board.id] = board
