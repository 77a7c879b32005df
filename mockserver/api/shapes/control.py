"""The ``/_mock`` control plane: clock, reset, plan, journal, scenarios, event outbox and state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mockserver.api.shapes.common import Out, Request, instant
from mockserver.api.shapes.inbox_arrivals import ArrivalOut
from mockserver.core.backend import LimitSwitches
from mockserver.core.baseline import Plan
from mockserver.core.inbox.arrivals import Arrived
from mockserver.core.journal import JournalEntry
from mockserver.core.posts.outcomes import AdvanceResult, Fired
from mockserver.core.records.events import EventRecord, event_json
from mockserver.core.scenarios import ScenarioDocument
from mockserver.core.timefmt import format_instant

# -- requests --------------------------------------------------------------------------------------


class AdvanceRequest(Request):
    seconds: Annotated[float, Field(ge=0, le=100 * 365 * 86400, allow_inf_nan=False)] | None = None
    to: datetime | None = None

    _when = field_validator("to", mode="plain", json_schema_input_type=datetime | None)(instant)


class TenantPatch(Request):
    plan: Literal["free", "paid"] | None = None
    posts_limit: Annotated[int, Field(ge=-1, le=10**9)] | None = None
    posts_used: Annotated[int, Field(ge=0, le=10**9)] | None = None
    duplicate_check: bool | None = None
    # The later generation's limits, on by default in 2026-10-02 only (docs/api-versions.md).
    request_limit: bool | None = None
    velocity_caps: bool | None = None


class ScenarioPut(BaseModel):
    """A scenario document (see README), or ``{"name": "<bundled scenario>"}``."""

    model_config = ConfigDict(extra="allow")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = None
    deliveries: list[dict[str, Any]] | None = None
    requests: list[dict[str, Any]] | None = None
    arrivals: list[dict[str, Any]] | None = None


class EventListQuery(Request):
    event: Annotated[str | None, Field(description="Comma-separated event names")] = None
    post_id: str | None = None
    # Only the newest N matching records (still oldest first): what a watcher of the outbox needs.
    limit: Annotated[int, Field(ge=1, le=10_000, description="Only the newest N records")] | None = None

    def events(self) -> set[str]:
        return {name for name in (self.event or "").split(",") if name}


# -- responses -------------------------------------------------------------------------------------


class ClockOut(Out):
    now: str
    mode: Literal["manual", "realtime"]
    # Fake seconds per wall second: --speed with --clock realtime, else 1.
    speed: float
    # When the next scheduled delivery falls due; null when nothing is queued.
    next_due: str | None

    @staticmethod
    def of(now: datetime, mode: str, speed: float, next_due: datetime | None) -> ClockOut:
        due = format_instant(next_due) if next_due is not None else None
        return ClockOut.build({"now": format_instant(now), "mode": mode, "speed": speed, "next_due": due})


class FiredOut(Out):
    post_id: str
    status: str

    @staticmethod
    def of(fired: Fired) -> FiredOut:
        return FiredOut.build({"post_id": fired.post_id, "status": fired.status})


class AdvanceOut(Out):
    now: str
    fired: list[FiredOut]

    @staticmethod
    def of(result: AdvanceResult, fired: list[FiredOut] | None = None) -> AdvanceOut:
        """The answer; ``fired`` is the result's fired posts already shaped (see ``api/control.py``)."""
        return AdvanceOut.build(
            {
                "now": format_instant(result.now),
                "fired": [FiredOut.of(f) for f in result.fired] if fired is None else fired,
            }
        )


class ResetOut(Out):
    success: bool
    now: str

    @staticmethod
    def of(now: datetime) -> ResetOut:
        return ResetOut.build({"success": True, "now": format_instant(now)})


class PlanOut(Out):
    """The tenant's plan and settings; ``api_version`` is the server's (``serve --api-version``)."""

    plan: str
    posts_limit: int
    posts_used: int
    duplicate_check: bool
    api_version: str
    request_limit: bool
    velocity_caps: bool

    @staticmethod
    def of(plan: Plan, *, duplicate_check: bool, api_version: str, switches: LimitSwitches) -> PlanOut:
        return PlanOut.build(
            {
                "plan": plan.name,
                "posts_limit": plan.posts_limit,
                "posts_used": plan.posts_used,
                "duplicate_check": duplicate_check,
                "api_version": api_version,
                "request_limit": switches.request_limit,
                "velocity_caps": switches.velocity_caps,
            }
        )


class JournalEntryOut(Out):
    method: str
    path: str
    query: dict[str, str]
    status: int
    # The body as JSON when the stored copy is the whole body and parses; else the stored text.
    body: Any
    body_size: int
    body_truncated: bool
    request_id: str
    at: str
    # The response body, kept and shown the same way as the request body.
    response_body: Any
    response_size: int
    response_truncated: bool
    # How long the mock made the request wait (a scenario's latency_ms), in milliseconds.
    latency_ms: int
    # What the body said that was not read as sent: the X-Mock-Warnings of the response.
    warnings: list[str] = []

    @staticmethod
    def of(entry: JournalEntry) -> JournalEntryOut:
        return JournalEntryOut.build(entry.to_json())


class JournalOut(Out):
    data: list[JournalEntryOut]

    @staticmethod
    def of(entries: Iterable[JournalEntry]) -> JournalOut:
        return JournalOut.build({"data": [JournalEntryOut.of(entry) for entry in entries]})


class ScenarioListOut(Out):
    # Each item is the document's JSON with a ``fired`` count on every rule.
    data: list[dict[str, Any]]

    @staticmethod
    def of(described: list[dict[str, Any]]) -> ScenarioListOut:
        return ScenarioListOut.build({"data": described})


class ScenarioActivatedOut(Out):
    # The active scenarios as ``GET /_mock/scenarios`` lists them, and the activated document's arrivals.
    data: list[dict[str, Any]]
    arrivals: list[ArrivalOut]

    @staticmethod
    def of(described: list[dict[str, Any]], arrived: list[Arrived]) -> ScenarioActivatedOut:
        return ScenarioActivatedOut.build({"data": described, "arrivals": [ArrivalOut.of(one) for one in arrived]})


class BundledScenarioOut(Out):
    name: str
    description: str
    active: bool


class ScenarioLibraryOut(Out):
    data: list[BundledScenarioOut]

    @staticmethod
    def of(library: Iterable[ScenarioDocument], active: set[str]) -> ScenarioLibraryOut:
        return ScenarioLibraryOut.build(
            {
                "data": [
                    BundledScenarioOut.build({"name": d.name, "description": d.description, "active": d.name in active})
                    for d in library
                ]
            }
        )


class EventRecordOut(Out):
    """An event record; ``data`` is the payload a webhook of that event carries (``core/records/events.py``)."""

    id: str
    event: str
    created_at: str
    data: dict[str, Any]

    @staticmethod
    def of(record: EventRecord) -> EventRecordOut:
        data = event_json(record.data)
        return EventRecordOut.build(
            {"id": record.id, "event": record.event, "created_at": record.created_at, "data": data}
        )


class EventListOut(Out):
    data: list[EventRecordOut]

    @staticmethod
    def of(records: list[EventRecord]) -> EventListOut:
        return EventListOut.build({"data": [EventRecordOut.of(record) for record in records]})


class StateRestoredOut(Out):
    success: bool
    posts: int
    now: str

    @staticmethod
    def of(posts: int, now: datetime) -> StateRestoredOut:
        return StateRestoredOut.build({"success": True, "posts": posts, "now": format_instant(now)})
