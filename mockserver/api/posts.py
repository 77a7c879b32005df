"""Public API handlers for posts: create, list, read, publish, retry, edit, unpublish, delete, metrics.

Each parses, makes one backend call and answers with a shape from ``api/shapes/posts.py``.
"""

from __future__ import annotations

from mockserver.api.body_warnings import BodyWarning
from mockserver.api.guides import guide_edit_warnings
from mockserver.api.http import Call, Reply
from mockserver.api.limits import hold_warning
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.posts import (
    CreatePostRequest,
    DeletePostOut,
    PostListQuery,
    PostMetricsEnvelopeOut,
    PostOut,
    PostPageOut,
    UnpublishRequest,
    UpdatePostRequest,
)
from mockserver.api.spec import operation
from mockserver.core.errors import StateInvalid, ValidationFailed
from mockserver.core.models import PostStatus
from mockserver.core.posts.outcomes import PostOutcome

# The synchronous publish answers with the post's outcome in the status code.
OUTCOME_STATUS = {PostStatus.PUBLISHED: 201, PostStatus.PARTIAL: 207, PostStatus.FAILED: 422}


def _noted(call: Call, outcome: PostOutcome) -> None:
    """What the platforms will not publish as sent travels in ``X-Mock-Warnings``, as body warnings do."""
    call.warnings.extend(BodyWarning(issue.field, issue.code, issue.message) for issue in outcome.warnings)


def _outcome(call: Call, outcome: PostOutcome) -> Reply:
    _noted(call, outcome)
    status = OUTCOME_STATUS.get(outcome.post.status, 201)
    metrics = call.backend.posts.metrics_at(call.backend.now())
    return Reply(PostOut.of(outcome.post, metrics), status, latency_ms=outcome.latency_ms)


@operation(
    "Create, schedule or publish a post",
    request=CreatePostRequest,
    responses={201: PostOut, 207: PostOut, 422: PostOut},
    # 422 is the post when every target failed, or an error (publishing.media.*) for a media source.
    errors=(400, 401, 403, 404, 409, 413, 422, 429),
)
def create_post(call: Call) -> Reply:
    request = call.parse(CreatePostRequest)
    if request.publish_now and not request.targets:
        raise ValidationFailed.required("targets", "publish_now needs at least one target")
    return _outcome(call, call.backend.posts.create_post(request.to_command(call.reach)))


@operation(
    "Publish a draft or scheduled post now",
    responses={201: PostOut, 207: PostOut, 422: PostOut},
    errors=(400, 401, 404, 409, 422, 429),
)
def publish_post(call: Call) -> Reply:
    return _outcome(call, call.backend.posts.publish_post(call.params["pid"]))


@operation("Get a post", responses={200: PostOut}, errors=(401, 404))
def get_post(call: Call) -> Reply:
    backend = call.backend
    post = backend.posts.get_post(call.params["pid"])
    held = backend.velocity.hold_of(post.id)
    if held is not None:
        # The public body stays within the documented shapes: the hold is told beside it.
        call.warnings.append(hold_warning(held))
    return Reply(PostOut.of(post, backend.posts.metrics_at(backend.now())))


@operation("List posts", query=PostListQuery, responses={200: PostPageOut}, errors=(400, 401, 404))
def list_posts(call: Call) -> Reply:
    query = call.parse_query(PostListQuery)
    backend = call.backend
    return Reply(
        PostPageOut.of(
            backend.posts.list_posts(query.to_query(call.reach)), query.limit, backend.posts.metrics_at(backend.now())
        )
    )


@operation(
    "Retry the failed deliveries of a failed or partial post",
    responses={200: SuccessOut},
    errors=(400, 401, 404, 409, 429, 501),
)
def retry_post(call: Call) -> Reply:
    call.backend.posts.retry_post(call.params["pid"])
    return Reply(SuccessOut.of())


@operation(
    "Edit a draft, scheduled or failed post",
    request=UpdatePostRequest,
    responses={200: PostOut},
    errors=(400, 401, 403, 404, 409, 422, 429),
)
def update_post(call: Call) -> Reply:
    edit = call.parse(UpdatePostRequest).to_edit(call.reach)
    try:
        outcome = call.backend.posts.update_post(call.params["pid"], edit)
    except StateInvalid:
        # Some platform guide pages show editing a published post; say why the reference's rule wins.
        call.warnings += guide_edit_warnings(call.backend.posts.get_post(call.params["pid"]))
        raise
    _noted(call, outcome)
    return Reply(PostOut.of(outcome.post))


@operation(
    "Delete a post: cancel it, or delete its copies on the platforms",
    responses={200: DeletePostOut},
    errors=(401, 404, 409),
)
def delete_post(call: Call) -> Reply:
    return Reply(DeletePostOut.of(call.backend.posts.delete_post(call.params["pid"])))


@operation(
    "Take a published post down from one account or from all",
    request=UnpublishRequest,
    responses={200: SuccessOut},
    errors=(400, 401, 404, 409, 501),
)
def unpublish_post(call: Call) -> Reply:
    request = call.parse(UnpublishRequest)
    call.backend.posts.unpublish_post(call.params["pid"], request.account_id)
    return Reply(SuccessOut.of())


@operation(
    "Engagement metrics of a post's published targets", responses={200: PostMetricsEnvelopeOut}, errors=(401, 404)
)
def get_post_metrics(call: Call) -> Reply:
    return Reply(PostMetricsEnvelopeOut.of(call.backend.posts.post_metrics(call.params["pid"])))
