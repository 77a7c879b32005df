"""``POST /v1/posts/import``: posts created from a CSV file."""

from __future__ import annotations

from mockserver.api.shapes.common import Out, Request
from mockserver.api.shapes.posts import PostOut
from mockserver.core.posts.import_rows import ImportReport


class ImportQuery(Request):
    """The query string of ``POST /v1/posts/import``."""

    dry_run: bool = False


class ImportForm(Request):
    """The multipart body of ``POST /v1/posts/import``: the CSV file in the field ``file`` (documentation)."""

    file: bytes


class ImportErrorOut(Out):
    row: int
    message: str


class ImportOut(Out):
    total_rows: int
    created: int
    failed: int
    errors: list[ImportErrorOut]
    posts: list[PostOut]

    @staticmethod
    def of(report: ImportReport, posts: list[PostOut] | None = None) -> ImportOut:
        """The answer; ``posts`` are the report's posts already shaped (see ``api/post_import.py``)."""
        post = PostOut.of
        return ImportOut.build(
            {
                "total_rows": report.total_rows,
                "created": report.created,
                "failed": len(report.errors),
                "errors": [ImportErrorOut.build({"row": row, "message": message}) for row, message in report.errors],
                "posts": [post(p) for p in report.posts] if posts is None else posts,
            }
        )
