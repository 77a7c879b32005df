"""The webhook area's records: endpoints, their deliveries and attempts, and the mock's sinks."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from mockserver.core.codecs import Bounded

PENDING = "pending"
# What a kept sink delivery costs beyond its body and headers (its record, timestamps, flags).
RECORD_COST = 256


@dataclass(slots=True)
class Endpoint:
    id: str
    url: str
    events: tuple[str, ...]
    secret: str
    is_active: bool
    created_at: datetime

    @property
    def secret_hint(self) -> str:
        return f"whsec_...{self.secret[-4:]}"


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    status_code: int | None
    response_body: str
    duration_ms: int
    error_message: str
    created_at: datetime

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(slots=True)
class Delivery:
    id: str
    endpoint_id: str
    event_type: str
    description: str
    body: bytes
    created_at: datetime
    status: str = PENDING
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: datetime | None = None
    finished_at: datetime | None = None
    in_flight: bool = False
    is_test: bool = False

    @property
    def last_attempt(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True, slots=True)
class Received:
    at: datetime
    headers: dict[str, str]
    body: bytes
    webhook_id: str | None
    signature_valid: bool
    signature_v2_valid: bool
    timestamp_within_tolerance: bool
    answered: int
    body_size: int = -1  # -1: the whole body is kept (a state saved before sizes were recorded)
    body_sha256: str = ""
    # Its place among every delivery the tenant's sinks received: the oldest is dropped first.
    seq: int = 0

    @property
    def cost(self) -> int:
        """What this delivery counts against its tenant's sink budget."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers.items()) + RECORD_COST


@dataclass(slots=True)
class Sink:
    name: str
    status: int = 200
    delay_ms: int = 0
    # Bounded by the tenant's sink budget (``core/webhooks/sinks.py``), not per sink.
    received: Annotated[deque[Received], Bounded()] = field(default_factory=deque)
