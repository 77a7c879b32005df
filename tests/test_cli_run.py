"""Running as people expect: ``--start-time now``, ``make run`` with ``PORT=`` or ``MOCKSERVER_PORT``,
the inspector's address in the banner, and a busy port named in one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from mockserver.cli import _parser, main, settings_from
from mockserver.serve import free_port

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": "Bearer sapi_key_make_run"}


def this_minute() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    ("argv", "environ"),
    [(["serve", "--start-time", "now"], {}), (["serve"], {"MOCKSERVER_START_TIME": "NOW"})],
)
def test_start_time_now_is_the_wall_clocks_current_minute(argv: list[str], environ: dict[str, str]) -> None:
    before = this_minute()
    start = settings_from(_parser(environ).parse_args(argv)).start_time
    assert before <= start <= this_minute()
    assert (start.second, start.microsecond, start.tzinfo) == (0, 0, UTC)


def test_a_bad_start_time_names_now_among_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--start-time", "tomorrow"], environ={})
    assert "or 'now' for the current minute" in capsys.readouterr().err


def test_a_busy_port_is_one_line_naming_the_options_that_change_it(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)], environ={}) == 2
    err = capsys.readouterr().err
    assert err == (
        f"socialapi-mock: port {port} on 127.0.0.1 is already in use: stop what listens there, or pick another "
        "port with --port N, MOCKSERVER_PORT=N or make run PORT=N (0 picks a free one)\n"
    )


def test_an_address_the_machine_does_not_have_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    # 192.0.2.0/24 is reserved for documentation: no machine has an address in it.
    assert main(["serve", "--host", "192.0.2.1", "--port", "8080"], environ={}) == 2
    assert capsys.readouterr().err == (
        "socialapi-mock: cannot listen on 192.0.2.1 port 8080: Cannot assign requested address; "
        "change --host or --port\n"
    )


@contextmanager
def make_run(tmp_path: Path, *make_args: str, env: dict[str, str]) -> Iterator[str]:
    """``make run`` with this environment's console script, as a process group; yields its stderr so far."""
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make installs nothing
    err_path = tmp_path / "stderr.txt"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKSERVER_", "MAKE", "PORT"))}
    command = ["make", "-s", "run", f"BIN={Path(sys.executable).parent}", f"STAMP={stamp}", *make_args]
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, env={**environ, **env}, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60  # a loaded 2-core machine takes seconds to import
        while "docs " not in err_path.read_text():
            assert process.poll() is None, f"make run exited with {process.returncode}: {err_path.read_text()}"
            assert time.monotonic() < deadline, f"no banner: {err_path.read_text()}"
            time.sleep(0.05)
        yield err_path.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def test_make_run_port_serves_there_with_the_clock_at_the_current_minute(tmp_path: Path) -> None:
    port = free_port()
    before = this_minute()
    with make_run(tmp_path, f"PORT={port}", env={"MOCKSERVER_PORT": str(free_port())}) as banner:
        url = f"http://127.0.0.1:{port}"
        now = datetime.fromisoformat(httpx.get(f"{url}/_mock/clock", headers=AUTH).json()["now"])
        assert f"ready on {url}\n  inspector   {url}/_mock/ui\n" in banner
        assert httpx.get(f"{url}/_mock/ui").status_code == 200
    assert before <= now <= this_minute()
    assert f"clock       manual, starting {now.strftime('%Y-%m-%dT%H:%M:%SZ')}" in banner


def test_make_run_leaves_port_and_start_to_the_variables(tmp_path: Path) -> None:
    port = free_port()
    env = {"MOCKSERVER_PORT": str(port), "MOCKSERVER_START_TIME": "2026-05-01T08:00:00Z"}
    with make_run(tmp_path, env=env) as banner:
        clock = httpx.get(f"http://127.0.0.1:{port}/_mock/clock", headers=AUTH).json()
    assert f"ready on http://127.0.0.1:{port}\n" in banner
    assert clock["now"] == "2026-05-01T08:00:00Z"
