"""Domain errors. Each carries the API's stable ``code``; HTTP statuses live in ``api/errors.py``.

A class is a kind of refusal; ``code`` is the default, and a raise may name a finer one (listed).
Messages that several places raise are in ``core/messages.py``.

DomainError                    system.internal (a bug, never raised on purpose)
├── NotFound                   resource.not_found; <kind>.not_found (post, account, media, webhook, ...)
├── ValidationFailed           validation.field_invalid, validation.field_required, validation.board_id_required,
│   │                          validation.use_board_id,
│   │                          validation.state_invalid, media.upload_missing, platform.<platform>.media_required,
│   │                          validation.brand_invalid, validation.redirect_uri_duplicate, account.page_inactive,
│   │                          account.no_active_page, account.pages_not_supported, account.unsupported_platform
│   │                          (meta.field names the request field)
│   ├── BodyInvalid            validation.body_invalid
│   ├── BodyTooLarge           validation.body_too_large
│   └── ScenarioInvalid        validation.field_invalid (meta.field is the path in the scenario document)
├── StateInvalid               post.state_invalid
├── NoRetryableDeliveries      post.no_retryable_deliveries
├── DuplicateContent           post.duplicate_content
├── ReconnectionRequired       account.reconnection_required
├── PostLimitReached           billing.post_limit
├── Throttled                  system.internal (never raised itself: a 429 with Retry-After, meta.retry_after_seconds)
│   ├── RateLimited            ratelimit.exceeded (the tenant's requests per minute)
│   └── VelocityLimited        publishing.velocity_limit (a publish target's posts per hour or per day)
├── StorageQuotaExceeded       billing.storage_quota
├── InteractionLimitReached    billing.interaction_limit; validation.interaction_limit_exhausted (by generation)
├── NotSupported               resource.not_supported
├── MediaRejected              publishing.media.unsupported_source, publishing.media.mixing_unsupported (422)
├── Conflict                   resource.conflict; media.in_use, webhook.delivery_in_flight,
│   │                          account.different_login, account.page_assigned
│   └── VerificationFailed     mock.verification_failed (POST /_mock/verify: the count was not met)
├── LimitReached               mock.limit; mock.tenant_limit, mock.media_limit, mock.scenario_limit (own caps)
├── UploadRefused              media.upload_refused (a PUT to a presigned URL; 403 as S3 answers)
├── BrandsLimitReached         billing.brands_limit (a free plan's third brand)
├── PageCapReached             platform.facebook.page_cap (a brand's sixth Facebook Page)
├── ByokCredentialsMissing     byok.credentials_missing (X without the customer's own app credentials)
├── DashboardOnly              auth.dashboard_only (routes the real API serves to the dashboard only)
├── ScopeRefused               auth.insufficient_scope (a key without the route's scope, or not full-access)
├── Gone                       invite.expired (a spent or expired invite link)
├── ExportLimitReached         billing.export_limit; billing.export_concurrent, billing.export_cooldown
├── AuthFailed                 auth.invalid_key; auth.missing_header, auth.empty_token
├── Unauthorized               auth.invalid_token (a control call without the right X-Mock-Token)
├── RetryLater                 platform.instagram.rate_limit (an Instagram account synced twice within 5 minutes)
├── NotReady                   mock.starting (the server listens but is still loading)
└── ReloadFailed               mock.reload_failed (a fixture or scenario file did not load)
"""

from __future__ import annotations

from typing import Any

from mockserver.core import messages


