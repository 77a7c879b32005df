"""``Accounts``: the accounts area, composed of its stateless parts (brands, pages, limits).

The connection flows live apart in ``accounts/connections.py``: they create accounts through this
area but are use cases of their own.
"""

from __future__ import annotations

from mockserver.core.accounts.brands import Brands
from mockserver.core.accounts.limits import PublishLimits
from mockserver.core.accounts.pages import AccountPages
from mockserver.core.errors import NotFound
from mockserver.core.models import Account
from mockserver.core.reach import Reach


class Accounts(Brands, AccountPages, PublishLimits):
    def account(self, account_id: str, field_name: str) -> Account:
        """The account ``account_id``, or 404 ``account.not_found`` naming ``field_name``."""
        account = self.state.accounts.items.get(account_id)
        # A disconnected account is kept for the posts that name it, but is gone for every call.
        if account is None or account.status == "disconnected":
            raise NotFound(f"account {account_id} not found", code="account.not_found", meta={"field": field_name})
        return account

    def list_accounts(self, brand_id: str | None = None, *, reach: Reach | None = None) -> list[Account]:
        with self.lock:
            if brand_id is not None:
                if reach is not None:
                    reach.check_brand(brand_id)
                self.brand(brand_id)
            return [
                self.with_page_name(a)
                for a in self.state.accounts.items.values()
                if a.status != "disconnected"
                and (brand_id is None or a.brand_id == brand_id)
                and (reach is None or reach.sees_account(a))
            ]
