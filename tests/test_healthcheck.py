"""``socialapi-mock healthcheck``: 0 against a ready server, 1 against a dead port or a starting server."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mockserver import MockServer, Settings
from mockserver.cli import main
from mockserver.console import open_control_warning
from mockserver.serve import ThreadedServer, free_port


def test_a_ready_server_passes(capsys: pytest.CaptureFixture[str]) -> None:
    with ThreadedServer(MockServer(Settings(control_token="secret"))) as live:
        assert main(["healthcheck", "--url", live.url], environ={}) == 0
    assert capsys.readouterr().out == f"ready: {live.url}\n"


def test_a_dead_port_fails_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    assert main(["healthcheck", "--timeout", "1"], environ={"MOCKSERVER_PORT": str(port)}) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"not ready: http://127.0.0.1:{port}: cannot connect:")


def test_a_starting_server_fails_until_ready_and_wait_sees_it_through(capsys: pytest.CaptureFixture[str]) -> None:
    server = MockServer()
    release = threading.Event()
    server.defer(release.wait)
    with ThreadedServer(server) as live:
        assert main(["healthcheck", "--url", live.url], environ={}) == 1
        assert capsys.readouterr().err == f"not ready: {live.url}: HTTP 503 starting\n"
        threading.Timer(0.3, release.set).start()
        assert main(["healthcheck", "--url", live.url, "--wait", "10"], environ={}) == 0


def test_the_port_can_come_from_the_port_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port_file = tmp_path / "mock.port"
    assert main(["healthcheck", "--port-file", str(port_file)], environ={}) == 1
    assert "no port yet" in capsys.readouterr().err
    with ThreadedServer(MockServer()) as live:
        port_file.write_text(f"{live.port}\n")
        assert main(["healthcheck"], environ={"MOCKSERVER_PORT_FILE": str(port_file)}) == 0


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("::", None, True),
        ("192.168.1.20", None, True),
        ("0.0.0.0", "secret", False),
    ],
)
def test_only_a_reachable_host_without_a_token_is_warned_about(host: str, token: str | None, warned: bool) -> None:
    warning = open_control_warning(MockServer(Settings(host=host, control_token=token)))
    assert (warning is not None) == warned


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_proxy_in_the_environment_is_not_asked_for_a_loopback_mock(
    host: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_proxy = f"http://127.0.0.1:{free_port()}"
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with ThreadedServer(MockServer()) as live:
        url = f"http://{host}:{live.port}"
        assert main(["healthcheck", "--url", url, "--timeout", "2"], environ={}) == 0
    assert capsys.readouterr().out == f"ready: {url}\n"
