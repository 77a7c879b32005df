"""Control-plane safety: loopback by default, and ``--control-token`` guarding every ``/_mock`` call."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.cli import _parser, settings_from
from mockserver.testing import sync_transport
from tests.robustness.helpers import ROUTES, client, fill, fingerprint, seed_posts

TOKEN = "s3cret-token"
KEY = "sapi_key_guarded"


@pytest.fixture(scope="module")
def guarded() -> MockServer:
    return MockServer(Settings(control_token=TOKEN))


CONTROL_ROUTES = [(m, p) for m, p, _, control in ROUTES if control]


def test_the_server_binds_loopback_by_default() -> None:
    assert Settings().host == "127.0.0.1"
    assert settings_from(_parser({}).parse_args(["serve"])).host == "127.0.0.1"


def test_the_token_comes_from_the_flag_or_the_environment() -> None:
    assert settings_from(_parser({}).parse_args(["serve"])).control_token is None
    assert settings_from(_parser({}).parse_args(["serve", "--control-token", "t1"])).control_token == "t1"
    environ = {"MOCKSERVER_CONTROL_TOKEN": "t2"}
    assert settings_from(_parser(environ).parse_args(["serve"])).control_token == "t2"


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES, ids=[f"{m} {p}" for m, p in CONTROL_ROUTES])
@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN.upper()], ids=["missing", "empty", "wrong", "case"])
def test_a_control_call_without_the_token_is_refused_and_changes_nothing(
    guarded: MockServer, method: str, path: str, token: str | None
) -> None:
    headers = {} if token is None else {"X-Mock-Token": token}
    backend = guarded.tenant(KEY)
    before = fingerprint(backend)
    with client(guarded, KEY, **headers) as http:
        response = http.request(method, fill(path, {}), json={})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.invalid_token"
    assert fingerprint(backend) == before


@pytest.mark.parametrize(("method", "path"), CONTROL_ROUTES, ids=[f"{m} {p}" for m, p in CONTROL_ROUTES])
def test_a_control_call_with_the_token_goes_through(guarded: MockServer, method: str, path: str) -> None:
    with client(guarded, KEY, **{"X-Mock-Token": TOKEN}) as http:
        response = http.request(method, fill(path, {}), json={})
    assert response.status_code != 401, response.text


def test_the_public_api_needs_no_token(guarded: MockServer) -> None:
    with client(guarded, KEY) as http:
        ids = seed_posts(http)
        assert http.get(f"/v1/posts/{ids['draft']}").status_code == 200
        assert http.get("/v1/accounts").status_code == 200


def test_the_token_is_not_checked_when_none_is_set(server: MockServer) -> None:
    with client(server, KEY) as http:
        assert http.get("/_mock/clock").status_code == 200


def test_the_openapi_document_stays_public(guarded: MockServer) -> None:
    with httpx.Client(transport=sync_transport(guarded.app), base_url="http://mock") as http:
        assert http.get("/openapi.json").status_code == 200
