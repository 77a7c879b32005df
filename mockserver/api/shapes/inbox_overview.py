"""``GET /_mock/inbox``: a tenant's whole inbox in one answer, for the inspector's Inbox panel.

Its parts are the public API's own shapes (comments, conversations, messages, reviews, mentions),
so the panel shows what an app reads; with what the public lists leave out: hidden comments, replies
beside their comments, archived conversations, each conversation's messaging window.
"""

from __future__ import annotations

from mockserver.api.shapes.common import Out, when
from mockserver.api.shapes.inbox import CommentOut, ConversationOut, MessageOut
from mockserver.api.shapes.inbox_reviews import MentionOut, ReviewOut
from mockserver.core.inbox.overview import ConversationView, InboxAccount, InboxOverview, Thread
from mockserver.core.records.inbox import Review
from mockserver.core.timefmt import format_instant


class InboxAccountOut(Out):
    id: str
    platform: str
    name: str
    username: str
    # What arrives on it: comment, dm, review, mention.
    kinds: list[str]

    @staticmethod
    def of(item: InboxAccount) -> InboxAccountOut:
        a = item.account
        return InboxAccountOut.validated(
            {"id": a.id, "platform": a.platform, "name": a.name, "username": a.username, "kinds": list(item.kinds)}
        )


class ThreadOut(Out):
    # The platform post id (what /v1/inbox/comments/{postId} takes) and the mock's own post id.
    id: str
    post_id: str
    account_id: str
    platform: str
    content: str
    permalink: str | None
    published_at: str
    # Every comment still in the inbox, replies and hidden ones too, oldest first; a reply names its
    # comment in parent_id.
    comments: list[CommentOut]

    @staticmethod
    def of(thread: Thread) -> ThreadOut:
        row = thread.row
        return ThreadOut.validated(
            {
                "id": row.id,
                "post_id": row.post_id,
                "account_id": row.account_id,
                "platform": row.platform,
                "content": row.content,
                "permalink": row.permalink,
                "published_at": format_instant(row.published_at),
                "comments": [CommentOut.of(view) for view in thread.comments],
            }
        )


class WindowOut(Out):
    # Whether a reply may be sent now, and until when (null: the participant never wrote).
    open: bool
    closes_at: str | None


class InboxConversationOut(Out):
    conversation: ConversationOut
    messages: list[MessageOut]  # oldest first
    # Null where the platform has no messaging window (X, Telegram).
    window: WindowOut | None

    @staticmethod
    def of(view: ConversationView, user_id: str) -> InboxConversationOut:
        window = view.window
        return InboxConversationOut.validated(
            {
                "conversation": ConversationOut.of(view.conversation, user_id),
                "messages": [MessageOut.of(m) for m in view.messages],
                "window": None if window is None else {"open": window.open, "closes_at": when(window.closes_at)},
            }
        )


class ReviewReplyTextOut(Out):
    id: str
    text: str
    updated_at: str


class InboxReviewOut(Out):
    review: ReviewOut
    reply: ReviewReplyTextOut | None

    @staticmethod
    def of(review: Review) -> InboxReviewOut:
        reply = review.reply
        return InboxReviewOut.validated(
            {
                "review": ReviewOut.of(review),
                "reply": None
                if reply is None
                else {"id": reply.id, "text": reply.text, "updated_at": format_instant(reply.updated_at)},
            }
        )


class InboxOverviewOut(Out):
    now: str
    accounts: list[InboxAccountOut]
    threads: list[ThreadOut]
    conversations: list[InboxConversationOut]
    reviews: list[InboxReviewOut]
    mentions: list[MentionOut]

    @staticmethod
    def of(overview: InboxOverview, user_id: str) -> InboxOverviewOut:
        return InboxOverviewOut.validated(
            {
                "now": format_instant(overview.now),
                "accounts": [InboxAccountOut.of(a) for a in overview.accounts],
                "threads": [ThreadOut.of(t) for t in overview.threads],
                "conversations": [InboxConversationOut.of(c, user_id) for c in overview.conversations],
                "reviews": [InboxReviewOut.of(r) for r in overview.reviews],
                "mentions": [MentionOut.of(m) for m in overview.mentions],
            }
        )
