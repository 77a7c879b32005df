"""Domain errors. Each carries the API's stable ``code``; HTTP statuses live in ``api/errors.py``.

DomainError
├── NotFound                  post.not_found, account.not_found, media.not_found, ...
├── ValidationFailed          validation.* (with meta.field), platform.tiktok.media_required
├── StateInvalid              post.state_invalid
├── NoRetryableDeliveries     post.no_retryable_deliveries
├── DuplicateContent          post.duplicate_content
├── ReconnectionRequired      account.reconnection_required
├── PostLimitReached          billing.post_limit
├── StorageQuotaExceeded      billing.storage_quota
├── NotSupported              resource.not_supported
├── Conflict                  media.in_use
│   └── VerificationFailed    mock.verification_failed
├── LimitReached              mock.tenant_limit, mock.media_limit, mock.scenario_limit
└── AuthFailed                auth.*
"""

from __future__ import annotations

from typing import Any


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
        return cls(f"{kind} {ident} not found", code=f"{kind}.not_found", meta={"resource": kind, "id": ident})


class ValidationFailed(DomainError):
    code = "validation.field_invalid"

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

    def __init__(self, *, limit: int, remaining: int) -> None:
        super().__init__(
            f"not enough post credits: need 1, have {remaining} remaining",
            meta={"plan": "free", "max": limit},
        )
        self.limit = limit
        self.remaining = remaining


class StorageQuotaExceeded(DomainError):
    code = "billing.storage_quota"


class NotSupported(DomainError):
    code = "resource.not_supported"


class Conflict(DomainError):
    code = "resource.conflict"


class VerificationFailed(Conflict):
    """``POST /_mock/verify``: the count was not met; ``meta`` carries the count and the nearest misses."""

    code = "mock.verification_failed"


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
