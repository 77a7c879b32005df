"""What the inbox's use cases share: finding accounts and posts, and refusing what a platform cannot do.

Reads change nothing: the audience's arrivals are made as the clock moves (the advance, and the realtime
clock's ticker), so a read, even a refused one, finds them already there.
"""

from __future__ import annotations

from mockserver.core.errors import NotFound, NotSupported
from mockserver.core.models import Account
from mockserver.core.records.inbox import InboxPost
from mockserver.core.tenancy import Area

NOT_SUPPORTED = "platform does not support this operation"


class InboxArea(Area):
    def account(self, account_id: str) -> Account:
        account = self.state.accounts.items.get(account_id)
        if account is None:
            raise NotFound.of("account", account_id)
        return account

    def supported(self, account: Account, platforms: frozenset[str] | dict[str, object], what: str) -> None:
        if account.platform not in platforms:
            raise NotSupported(
                f"{NOT_SUPPORTED}: {what} on {account.platform}",
                meta={"platform": account.platform, "operation": what},
            )

    def inbox_post(self, post_id: str, account_id: str) -> InboxPost:
        row = self.state.inbox.posts.get(post_id)
        if row is None or row.account_id != account_id:
            raise NotFound.of("post", post_id)
        return row
