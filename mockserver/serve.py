"""Running a ``MockServer`` under uvicorn, in the foreground (CLI) or in a thread (tests, plugin)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from mockserver.api.state import (
    StateFileError,
    load_state_file,
    prepare_state_file,
    save_state_file,
    save_state_file_async,
)
from mockserver.bounded_http import bounded_protocol
from mockserver.mock import MockServer

logger = logging.getLogger("mockserver")


def _config(server: MockServer, *, port: int | None = None, log_level: str = "warning") -> uvicorn.Config:
    settings = server.settings
    return uvicorn.Config(
        server.app,
        host=settings.host,
        port=settings.port if port is None else port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
        http=bounded_protocol(max_head_bytes=settings.max_header_bytes, request_timeout=settings.request_timeout),
        limit_concurrency=settings.limit_concurrency,
        # Typed int, but uvicorn hands it to asyncio.wait_for, which takes fractions of a second too.
        timeout_graceful_shutdown=settings.shutdown_timeout,  # type: ignore[arg-type]
    )


class _Uvicorn(uvicorn.Server):
    """uvicorn that marks the mock as stopping on a stop signal, and saves the state periodically."""

    def __init__(self, config: uvicorn.Config, mock: MockServer, *, state_file: Path | None = None) -> None:
        super().__init__(config)
        self.mock = mock
        self.state_file = state_file

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.mock.stopping = True
        super().handle_exit(sig, frame)

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        interval = self.mock.settings.state_save_interval
        saver = None
        if self.state_file is not None and interval > 0:
            saver = asyncio.create_task(_save_periodically(self.mock, self.state_file, interval))
        try:
            await super().serve(sockets)
        finally:
            if saver is not None:
                saver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await saver


async def _save_periodically(server: MockServer, path: Path, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            report = await save_state_file_async(server, path)
        except StateFileError as exc:
            logger.error("periodic save failed: %s", exc)
        else:
            _report_failures(report.failed)


def _report_failures(failed: dict[str, str]) -> None:
    for key, why in failed.items():
        logger.error("tenant %s could not be saved (%s); every other tenant was", key, why)


def tune_gc() -> None:
    """Keep collector pauses short however many posts are stored.

    Stored posts are long-lived, and every collection that scans them is a pause that grows with
    the store (p99 pauses of 50-150 ms with a large store; a post's targets alone hold dozens of
    references, each a cache miss to traverse). So the youngest generation stays small and whatever survives
    one collection is frozen: moved where no later collection looks. Request garbage dies by
    reference counting, or in that first collection if it forms cycles; what is frozen is the
    state the mock keeps anyway.
    """
    gc.freeze()
    gc.set_threshold(2_000, 1_000_000, 1_000_000)
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    if phase == "stop":
        gc.freeze()


def run(server: MockServer, *, log_level: str = "warning") -> int:
    state_file = server.settings.state_file
    if state_file is not None:
        # A bad path or file raises StateFileError before anything starts.
        state_file = prepare_state_file(state_file)
        load_state_file(server, state_file)
    tune_gc()
    # uvicorn shuts down gracefully on SIGTERM/SIGINT and then re-raises the signal; a SIGTERM handler
    # of ours turns that re-raise into an exception, so the state is saved before the process ends.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if in_main else None
    try:
        _Uvicorn(_config(server, log_level=log_level), server, state_file=state_file).run()
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        server.stopping = True
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
        failed: dict[str, str] = {}
        if state_file is not None:
            failed = save_state_file(server, state_file).failed
            _report_failures(failed)
    if failed:
        print(f"socialapi-mock: not saved: {', '.join(sorted(failed))}; see the log", file=sys.stderr)
        return 1
    return 0


class _Stopped(Exception):
    """SIGTERM arrived (uvicorn has already shut down gracefully)."""


def _stop(signum: int, frame: Any) -> None:
    raise _Stopped


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ThreadedServer:
    """uvicorn in a background thread, for tests that need a real URL."""

    def __init__(self, server: MockServer, *, port: int | None = None) -> None:
        self.mock = server
        self.port = port or free_port(server.settings.host)
        self._uvicorn = _Uvicorn(_config(server, port=self.port), server)
        self._thread = threading.Thread(target=self._run, name="socialapi-mock", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.mock.settings.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._uvicorn.serve())

    def start(self) -> ThreadedServer:
        self._thread.start()
        while not self._uvicorn.started:
            if not self._thread.is_alive():
                raise RuntimeError("the mock server thread stopped before it was ready")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(5)

    @contextlib.contextmanager
    def running(self) -> Iterator[ThreadedServer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
