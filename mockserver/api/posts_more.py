"""Public API handlers for the rest of the post surface: edit, delete, unpublish, metrics, validate,
import. Each parses, makes one backend call (``core/post_*.py``) and serialises."""

from __future__ import annotations

from mockserver.api import wire
from mockserver.api.forms import file_field
from mockserver.api.http import Call, Reply
from mockserver.api.schemas import (
    ConstraintsOut,
    DeletePostOut,
    ImportOut,
    PostMetricsEnvelopeOut,
    PostOut,
    SuccessOut,
    ValidationOut,
)
from mockserver.api.spec import operation
from mockserver.core.errors import ValidationFailed
from mockserver.core.importing import MAX_IMPORT_BYTES

# The 5 MB file plus room for the multipart framing around it.
IMPORT_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024
TRUE = ("true", "1")
FALSE = ("false", "0", "")


@operation(
    "Edit a draft, scheduled or failed post",
    request=wire.UpdatePostRequest,
    responses={200: PostOut},
    errors=(400, 401, 403, 404, 409, 429),
)
def update_post(call: Call) -> Reply:
    edit = call.parse(wire.UpdatePostRequest).to_edit()
    return Reply(wire.post_json(call.backend.update_post(call.params["pid"], edit)))


@operation(
    "Delete a post: cancel it, or delete its copies on the platforms",
    responses={200: DeletePostOut},
    errors=(401, 404, 409),
)
def delete_post(call: Call) -> Reply:
    return Reply(wire.delete_json(call.backend.delete_post(call.params["pid"])))


@operation(
    "Take a published post down from one account or from all",
    request=wire.UnpublishRequest,
    responses={200: SuccessOut},
    errors=(400, 401, 404, 409, 501),
)
def unpublish_post(call: Call) -> Reply:
    request = call.parse(wire.UnpublishRequest)
    call.backend.unpublish_post(call.params["pid"], request.account_id)
    return Reply({"success": True})


@operation(
    "Engagement metrics of a post's published targets", responses={200: PostMetricsEnvelopeOut}, errors=(401, 404)
)
def get_post_metrics(call: Call) -> Reply:
    return Reply(wire.metrics_json(call.backend.post_metrics(call.params["pid"])))


@operation(
    "Check a post against the platforms' rules (no credit, nothing stored)",
    request=wire.ValidatePostRequest,
    responses={200: ValidationOut},
    errors=(400, 401, 404),
)
def validate_post(call: Call) -> Reply:
    request = call.parse(wire.ValidatePostRequest)
    report = call.backend.validate_post(
        request.to_command(),
        platforms=tuple(request.platforms or ()),
        account_ids=tuple(request.account_ids or ()),
    )
    return Reply(wire.validation_json(report))


@operation(
    "Per-platform content constraints", query=wire.ConstraintsQuery, responses={200: ConstraintsOut}, errors=(400, 401)
)
def get_constraints(call: Call) -> Reply:
    platform = call.query.get("platform")
    return Reply(wire.constraints_json(call.backend.platform_rules(platform or None)))


@operation(
    "Create posts from a CSV file",
    request=wire.ImportForm,
    query=wire.ImportQuery,
    responses={200: ImportOut},
    errors=(400, 401, 413),
    request_content_type="multipart/form-data",
)
async def import_posts(call: Call) -> Reply:
    dry_run = _flag(call.query.get("dry_run", ""), "dry_run")
    upload = file_field(call.request.headers.get("content-type", ""), call.raw_body, "file")
    report = await call.in_slices(call.backend.import_posts_in_slices(upload.data, dry_run=dry_run))
    return Reply(wire.import_json(report))


def _flag(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered not in TRUE + FALSE:
        raise ValidationFailed.invalid(name, f"{name} must be true or false")
    return lowered in TRUE
