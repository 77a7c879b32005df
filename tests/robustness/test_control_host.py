"""Without a control token, a web page on another origin cannot reach the control plane (DNS rebinding)."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.api.app import socket_app
from mockserver.cli import _parser, settings_from
from mockserver.serve import ThreadedServer
from mockserver.testing import sync_transport

KEY = "sapi_key_host_guard"
REBIND = "rebind.attacker.example"


def socket_client(settings: Settings, host: str) -> httpx.Client:
    """A client of the app as the socket serves it, sending ``host`` as its Host header."""
    server = MockServer(settings)
    return httpx.Client(
        transport=sync_transport(socket_app(server, server.app)),
        base_url=f"http://{host}",
        headers={"Authorization": f"Bearer {KEY}"},
    )


@pytest.mark.parametrize(
    "path", ["/_mock/tenants", "/_mock/clock", "/_mock/requests", "/_mock/ui", "/_mock/ui/static/style.css"]
)
def test_a_control_call_from_a_foreign_host_is_refused_naming_the_option(path: str) -> None:
    with socket_client(Settings(), REBIND) as http:
        answer = http.get(path)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "auth.host_not_allowed"
    assert "--allowed-host" in error["message"]
    assert REBIND in error["message"]
    assert answer.json()["request_id"]


def test_a_refused_call_changes_nothing() -> None:
    server = MockServer(Settings())
    with httpx.Client(transport=sync_transport(socket_app(server, server.app)), base_url=f"http://{REBIND}") as http:
        answer = http.post("/_mock/clock/advance", json={"seconds": 3600}, headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 403
    assert list(server.tenants()) == []


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST:8080", "127.0.0.1:9", "127.8.9.10", "[::1]:8080", "app.localhost", "localhost."]
)
def test_loopback_names_and_addresses_reach_the_control_plane(host: str) -> None:
    with socket_client(Settings(), host) as http:
        assert http.get("/_mock/clock").status_code == 200
        assert http.get("/_mock/tenants").status_code == 200


@pytest.mark.parametrize("host", ["localhost.attacker.example", "127.0.0.1.nip.io", "10.0.0.1", "[::2]"])
def test_names_that_only_look_local_are_refused(host: str) -> None:
    with socket_client(Settings(), host) as http:
        assert http.get("/_mock/clock").status_code == 403


def test_an_allowed_host_reaches_the_control_plane_and_others_still_do_not() -> None:
    settings = Settings(allowed_hosts=("Mock.LAN",))
    with socket_client(settings, "mock.lan:8080") as http:
        assert http.get("/_mock/clock").status_code == 200
    with socket_client(settings, REBIND) as http:
        assert http.get("/_mock/clock").status_code == 403


def test_a_star_allows_every_host() -> None:
    with socket_client(Settings(allowed_hosts=("*",)), REBIND) as http:
        assert http.get("/_mock/clock").status_code == 200


def test_with_a_control_token_the_token_decides_not_the_host() -> None:
    settings = Settings(control_token="t0ken")
    with socket_client(settings, REBIND) as http:
        assert http.get("/_mock/clock").status_code == 401
        assert http.get("/_mock/clock", headers={"X-Mock-Token": "t0ken"}).status_code == 200


def test_the_public_api_probes_and_capability_urls_answer_any_host() -> None:
    with socket_client(Settings(), REBIND) as http:
        assert http.get("/v1/accounts").status_code == 200
        assert http.get("/_mock/health").status_code == 200
        assert http.get("/_mock/ready").status_code == 200
        # Unknown capabilities: the routes' own 404s, not the guard's 403.
        assert http.get("/_mock/oauth/consent/nope").status_code == 404
        assert http.get("/_mock/media/nope/content").status_code != 403
        assert http.post("/_mock/sinks/nope", json={}).status_code == 404


def test_the_option_and_its_variable() -> None:
    assert settings_from(_parser({}).parse_args(["serve"])).allowed_hosts == ()
    parsed = _parser({}).parse_args(["serve", "--allowed-host", "a.lan", "--allowed-host", "b.lan"])
    assert settings_from(parsed).allowed_hosts == ("a.lan", "b.lan")
    environ = {"MOCKSERVER_ALLOWED_HOST": "a.lan, b.lan"}
    assert settings_from(_parser(environ).parse_args(["serve"])).allowed_hosts == ("a.lan", "b.lan")


def test_the_served_socket_checks_the_host_and_in_process_clients_are_not_a_socket() -> None:
    server = MockServer(Settings())
    with ThreadedServer(server) as live, httpx.Client(base_url=live.url, trust_env=False) as http:
        assert http.get("/_mock/tenants", headers={"Host": REBIND}).status_code == 403
        assert http.get("/_mock/tenants", headers={"Host": f"localhost:{live.port}"}).status_code == 200
        assert http.get("/_mock/tenants").status_code == 200
    with httpx.Client(transport=sync_transport(server.app), base_url="http://socialapi-mock.test") as http:
        assert http.get("/_mock/tenants").status_code == 200


@pytest.mark.parametrize("origin", ["https://attacker.example", "null", "http://127.0.0.1.attacker.example"])
def test_a_call_from_a_page_on_another_origin_is_refused_even_to_a_loopback_host(origin: str) -> None:
    server = MockServer(Settings())
    with httpx.Client(transport=sync_transport(socket_app(server, server.app)), base_url="http://127.0.0.1") as http:
        answer = http.post("/_mock/reset", headers={"Authorization": f"Bearer {KEY}", "Origin": origin})
    assert answer.status_code == 403
    assert answer.json()["error"]["message"].startswith(f"Origin {origin!r} may not reach the control plane")
    assert list(server.tenants()) == []


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:8080"])
def test_the_inspectors_own_origin_and_other_local_ones_are_let_through(origin: str) -> None:
    with socket_client(Settings(), "127.0.0.1:8080") as http:
        assert http.post("/_mock/reset", headers={"Origin": origin}).status_code == 200
