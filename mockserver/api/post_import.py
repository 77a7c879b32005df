"""Public API handler of ``POST /v1/posts/import``: posts created from a CSV file."""

from __future__ import annotations

from mockserver.api.forms import file_field
from mockserver.api.http import Call, Reply
from mockserver.api.shapes.post_import import ImportForm, ImportOut, ImportQuery
from mockserver.api.shapes.posts import PostOut
from mockserver.api.spec import operation
from mockserver.core.posts.csv_rows import MAX_IMPORT_BYTES
from mockserver.core.slices import Slices, map_in_slices

# The 5 MB file plus room for the multipart framing around it.
IMPORT_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024


@operation(
    "Create posts from a CSV file",
    request=ImportForm,
    query=ImportQuery,
    responses={200: ImportOut},
    errors=(400, 401, 413, 429),
    request_content_type="multipart/form-data",
    max_body_bytes=IMPORT_BODY_LIMIT,
)
async def import_posts(call: Call) -> Reply:
    dry_run = call.parse_query(ImportQuery).dry_run
    upload = file_field(call.request.headers.get("content-type", ""), call.raw_body, "file")

    def import_and_shape() -> Slices[ImportOut]:
        # Shaped in slices too: 5,000 posts are a large answer.
        report = yield from call.backend.posts.import_posts_in_slices(upload.data, dry_run=dry_run)
        posts = yield from map_in_slices(PostOut.of, report.posts)
        return ImportOut.of(report, posts)

    return Reply(await call.in_slices(import_and_shape()))
