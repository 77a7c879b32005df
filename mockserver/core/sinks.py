"""Webhook sinks: receivers served by the mock itself, for testing what webhooks deliver.

A sink is a name owned by one tenant; its URL (``/_mock/sinks/{name}``) is registered as a webhook
endpoint like any other. Each delivery that arrives is kept with its headers and body and with what a
careful receiver would check: whether ``X-SocialAPI-Signature`` (v1) and ``X-SocialAPI-Signature-V2``
verify against the secret of the tenant's endpoint at that URL, and whether the v2 timestamp is within
the tolerance of the tenant's fake clock. A sink can be told to answer an error status or to be slow,
to exercise the sender's retries.
"""

from __future__ import annotations

import hmac
import re
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import AwareDatetime, BaseModel, ConfigDict

from mockserver.core.clock import Clock
from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.webhooks import Endpoint, sign, sign_v2

if TYPE_CHECKING:
    from mockserver.core.backend import BackendExtension as _Extension
    from mockserver.core.tenant import Shared
else:
    _Extension = object

SINK_PATH = "/_mock/sinks/{name}"
SINK_PREFIX = "/_mock/sinks/"
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_SINKS = 50
MAX_RECEIVED = 1000  # per sink; the oldest drop off first
MAX_DELAY_MS = 60_000
MAX_BODY_KEPT = 64 * 1024
# How far the v2 timestamp may be from the receiver's clock: the tolerance the SDK's verifier uses.
TIMESTAMP_TOLERANCE_SECONDS = 300


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
    received: deque[Received] = field(default_factory=lambda: deque(maxlen=MAX_RECEIVED))


@dataclass(frozen=True, slots=True)
class SinkAnswer:
    status: int
    delay_ms: int


class Sinks(_Extension):
    """The tenant's sinks, mixed into ``PublishingBackend``."""

    if TYPE_CHECKING:
        tenant: str
        shared: Shared
        lock: threading.RLock
        clock: Clock
        _endpoints: dict[str, Endpoint]

    def _reset_extension(self) -> None:
        self._unindex_sinks()
        self._sinks: dict[str, Sink] = {}
        super()._reset_extension()

    def create_sink(self, name: str, *, status: int = 200, delay_ms: int = 0) -> Sink:
        """A new sink, or the same sink told to answer differently (what it received is kept)."""
        if not NAME.fullmatch(name):
            raise ValidationFailed.invalid("name", "name must be 1 to 64 letters, digits, '-' or '_'")
        if not 200 <= status <= 599:
            raise ValidationFailed.invalid("status", "status must be between 200 and 599")
        if not 0 <= delay_ms <= MAX_DELAY_MS:
            raise ValidationFailed.invalid("delay_ms", f"delay_ms must be between 0 and {MAX_DELAY_MS}")
        with self.lock:
            sink = self._sinks.get(name)
            if sink is None:
                if len(self._sinks) >= MAX_SINKS:
                    raise ValidationFailed.invalid("name", f"at most {MAX_SINKS} sinks per tenant")
                sink = self._sinks[name] = Sink(name)
                self.shared.sink_owners.setdefault(name, self.tenant)
            sink.status = status
            sink.delay_ms = delay_ms
            return sink

    def has_sink(self, name: str) -> bool:
        return name in self._sinks

    def sink_names(self) -> list[str]:
        with self.lock:
            return list(self._sinks)

    def get_sink(self, name: str) -> Sink:
        with self.lock:
            sink = self._sinks.get(name)
            if sink is None:
                raise NotFound.of("sink", name)
            return sink

    def receive_at_sink(self, name: str, headers: Mapping[str, str], body: bytes) -> SinkAnswer:
        """Record one delivery to sink ``name``; returns how the sink answers it."""
        with self.lock:
            sink = self.get_sink(name)
            now = self.clock.now()
            lower = {key.lower(): value for key, value in headers.items()}
            endpoint = next(
                (e for e in self._endpoints.values() if urlsplit(e.url).path == SINK_PREFIX + name),
                None,
            )
            v1 = v2 = fresh = False
            timestamp = lower.get("x-socialapi-timestamp", "")
            if timestamp.isdigit():
                fresh = abs(now.timestamp() - int(timestamp)) <= TIMESTAMP_TOLERANCE_SECONDS
            if endpoint is not None:
                v1 = _same(lower.get("x-socialapi-signature", ""), sign(endpoint.secret, body))
                if timestamp.isdigit():
                    expected = sign_v2(endpoint.secret, int(timestamp), body)
                    v2 = _same(lower.get("x-socialapi-signature-v2", ""), expected)
            sink.received.append(
                Received(
                    now,
                    dict(headers),
                    body[:MAX_BODY_KEPT],
                    endpoint.id if endpoint is not None else None,
                    v1,
                    v2,
                    fresh,
                    sink.status,
                )
            )
            return SinkAnswer(sink.status, sink.delay_ms)

    # -- state snapshots (see BackendExtension) ---------------------------------------------------

    _state_attributes: tuple[str, ...] = ("_sinks",)

    def _export_extension(self, out: dict[str, Any]) -> None:
        super()._export_extension(out)
        out["sinks"] = [SinkState.of(sink).model_dump(mode="json") for sink in self._sinks.values()]

    def _restore_extension(self, data: Mapping[str, Any]) -> None:
        super()._restore_extension(data)
        saved = data.get("sinks") or []
        if not isinstance(saved, list):
            raise ValueError("sinks: expected a list of sinks")
        sinks = [SinkState.model_validate(item).build() for item in saved]
        self._unindex_sinks()
        self._sinks = {sink.name: sink for sink in sinks}
        for name in self._sinks:
            self.shared.sink_owners.setdefault(name, self.tenant)

    def _unindex_sinks(self) -> None:
        owners = self.shared.sink_owners
        for name in getattr(self, "_sinks", {}):
            if owners.get(name) == self.tenant:
                del owners[name]


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReceivedState(_State):
    at: AwareDatetime
    headers: dict[str, str]
    body: str
    webhook_id: str | None
    signature_valid: bool
    signature_v2_valid: bool
    timestamp_within_tolerance: bool
    answered: int


class SinkState(_State):
    name: str
    status: int
    delay_ms: int
    received: list[ReceivedState]

    @classmethod
    def of(cls, sink: Sink) -> SinkState:
        return cls(
            name=sink.name,
            status=sink.status,
            delay_ms=sink.delay_ms,
            received=[
                ReceivedState(
                    at=r.at,
                    headers=r.headers,
                    body=r.body.decode("utf-8", "replace"),
                    webhook_id=r.webhook_id,
                    signature_valid=r.signature_valid,
                    signature_v2_valid=r.signature_v2_valid,
                    timestamp_within_tolerance=r.timestamp_within_tolerance,
                    answered=r.answered,
                )
                for r in sink.received
            ],
        )

    def build(self) -> Sink:
        if not NAME.fullmatch(self.name):
            raise ValueError(f"sinks: {self.name[:40]!r} is not a sink name")
        sink = Sink(self.name, self.status, self.delay_ms)
        sink.received.extend(
            Received(
                r.at.astimezone(UTC),
                r.headers,
                r.body.encode(),
                r.webhook_id,
                r.signature_valid,
                r.signature_v2_valid,
                r.timestamp_within_tolerance,
                r.answered,
            )
            for r in self.received
        )
        return sink


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())
