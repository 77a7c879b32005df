"""Read endpoints the inspector page needs beyond the public API: thin views of the same backend.

``GET /_mock/tenants`` is about the whole server (the control token, no API key); the preview
belongs to the tenant of the bearer key like every ``/_mock`` route.
"""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.media import THUMBNAIL_PATH
from mockserver.api.server import Server
from mockserver.api.shapes.inspector import PreviewListOut, TenantListOut
from mockserver.api.spec import operation
from mockserver.core.timefmt import format_instant


@operation("Every tenant the server holds, in the order they were created", responses={200: TenantListOut})
def list_tenants(server: Server) -> Reply:
    tenants = []
    for backend in server.tenants():
        summary = backend.summary()
        tenants.append({"key": summary.key, "posts": summary.posts, "now": format_instant(summary.now)})
    return Reply(TenantListOut.of(tenants))


@operation(
    "How each target's platform would show a post: its author, the text measured in the platform's unit "
    "against its limit and folded where the feed folds it, the thread, the first comment, media thumbnails",
    responses={200: PreviewListOut},
    errors=(401, 404),
)
def preview_post(call: Call) -> Reply:
    backend = call.backend
    previews = backend.posts.preview_post(call.params["pid"])

    def thumbnail(media_id: str) -> str:
        # Relative: the page loads it from the origin it came from, under img-src 'self'.
        return f"{THUMBNAIL_PATH.format(media_id=media_id)}?token={backend.media.media_download_token(media_id)}"

    return Reply(PreviewListOut.of(previews, thumbnail))
