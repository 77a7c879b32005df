"""The delivery log: every attempt the mock made to hand a post to a "platform", as the platform saw it.

A delivery is one target of one post, attempted once: the content after the post-level defaults and
the per-target overrides were folded together, the outcome, and what decided it (a scenario rule, or
the mock's own checks). ``GET /_mock/deliveries``, ``POST /_mock/verify`` and ``GET /v1/events`` read
it. It is bounded like the request journal (``--journal-size``): the oldest attempts drop off first.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from mockserver.core.models import TargetError
from mockserver.core.posts.records import DeliveryRecord

if TYPE_CHECKING:
    from mockserver.core.backend import BackendExtension as _Extension
else:
    # The real base comes through PublishingBackend's bases; importing backend.py here would be a cycle.
    _Extension = object

PUBLISHED = "published"
FAILED = "failed"
OUTCOMES = (PUBLISHED, FAILED)


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    outcome: str | None = None

    def admits(self, record: DeliveryRecord) -> bool:
        return (
            (self.platform is None or record.platform == self.platform)
            and (self.account_id is None or record.account_id == self.account_id)
            and (self.post_id is None or record.post_id == self.post_id)
            and (self.outcome is None or record.outcome == self.outcome)
        )


class DeliveryLog(_Extension):
    """The bounded list of delivery attempts, mixed into ``PublishingBackend``."""

    if TYPE_CHECKING:
        lock: threading.RLock
        journal: deque[Any]

    def _reset_extension(self) -> None:
        # The same bound as the request journal: one --journal-size keeps the mock's memory flat.
        self.deliveries: deque[DeliveryRecord] = deque(maxlen=self.journal.maxlen)
        super()._reset_extension()

    def record_delivery(self, record: DeliveryRecord) -> None:
        if self.deliveries.maxlen != 0:
            self.deliveries.append(record)

    def list_delivery_records(self, wanted: DeliveryFilter) -> list[DeliveryRecord]:
        with self.lock:
            return [record for record in self.deliveries if wanted.admits(record)]

    def iter_delivery_records(self) -> Iterator[DeliveryRecord]:
        """A copy taken under the lock, so the caller may read it while requests go on."""
        with self.lock:
            return iter(list(self.deliveries))

    # -- state snapshots (see BackendExtension) ---------------------------------------------------

    _state_attributes: tuple[str, ...] = ("deliveries",)

    def _export_extension(self, out: dict[str, Any]) -> None:
        super()._export_extension(out)
        out["deliveries"] = [DeliveryState.of(r).model_dump(mode="json") for r in self.deliveries]

    def _restore_extension(self, data: Mapping[str, Any]) -> None:
        super()._restore_extension(data)
        saved = data.get("deliveries") or []
        if not isinstance(saved, list):
            raise ValueError("deliveries: expected a list of delivery records")
        records = [DeliveryState.model_validate(item).build() for item in saved]
        self.deliveries.clear()
        self.deliveries.extend(records)


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ErrorState(_State):
    message: str
    category: str
    caused_by: str
    code: str | None = None


class DeliveryState(_State):
    post_id: str
    account_id: str
    platform: str
    page_id: str | None
    attempt: int
    at: AwareDatetime
    text: str
    title: str | None
    media_ids: list[str]
    platform_data: dict[str, Any] | None
    outcome: Literal["published", "failed"]
    error: ErrorState | None
    scenario_rule: str | None
    latency_ms: int

    @classmethod
    def of(cls, r: DeliveryRecord) -> DeliveryState:
        error = None if r.error is None else ErrorState(**_error_fields(r.error))
        return cls(
            post_id=r.post_id,
            account_id=r.account_id,
            platform=r.platform,
            page_id=r.page_id,
            attempt=r.attempt,
            at=r.at,
            text=r.text,
            title=r.title,
            media_ids=list(r.media_ids),
            platform_data=None if r.platform_data is None else dict(r.platform_data),
            outcome=r.outcome,
            error=error,
            scenario_rule=r.scenario_rule,
            latency_ms=r.latency_ms,
        )

    def build(self) -> DeliveryRecord:
        error = None if self.error is None else TargetError(**self.error.model_dump())
        return DeliveryRecord(
            self.post_id,
            self.account_id,
            self.platform,
            self.page_id,
            self.attempt,
            self.at.astimezone(UTC),
            self.text,
            self.title,
            tuple(self.media_ids),
            self.platform_data,
            self.outcome,
            error,
            self.scenario_rule,
            self.latency_ms,
        )


def _error_fields(error: TargetError) -> dict[str, Any]:
    return {"message": error.message, "category": error.category, "caused_by": error.caused_by, "code": error.code}
