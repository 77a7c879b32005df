"""Public API handlers of ``/v1/posts/validate``: check a would-be post, read the platforms' rules."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.post_validation import ConstraintsOut, ConstraintsQuery, ValidatePostRequest, ValidationOut
from mockserver.api.spec import operation


@operation(
    "Check a post against the platforms' rules (no credit, nothing stored)",
    request=ValidatePostRequest,
    responses={200: ValidationOut},
    errors=(400, 401, 404),
)
def validate_post(call: Call) -> Reply:
    request = call.parse(ValidatePostRequest)
    report = call.backend.posts.validate_post(
        request.to_command(call.reach),
        platforms=tuple(request.platforms or ()),
        account_ids=tuple(request.account_ids or ()),
    )
    return Reply(ValidationOut.of(report))


@operation(
    "Per-platform content constraints", query=ConstraintsQuery, responses={200: ConstraintsOut}, errors=(400, 401)
)
def get_constraints(call: Call) -> Reply:
    query = call.parse_query(ConstraintsQuery)
    return Reply(ConstraintsOut.of(call.backend.posts.platform_rules(query.platform)))
