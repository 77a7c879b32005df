"""``Replies``: every reply the app has sent that the inbox still holds, as ``POST /_mock/verify`` reads them.

- a comment reply or top-level comment of ours (``is_owner``), while it is in the inbox (a deleted one left);
- a DM send: one per send, so a text with an attachment (two bubbles at one instant) is one reply;
- a review reply (one per review: a second replaces the first);
- a private reply (no text kept).
"""

from __future__ import annotations

from mockserver.core.inbox.base import InboxArea
from mockserver.core.records.inbox import Conversation
from mockserver.core.verification_replies import SentReply


class Replies(InboxArea):
    def all(self) -> list[SentReply]:
        """Oldest first (by instant, then id)."""
        with self.lock:
            inbox = self.state.inbox
            found: list[SentReply] = []
            for row in inbox.posts.values():
                for platform_id in row.comments:
                    comment = inbox.comments[platform_id]
                    if comment.is_owner:
                        to = comment.parent_id or row.id
                        found.append(
                            SentReply(
                                comment.id,
                                "comment",
                                to,
                                row.account_id,
                                row.platform,
                                comment.text,
                                comment.created_at,
                            )
                        )
                    if comment.private_replied_at is not None:
                        found.append(
                            SentReply(
                                f"{comment.id}:private",
                                "private_reply",
                                comment.platform_id,
                                row.account_id,
                                row.platform,
                                "",
                                comment.private_replied_at,
                            )
                        )
            for conversation in inbox.conversations.values():
                found += _sends(conversation)
            for review in inbox.reviews.values():
                if review.reply is not None:
                    reply = review.reply
                    found.append(
                        SentReply(
                            reply.id,
                            "review",
                            review.id,
                            review.account_id,
                            review.platform,
                            reply.text,
                            reply.updated_at,
                        )
                    )
            found.sort(key=lambda reply: (reply.sent_at, reply.id))
            return found


def _sends(conversation: Conversation) -> list[SentReply]:
    sends: list[SentReply] = []
    previous = None
    for message in conversation.messages:
        if message.direction != "outgoing":
            previous = None
            continue
        # A send's attachment bubble follows its text bubble at the same instant: one send, one reply.
        same_send = previous is not None and previous.text is not None and previous.created_at == message.created_at
        if not (same_send and message.text is None):
            sends.append(
                SentReply(
                    message.id,
                    "dm",
                    conversation.id,
                    conversation.account_id,
                    conversation.platform,
                    message.text or "",
                    message.created_at,
                )
            )
        previous = message
    return sends
