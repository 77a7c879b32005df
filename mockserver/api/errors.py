"""The one place where domain errors become HTTP statuses and the API's error envelope."""

from __future__ import annotations

from mockserver.api import messages
from mockserver.api.shapes.common import ErrorOut
from mockserver.core import errors as e
from mockserver.core.versions import DEFAULT_API_VERSION, V0622, V0822, V1002

STATUS_BY_CODE: dict[str, int] = {
    "account.not_found": 404,
    "post.not_found": 404,
    "media.not_found": 404,
    "webhook.not_found": 404,
    "resource.not_found": 404,
    "validation.body_too_large": 413,
    "media.in_use": 409,
    # S3 refuses a presigned PUT that is unknown or expired with 403.
    "media.upload_refused": 403,
    "brand.not_found": 404,
    "billing.brands_limit": 403,
    "platform.facebook.page_cap": 403,
    "auth.dashboard_only": 403,
    "byok.credentials_missing": 412,
}

STATUS_BY_TYPE: tuple[tuple[type[e.DomainError], int], ...] = (
    (e.NotFound, 404),
    (e.BodyTooLarge, 413),
    (e.ValidationFailed, 400),
    (e.StateInvalid, 409),
    (e.NoRetryableDeliveries, 400),
    (e.DuplicateContent, 409),
    (e.ReconnectionRequired, 403),
    (e.PostLimitReached, 429),
    (e.Throttled, 429),
    (e.LimitReached, 429),
    (e.InteractionLimitReached, 429),
    (e.StorageQuotaExceeded, 413),
    (e.NotSupported, 501),
    (e.ScopeRefused, 403),
    (e.Gone, 410),
    (e.ExportLimitReached, 429),
    (e.MediaRejected, 422),
    (e.Conflict, 409),
    (e.AuthFailed, 401),
    (e.Unauthorized, 401),
    (e.NotReady, 503),
    (e.RetryLater, 429),
    (e.ReloadFailed, 422),
)


# Where an API generation answered with another status (docs/api-versions.md). The 2026-06-22 document
# lists no 409 and no 501 on the post routes: a wrong-state publish, edit or retry was a 400, and so
# was an unpublish a platform refuses. These apply on the post routes only (POST_ROUTES).
POST_ROUTES = "/v1/posts"
STATUS_BY_VERSION: dict[str, dict[str, int]] = {
    V0622: {"post.state_invalid": 400, "resource.not_supported": 400},
    V0822: {},
    V1002: {},
}


def status_of(error: e.DomainError, api_version: str = DEFAULT_API_VERSION, path: str = "") -> int:
    if path.startswith(POST_ROUTES):
        status = STATUS_BY_VERSION[api_version].get(error.code)
        if status is not None:
            return status
    status = STATUS_BY_CODE.get(error.code)
    if status is not None:
        return status
    for kind, mapped in STATUS_BY_TYPE:
        if isinstance(error, kind):
            return mapped
    return 500


# The request id of a 500 from a bug: the failing request's own id may be what went wrong.
INTERNAL = "internal"


def internal_envelope() -> ErrorOut:
    """The body of a 500 caused by a bug in the mock (logged; never a traceback on the wire)."""
    return ErrorOut.of("system.internal", messages.INTERNAL, {}, INTERNAL)


def error_headers(error: e.DomainError) -> dict[str, str]:
    if isinstance(error, e.Throttled):
        return throttle_headers(error)
    if isinstance(error, e.PostLimitReached):
        return {"X-Posts-Limit": str(error.limit), "X-Posts-Remaining": str(error.remaining)}
    if isinstance(error, e.InteractionLimitReached):
        return {"X-Interactions-Limit": str(error.limit), "X-Interactions-Remaining": "0"}
    if isinstance(error, e.NotReady):
        return {"Retry-After": "1"}
    if isinstance(error, e.RetryLater):
        return {"Retry-After": str(error.retry_after_seconds)}
    return {}


def throttle_headers(error: e.Throttled) -> dict[str, str]:
    """``Retry-After``, and a note that on the fake clock only an advance or the switch lets a retry through."""
    seconds = error.retry_after
    note = messages.THROTTLE_NOTE.format(seconds=seconds, switch=error.switch)
    headers = {"Retry-After": str(seconds), "X-Mock-Warnings": note}
    if isinstance(error, e.RateLimited):
        headers.update(rate_limit_headers(error.limit, 0, seconds))
    return headers


def rate_limit_headers(limit: int, remaining: int, reset: int) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}
