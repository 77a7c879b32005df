"""Public API handlers for the YouTube routes (channel summary, sync, video and comment edits)."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.youtube import (
    ChannelSummaryOut,
    CommentEditRequest,
    CommentModerationRequest,
    VideoUpdateRequest,
)
from mockserver.api.spec import operation


@operation("A YouTube channel's figures", responses={200: ChannelSummaryOut}, errors=(401, 403, 404, 501))
def get_channel_summary(call: Call) -> Reply:
    return Reply(ChannelSummaryOut.of(call.backend.youtube.channel_summary(call.params["account_id"])))


@operation("Re-sync a YouTube account's videos", responses={200: SuccessOut}, errors=(401, 403, 404, 501))
def sync_account(call: Call) -> Reply:
    call.backend.youtube.sync_account(call.params["account_id"])
    return Reply(SuccessOut.of())


@operation(
    "Edit a YouTube video's title, description or visibility",
    request=VideoUpdateRequest,
    responses={200: SuccessOut},
    errors=(400, 401, 403, 404, 501),
)
def update_video(call: Call) -> Reply:
    body = call.parse(VideoUpdateRequest)
    call.backend.youtube.update_video(
        call.params["account_id"],
        call.params["video_id"],
        title=body.title,
        description=body.description,
        visibility=body.visibility,
    )
    return Reply(SuccessOut.of())


@operation(
    "Edit one of the channel's own comments",
    request=CommentEditRequest,
    responses={200: SuccessOut},
    errors=(400, 401, 403, 404, 501),
)
def edit_comment(call: Call) -> Reply:
    body = call.parse(CommentEditRequest)
    call.backend.youtube.edit_comment(
        call.params["comment_id"], account_id=body.account_id, post_id=body.post_id, text=body.text
    )
    return Reply(SuccessOut.of())


@operation(
    "Moderate a comment (and ban its author, when rejected)",
    request=CommentModerationRequest,
    responses={200: SuccessOut},
    errors=(400, 401, 403, 404, 501),
)
def moderate_comment(call: Call) -> Reply:
    body = call.parse(CommentModerationRequest)
    call.backend.youtube.moderate_comment(
        call.params["comment_id"],
        account_id=body.account_id,
        post_id=body.post_id,
        status=body.status,
        ban_author=bool(body.ban_author),
    )
    return Reply(SuccessOut.of())
