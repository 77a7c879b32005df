"""Webhook sinks: receivers served by the mock itself, for testing what webhooks deliver.

A sink is a name owned by one tenant; its URL (``/_mock/sinks/{name}``) is registered as a webhook
endpoint like any other. Each delivery that arrives is kept with its headers and body and with what a
careful receiver would check: whether ``X-SocialAPI-Signature`` (v1) and ``X-SocialAPI-Signature-V2``
verify against the secret of the tenant's endpoint at that URL, and whether the v2 timestamp is within
the tolerance of the tenant's fake clock. A sink can be told to answer an error status or to be slow,
to exercise the sender's retries.

The receiver needs no key, so what a tenant's sinks keep is bounded: each delivery keeps the first
``MAX_BODY_KEPT`` bytes of its body with the body's size and SHA-256, and a tenant's sinks together
keep at most ``MAX_RECEIVED`` deliveries and ``MAX_KEPT_BYTES`` (bodies and headers as kept); past
either, the tenant's oldest delivery, whichever sink holds it, is dropped first.
"""

from __future__ import annotations

import hashlib
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
else:
    _Extension = object

SINK_PATH = "/_mock/sinks/{name}"
SINK_PREFIX = "/_mock/sinks/"
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_SINKS = 50
MAX_RECEIVED = 1000  # per tenant, all its sinks together
MAX_KEPT_BYTES = 4 * 1024 * 1024  # per tenant, all its sinks together
MAX_DELAY_MS = 60_000
MAX_BODY_KEPT = 16 * 1024
# What a kept delivery costs beyond its body and headers (its record, timestamps, flags).
RECORD_COST = 256
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
    body_size: int = -1  # -1: the whole body is kept (a state saved before sizes were recorded)
    body_sha256: str = ""

    @property
    def cost(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers.items()) + RECORD_COST


@dataclass(slots=True)
class Sink:
    name: str
    status: int = 200
    delay_ms: int = 0
    received: deque[Received] = field(default_factory=deque)


@dataclass(frozen=True, slots=True)
class SinkAnswer:
    status: int
    delay_ms: int


class Sinks(_Extension):
    """The tenant's sinks, mixed into ``PublishingBackend``."""

    if TYPE_CHECKING:
        lock: threading.RLock
        clock: Clock
        _endpoints: dict[str, Endpoint]

    def _reset_extension(self) -> None:
        self._sinks: dict[str, Sink] = {}
        # Every kept delivery's sink, oldest first (each sink's own deque is oldest first too).
        self._sink_arrivals: deque[Sink] = deque()
        self._sink_bytes = 0
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
            kept = Received(
                now,
                dict(headers),
                body[:MAX_BODY_KEPT],
                endpoint.id if endpoint is not None else None,
                v1,
                v2,
                fresh,
                sink.status,
                body_size=len(body),
                body_sha256=hashlib.sha256(body).hexdigest(),
            )
            self._keep_received(sink, kept)
            return SinkAnswer(sink.status, sink.delay_ms)

    def _keep_received(self, sink: Sink, received: Received) -> None:
        sink.received.append(received)
        self._sink_arrivals.append(sink)
        self._sink_bytes += received.cost
        while len(self._sink_arrivals) > MAX_RECEIVED or self._sink_bytes > MAX_KEPT_BYTES:
            oldest = self._sink_arrivals.popleft().received.popleft()
            self._sink_bytes -= oldest.cost

    def sink_bytes_kept(self) -> int:
        """What the tenant's sinks hold, as counted against ``MAX_KEPT_BYTES``."""
        with self.lock:
            return self._sink_bytes

    # -- state snapshots (see BackendExtension) ---------------------------------------------------

    # The arrival order and byte count are rebuilt from the sinks on restore.
    _state_attributes: tuple[str, ...] = ("_sinks", "_sink_arrivals", "_sink_bytes")

    def _export_extension(self, out: dict[str, Any]) -> None:
        super()._export_extension(out)
        out["sinks"] = [SinkState.of(sink).model_dump(mode="json") for sink in self._sinks.values()]

    def _restore_extension(self, data: Mapping[str, Any]) -> None:
        super()._restore_extension(data)
        saved = data.get("sinks") or []
        if not isinstance(saved, list):
            raise ValueError("sinks: expected a list of sinks")
        sinks = [SinkState.model_validate(item).build() for item in saved]
        self._sinks = {}
        self._sink_arrivals = deque()
        self._sink_bytes = 0
        arrivals = sorted(((r.at, sink, r) for sink in sinks for r in sink.received), key=lambda a: a[0])
        for sink in sinks:
            self._sinks[sink.name] = Sink(sink.name, sink.status, sink.delay_ms)
        for _, sink, received in arrivals:
            self._keep_received(self._sinks[sink.name], received)


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
    body_size: int = -1
    body_sha256: str = ""


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
                    body_size=r.body_size,
                    body_sha256=r.body_sha256,
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
                r.body_size,
                r.body_sha256,
            )
            for r in self.received
        )
        return sink


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())
