"""Handlers of the inbox: ``/v1/inbox/comments``, ``/v1/inbox/conversations``, ``/v1/inbox/reviews`` and
``/v1/accounts/{account_id}/mentions``. Each parses, makes one backend call and answers with a shape
from ``api/shapes/inbox.py``."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.inbox import (
    AccountBody,
    AccountQuery,
    CommentedPostPageOut,
    CommentedPostsQuery,
    CommentPageOut,
    CommentReplyBody,
    CommentReplyOut,
    CommentsQuery,
    ConversationEnvelopeOut,
    ConversationPageOut,
    ConversationPatch,
    ConversationsQuery,
    MessagePageOut,
    MessagesQuery,
    PrivateReplyBody,
    RepliesQuery,
    SendMessageBody,
    SendMessageOut,
)
from mockserver.api.shapes.inbox_reviews import (
    MentionPageOut,
    MentionsQuery,
    ReviewListOut,
    ReviewReplyBody,
    ReviewReplyOut,
    ReviewsQuery,
)
from mockserver.api.spec import operation

# -- comments --------------------------------------------------------------------------------------


@operation("List commented posts", query=CommentedPostsQuery, responses={200: CommentedPostPageOut}, errors=(400, 401))
def list_commented_posts(call: Call) -> Reply:
    query = call.parse_query(CommentedPostsQuery)
    return Reply(CommentedPostPageOut.of(call.backend.inbox.comments.list_posts(query.to_query(call.reach))))


@operation("List a post's comments", query=CommentsQuery, responses={200: CommentPageOut}, errors=(400, 401, 404, 501))
def list_comments(call: Call) -> Reply:
    q = call.parse_query(CommentsQuery)
    page = call.backend.inbox.comments.list_comments(call.params["post_id"], q.account_id, q.limit, q.cursor)
    return Reply(CommentPageOut.of(page))


@operation(
    "List the replies to a comment", query=RepliesQuery, responses={200: CommentPageOut}, errors=(400, 401, 404, 501)
)
def list_replies(call: Call) -> Reply:
    q = call.parse_query(RepliesQuery)
    p = call.params
    page = call.backend.inbox.comments.list_replies(p["post_id"], p["comment_id"], q.account_id, q.limit, q.cursor)
    return Reply(CommentPageOut.of(page))


@operation(
    "Reply to a post or a comment",
    request=CommentReplyBody,
    responses={200: CommentReplyOut},
    errors=(400, 401, 404, 429, 501),
)
def reply_to_comment(call: Call) -> Reply:
    body = call.parse(CommentReplyBody)
    reply = call.backend.inbox.comments.reply(call.params["post_id"], body.account_id, body.text, body.comment_id)
    return Reply(CommentReplyOut.of(reply.platform_id))


@operation("Delete a comment", query=AccountQuery, responses={200: SuccessOut}, errors=(400, 401, 404, 501))
def delete_comment(call: Call) -> Reply:
    q = call.parse_query(AccountQuery)
    call.backend.inbox.comments.delete(call.params["post_id"], call.params["comment_id"], q.account_id)
    return Reply(SuccessOut.of())


@operation("Hide a comment", request=AccountBody, responses={200: SuccessOut}, errors=(400, 401, 404, 501))
def hide_comment(call: Call) -> Reply:
    body = call.parse(AccountBody)
    call.backend.inbox.comments.set_hidden(call.params["post_id"], call.params["comment_id"], body.account_id, True)
    return Reply(SuccessOut.of())


@operation("Unhide a comment", query=AccountQuery, responses={200: SuccessOut}, errors=(400, 401, 404, 501))
def unhide_comment(call: Call) -> Reply:
    q = call.parse_query(AccountQuery)
    call.backend.inbox.comments.set_hidden(call.params["post_id"], call.params["comment_id"], q.account_id, False)
    return Reply(SuccessOut.of())


@operation("Like a comment", request=AccountBody, responses={200: SuccessOut}, errors=(400, 401, 404, 501))
def like_comment(call: Call) -> Reply:
    body = call.parse(AccountBody)
    call.backend.inbox.comments.set_liked(call.params["post_id"], call.params["comment_id"], body.account_id, True)
    return Reply(SuccessOut.of())


@operation("Unlike a comment", query=AccountQuery, responses={200: SuccessOut}, errors=(400, 401, 404, 501))
def unlike_comment(call: Call) -> Reply:
    q = call.parse_query(AccountQuery)
    call.backend.inbox.comments.set_liked(call.params["post_id"], call.params["comment_id"], q.account_id, False)
    return Reply(SuccessOut.of())


@operation(
    "Reply privately to a comment", request=PrivateReplyBody, responses={200: SuccessOut}, errors=(400, 401, 404, 501)
)
def private_reply(call: Call) -> Reply:
    body = call.parse(PrivateReplyBody)
    p = call.params
    call.backend.inbox.comments.private_reply(p["post_id"], p["comment_id"], body.account_id, body.text)
    return Reply(SuccessOut.of())


# -- conversations ---------------------------------------------------------------------------------


@operation("List conversations", query=ConversationsQuery, responses={200: ConversationPageOut}, errors=(400, 401))
def list_conversations(call: Call) -> Reply:
    query = call.parse_query(ConversationsQuery)
    inbox = call.backend.inbox
    return Reply(ConversationPageOut.of(inbox.conversations.list(query.to_query(call.reach)), inbox.user_id))


@operation("Get a conversation", responses={200: ConversationEnvelopeOut}, errors=(401, 404))
def get_conversation(call: Call) -> Reply:
    inbox = call.backend.inbox
    return Reply(ConversationEnvelopeOut.of(inbox.conversations.get(call.params["conversation_id"]), inbox.user_id))


@operation(
    "Archive or reactivate a conversation",
    request=ConversationPatch,
    responses={200: SuccessOut},
    errors=(400, 401, 404),
)
def update_conversation(call: Call) -> Reply:
    body = call.parse(ConversationPatch)
    call.backend.inbox.conversations.set_status(call.params["conversation_id"], body.status)
    return Reply(SuccessOut.of())


@operation(
    "List a conversation's messages", query=MessagesQuery, responses={200: MessagePageOut}, errors=(400, 401, 404)
)
def list_messages(call: Call) -> Reply:
    q = call.parse_query(MessagesQuery)
    return Reply(
        MessagePageOut.of(call.backend.inbox.conversations.messages(call.params["conversation_id"], q.limit, q.cursor))
    )


@operation(
    "Send a direct message",
    request=SendMessageBody,
    responses={200: SendMessageOut},
    errors=(400, 401, 403, 404, 429, 501),
)
def send_message(call: Call) -> Reply:
    body = call.parse(SendMessageBody)
    sent = call.backend.inbox.conversations.send(
        call.params["conversation_id"], body.account_id, body.text, body.attachment_url
    )
    return Reply(SendMessageOut.of(sent))


@operation("Mark a conversation as read", responses={200: SuccessOut}, errors=(401, 404))
def mark_read(call: Call) -> Reply:
    call.backend.inbox.conversations.mark_read(call.params["conversation_id"])
    return Reply(SuccessOut.of())


# -- reviews and mentions --------------------------------------------------------------------------


@operation(
    "List reviews (fan-out over review accounts)",
    query=ReviewsQuery,
    responses={200: ReviewListOut},
    errors=(400, 401, 404),
)
def list_reviews(call: Call) -> Reply:
    q = call.parse_query(ReviewsQuery)
    return Reply(
        ReviewListOut.of(
            call.backend.inbox.reviews.list(q.account_id, q.platform, q.since, q.limit, q.cursor, reach=call.reach)
        )
    )


@operation(
    "Reply to a review", request=ReviewReplyBody, responses={200: ReviewReplyOut}, errors=(400, 401, 404, 429, 501)
)
def reply_to_review(call: Call) -> Reply:
    body = call.parse(ReviewReplyBody)
    reply = call.backend.inbox.reviews.reply(call.params["review_id"], body.account_id, body.text)
    return Reply(ReviewReplyOut.of(reply.id))


@operation(
    "List an account's mentions", query=MentionsQuery, responses={200: MentionPageOut}, errors=(400, 401, 404, 501)
)
def list_mentions(call: Call) -> Reply:
    q = call.parse_query(MentionsQuery)
    page = call.backend.inbox.mentions.list(call.params["account_id"], q.since, q.limit, q.cursor)
    return Reply(MentionPageOut.of(page))
