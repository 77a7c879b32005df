"""The YouTube routes: ``/v1/platforms/youtube/...``."""

from __future__ import annotations

from pydantic import Field

from mockserver.api.shapes.common import Ident, Out, Request, ShortText
from mockserver.core.bounds import TEXT_MAX
from mockserver.core.team.youtube import ChannelSummary


class ChannelSummaryOut(Out):
    title: str
    handle: str
    thumbnail_url: str
    subscriber_count: int
    view_count: int
    video_count: int

    @staticmethod
    def of(summary: ChannelSummary) -> ChannelSummaryOut:
        return ChannelSummaryOut.validated(
            {
                "title": summary.title,
                "handle": summary.handle,
                "thumbnail_url": summary.thumbnail_url,
                "subscriber_count": summary.subscriber_count,
                "view_count": summary.view_count,
                "video_count": summary.video_count,
            }
        )


class VideoUpdateRequest(Request):
    """Only the fields given change."""

    title: ShortText | None = None
    description: ShortText | None = None
    visibility: ShortText | None = Field(default=None, description="public, unlisted or private")


class CommentEditRequest(Request):
    account_id: Ident
    post_id: Ident
    text: str = Field(max_length=TEXT_MAX)


class CommentModerationRequest(Request):
    account_id: Ident
    post_id: Ident
    status: ShortText = Field(description="published, held_for_review or rejected")
    ban_author: bool | None = Field(default=None, description="Only with status=rejected")
