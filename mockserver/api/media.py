"""Handlers of ``/v1/media`` and the mock's own storage URLs (presigned upload target, downloads).

The storage URLs stand in for S3: they carry a token instead of an API key, so they live outside the
authenticated pipeline, find their tenant by the token, and answer in the usual error envelope.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable

from starlette.concurrency import iterate_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from mockserver.api.body_reader import read_digested
from mockserver.api.forms import UploadedFile, file_field
from mockserver.api.http import Call, Reply, client_request_id, error_response
from mockserver.api.public_url import public_base_url
from mockserver.api.server import Server
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.media import (
    MediaListOut,
    MediaListQuery,
    MediaUploadForm,
    MediaUploadOut,
    StorageOut,
    UploadUrlOut,
    UploadUrlQuery,
)
from mockserver.api.spec import operation
from mockserver.core import messages
from mockserver.core.errors import DomainError, NotFound, StorageQuotaExceeded, UploadRefused
from mockserver.core.media.library import KEEP_BYTES_MAX, MAX_UPLOAD_BYTES
from mockserver.core.media.placeholders import placeholder_chunks
from mockserver.core.media.thumbnails import thumbnail_png
from mockserver.core.models import MediaItem

# Room for the multipart framing around a file of the maximum size.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024
UPLOAD_PATH = "/_mock/uploads/{media_id}"
CONTENT_PATH = "/_mock/media/{media_id}/content"
THUMBNAIL_PATH = "/_mock/media/{media_id}/thumbnail"
OCTET_STREAM = "application/octet-stream"


def _origin(call: Call) -> str:
    return public_base_url(call)


def _media_url(call: Call, item: MediaItem) -> str:
    token = call.backend.media.media_download_token(item.id)
    return f"{_origin(call)}{CONTENT_PATH.format(media_id=item.id)}?token={token}"


@operation(
    "Upload media (server-side)",
    request=MediaUploadForm,
    responses={201: MediaUploadOut},
    # 429: past --max-media-bytes, the media every tenant holds (mock.media_limit).
    errors=(400, 401, 413, 429),
    request_content_type="multipart/form-data",
    max_body_bytes=UPLOAD_BODY_LIMIT,
)
def upload_media(call: Call) -> Reply:
    part = _file_part(call)
    item = call.backend.media.upload_media(part.filename, part.content_type, part.data)
    return Reply(MediaUploadOut.of(item), 201)


@operation(
    "Get a presigned media upload URL",
    query=UploadUrlQuery,
    responses={200: UploadUrlOut},
    errors=(400, 401, 413),
)
def get_upload_url(call: Call) -> Reply:
    query = call.parse_query(UploadUrlQuery)
    slot = call.backend.media.create_upload_url(query.media_type.strip().lower(), query.filename)
    upload_url = f"{_origin(call)}{UPLOAD_PATH.format(media_id=slot.media_id)}?token={slot.token}"
    return Reply(UploadUrlOut.of(slot, upload_url))


@operation("Verify a media upload", responses={200: SuccessOut}, errors=(400, 401, 404, 413))
def verify_media(call: Call) -> Reply:
    call.backend.media.verify_media(call.params["media_id"])
    return Reply(SuccessOut.of())


@operation(
    "List ready media files, newest first", query=MediaListQuery, responses={200: MediaListOut}, errors=(400, 401)
)
def list_media(call: Call) -> Reply:
    query = call.parse_query(MediaListQuery)
    page = call.backend.media.list_media(limit=query.limit, cursor=query.cursor)
    return Reply(MediaListOut.of(page, [_media_url(call, item) for item in page.items]))


@operation("Delete a media file", responses={204: None}, errors=(401, 404, 409))
def delete_media(call: Call) -> Reply:
    call.backend.media.delete_media(call.params["media_id"])
    return Reply(status=204)


@operation("Storage usage", responses={200: StorageOut}, errors=(401,))
def get_storage(call: Call) -> Reply:
    usage = call.backend.media.storage_usage()
    headers = {"X-Storage-Used": str(usage.used_bytes), "X-Storage-Limit": str(usage.limit_bytes)}
    return Reply(StorageOut.of(usage), headers=headers)


# -- the storage URLs --------------------------------------------------------------------------------

StorageHandler = Callable[[Server, Request], Awaitable[Response]]


def storage_endpoint(server: Server, handler: StorageHandler) -> Callable[[Request], Awaitable[Response]]:
    """A route without an API key: errors still come back in the API's envelope."""

    async def run(request: Request) -> Response:
        try:
            return await handler(server, request)
        except DomainError as error:
            request_id = client_request_id(request) or server.next_anonymous_request_id()
            return error_response(error, request_id, server.settings.api_version)

    return run


