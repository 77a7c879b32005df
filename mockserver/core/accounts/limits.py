"""Per-account daily publishing ceilings and ``GET /v1/accounts/{id}/limits``.

Some platforms cap how many posts one account may publish in a rolling 24 hours (Instagram 25, or
50 in the generation whose docs say so, Threads 250, a TikTok creator's daily cap). The mock counts
the tenant's own publishes to each account on the fake clock; a delivery past the ceiling fails that
target as the platform would (``platform.<slug>.rate_limit``), and ``/limits`` answers the remaining
count.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import datetime, timedelta

from mockserver.core.accounts.base import AccountsBase
from mockserver.core.errors import ReconnectionRequired
from mockserver.core.models import Account, TargetError
from mockserver.core.rules.platforms import display_name

WINDOW = timedelta(hours=24)
# Posts per rolling 24 hours. Instagram and Threads: the platforms' documented ceilings; TikTok: the
# creator daily cap TikTok's Content Posting API applies (its value is the creator's, 15 by default).
DAILY_POST_CEILINGS: Mapping[str, int] = {"instagram": 25, "threads": 250, "tiktok": 15}


class PublishLimits(AccountsBase):
    def _daily_ceiling(self, account: Account) -> int | None:
        own = self.tenant.baseline.daily_limits.get(account.id)
        if own is not None:
            return own
        later = dict(self.tenant.generation.daily_ceilings).get(account.platform)
        return later if later is not None else DAILY_POST_CEILINGS.get(account.platform)

    def _published_today(self, account_id: str, at: datetime) -> int:
        log = self.state.accounts.publish_log.get(account_id)
        if not log:
            return 0
        while log and log[0] <= at - WINDOW:
            log.popleft()
        return len(log)

    def posts_remaining(self, account: Account, at: datetime) -> int | None:
        ceiling = self._daily_ceiling(account)
        if ceiling is None:
            return None
        return max(ceiling - self._published_today(account.id, at), 0)

    def note_published(self, account: Account, at: datetime) -> None:
        if self._daily_ceiling(account) is not None:
            self.state.accounts.publish_log.setdefault(account.id, deque()).append(at)

    def ceiling_error(self, account: Account, at: datetime) -> TargetError | None:
        """The platform's refusal of one more publish to ``account`` at ``at``, if it is past its ceiling."""
        remaining = self.posts_remaining(account, at)
        if remaining is None or remaining > 0:
            return None
        name = display_name(account.platform)
        return TargetError(
            f"{name} allows {self._daily_ceiling(account)} posts per 24 hours for this account; the limit is reached",
            "rate_limit",
            "platform",
            f"platform.{account.platform}.rate_limit",
        )

    def get_limits(self, account_id: str) -> dict[str, int]:
        with self.lock:
            account = self.account(account_id, "account_id")
            if account.status != "active":
                raise ReconnectionRequired(
                    "Account requires reconnection", meta={"account_id": account.id, "field": "account_id"}
                )
            remaining = self.posts_remaining(account, self.clock.now())
            return {} if remaining is None else {"posts_remaining": remaining}
