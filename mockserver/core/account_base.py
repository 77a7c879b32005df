"""The base of the account-side mixins (brands, pages, limits, connections) of ``PublishingBackend``.

It declares, for the type checker only, the tenant state those mixins share with the backend; at
run time it is ``BackendExtension``'s place in the method resolution order.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.core.backend import BackendExtension as _Extension
    from mockserver.core.brands import Brand
    from mockserver.core.clock import Clock
    from mockserver.core.ids import IdFactory
    from mockserver.core.models import Account
    from mockserver.core.pages import AccountPage, Board
    from mockserver.core.store import PostStore
    from mockserver.core.tenant import Baseline, Plan, Shared
else:
    # The real base comes through PublishingBackend's bases; importing backend.py here would be a cycle.
    _Extension = object


class AccountSide(_Extension):
    if TYPE_CHECKING:
        tenant: str
        shared: Shared
        lock: threading.RLock
        clock: Clock
        ids: IdFactory
        baseline: Baseline
        accounts: dict[str, Account]
        plan: Plan
        store: PostStore
        # Shared between the account-side mixins.
        brands: dict[str, Brand]
        pages: dict[str, AccountPage]
        boards: dict[str, Board]

        def _new_brand(self, name: str) -> Brand: ...

        def with_page_name(self, account: Account) -> Account: ...

        def posts_remaining(self, account: Account, at: datetime) -> int | None: ...

        def record_event(self, event: str, data: dict[str, Any], at: datetime) -> None: ...

        def _account(self, account_id: str, field_name: str) -> Account: ...
