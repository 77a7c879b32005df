"""Sends webhook deliveries over HTTP, off the request path.

The core decides what is due and records outcomes (``core/webhooks/outbox.py``); this module only moves
bytes. ``kick(backend)`` runs after every API response: when an attempt is due it starts a detached
task on the running loop, so the response never waits for a receiver. A periodic loop started by the
app's lifespan catches what no request kicks (a realtime clock reaching a retry, calls made on the
backend directly). Test and manual-retry deliveries are sent inline with ``send``, since their
responses report the attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import monotonic
from mockserver.core.webhooks.outbox import AttemptResult, Outgoing

if TYPE_CHECKING:
    import httpx

TIMEOUT_SECONDS = 10.0  # upstream gives receivers 10 s to answer
RESPONSE_BODY_MAX = 1024
SETTLE_TIMEOUT_SECONDS = 30.0
IN_PROCESS_HOSTS = "all://*.test"
# Receivers that never answer must not make the mock open sockets without end.
MAX_SENDS = 64
MAX_SENDS_PER_TENANT = 8


class Tenants(Protocol):
    """Whose deliveries to send (``MockServer`` provides it)."""

    # Tenants busy with long work in slices: their deliveries wait until it ends.
    @property
    def busy(self) -> Mapping[str, asyncio.Event]: ...

    def tenants(self) -> Iterable[PublishingBackend]: ...

    # The mock's own app: deliveries to a .test host go to it in-process (webhook sinks).
    @property
    def app(self) -> Any: ...


class WebhookSender:
    def __init__(
        self,
        server: Tenants,
        *,
        timeout: float = TIMEOUT_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._server = server
        self._timeout = timeout
        self._transport = transport
        self._tasks: set[asyncio.Task[int]] = set()
        self._draining: dict[str, asyncio.Task[int]] = {}
        self._ssl: ssl.SSLContext | None = None
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def kick(self, backend: PublishingBackend) -> None:
        """Start sending ``backend``'s due deliveries in the background, if any are due."""
        due = backend.webhooks.next_delivery_due()
        if due is None or due > backend.now():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if backend.key in self._server.busy:
            return  # long work in slices; the request that runs it kicks when it ends
        running = self._draining.get(backend.key)
        if running is not None and not running.done():
            return  # that drain picks up what fell due meanwhile
        task = loop.create_task(self.drain(backend))
        # The loop keeps only weak references to tasks; hold them until they finish.
        self._tasks.add(task)
        self._draining[backend.key] = task
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda done: self._forget(backend.key, done))

    def _forget(self, tenant: str, task: asyncio.Task[int]) -> None:
        if self._draining.get(tenant) is task:
            del self._draining[tenant]

    async def drain(self, backend: PublishingBackend) -> int:
        """Send every due attempt, including retries that fall due meanwhile; returns how many."""
        sent = 0
        while batch := backend.webhooks.claim_due_deliveries():
            await self.send(backend, batch)
            sent += len(batch)
        return sent

    async def settle(self, backend: PublishingBackend, *, timeout: float = SETTLE_TIMEOUT_SECONDS) -> None:
        """Drain, then wait for attempts other tasks have in flight, until nothing due is left."""
        deadline = monotonic() + timeout
        while True:
            await self.drain(backend)
            if backend.webhooks.delivery_summary().in_flight == 0:
                due = backend.webhooks.next_delivery_due()
                if due is None or due > backend.now():
                    return
            if monotonic() > deadline:
                return
            await asyncio.sleep(0.005)

    async def send(self, backend: PublishingBackend, batch: Iterable[Outgoing]) -> None:
        """Send claimed attempts concurrently and record each outcome."""
        outgoing = list(batch)
        everyone = self._global_slots()
        mine = asyncio.Semaphore(MAX_SENDS_PER_TENANT)

        async def limited(http: httpx.AsyncClient, attempt: Outgoing) -> AttemptResult:
            async with mine, everyone:
                return await self._post(http, attempt)

        try:
            async with self._client() as http:
                results = await asyncio.gather(*(limited(http, o) for o in outgoing))
        except asyncio.CancelledError:
            # Shutting down: hand the claims back as failed attempts, so they are retried, not stuck.
            for attempt in outgoing:
                backend.webhooks.record_attempt(
                    attempt, AttemptResult(None, error_message="cancelled: the mock shut down")
                )
            raise
        for attempt, result in zip(outgoing, results, strict=True):
            backend.webhooks.record_attempt(attempt, result)

    async def run_periodically(self, interval: float) -> None:
        while True:
            for backend in self._server.tenants():
                self.kick(backend)
            await asyncio.sleep(interval)

    @contextlib.asynccontextmanager
    async def running(self, interval: float) -> AsyncIterator[None]:
        """The periodic loop for the lifetime of a served app; in-flight sends are cancelled at exit."""
        ticker = asyncio.get_running_loop().create_task(self.run_periodically(interval))
        try:
            yield
        finally:
            ticker.cancel()
            pending = [t for t in self._tasks if t.get_loop() is asyncio.get_running_loop()]
            for task in pending:
                task.cancel()
            await asyncio.gather(ticker, *pending, return_exceptions=True)

    def _global_slots(self) -> asyncio.Semaphore:
        """The semaphore bounding sends across tenants, one per event loop the app runs on."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(MAX_SENDS))
        return self._slots[1]

    def _client(self) -> httpx.AsyncClient:
        # Imported on first use: httpx (and what it pulls in) costs ~60 ms of every server start.
        import httpx

        # A client per batch: the app may serve several event loops (one per in-process transport),
        # and a client's pool belongs to one loop. The TLS context, the costly part, is shared.
        if self._ssl is None:
            self._ssl = ssl.create_default_context()
        return httpx.AsyncClient(
            timeout=self._timeout,
            verify=self._ssl,
            follow_redirects=False,
            trust_env=False,
            transport=self._transport,
            # A .test host is this mock itself (the in-process handle's URLs): delivered to the app directly,
            # on the running loop, so a sink receives without a socket and nothing waits on itself.
            mounts={IN_PROCESS_HOSTS: httpx.ASGITransport(app=self._server.app)},
        )

    async def _post(self, http: httpx.AsyncClient, outgoing: Outgoing) -> AttemptResult:
        started = monotonic()
        try:
            # The overall bound covers in-process deliveries too, which httpx's own timeouts do not.
            status, body = await asyncio.wait_for(self._exchange(http, outgoing), self._timeout)
        except TimeoutError:
            return AttemptResult(None, "", _elapsed_ms(started), f"TimeoutError: no answer within {self._timeout:g} s")
        except Exception as exc:  # any failure is the attempt's outcome, never the sender's crash
            return AttemptResult(None, "", _elapsed_ms(started), _describe(exc))
        return AttemptResult(status, body, _elapsed_ms(started), "" if 200 <= status < 300 else f"HTTP {status}")

    @staticmethod
    async def _exchange(http: httpx.AsyncClient, outgoing: Outgoing) -> tuple[int, str]:
        async with http.stream("POST", outgoing.url, content=outgoing.body, headers=outgoing.headers) as response:
            return response.status_code, await _read_prefix(response, RESPONSE_BODY_MAX)


async def _read_prefix(response: httpx.Response, limit: int) -> str:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit].decode("utf-8", "replace")


def _elapsed_ms(started: float) -> int:
    return int((monotonic() - started) * 1000)


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]
