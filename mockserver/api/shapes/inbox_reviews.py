"""Reviews (the fan-out form the SDK 0.4 parses, with ``meta``) and mentions (a flat ``next_cursor``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import field_validator

from mockserver.api.shapes.common import Ident, Out, Request, instant
from mockserver.api.shapes.inbox import Cursor, Text, limit_field
from mockserver.core.inbox.paging import Page
from mockserver.core.inbox.reviews import ReviewPage
from mockserver.core.records.inbox import Mention, Review
from mockserver.core.timefmt import format_instant


class ReviewsQuery(Request):
    account_id: Ident | None = None
    platform: str | None = None
    since: datetime | None = None
    limit: Annotated[int, limit_field(100)] = 50
    cursor: Cursor = None

    _when = field_validator("since", mode="plain", json_schema_input_type=datetime | None)(instant)


class ReviewReplyBody(Request):
    account_id: Ident
    text: Text


class MentionsQuery(Request):
    since: datetime | None = None
    limit: Annotated[int, limit_field(100)] = 20
    cursor: Cursor = None

    _when = field_validator("since", mode="plain", json_schema_input_type=datetime | None)(instant)


class ReviewOut(Out):
    id: str
    platform: str
    account_id: str
    rating: int
    text: str
    author: str
    created_at: str

    @staticmethod
    def of(r: Review) -> ReviewOut:
        return ReviewOut.validated(
            {
                "id": r.id,
                "platform": r.platform,
                "account_id": r.account_id,
                "rating": r.rating,
                "text": r.text,
                "author": r.author,
                "created_at": format_instant(r.created_at),
            }
        )


class FailedAccountOut(Out):
    account_id: str
    platform: str
    error: str
    code: str | None


class ReviewFanoutMetaOut(Out):
    accounts_queried: int
    accounts_failed: int
    failed_accounts: list[FailedAccountOut]


class ReviewListOut(Out):
    data: list[ReviewOut]
    meta: ReviewFanoutMetaOut
    next_cursor: str | None = None

    @staticmethod
    def of(found: ReviewPage) -> ReviewListOut:
        out: dict[str, Any] = {
            "data": [ReviewOut.of(r) for r in found.page.items],
            "meta": {"accounts_queried": found.accounts_queried, "accounts_failed": 0, "failed_accounts": []},
        }
        if found.page.next_cursor is not None:
            out["next_cursor"] = found.page.next_cursor
        return ReviewListOut.validated(out)


class ReviewReplyOut(Out):
    success: bool
    reply_id: str

    @staticmethod
    def of(reply_id: str) -> ReviewReplyOut:
        return ReviewReplyOut.validated({"success": True, "reply_id": reply_id})


class MentionAuthorOut(Out):
    id: str
    name: str
    username: str


class MentionContentOut(Out):
    text: str


class MentionOut(Out):
    id: str
    type: Literal["mention"]
    platform: str
    account_id: str
    author: MentionAuthorOut
    content: MentionContentOut
    received_at: str
    metadata: dict[str, Any]
    platform_post_id: str

    @staticmethod
    def of(m: Mention) -> MentionOut:
        return MentionOut.validated(
            {
                "id": m.id,
                "type": "mention",
                "platform": m.platform,
                "account_id": m.account_id,
                "author": {"id": m.author_id, "name": m.author_name, "username": m.author_username},
                "content": {"text": m.text},
                "received_at": format_instant(m.received_at),
                "metadata": {"mention_type": m.mention_type},
                "platform_post_id": m.platform_post_id,
            }
        )


class MentionPageOut(Out):
    data: list[MentionOut]
    count: int
    next_cursor: str | None = None

    @staticmethod
    def of(page: Page[Mention]) -> MentionPageOut:
        out: dict[str, Any] = {"data": [MentionOut.of(m) for m in page.items], "count": len(page.items)}
        # Never "": the SDK reads the flat next_cursor and would ask again forever.
        if page.next_cursor is not None:
            out["next_cursor"] = page.next_cursor
        return MentionPageOut.validated(out)
