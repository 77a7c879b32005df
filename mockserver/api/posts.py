"""Public API handlers for posts: parse, one backend call, serialise."""

from __future__ import annotations

from datetime import datetime

from mockserver.api import wire
from mockserver.api.http import Call, Reply
from mockserver.api.schemas import PostOut, PostPageOut, SuccessOut
from mockserver.api.spec import operation
from mockserver.core.backend import PostOutcome
from mockserver.core.commands import PostQuery
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PostStatus
from mockserver.core.timefmt import parse_instant

# The synchronous publish answers with the post's outcome in the status code.
OUTCOME_STATUS = {PostStatus.PUBLISHED: 201, PostStatus.PARTIAL: 207, PostStatus.FAILED: 422}


def _outcome(outcome: PostOutcome) -> Reply:
    status = OUTCOME_STATUS.get(outcome.post.status, 201)
    return Reply(wire.post_json(outcome.post), status, latency_ms=outcome.latency_ms)


@operation(
    "Create, schedule or publish a post",
    request=wire.CreatePostRequest,
    responses={201: PostOut, 207: PostOut, 422: PostOut},
    errors=(400, 401, 403, 404, 409, 413, 429),
)
def create_post(call: Call) -> Reply:
    request = call.parse(wire.CreatePostRequest)
    if request.publish_now and not request.targets:
        raise ValidationFailed.required("targets", "publish_now needs at least one target")
    return _outcome(call.backend.create_post(request.to_command()))


@operation(
    "Publish a draft or scheduled post now",
    responses={201: PostOut, 207: PostOut, 422: PostOut},
    errors=(400, 401, 404, 409, 429),
)
def publish_post(call: Call) -> Reply:
    return _outcome(call.backend.publish_post(call.params["pid"]))


@operation("Get a post", responses={200: PostOut}, errors=(401, 404))
def get_post(call: Call) -> Reply:
    return Reply(wire.post_json(call.backend.get_post(call.params["pid"])))


@operation("List posts", query=wire.PostListQuery, responses={200: PostPageOut}, errors=(400, 401))
def list_posts(call: Call) -> Reply:
    query = post_query(call.query)
    return Reply(wire.page_json(call.backend.list_posts(query), query.limit))


def post_query(params: object) -> PostQuery:
    get = params.get  # type: ignore[attr-defined]
    limit_text = get("limit", "25")
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 100:
        raise ValidationFailed.invalid("limit", "limit must be an integer between 1 and 100")
    hidden = get("hidden", "false").lower()
    if hidden not in ("true", "false", "1", "0"):
        raise ValidationFailed.invalid("hidden", "hidden must be true or false")
    accounts = tuple(a for a in get("account_ids", "").split(",") if a)
    return PostQuery(
        account_ids=accounts,
        status=get("status") or None,
        platform=get("platform") or None,
        page_id=get("page_id") or None,
        brand_id=get("brand_id") or None,
        since=_query_instant(get("from"), "from"),
        until=_query_instant(get("to"), "to"),
        search=get("search") or None,
        sort=get("sort") or "scheduled_asc",
        hidden=hidden in ("true", "1"),
        limit=int(limit_text),
        cursor=get("cursor") or None,
    )


def _query_instant(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise ValidationFailed.invalid(name, f"{name}: {exc}") from None


@operation(
    "Retry the failed deliveries of a failed or partial post",
    responses={200: SuccessOut},
    errors=(400, 401, 404, 409, 429, 501),
)
def retry_post(call: Call) -> Reply:
    call.backend.retry_post(call.params["pid"])
    return Reply({"success": True})
