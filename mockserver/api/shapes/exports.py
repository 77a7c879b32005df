"""Analytics exports: ``POST /v1/accounts/{id}/export`` and ``/v1/exports``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mockserver.api.shapes.common import Out, Request, when
from mockserver.core.records.team import ExportJob
from mockserver.core.team.progress import ExportProgress
from mockserver.core.team.videos import ExportVideo
from mockserver.core.timefmt import format_instant

# Where a completed export's files would be; the mock does not serve them (docs/team.md).
RESULT_HOST = "https://exports.social-api.ai"


class ExportRequest(Request):
    """The export's options; the SDK sends no body at all when it sets neither."""

    include_transcript: bool = False
    include_vision: bool = False


class ExportListQuery(Request):
    status: str | None = Field(default=None, description="pending, processing, completed or failed")


class ExportResultOut(Out):
    excel_url: str
    report_url: str


class ExportOut(Out):
    id: str
    account_id: str
    platform: str
    status: str
    total_videos: int
    processed_videos: int
    error: str | None
    created_at: str
    completed_at: str | None
    expires_at: str | None
    result: ExportResultOut | None = None

    @staticmethod
    def of(job: ExportJob, at: ExportProgress, *, with_result: bool = False) -> ExportOut:
        body: dict[str, Any] = {
            "id": job.id,
            "account_id": job.account_id,
            "platform": job.platform,
            "status": at.status,
            "total_videos": job.total_videos,
            "processed_videos": at.processed_videos,
            "error": None,
            "created_at": format_instant(job.created_at),
            "completed_at": when(at.completed_at),
            "expires_at": when(at.expires_at),
        }
        if with_result and at.status == "completed":
            base = f"{RESULT_HOST}/{job.id}"
            body["result"] = {"excel_url": f"{base}/videos.xlsx", "report_url": f"{base}/report.html"}
        return ExportOut.validated(body)


class ExportListOut(Out):
    exports: list[ExportOut]

    @staticmethod
    def of(jobs: list[tuple[ExportJob, ExportProgress]]) -> ExportListOut:
        return ExportListOut.validated({"exports": [ExportOut.of(job, at) for job, at in jobs]})


class ExportVideoOut(Out):
    # ``id`` and ``url`` are what the SDK's ExportVideo reads; the rest is the OpenAPI document's row.
    id: str
    url: str
    platform_video_id: str
    platform: str
    title: str
    description: str
    create_time: str
    duration_seconds: int
    width: int
    height: int
    view_count: int
    like_count: int
    comment_count: int
    share_count: int
    share_url: str
    cover_image_url: str
    transcript: str | None
    transcript_lang: str | None
    vision_summary: str | None
    vision_category: str | None
    vision_elements: list[str]

    @staticmethod
    def of(video: ExportVideo) -> ExportVideoOut:
        return ExportVideoOut.validated(
            {
                "id": video.platform_video_id,
                "url": video.share_url,
                "platform_video_id": video.platform_video_id,
                "platform": video.platform,
                "title": video.title,
                "description": video.description,
                "create_time": format_instant(video.create_time),
                "duration_seconds": video.duration_seconds,
                "width": video.width,
                "height": video.height,
                "view_count": video.view_count,
                "like_count": video.like_count,
                "comment_count": video.comment_count,
                "share_count": video.share_count,
                "share_url": video.share_url,
                "cover_image_url": video.cover_image_url,
                "transcript": video.transcript,
                "transcript_lang": video.transcript_lang,
                "vision_summary": video.vision_summary,
                "vision_category": video.vision_category,
                "vision_elements": list(video.vision_elements),
            }
        )


class ExportVideosOut(Out):
    """The rows under both names: the OpenAPI document's ``videos`` and the SDK's ``data``."""

    account_id: str
    platform: str
    videos: list[ExportVideoOut]
    data: list[ExportVideoOut]

    @staticmethod
    def of(job: ExportJob, videos: list[ExportVideo]) -> ExportVideosOut:
        rows = [ExportVideoOut.of(video) for video in videos]
        fields = {"account_id": job.account_id, "platform": job.platform, "videos": rows, "data": rows}
        return ExportVideosOut.validated(fields)
