"""The webhook area's records: endpoints, their deliveries and attempts, and the mock's sinks."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from mockserver.core.codecs import Bounded

PENDING = "pending"
MAX_RECEIVED = 1000  # per sink; the oldest drop off first


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


@dataclass(slots=True)
class Sink:
    name: str
    status: int = 200
    delay_ms: int = 0
    received: Annotated[deque[Received], Bounded(maxlen=MAX_RECEIVED)] = field(
        default_factory=lambda: deque(maxlen=MAX_RECEIVED)
    )
