"""Pages, boards and creator info: what a connected account publishes *into*.

Facebook, LinkedIn and Google accounts hold pages (Pages, organisations, Business Profile
locations); one is the default, used by a target without ``page_id``. Pinterest accounts hold
boards, and every Pinterest target names one. TikTok accounts have creator info: the privacy levels
the creator may post with. The checks of a target against them live in ``core/rules/targets.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from mockserver.core.accounts.base import AccountsBase
from mockserver.core.errors import NotFound, NotSupported, ValidationFailed
from mockserver.core.models import Account, Target
from mockserver.core.records.accounts import (
    BOARD_PLATFORMS,
    CREATOR_INFO_PLATFORMS,
    PAGE_INACTIVE,
    PAGE_PLATFORMS,
    AccountPage,
    Board,
    CreatorInfo,
)
from mockserver.core.records.events import PageRemoved


@dataclass(frozen=True, slots=True)
class CreatorStatus:
    account: Account
    info: CreatorInfo
    # False once the creator reached the daily cap: TikTok then offers no privacy level at all.
    can_post: bool


class AccountPages(AccountsBase):
    @property
    def pages(self) -> Mapping[str, AccountPage]:
        """Every page of the tenant's accounts, by id (read by the target rules)."""
        return self.state.accounts.pages

    @property
    def boards(self) -> Mapping[str, Board]:
        return self.state.accounts.boards

    # -- pages -------------------------------------------------------------------------------------

    def _pages_of(self, account_id: str) -> list[AccountPage]:
        return [p for p in self.state.accounts.pages.values() if p.account_id == account_id]

    def default_page(self, account_id: str) -> AccountPage | None:
        """The active default page, else the first active page, else None."""
        # One pass with no lists: every target of a page platform asks on create.
        first_active = None
        for page in self.state.accounts.pages.values():
            if page.account_id == account_id and page.is_active:
                if page.is_default:
                    return page
                if first_active is None:
                    first_active = page
        return first_active

    def page_usable(self, target: Target) -> bool:
        """Whether the page a target names is still there and active (no page: the account has none)."""
        if target.page_id is None:
            return True
        page = self.state.accounts.pages.get(target.page_id)
        return page is not None and page.is_active

    def _page_account(self, account_id: str) -> Account:
        account = self.account(account_id, "account_id")
        if account.platform not in PAGE_PLATFORMS:
            raise ValidationFailed(
                f"{account.platform} accounts have no pages; pages exist for Facebook, LinkedIn and Google",
                code="account.pages_not_supported",
                meta={"account_id": account_id, "platform": account.platform},
            )
        return account

    def list_pages(self, account_id: str) -> list[AccountPage]:
        with self.lock:
            self._page_account(account_id)
            return self._pages_of(account_id)

    def update_page(
        self, account_id: str, page_id: str, *, is_default: bool | None, is_active: bool | None
    ) -> AccountPage:
        with self.lock:
            account = self._page_account(account_id)
            page = self.state.accounts.pages.get(page_id)
            if page is None or page.account_id != account_id:
                raise NotFound(
                    f"page {page_id} not found on account {account_id}",
                    code="resource.not_found",
                    meta={"resource": "page", "id": page_id},
                )
            active = page.is_active if is_active is None else is_active
            if is_default and not active:
                raise ValidationFailed(
                    "The requested Page is currently disabled: activate it before making it the default",
                    code=PAGE_INACTIVE,
                    meta={"page_id": page_id, "field": "is_default"},
                )
            default = page.is_default if is_default is None else is_default
            if not active:
                default = False  # an inactive page cannot be the one a target falls back to
            updated = replace(page, is_active=active, is_default=default)
            if default and not page.is_default:
                # One default per account: making a page the default clears the previous one.
                for other in self._pages_of(account_id):
                    if other.is_default and other.id != page_id:
                        self.state.accounts.pages[other.id] = replace(other, is_default=False)
            self.state.accounts.pages[page_id] = updated
            if page.is_active and not active:
                removed = PageRemoved(
                    account_id, page.platform_page_id, page.name, account.platform, "page_deactivated"
                )
                self.record_event(removed, self.clock.now())
            return updated

    def with_page_name(self, account: Account) -> Account:
        """``account`` with its ``page_name``: set only when exactly one page is active (as the API does)."""
        if account.platform not in PAGE_PLATFORMS:
            return account
        active = [p for p in self._pages_of(account.id) if p.is_active]
        name = active[0].name if len(active) == 1 else None
        return account if name == account.page_name else replace(account, page_name=name)

    # -- boards ------------------------------------------------------------------------------------

    def _boards_of(self, account_id: str) -> list[Board]:
        return [b for b in self.state.accounts.boards.values() if b.account_id == account_id]

    def list_boards(self, account_id: str) -> list[Board]:
        with self.lock:
            account = self.account(account_id, "account_id")
            if account.platform not in BOARD_PLATFORMS:
                raise ValidationFailed.invalid(
                    "account_id",
                    f"{account.platform} accounts have no boards; boards exist for Pinterest",
                    code="account.unsupported_platform",
                )
            return self._boards_of(account_id)

    # -- creator info ------------------------------------------------------------------------------

    def get_creator_info(self, account_id: str) -> CreatorStatus:
        with self.lock:
            account = self.account(account_id, "account_id")
            if account.platform not in CREATOR_INFO_PLATFORMS:
                raise NotSupported(
                    f"creator info is supported for TikTok only, not {account.platform}",
                    meta={"platform": account.platform},
                )
            remaining = self.posts_remaining(account, self.clock.now())
            return CreatorStatus(account, self.creator_info_of(account), remaining != 0)

    def creator_info_of(self, account: Account) -> CreatorInfo:
        return self.state.accounts.creator_info.get(account.id) or CreatorInfo(nickname=account.name)

    # -- state -------------------------------------------------------------------------------------
