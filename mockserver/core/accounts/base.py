"""``AccountsBase``: what the parts of the accounts area (brands, pages, limits) call of each other.

The parts are stateless mixins of one ``Accounts`` class (``accounts/area.py``); this base declares,
for the type checker only, the methods one part uses of another.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from mockserver.core.tenancy import Area

if TYPE_CHECKING:
    from mockserver.core.models import Account
    from mockserver.core.records.accounts import Brand


class AccountsBase(Area):
    if TYPE_CHECKING:

        def new_brand(self, name: str) -> Brand: ...

        def with_page_name(self, account: Account) -> Account: ...

        def posts_remaining(self, account: Account, at: datetime) -> int | None: ...

        def account(self, account_id: str, field_name: str) -> Account: ...
