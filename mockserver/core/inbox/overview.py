"""``Overview``: the whole inbox of a tenant at once, as the inspector shows it.

What the public lists leave out is in: hidden comments (marked), replies beside their comments,
archived conversations and each one's messaging window. A read like the others: it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.inbox.base import InboxArea
from mockserver.core.inbox.comments import CommentView, capabilities
from mockserver.core.inbox.policy import (
    COMMENT_RIGHTS,
    DM_PLATFORMS,
    MENTION_PLATFORMS,
    MESSAGING_WINDOW,
    REVIEW_PLATFORMS,
    WINDOW_CODES,
    CommentRights,
)
from mockserver.core.models import Account
from mockserver.core.records.inbox import Conversation, InboxPost, Mention, Message, Review

# Nothing is refused on a platform without comment rights; its capabilities are all off.
_NO_RIGHTS = CommentRights(reply=False, hide=False, like=False, delete=False, private_reply=False)


@dataclass(frozen=True, slots=True)
class InboxAccount:
    account: Account
    # What arrives on it: a subset of comment, dm, review, mention.
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Thread:
    """A commented post and every comment still in the inbox, hidden ones too, oldest first."""

    row: InboxPost
    comments: list[CommentView]


@dataclass(frozen=True, slots=True)
class WindowState:
    """Where the platform has a messaging window: until when a reply may be sent (None: never opened)."""

    closes_at: datetime | None
    open: bool


@dataclass(frozen=True, slots=True)
class ConversationView:
    conversation: Conversation
    messages: list[Message]  # oldest first
    window: WindowState | None  # None where the platform has no window (X, Telegram)


@dataclass(frozen=True, slots=True)
class InboxOverview:
    now: datetime
    accounts: list[InboxAccount]
    threads: list[Thread]
    conversations: list[ConversationView]
    reviews: list[Review]
    mentions: list[Mention]


def _recency(row: InboxPost) -> tuple[bool, datetime, str]:
    return (row.last_comment_at is not None, row.last_comment_at or row.published_at, row.id)


def kinds_of(platform: str) -> tuple[str, ...]:
    table = (
        ("comment", COMMENT_RIGHTS),
        ("dm", DM_PLATFORMS),
        ("review", REVIEW_PLATFORMS),
        ("mention", MENTION_PLATFORMS),
    )
    return tuple(kind for kind, platforms in table if platform in platforms)


class Overview(InboxArea):
    def read(self) -> InboxOverview:
        with self.lock:
            now = self.clock.now()
            inbox = self.state.inbox
            accounts = [
                InboxAccount(a, kinds_of(a.platform))
                for a in self.state.accounts.items.values()
                if kinds_of(a.platform)
            ]
            threads = [self._thread(row) for row in inbox.posts.values()]
            # Most recently commented first, then the posts nobody commented on: as GET /v1/inbox/comments.
            threads.sort(key=lambda t: _recency(t.row), reverse=True)
            conversations = sorted(inbox.conversations.values(), key=lambda c: (c.updated_at, c.id), reverse=True)
            return InboxOverview(
                now,
                accounts,
                threads,
                [ConversationView(c, list(c.messages), self._window(c, now)) for c in conversations],
                sorted(inbox.reviews.values(), key=lambda r: (r.created_at, r.id), reverse=True),
                sorted(inbox.mentions.values(), key=lambda m: (m.received_at, m.id), reverse=True),
            )

    def _thread(self, row: InboxPost) -> Thread:
        rights = COMMENT_RIGHTS.get(row.platform, _NO_RIGHTS)
        comments = self.state.inbox.comments
        views = [CommentView(c, capabilities(rights, c)) for c in (comments[pid] for pid in row.comments)]
        return Thread(row, views)

    @staticmethod
    def _window(conversation: Conversation, now: datetime) -> WindowState | None:
        if conversation.platform not in WINDOW_CODES:
            return None
        opened = conversation.last_inbound_at
        if opened is None:
            return WindowState(None, False)
        closes = opened + MESSAGING_WINDOW
        # The send refuses when now - opened > MESSAGING_WINDOW: the closing instant itself is still open.
        return WindowState(closes, now <= closes)
