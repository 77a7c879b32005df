"""``socialapi-mock serve`` as a process: port 0 and the port file, the banner, access logs, the warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from mockserver import __version__

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": "Bearer sapi_key_process_tenant_0001"}


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    err_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.err_path.read_text()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.stderr():
            assert self.process.poll() is None, f"the server exited: {self.stderr()}"
            assert time.monotonic() < deadline, f"{text!r} never appeared on stderr: {self.stderr()}"
            time.sleep(0.05)
        return self.stderr()


def mock_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}


@contextmanager
def serve(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    port_file = tmp_path / "mock.port"
    err_path = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--port-file", str(port_file), *args]
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, env={**mock_environ(), **(env or {})}
        )
    try:
        deadline = time.monotonic() + 60  # generous: a loaded 2-core machine takes seconds to import
        while not port_file.exists():
            assert process.poll() is None, f"serve exited with {process.returncode}: {err_path.read_text()}"
            assert time.monotonic() < deadline, "no port file"
            time.sleep(0.02)
        served = Served(process, int(port_file.read_text()), err_path)
        served.wait_for("ready" if "--quiet" not in args else "")
        yield served
    finally:
        process.terminate()
        process.wait(10)
    assert not port_file.exists(), "the port file outlived the server"


def test_port_0_picks_a_free_port_that_the_banner_and_the_port_file_name(tmp_path: Path) -> None:
    with serve(tmp_path, "--seed", "4", "--scenario", str(ROOT / "scenarios" / "facebook-down.yaml")) as served:
        assert served.port > 0
        assert httpx.get(f"{served.url}/_mock/ready").json()["status"] == "ready"
        banner = served.wait_for("docs")
    assert f"socialapi-mock {__version__} ready on http://127.0.0.1:{served.port}\n" in banner
    assert f"fixtures    {ROOT / 'fixtures'} (bundled): 10 accounts, 4 media, 3 tenant plans" in banner
    assert f"scenarios   facebook-down ({ROOT / 'scenarios' / 'facebook-down.yaml'})" in banner
    assert "seed        4" in banner
    assert "clock       manual, starting 2026-01-01T00:00:00Z" in banner
    assert "api         version 2026-06-22, publishing sync" in banner
    assert "control     open (no --control-token)" in banner
    assert "state file  none" in banner
    assert "warning" not in banner


def test_access_log_prints_one_text_line_per_request_and_quiet_keeps_only_the_warning(tmp_path: Path) -> None:
    with serve(tmp_path, "--host", "0.0.0.0", "--access-log", "--quiet") as served:
        httpx.post(f"{served.url}/v1/posts", json={"text": "hi"}, headers={**AUTH, "X-Request-ID": "req-one"})
        httpx.get(f"{served.url}/v1/nowhere", headers=AUTH)
        log = served.wait_for("/v1/nowhere")
    lines = [line for line in log.splitlines() if " /v1/" in line]
    assert lines[0].startswith("POST /v1/posts 201 ")
    assert lines[0].endswith("ms request_id=req-one tenant=sapi_key_pro...0001")
    assert lines[1].startswith("GET /v1/nowhere 404 ")
    assert "ready on" not in log, "--quiet prints no banner"
    assert "--host 0.0.0.0 is reachable from other machines and there is no --control-token" in log
    assert "anyone who can reach the port can reset or read every tenant" in log


def test_log_format_json_prints_the_banner_and_requests_as_json_lines(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    args = ("--access-log", "--log-format", "json", "--control-token", "tok", "--state-file", str(state_file))
    with serve(tmp_path, *args, env={"MOCKSERVER_PUBLISH_MODE": "async"}) as served:
        httpx.get(f"{served.url}/v1/accounts", headers={**AUTH, "X-Request-ID": "req-json"})
        log = served.wait_for("req-json")
    records = [json.loads(line) for line in log.splitlines()]
    ready = next(r for r in records if r["event"] == "ready")
    assert ready["url"] == f"http://127.0.0.1:{served.port}"
    assert (ready["publish_mode"], ready["control_token"], ready["state_file"]) == ("async", True, str(state_file))
    assert (ready["api_version"], ready["strict"]) == ("2026-06-22", False)
    assert ready["fixtures"]["accounts"] == 10
    request = next(r for r in records if r["event"] == "request")
    assert {k: request[k] for k in ("method", "path", "status", "request_id", "tenant")} == {
        "method": "GET",
        "path": "/v1/accounts",
        "status": 200,
        "request_id": "req-json",
        "tenant": "sapi_key_pro...0001",
    }
    assert isinstance(request["ms"], float) and request["time"].endswith("Z")
