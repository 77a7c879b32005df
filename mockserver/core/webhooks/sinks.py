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
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.records.webhooks import Received, Sink
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.webhooks.outbox import sign, sign_v2

SINK_PATH = "/_mock/sinks/{name}"
SINK_PREFIX = "/_mock/sinks/"
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_SINKS = 50
MAX_DELAY_MS = 60_000
# The statuses a sink may be told to answer with (a restored state is held to the same range).
STATUS_MIN = 200
STATUS_MAX = 599
MAX_RECEIVED = 1000  # per tenant, all its sinks together
MAX_KEPT_BYTES = 4 * 1024 * 1024  # per tenant, all its sinks together
MAX_BODY_KEPT = 16 * 1024
# How far the v2 timestamp may be from the receiver's clock: the tolerance the SDK's verifier uses.
TIMESTAMP_TOLERANCE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class SinkAnswer:
    status: int
    delay_ms: int


class Sinks(Area):
    """The tenant's sinks; their names are indexed server-wide, as a sink's URL carries no API key."""

    def __init__(self, tenant: Tenant) -> None:
        super().__init__(tenant)
        tenant.restored.append(self._reindex)

    def _reindex(self) -> None:
        """After the state was replaced (a reset, a restore): the index names this tenant's sinks."""
        owners = self.tenant.shared.sink_owners
        for name in [n for n, owner in owners.items() if owner == self.tenant.name]:
            del owners[name]
        for name in self.state.webhooks.sinks:
            owners.setdefault(name, self.tenant.name)

    def create_sink(self, name: str, *, status: int = 200, delay_ms: int = 0) -> Sink:
        """A new sink, or the same sink told to answer differently (what it received is kept)."""
        if not NAME.fullmatch(name):
            raise ValidationFailed.invalid("name", "name must be 1 to 64 letters, digits, '-' or '_'")
        if not STATUS_MIN <= status <= STATUS_MAX:
            raise ValidationFailed.invalid("status", f"status must be between {STATUS_MIN} and {STATUS_MAX}")
        if not 0 <= delay_ms <= MAX_DELAY_MS:
            raise ValidationFailed.invalid("delay_ms", f"delay_ms must be between 0 and {MAX_DELAY_MS}")
        with self.lock:
            sink = self.state.webhooks.sinks.get(name)
            if sink is None:
                if len(self.state.webhooks.sinks) >= MAX_SINKS:
                    raise ValidationFailed.invalid("name", f"at most {MAX_SINKS} sinks per tenant")
                sink = self.state.webhooks.sinks[name] = Sink(name)
                self.tenant.shared.sink_owners.setdefault(name, self.tenant.name)
            sink.status = status
            sink.delay_ms = delay_ms
            return _copy(sink)

    def has_sink(self, name: str) -> bool:
        return name in self.state.webhooks.sinks

    def sink_names(self) -> list[str]:
        with self.lock:
            return list(self.state.webhooks.sinks)

    def get_sink(self, name: str) -> Sink:
        """A copy of sink ``name`` as it is now: the caller may read it while deliveries arrive."""
        with self.lock:
            return _copy(self._sink(name))

    def _sink(self, name: str) -> Sink:
        sink = self.state.webhooks.sinks.get(name)
        if sink is None:
            raise NotFound.of("sink", name)
        return sink

    def _keep_received(self, sink: Sink, received: Received) -> None:
        """Keep ``received``, then drop the tenant's oldest deliveries, whichever sink holds them,
        while its sinks together keep more than ``MAX_RECEIVED`` deliveries or ``MAX_KEPT_BYTES``.

        The totals are counted afresh (at most ``MAX_RECEIVED`` records): nothing beside the sinks
        themselves and the arrival counter needs saving or restoring.
        """
        sink.received.append(received)
        sinks = [s for s in self.state.webhooks.sinks.values() if s.received]
        count = sum(len(s.received) for s in sinks)
        kept = sum(r.cost for s in sinks for r in s.received)
        while count > MAX_RECEIVED or kept > MAX_KEPT_BYTES:
            oldest = min((s for s in sinks if s.received), key=lambda s: s.received[0].seq)
            kept -= oldest.received.popleft().cost
            count -= 1

    def sink_bytes_kept(self) -> int:
        """What the tenant's sinks hold, as counted against ``MAX_KEPT_BYTES``."""
        with self.lock:
            return sum(r.cost for s in self.state.webhooks.sinks.values() for r in s.received)

    def receive_at_sink(self, name: str, headers: Mapping[str, str], body: bytes) -> SinkAnswer:
        """Record one delivery to sink ``name``; returns how the sink answers it."""
        with self.lock:
            sink = self._sink(name)
            now = self.clock.now()
            lower = {key.lower(): value for key, value in headers.items()}
            endpoint = next(
                (e for e in self.state.webhooks.endpoints.values() if urlsplit(e.url).path == SINK_PREFIX + name),
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
                seq=self.state.webhooks.received_seq,
            )
            self.state.webhooks.received_seq += 1
            self._keep_received(sink, kept)
            return SinkAnswer(sink.status, sink.delay_ms)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def _copy(sink: Sink) -> Sink:
    return replace(sink, received=deque(sink.received, maxlen=sink.received.maxlen))
