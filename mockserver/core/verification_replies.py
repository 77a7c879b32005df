"""Verification of the replies the app sent: comment replies, DM answers, review replies, private replies.

The expectation reads the inbox's records (``core/inbox/replies.py`` lists them), not the request
journal: a reply counts once the mock accepted and recorded it, whichever route spelling sent it
(a comment's ``platform_id`` or its ``sapi_cmt_`` id, ``InboxComment.reply`` or ``comments.reply``),
and a refused one (a closed window, no credits left) does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from mockserver.core.verification import Difference

REPLY_KINDS = ("comment", "dm", "review", "private_reply")
_EXACT = ("kind", "to", "account_id", "platform")


@dataclass(frozen=True, slots=True)
class SentReply:
    id: str
    kind: str  # one of REPLY_KINDS
    # What it answers: the comment's platform id (the post's platform id for a top-level comment),
    # the conversation id, or the review id.
    to: str
    account_id: str
    platform: str
    text: str  # "" for a private reply (the mock keeps no text of it) and an attachment-only message
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class ReplyExpectation:
    kind: str | None = None
    to: str | None = None
    account_id: str | None = None
    platform: str | None = None
    text_contains: str | None = None

    def select(self, replies: list[SentReply]) -> list[SentReply]:
        return [reply for reply in replies if not self.differences(reply)]

    def cheap_matches(self, replies: list[SentReply]) -> Iterator[int]:
        return iter(())  # every field is cheap: a reply that matches them all is a match, not a miss

    def lower_bound(self, reply: SentReply, enough: int) -> int:
        return len(self.differences(reply))

    def differences(self, reply: SentReply) -> list[Difference]:
        found = [
            Difference(name, getattr(self, name), getattr(reply, name))
            for name in _EXACT
            if getattr(self, name) is not None and getattr(self, name) != getattr(reply, name)
        ]
        if self.text_contains is not None and self.text_contains not in reply.text:
            found.append(Difference("text_contains", self.text_contains, reply.text))
        return found
