"""Public API handlers for analytics exports, whose progress follows the fake clock."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.exports import ExportListOut, ExportListQuery, ExportOut, ExportRequest, ExportVideosOut
from mockserver.api.spec import operation


@operation(
    "Start an analytics export of an account's videos",
    request=ExportRequest,
    responses={202: ExportOut},
    errors=(400, 401, 403, 404, 429),
)
def create_export(call: Call) -> Reply:
    body = call.parse(ExportRequest)
    job, at = call.backend.exports.create_export(
        call.params["account_id"], include_transcript=body.include_transcript, include_vision=body.include_vision
    )
    return Reply(ExportOut.of(job, at), 202)


@operation(
    "The 50 most recent export jobs", query=ExportListQuery, responses={200: ExportListOut}, errors=(400, 401, 403)
)
def list_exports(call: Call) -> Reply:
    return Reply(ExportListOut.of(call.backend.exports.list_exports(call.parse_query(ExportListQuery).status)))


@operation("An export job, with its files once completed", responses={200: ExportOut}, errors=(401, 403, 404))
def get_export(call: Call) -> Reply:
    job, at = call.backend.exports.get_export(call.params["export_id"])
    return Reply(ExportOut.of(job, at, with_result=True))


@operation("A completed export's videos", responses={200: ExportVideosOut}, errors=(401, 403, 404))
def list_export_videos(call: Call) -> Reply:
    job, videos = call.backend.exports.list_export_videos(call.params["export_id"])
    return Reply(ExportVideosOut.of(job, videos))
