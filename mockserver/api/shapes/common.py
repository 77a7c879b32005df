"""What every shape shares: the request and response bases, size limits, time fields, the error envelope."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from mockserver.core.bounds import SHORT_MAX
from mockserver.core.timefmt import format_instant, parse_instant

ID_MAX = 200
LIST_MAX = 100

ShortText = Annotated[str, Field(max_length=SHORT_MAX)]
Ident = Annotated[str, Field(min_length=1, max_length=ID_MAX)]
MediaIds = Annotated[list[Ident], Field(max_length=LIST_MAX)]
# The page size of every list: ``?limit=``, 1 to 100.
PageLimit = Annotated[int, Field(ge=1, le=100)]


class Request(BaseModel):
    """A request body or query string."""

    # Unknown fields are dropped silently, as the real API does.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Out(BaseModel):
    """A response body: the class documents it, its static ``of(...)`` builds it."""

    # Built on first use (the OpenAPI document, tests), not at every server start.
    model_config = ConfigDict(extra="forbid", defer_build=True)


def instant(value: object) -> datetime | None:
    """A request's timestamp field: RFC 3339 text, or absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected an RFC 3339 timestamp string")
    return parse_instant(value)


def present(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The attributes ``names`` of ``source`` that are not None: a response's optional fields, left out when unset."""
    values = {name: getattr(source, name) for name in names}
    return {name: value for name, value in values.items() if value is not None}


def when(value: datetime | None) -> str | None:
    """A response's optional timestamp field."""
    return None if value is None else format_instant(value)


class ErrorDetail(Out):
    code: str
    message: str
    meta: dict[str, Any]


class ErrorOut(Out):
    error: ErrorDetail
    request_id: str

    @staticmethod
    def of(code: str, message: str, meta: dict[str, Any] | None, request_id: str) -> dict[str, Any]:
        return {"error": {"code": code, "message": message, "meta": meta or {}}, "request_id": request_id}


class SuccessOut(Out):
    success: bool

    @staticmethod
    def of() -> dict[str, Any]:
        return {"success": True}


class OkOut(Out):
    ok: bool

    @staticmethod
    def of() -> dict[str, Any]:
        return {"ok": True}
