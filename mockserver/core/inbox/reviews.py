"""``Reviews`` (Google locations) and ``Mentions``: lists newest first, and replies that cost a credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.inbox.base import InboxArea
from mockserver.core.inbox.credits import Credits
from mockserver.core.inbox.paging import Page, page_of
from mockserver.core.inbox.policy import MENTION_PLATFORMS, REVIEW_PLATFORMS
from mockserver.core.reach import Reach
from mockserver.core.records.inbox import Mention, Review, ReviewReply
from mockserver.core.tenancy import Tenant


@dataclass(frozen=True, slots=True)
class ReviewPage:
    page: Page[Review]
    # The fan-out: the review accounts asked (those the filters name).
    accounts_queried: int


class Reviews(InboxArea):
    def __init__(self, tenant: Tenant, credits: Credits) -> None:
        super().__init__(tenant)
        self.credits = credits

    def list(
        self,
        account_id: str | None,
        platform: str | None,
        since: datetime | None,
        limit: int,
        cursor: str | None,
        *,
        reach: Reach | None = None,
    ) -> ReviewPage:
        with self.lock:
            if account_id is not None:
                account = self.account(account_id)
                if reach is not None and not reach.sees_account(account):
                    raise NotFound.of("account", account_id)
            queried = [
                a
                for a in self.state.accounts.items.values()
                if a.platform in REVIEW_PLATFORMS
                and (reach is None or reach.sees_account(a))
                and (account_id is None or a.id == account_id)
                and (platform is None or a.platform == platform)
            ]
            asked = {a.id for a in queried}
            found = [
                r
                for r in self.state.inbox.reviews.values()
                if r.account_id in asked and (since is None or r.created_at > since)
            ]
            found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
            return ReviewPage(page_of(found, lambda r: r.id, limit, cursor), len(queried))

    def reply(self, review_id: str, account_id: str, text: str) -> ReviewReply:
        """Open point: a second reply replaces the first (Google keeps one reply per review)."""
        with self.lock:
            account = self.account(account_id)
            self.supported(account, REVIEW_PLATFORMS, "review replies")
            review = self.state.inbox.reviews.get(review_id)
            if review is None or review.account_id != account.id:
                raise NotFound.of("review", review_id)
            if not text.strip():
                raise ValidationFailed.required("text")
            self.credits.spend()
            now = self.clock.now()
            reply_id = review.reply.id if review.reply is not None else f"r_{self.state.ids.hex(12)}"
            review.reply = ReviewReply(reply_id, text, now)
            return review.reply


class Mentions(InboxArea):
    def list(self, account_id: str, since: datetime | None, limit: int, cursor: str | None) -> Page[Mention]:
        with self.lock:
            account = self.account(account_id)
            self.supported(account, MENTION_PLATFORMS, "mentions")
            found = [
                m
                for m in self.state.inbox.mentions.values()
                if m.account_id == account_id and (since is None or m.received_at > since)
            ]
            found.sort(key=lambda m: (m.received_at, m.id), reverse=True)
            return page_of(found, lambda m: m.id, limit, cursor)