async def receive_upload(server: Server, request: Request) -> Response:
    """``PUT <upload_url>``: the bytes of a presigned upload."""
    media_id = request.path_params["media_id"]
    token = request.query_params.get("token", "")
    owner = server.media_owner(media_id)
    if owner is None or owner.media.upload_slot(media_id, token) is None:
        raise UploadRefused(messages.UPLOAD_URL_INVALID, meta={"media_id": media_id})
    limit = owner.media.presigned_limit()
    declared = request.headers.get("content-length")
    body = await read_digested(request.receive, declared, limit, KEEP_BYTES_MAX, lambda: _over_quota(limit))
    owner.media.receive_upload(media_id, token, request.headers.get("content-type", ""), body)
    return Response(status_code=200, headers={"ETag": f'"{body.md5}"'})


def _downloadable(server: Server, request: Request) -> MediaItem:
    """The ready item a storage URL names, found by the token it carries."""
    media_id = request.path_params["media_id"]
    token = request.query_params.get("token", "")
    owner = server.media_owner(media_id)
    candidates = [] if owner is None else [owner]
    # Fixture media are in every tenant: the token tells whose URL it is. A restored state file can
    # put a fixture item in the index under one tenant, so the others are asked too.
    if server.is_fixture_media(media_id):
        candidates += [backend for backend in server.tenants() if backend is not owner]
    for backend in candidates:
        item = backend.media.media_by_download_token(media_id, token)
        if item is not None:
            return item
    raise NotFound.of("media", media_id)


async def download_media(server: Server, request: Request) -> Response:
    """``GET <media url>``: the stored bytes of a ready item."""
    item = _downloadable(server, request)
    disposition = f'inline; filename="{item.filename.replace(chr(34), "")}"'
    if item.data is not None:
        return Response(item.data, media_type=item.content_type, headers={"Content-Disposition": disposition})
    # Fixture media and large uploads have a type and a size but no bytes kept: stand-ins a client
    # can sniff, streamed so that a large one is never held whole.
    headers = {"Content-Disposition": disposition, "Content-Length": str(item.size_bytes)}
    chunks = placeholder_chunks(item.content_type, item.size_bytes)
    return StreamingResponse(iterate_in_threadpool(chunks), media_type=item.content_type, headers=headers)


async def media_thumbnail(server: Server, request: Request) -> Response:
    """``GET <thumbnail url>``: a picture the inspector's previews can draw, for any ready item.

    An uploaded image is its own thumbnail; media without bytes (the fixtures) and videos get a
    picture drawn from their id.
    """
    item = _downloadable(server, request)
    if item.is_image and item.data is not None:
        return Response(item.data, media_type=item.content_type)
    return Response(thumbnail_png(item.id, video=item.is_video), media_type="image/png")


def _file_part(call: Call) -> UploadedFile:
    """The ``file`` field, its type taken from the bare Content-Type or guessed from the name."""
    upload = file_field(call.request.headers.get("content-type", ""), call.raw_body, "file")
    content_type = upload.content_type.split(";", 1)[0].strip().lower()
    if not content_type or content_type == OCTET_STREAM:
        content_type = mimetypes.guess_type(upload.filename, strict=False)[0] or OCTET_STREAM
    return UploadedFile(upload.filename, content_type, upload.data)


def _over_quota(limit: int) -> StorageQuotaExceeded:
    return StorageQuotaExceeded(
        f"the upload exceeds {limit} bytes, the most this plan's storage can take", meta={"max": limit}
    )
