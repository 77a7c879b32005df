"""Running a ``MockServer`` under uvicorn, in the foreground (CLI) or in a thread (tests, plugin)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

from mockserver.api.access_log import ACCESS_LOGGER
from mockserver.console import Console, open_control_warning
from mockserver.mock import MockServer, Readiness


def _config(server: MockServer, *, port: int | None = None, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        server.app,
        host=server.settings.host,
        port=server.settings.port if port is None else port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
    )


def tune_gc() -> None:
    """Keep collector pauses short however many posts are stored.

    Stored posts are long-lived, and every collection that scans them is a pause that grows with
    the store (PERF-NOTES: p99 of 50-150 ms; a post's targets alone hold dozens of references,
    each a cache miss to traverse). So the youngest generation stays small and whatever survives
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


def run(
    server: MockServer,
    *,
    log_level: str = "warning",
    console: Console | None = None,
    port_file: Path | None = None,
) -> int:
    console = console or Console()
    warning = open_control_warning(server)
    if warning is not None:
        console.warn(warning)
    state_file = server.settings.state_file
    if state_file is not None:
        from mockserver.api.state import load_state_file

        # Loaded once the port is open, so /_mock/ready can say "starting" meanwhile.
        server.defer(lambda: load_state_file(server, state_file))
    if server.settings.access_log:
        _log_access_to_stderr()
    tune_gc()
    uv = uvicorn.Server(_config(server, log_level=log_level))
    startup = Startup(server, uv, console=console, port_file=port_file).start()
    # uvicorn shuts down gracefully on SIGTERM/SIGINT and then re-raises the signal; a SIGTERM handler
    # of ours turns that re-raise into an exception, so the state is saved before the process ends.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if in_main else None
    stop_watching = None
    if server.settings.watch:
        from mockserver.watch import watching

        stop_watching = watching(server, console)
    try:
        uv.run()
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        if stop_watching is not None:
            stop_watching()
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
        startup.join()
        startup.remove_port_file()
        # A state file that failed to load is never overwritten.
        if state_file is not None and startup.error is None:
            from mockserver.api.state import save_state_file

            save_state_file(server, state_file)
    if startup.error is not None:
        raise startup.error
    return 0


class Startup:
    """What happens once uvicorn listens: the port file, the deferred steps, then the banner.

    A step that fails stops uvicorn; ``run`` re-raises its error.
    """

    def __init__(
        self,
        server: MockServer,
        uv: uvicorn.Server,
        *,
        console: Console | None = None,
        port_file: Path | None = None,
    ) -> None:
        self.server = server
        self.uv = uv
        self.console = console
        self.port_file = port_file
        self.error: Exception | None = None
        self._wrote_port_file = False
        self._thread = threading.Thread(target=self._run, name="socialapi-mock-startup", daemon=True)

    def start(self) -> Startup:
        if self.server.readiness is Readiness.STARTING or self.console is not None or self.port_file is not None:
            self._thread.start()
        return self

    def join(self) -> None:
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self.uv.started:
            if self.uv.should_exit:
                return
            time.sleep(0.01)
        port = bound_port(self.uv)
        try:
            if self.port_file is not None:
                write_port_file(self.port_file, port)
                self._wrote_port_file = True
            self.server.finish_startup()
        except Exception as exc:
            self.error = exc
            self.uv.should_exit = True
            return
        if self.console is not None:
            self.console.banner(self.server, base_url(self.server.settings.host, port))

    def remove_port_file(self) -> None:
        """A port file outlives no server: a script never reads the port of one that has stopped."""
        if self._wrote_port_file and self.port_file is not None:
            self.port_file.unlink(missing_ok=True)


def bound_port(uv: uvicorn.Server) -> int:
    """The port uvicorn listens on (the one the OS picked for ``--port 0``)."""
    return int(uv.servers[0].sockets[0].getsockname()[1])


def base_url(host: str, port: int) -> str:
    """The URL a local client uses; a wildcard host (every interface) is reached on loopback."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def write_port_file(path: Path, port: int) -> None:
    """Written whole or not at all, so a script polling for it never reads half a number."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(f"{port}\n", encoding="utf-8")
    os.replace(temporary, path)


def _log_access_to_stderr() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


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
        self._uvicorn = uvicorn.Server(_config(server, port=self.port))
        self._thread = threading.Thread(target=self._run, name="socialapi-mock", daemon=True)
        self._startup = Startup(server, self._uvicorn)

    @property
    def url(self) -> str:
        return f"http://{self.mock.settings.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._uvicorn.serve())

    def start(self) -> ThreadedServer:
        """Start serving and return once the port is open (deferred steps may still be running)."""
        self._thread.start()
        self._startup.start()
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
