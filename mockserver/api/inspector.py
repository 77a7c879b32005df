"""Read endpoints the inspector page needs beyond the public API: thin views of the same backend.

``GET /_mock/tenants`` is about the whole server (the control token, no API key); the others belong
to the tenant of the bearer key like every ``/_mock`` route. Their shapes live here, beside the only
code that builds them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from mockserver.api.http import Call, Reply
from mockserver.api.media import CONTENT_PATH
from mockserver.api.spec import operation
from mockserver.core.preview import Part, TargetPreview
from mockserver.core.timefmt import format_instant
from mockserver.mock import MockServer


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class TenantOut(_Out):
    key: str
    posts: int
    now: str


class TenantListOut(_Out):
    data: list[TenantOut]


class MediaPreviewOut(_Out):
    id: str
    type: str
    thumbnail_url: str | None


class PartOut(_Out):
    text: str
    length: int
    limit: int
    media: list[MediaPreviewOut]


class TargetPreviewOut(_Out):
    account_id: str
    platform: str
    unit: str
    segments: list[PartOut]
    title: str | None
    title_length: int
    title_limit: int | None
    first_comment: str | None
    notes: list[str]


class PreviewListOut(_Out):
    data: list[TargetPreviewOut]


@operation("Every tenant the server holds, in the order they were created", responses={200: TenantListOut})
def list_tenants(server: MockServer) -> Reply:
    data = []
    for backend in server.tenants():
        with backend.lock:
            data.append({"key": backend.tenant, "posts": len(backend.store), "now": format_instant(backend.now())})
    return Reply({"data": data})


@operation(
    "How each target's platform would take a post: text measured in the platform's unit against its limit, "
    "the thread, the first comment, media",
    responses={200: PreviewListOut},
    errors=(401, 404),
)
def preview_post(call: Call) -> Reply:
    previews = call.backend.preview_post(call.params["pid"])
    return Reply({"data": [_preview_json(call, preview) for preview in previews]})


def _preview_json(call: Call, preview: TargetPreview) -> dict[str, Any]:
    return {
        "account_id": preview.account_id,
        "platform": preview.platform,
        "unit": preview.unit,
        "segments": [_part_json(call, part) for part in preview.parts],
        "title": preview.title,
        "title_length": preview.title_length,
        "title_limit": preview.title_limit,
        "first_comment": preview.first_comment,
        "notes": list(preview.notes),
    }


def _part_json(call: Call, part: Part) -> dict[str, Any]:
    return {
        "text": part.text,
        "length": part.length,
        "limit": part.limit,
        "media": [
            {
                "id": item.id,
                "type": item.kind,
                "thumbnail_url": _thumbnail(call, item.id) if item.shown else None,
            }
            for item in part.media
        ],
    }


def _thumbnail(call: Call, media_id: str) -> str:
    # Relative: the page loads it from the origin it came from, under img-src 'self'.
    token = call.backend.media_download_token(media_id)
    return f"{CONTENT_PATH.format(media_id=media_id)}?token={token}"
