"""``/_mock/requests`` (the request journal, filtered, and emptied) and ``/_mock/deliveries``.

The shapes of both lists live here: a journal entry as ``JournalEntryOut``, a delivery attempt as
``DeliveryRecordOut``; ``/_mock/verify`` reports its nearest misses in the same shapes.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mockserver.api.http import Call, Reply, parse_model
from mockserver.api.schemas import JournalOut, SuccessOut
from mockserver.api.spec import operation
from mockserver.core.deliveries import DeliveryFilter, DeliveryRecord
from mockserver.core.errors import ValidationFailed
from mockserver.core.journal import JournalFilter
from mockserver.core.models import PLATFORMS
from mockserver.core.paths import PATH_SHAPE, PathPattern
from mockserver.core.timefmt import format_instant, parse_instant

Q = TypeVar("Q", bound=BaseModel)


class _Query(BaseModel):
    # A misspelt filter would silently match everything: refuse it instead.
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestsQuery(_Query):
    method: str | None = Field(default=None, description="HTTP method, any case")
    path: str | None = Field(default=None, description="a literal path or a route template such as /v1/posts/{pid}")
    status: int | None = Field(default=None, ge=100, le=599)
    since: str | None = Field(default=None, description="entries at or after this fake instant (RFC 3339)")
    request_id: str | None = None
    limit: int | None = Field(default=None, ge=1, description="keep the newest N matching entries")


class DeliveriesQuery(_Query):
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    outcome: Literal["published", "failed"] | None = None


class DeliveryErrorOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    code: str | None
    message: str
    category: str
    caused_by: str


class DeliveryRecordOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    post_id: str
    account_id: str
    platform: str
    page_id: str | None
    attempt: int
    at: str
    text: str
    title: str | None
    media_ids: list[str]
    platform_data: dict[str, Any] | None
    outcome: Literal["published", "failed"]
    error: DeliveryErrorOut | None
    scenario_rule: str | None = Field(description="the scenario rule that decided, as <scenario>.deliveries[<i>]")
    latency_ms: int


class DeliveryListOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    data: list[DeliveryRecordOut]


def parse_query(model: type[Q], call: Call) -> Q:
    return parse_model(model, dict(call.query))


def journal_filter(query: RequestsQuery) -> JournalFilter:
    return JournalFilter(
        method=query.method.upper() if query.method else None,
        path=path_pattern(query.path, "path") if query.path else None,
        status=query.status,
        since=instant(query.since, "since") if query.since else None,
        request_id=query.request_id,
        limit=query.limit,
    )


def path_pattern(text: str, field_name: str) -> PathPattern:
    if not PATH_SHAPE.fullmatch(text):
        message = f"{field_name}: expected a path such as /v1/posts or /v1/posts/{{pid}}"
        raise ValidationFailed.invalid(field_name, message)
    return PathPattern(text)


def instant(text: str, field_name: str) -> Any:
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise ValidationFailed.invalid(field_name, f"{field_name}: {exc}") from None


def platform_name(value: str | None, field_name: str) -> str | None:
    if value is not None and value not in PLATFORMS:
        raise ValidationFailed.invalid(field_name, f"{field_name}: unknown platform {value[:40]!r}")
    return value


@operation(
    "The tenant's request journal, oldest first; filter by method, path (literal or template), status, since, "
    "request_id, limit",
    query=RequestsQuery,
    responses={200: JournalOut},
    errors=(400, 401),
)
def list_requests(call: Call) -> Reply:
    wanted = journal_filter(parse_query(RequestsQuery, call))
    with call.backend.lock:
        entries = list(call.backend.journal)
    return Reply({"data": [entry.to_json() for entry in wanted.apply(entries)]})


@operation("Empty the tenant's request journal", responses={200: SuccessOut}, errors=(401,))
def clear_requests(call: Call) -> Reply:
    with call.backend.lock:
        call.backend.journal.clear()
    return Reply({"success": True})


def delivery_filter(query: DeliveriesQuery) -> DeliveryFilter:
    return DeliveryFilter(
        platform=platform_name(query.platform, "platform"),
        account_id=query.account_id,
        post_id=query.post_id,
        outcome=query.outcome,
    )


@operation(
    "Every delivery attempt to a platform, oldest first; filter by platform, account_id, post_id, outcome",
    query=DeliveriesQuery,
    responses={200: DeliveryListOut},
    errors=(400, 401),
)
def list_deliveries(call: Call) -> Reply:
    wanted = delivery_filter(parse_query(DeliveriesQuery, call))
    return Reply({"data": [delivery_json(r) for r in call.backend.list_delivery_records(wanted)]})


def delivery_json(record: DeliveryRecord) -> dict[str, Any]:
    error = record.error
    return {
        "post_id": record.post_id,
        "account_id": record.account_id,
        "platform": record.platform,
        "page_id": record.page_id,
        "attempt": record.attempt,
        "at": format_instant(record.at),
        "text": record.text,
        "title": record.title,
        "media_ids": list(record.media_ids),
        "platform_data": None if record.platform_data is None else dict(record.platform_data),
        "outcome": record.outcome,
        "error": None
        if error is None
        else {"code": error.code, "message": error.message, "category": error.category, "caused_by": error.caused_by},
        "scenario_rule": record.scenario_rule,
        "latency_ms": record.latency_ms,
    }
