"""Running a ``MockServer`` under uvicorn, in the foreground (CLI) or in a thread (tests, plugin)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
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
from types import FrameType
from typing import Any

import uvicorn

if sys.platform != "win32":
    import resource

from mockserver.api.access_log import ACCESS_LOGGER
from mockserver.api.app import socket_app
from mockserver.bounded_http import bounded_protocol
from mockserver.console import Console, open_control_warning
from mockserver.mock import MockServer
from mockserver.readiness import Readiness

logger = logging.getLogger("mockserver")


def _config(server: MockServer, *, port: int | None = None, log_level: str = "warning") -> uvicorn.Config:
    settings = server.settings
    return uvicorn.Config(
        socket_app(server, server.app),
        host=settings.host,
        port=settings.port if port is None else port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
        http=bounded_protocol(
            max_head_bytes=settings.max_header_bytes,
            request_timeout=settings.request_timeout,
            max_in_flight=settings.limit_concurrency,
        ),
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
        self.mock.mark_stopping()
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
    from mockserver.api.state import StateFileError, save_state_file_async

    while True:
        await asyncio.sleep(interval)
        if server.readiness is Readiness.STARTING:
            continue  # the file is still being loaded: saving now would overwrite it with less
        try:
            report = await save_state_file_async(server, path)
        except StateFileError as exc:
            logger.error("periodic save failed: %s", exc)
        else:
            _report_failures(report.failed)


def _report_failures(failed: dict[str, str]) -> None:
    for key, why in failed.items():
        logger.error("tenant %s could not be saved (%s); every other tenant was", key, why)


def raise_descriptor_limit() -> tuple[int, int] | None:
    """Raise the soft limit on open descriptors to the hard one, where the system allows it.

    Every connection, half-sent ones included, holds a descriptor; at the usual soft limit of 1,024 a
    client holding a thousand of them would leave none for anyone else. Returns (before, after), or
    None where there is no such limit (Windows) or it cannot be changed.
    """
    if sys.platform == "win32":
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # Some systems (macOS) report an unlimited hard limit but refuse it: a large finite value instead.
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 16)
    if soft != resource.RLIM_INFINITY and soft >= wanted:
        return soft, soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):
        return None
    return soft, wanted


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
    gc.enable()  # the CLI pauses the collector while the server loads (cli.py)


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
    check_port_free(server.settings.host, server.settings.port)
    console = console or Console()
    warning = open_control_warning(server)
    if warning is not None:
        console.warn(warning)
    state_file = server.settings.state_file
    if state_file is not None:
        # Imported only here: most runs keep no state file, and start-up is measured (bench/PROFILE.md).
        from mockserver.api.state import load_state_file, prepare_state_file

        # A bad path raises StateFileError before anything starts; the file itself is loaded once
        # the port is open, so /_mock/ready can say "starting" meanwhile (a bad file stops the start).
        state_file = path = prepare_state_file(state_file)
        server.defer(lambda: load_state_file(server, path))
    if server.settings.access_log:
        _log_access_to_stderr()
    tune_gc()
    raise_descriptor_limit()
    uv = _Uvicorn(_config(server, log_level=log_level), server, state_file=state_file)
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
        server.mark_stopping()
        if stop_watching is not None:
            stop_watching()
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
        uv.should_exit = True  # uvicorn is done; a startup still waiting for it to listen gives up
        startup.join()
        startup.remove_port_file()
        failed: dict[str, str] = {}
        # A state file that failed to load is never overwritten.
        if state_file is not None and startup.error is None:
            from mockserver.api.state import save_state_file

            failed = save_state_file(server, state_file).failed
            _report_failures(failed)
    if startup.error is not None:
        raise startup.error
    if failed:
        print(f"socialapi-mock: not saved: {', '.join(sorted(failed))}; see the log", file=sys.stderr)
        return 1
    return 0


class Startup:
    """Runs the server's deferred steps while uvicorn binds, then writes the port file and the banner.

    The steps start at once rather than after the bind, so a small state file is loaded before the
    first client can connect; a large one is still loading while ``/_mock/ready`` says "starting".
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
        try:
            self.server.finish_startup()
        except Exception as exc:
            self.error = exc
            self.uv.should_exit = True
            return
        while not self.uv.started:
            if self.uv.should_exit:
                return
            time.sleep(0.01)
        port = bound_port(self.uv)
        if self.port_file is not None:
            try:
                write_port_file(self.port_file, port)
            except OSError as exc:
                self.error = OSError(f"cannot write the port file {self.port_file}: {exc.strerror or exc}")
                self.uv.should_exit = True
                return
            self._wrote_port_file = True
        if self.console is not None:
            self.console.banner(self.server, base_url(self.server.settings.host, port))

    def remove_port_file(self) -> None:
        """A port file outlives no server: a script never reads the port of one that has stopped."""
        if self._wrote_port_file and self.port_file is not None:
            self.port_file.unlink(missing_ok=True)


PORT_IN_USE = (
    "port {port} on {host} is already in use: stop what listens there, or pick another port with "
    "--port N, MOCKSERVER_PORT=N or make run PORT=N (0 picks a free one)"
)


class PortUnavailable(OSError):
    """The port cannot be listened on; the message names the options that change it."""


def check_port_free(host: str, port: int) -> None:
    """Refuse a busy port in one line of ours before uvicorn tries, which logs a raw ``[Errno 98]``.

    The probe binds as uvicorn will (the same address family for the host, SO_REUSEADDR, so a closed
    connection still in TIME_WAIT is no obstacle) and lets go at once; port 0 always finds a port.
    """
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortUnavailable(PORT_IN_USE.format(port=port, host=host)) from None
            raise PortUnavailable(
                f"cannot listen on {host} port {port}: {exc.strerror or exc}; change --host or --port"
            ) from None


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
        self._uvicorn = _Uvicorn(_config(server, port=self.port), server)
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
