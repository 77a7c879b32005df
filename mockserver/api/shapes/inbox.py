"""The inbox: commented posts and comments, conversations and messages, reviews, mentions.

Shapes as the SDK 0.4 parses them (docs/inbox.md): comments carry ``author_id`` and ``capabilities``
and are addressed by ``platform_id``; reviews come in the fan-out form with ``meta``; a last page
leaves ``next_cursor`` out rather than sending an empty string.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from mockserver.api.shapes.common import Ident, Out, Request, instant, when
from mockserver.core.inbox.comments import CommentView, PostQuery, PostView
from mockserver.core.inbox.conversations import ConversationQuery, Sent
from mockserver.core.inbox.paging import Page
from mockserver.core.inbox.policy import TEXT_MAX
from mockserver.core.reach import Reach
from mockserver.core.records.inbox import Conversation, Message
from mockserver.core.timefmt import format_instant

Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
Cursor = Annotated[str | None, Field(max_length=200)]


def limit_field(maximum: int) -> Any:
    return Field(ge=1, le=maximum)


# -- requests --------------------------------------------------------------------------------------


class CommentedPostsQuery(Request):
    account_id: Ident | None = None
    platform: str | None = None
    min_comments: Annotated[int, Field(ge=0)] = 0
    since: datetime | None = None
    sort_by: Literal["date"] = "date"
    sort_order: Literal["asc", "desc"] = "desc"
    limit: Annotated[int, limit_field(100)] = 25
    cursor: Cursor = None

    _when = field_validator("since", mode="plain", json_schema_input_type=datetime | None)(instant)

    def to_query(self, reach: Reach | None = None) -> PostQuery:
        return PostQuery(
            self.account_id,
            self.platform,
            self.min_comments,
            self.since,
            self.sort_order == "asc",
            self.limit,
            self.cursor,
            reach,
        )


class CommentsQuery(Request):
    # Required by the API; checked after the post, so an unknown post is a 404 either way.
    account_id: Ident | None = None
    moderation_status: Literal["published", "held_for_review", "likely_spam"] | None = None
    order: Literal["recent", "relevance"] | None = None
    q: Annotated[str | None, Field(max_length=256)] = None
    limit: Annotated[int, limit_field(100)] = 25
    cursor: Cursor = None


class RepliesQuery(Request):
    account_id: Ident | None = None
    limit: Annotated[int, limit_field(100)] = 10
    cursor: Cursor = None


class AccountQuery(Request):
    account_id: Ident | None = None


class AccountBody(Request):
    account_id: Ident


class CommentReplyBody(Request):
    account_id: Ident
    text: Text
    comment_id: Ident | None = None


class PrivateReplyBody(Request):
    account_id: Ident
    text: Text


class ConversationsQuery(Request):
    account_id: Ident | None = None
    platform: str | None = None
    status: Literal["active", "archived"] = "active"
    limit: Annotated[int, limit_field(100)] = 25
    cursor: Cursor = None

    def to_query(self, reach: Reach | None = None) -> ConversationQuery:
        return ConversationQuery(self.account_id, self.platform, self.status, self.limit, self.cursor, reach)


class ConversationPatch(Request):
    # Checked by the core (active or archived) after the conversation is found.
    status: Annotated[str, Field(max_length=20)]


class MessagesQuery(Request):
    limit: Annotated[int, limit_field(200)] = 25
    cursor: Cursor = None


class SendMessageBody(Request):
    account_id: Ident
    text: Annotated[str | None, Field(max_length=TEXT_MAX)] = None
    attachment_url: Annotated[str | None, Field(max_length=2048)] = None


# -- responses -------------------------------------------------------------------------------------


class PaginationOut(Out):
    has_more: bool
    next_cursor: str | None = None

    @staticmethod
    def of(page: Page[Any]) -> PaginationOut:
        # The SDK follows any non-null next_cursor, "" included: on the last page the key is left out.
        if page.next_cursor is None:
            return PaginationOut.validated({"has_more": False})
        return PaginationOut.validated({"has_more": True, "next_cursor": page.next_cursor})


class CommentedPostOut(Out):
    id: str
    user_id: str
    account_id: str
    page_id: str | None
    platform: str
    platform_id: str
    content: str
    thumbnail: str | None
    permalink: str | None
    comment_count: int
    like_count: int
    published_at: str
    created_at: str
    updated_at: str

    @staticmethod
    def of(view: PostView) -> CommentedPostOut:
        row = view.row
        return CommentedPostOut.validated(
            {
                "id": row.id,
                "user_id": view.user_id,
                "account_id": row.account_id,
                "page_id": None,
                "platform": row.platform,
                "platform_id": row.id,
                "content": row.content,
                "thumbnail": None,
                "permalink": row.permalink,
                "comment_count": view.comment_count,
                "like_count": view.like_count,
                "published_at": format_instant(row.published_at),
                "created_at": format_instant(row.published_at),
                "updated_at": format_instant(row.updated_at),
            }
        )


class CommentedPostPageOut(Out):
    data: list[CommentedPostOut]
    pagination: PaginationOut

    @staticmethod
    def of(page: Page[PostView]) -> CommentedPostPageOut:
        return CommentedPostPageOut.validated(
            {"data": [CommentedPostOut.of(v) for v in page.items], "pagination": PaginationOut.of(page)}
        )


class CapabilitiesOut(Out):
    can_reply: bool
    can_delete: bool
    can_hide: bool
    can_like: bool
    can_private_reply: bool


class CommentOut(Out):
    id: str
    platform_id: str
    platform: str
    text: str
    author_id: str
    author_name: str
    author_username: str
    is_owner: bool
    like_count: int
    reply_count: int
    has_replies: bool
    is_hidden: bool
    liked_by_viewer: bool
    moderation_status: str | None = None
    parent_id: str | None
    created_at: str
    capabilities: CapabilitiesOut

    @staticmethod
    def of(view: CommentView) -> CommentOut:
        c, caps = view.comment, view.capabilities
        out: dict[str, Any] = {
            "id": c.id,
            "platform_id": c.platform_id,
            "platform": c.platform,
            "text": c.text,
            "author_id": c.author_id,
            "author_name": c.author_name,
            "author_username": c.author_username,
            "is_owner": c.is_owner,
            "like_count": c.like_count,
            "reply_count": c.reply_count,
            "has_replies": c.reply_count > 0,
            "is_hidden": c.is_hidden,
            "liked_by_viewer": c.liked_by_viewer,
        }
        if c.moderation_status is not None:
            out["moderation_status"] = c.moderation_status
        out["parent_id"] = c.parent_id
        out["created_at"] = format_instant(c.created_at)
        out["capabilities"] = {
            "can_reply": caps.can_reply,
            "can_delete": caps.can_delete,
            "can_hide": caps.can_hide,
            "can_like": caps.can_like,
            "can_private_reply": caps.can_private_reply,
        }
        return CommentOut.validated(out)


class CommentPageOut(Out):
    data: list[CommentOut]
    pagination: PaginationOut

    @staticmethod
    def of(page: Page[CommentView]) -> CommentPageOut:
        return CommentPageOut.validated(
            {"data": [CommentOut.of(v) for v in page.items], "pagination": PaginationOut.of(page)}
        )


class CommentReplyOut(Out):
    success: bool
    comment_id: str

    @staticmethod
    def of(platform_id: str) -> CommentReplyOut:
        return CommentReplyOut.validated({"success": True, "comment_id": platform_id})


class ConversationOut(Out):
    id: str
    user_id: str
    account_id: str
    page_id: str | None
    platform: str
    platform_id: str
    participant_id: str
    participant_name: str
    participant_picture: str | None
    last_message: str | None
    last_message_at: str | None
    status: str
    unread_count: int
    created_at: str
    updated_at: str

    @staticmethod
    def of(c: Conversation, user_id: str) -> ConversationOut:
        return ConversationOut.validated(
            {
                "id": c.id,
                "user_id": user_id,
                "account_id": c.account_id,
                "page_id": None,
                "platform": c.platform,
                "platform_id": c.platform_id,
                "participant_id": c.participant_id,
                "participant_name": c.participant_name,
                "participant_picture": None,
                "last_message": c.last_message,
                "last_message_at": when(c.last_message_at),
                "status": c.status,
                "unread_count": c.unread_count,
                "created_at": format_instant(c.created_at),
                "updated_at": format_instant(c.updated_at),
            }
        )


class ConversationPageOut(Out):
    data: list[ConversationOut]
    pagination: PaginationOut

    @staticmethod
    def of(page: Page[Conversation], user_id: str) -> ConversationPageOut:
        return ConversationPageOut.validated(
            {"data": [ConversationOut.of(c, user_id) for c in page.items], "pagination": PaginationOut.of(page)}
        )


class ConversationEnvelopeOut(Out):
    data: ConversationOut

    @staticmethod
    def of(c: Conversation, user_id: str) -> ConversationEnvelopeOut:
        return ConversationEnvelopeOut.validated({"data": ConversationOut.of(c, user_id)})


class MessageOut(Out):
    id: str
    conversation_id: str
    platform_id: str
    direction: str
    text: str | None
    sender_id: str
    sender_name: str
    attachment_type: str | None
    attachment_url: str | None
    status: str | None
    status_updated_at: str | None
    created_at: str

    @staticmethod
    def of(m: Message) -> MessageOut:
        return MessageOut.validated(
            {
                "id": m.id,
                "conversation_id": m.conversation_id,
                "platform_id": m.platform_id,
                "direction": m.direction,
                "text": m.text,
                "sender_id": m.sender_id,
                "sender_name": m.sender_name,
                "attachment_type": m.attachment_type,
                "attachment_url": m.attachment_url,
                "status": m.status,
                "status_updated_at": format_instant(m.created_at) if m.status else None,
                "created_at": format_instant(m.created_at),
            }
        )


class MessagePageOut(Out):
    data: list[MessageOut]
    pagination: PaginationOut

    @staticmethod
    def of(page: Page[Message]) -> MessagePageOut:
        return MessagePageOut.validated(
            {"data": [MessageOut.of(m) for m in page.items], "pagination": PaginationOut.of(page)}
        )


class SendMessageOut(Out):
    success: bool
    message_id: str
    message_ids: list[str]

    @staticmethod
    def of(sent: Sent) -> SendMessageOut:
        return SendMessageOut.validated(
            {"success": True, "message_id": sent.message_ids[0], "message_ids": list(sent.message_ids)}
        )