class DomainError(Exception):
    code: str = "system.internal"

    def __init__(self, message: str, *, code: str | None = None, meta: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.meta: dict[str, Any] = meta or {}


class NotFound(DomainError):
    code = "resource.not_found"

    @classmethod
    def of(cls, kind: str, ident: str) -> NotFound:
        message = messages.NOT_FOUND.format(kind=kind, id=ident)
        return cls(message, code=f"{kind}.not_found", meta={"resource": kind, "id": ident})


class ValidationFailed(DomainError):
    code = "validation.field_invalid"
    required_code = "validation.field_required"

    @classmethod
    def required(cls, field: str, message: str | None = None) -> ValidationFailed:
        return cls(message or f"{field} is required", code="validation.field_required", meta={"field": field})

    @classmethod
    def invalid(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        return cls(message, code=code or "validation.field_invalid", meta={"field": field})


class BodyInvalid(ValidationFailed):
    code = "validation.body_invalid"


class BodyTooLarge(ValidationFailed):
    code = "validation.body_too_large"


class StateInvalid(DomainError):
    code = "post.state_invalid"


class NoRetryableDeliveries(DomainError):
    code = "post.no_retryable_deliveries"


class DuplicateContent(DomainError):
    code = "post.duplicate_content"


class ReconnectionRequired(DomainError):
    code = "account.reconnection_required"


class PostLimitReached(DomainError):
    code = "billing.post_limit"

    def __init__(self, *, limit: int, remaining: int, code: str | None = None, message: str | None = None) -> None:
        super().__init__(
            message or f"not enough post credits: need 1, have {remaining} remaining",
            code=code,
            meta={"plan": "free", "max": limit},
        )
        self.limit = limit
        self.remaining = remaining


class Throttled(DomainError):
    """A refusal that a retry after ``retry_after`` seconds of the tenant's clock would not meet.

    ``switch`` names the tenant setting that turns the limit off (``PATCH /_mock/tenant``).
    """

    switch: str = ""

    def __init__(self, message: str, *, retry_after: int, meta: dict[str, Any]) -> None:
        super().__init__(message, meta={**meta, "retry_after_seconds": retry_after})
        self.retry_after = retry_after


class RateLimited(Throttled):
    code = "ratelimit.exceeded"
    switch = "request_limit"

    def __init__(self, *, limit: int, retry_after: int) -> None:
        super().__init__(
            messages.RATE_LIMITED.format(limit=limit, seconds=retry_after),
            retry_after=retry_after,
            meta={"limit": limit},
        )
        self.limit = limit


class VelocityLimited(Throttled):
    code = "publishing.velocity_limit"
    switch = "velocity_caps"

    def __init__(self, *, platform: str, account_id: str, window: str, limit: int, retry_after: int) -> None:
        super().__init__(
            messages.VELOCITY_LIMITED.format(
                platform=platform, limit=limit, window="hour" if window == "hour" else "24 hours", seconds=retry_after
            ),
            retry_after=retry_after,
            meta={"account_id": account_id, "window": window, "limit": limit},
        )


class InteractionLimitReached(DomainError):
    """A free plan's monthly interaction credits (inbox replies, DM sends) are spent: 429."""

    code = "billing.interaction_limit"

    def __init__(self, message: str, *, code: str, limit: int) -> None:
        super().__init__(message, code=code, meta={"plan": "free", "max": limit})
        self.limit = limit


class StorageQuotaExceeded(DomainError):
    code = "billing.storage_quota"


class NotSupported(DomainError):
    code = "resource.not_supported"


class MediaRejected(DomainError):
    """A media source the target's platform cannot take (docs /guides/media): 422."""

    code = "publishing.media.unsupported_source"


class Conflict(DomainError):
    code = "resource.conflict"


class VerificationFailed(Conflict):
    """``POST /_mock/verify``: the count was not met; ``meta`` carries the count and the nearest misses."""

    code = "mock.verification_failed"


class UploadRefused(DomainError):
    """A PUT to a presigned URL that is unknown, expired, or whose media was already verified.

    S3 answers such requests with 403, which is what a client of the real API would see.
    """

    code = "media.upload_refused"


class LimitReached(DomainError):
    """One of the mock's own caps (``--max-tenants``, ``--max-media-bytes``, ...); ``meta.limit`` holds it."""

    code = "mock.limit"


class AuthFailed(DomainError):
    code = "auth.invalid_key"


class Unauthorized(DomainError):
    """A control-plane call without the right ``X-Mock-Token``."""

    code = "auth.invalid_token"


class ScenarioInvalid(ValidationFailed):
    """A scenario document that does not validate; ``meta.field`` holds the path."""


class RetryLater(DomainError):
    """Too soon: ``retry_after_seconds`` says when the same call will be accepted (``Retry-After``)."""

    code = "platform.instagram.rate_limit"

    def __init__(
        self, message: str, *, retry_after_seconds: int, code: str | None = None, meta: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code, meta={**(meta or {}), "retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class NotReady(DomainError):
    """The server listens but is still loading (a state file, say): try again in a moment."""

    code = "mock.starting"


class ReloadFailed(DomainError):
    """A fixture or scenario file did not load on reload; the last good configuration stays in force."""

    code = "mock.reload_failed"


class BrandsLimitReached(DomainError):
    code = "billing.brands_limit"


class PageCapReached(DomainError):
    code = "platform.facebook.page_cap"


class ByokCredentialsMissing(DomainError):
    code = "byok.credentials_missing"


class DashboardOnly(DomainError):
    code = "auth.dashboard_only"


class ScopeRefused(DomainError):
    code = "auth.insufficient_scope"


class Gone(DomainError):
    code = "invite.expired"


class ExportLimitReached(DomainError):
    code = "billing.export_limit"
