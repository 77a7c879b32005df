"""The switches of the later generation's limits: on by default in 2026-10-02 only, and each way by
serve option, environment variable, tenant control (the marker's arguments: tests/plugin/test_marker.py).
``latest`` names the newest generation wherever a version is chosen. The SDK meets both 429s."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
import pytest
import socialapi
from socialapi import AsyncSocialAPI, SocialAPI

from mockserver import MockServer, Settings
from mockserver.cli import _parser, settings_from
from mockserver.testing import async_transport, sync_transport
from tests.api.test_request_limit import OTHER_PLATFORMS, down_to_two_accounts
from tests.conftest import ACCOUNTS, API_KEY, AUTH, target


def serve(*argv: str, environ: Mapping[str, str] | None = None) -> httpx.Client:
    settings = settings_from(_parser(environ or {}).parse_args(["serve", *argv]))
    return httpx.Client(transport=sync_transport(MockServer(settings).app), base_url="http://mock", headers=AUTH)


def publish_now(http: httpx.Client) -> httpx.Response:
    return http.post("/v1/posts", json={"text": "now", "publish_now": True, "targets": [target("linkedin")]})


def caps_refuse_the_26th(http: httpx.Client) -> bool:
    for _ in range(25):
        assert publish_now(http).status_code == 201
    return publish_now(http).status_code == 429


@pytest.mark.parametrize("version", ["2026-06-22", "2026-08-22"])
def test_the_older_generations_have_neither_limit(version: str) -> None:
    with serve("--api-version", version) as http:
        assert "X-RateLimit-Limit" not in http.get("/v1/posts").headers
        assert not caps_refuse_the_26th(http)


def test_latest_is_the_newest_generation_with_both_limits_on() -> None:
    assert Settings(api_version="latest").api_version == "2026-10-02"
    with serve("--api-version", "latest") as http:
        assert http.get("/_mock/tenant").json()["api_version"] == "2026-10-02"
        assert http.get("/v1/posts").headers["X-RateLimit-Limit"] == "600"
        assert caps_refuse_the_26th(http)


def test_the_serve_options_turn_each_limit_off_in_the_newest_generation() -> None:
    with serve("--api-version", "latest", "--request-limit", "off", "--velocity-caps", "off") as http:
        assert "X-RateLimit-Limit" not in http.get("/v1/posts").headers
        assert not caps_refuse_the_26th(http)


def test_the_environment_turns_a_limit_on_in_an_older_generation() -> None:
    environ = {"MOCKSERVER_API_VERSION": "2026-08-22", "MOCKSERVER_VELOCITY_CAPS": "on"}
    with serve(environ=environ) as http:
        assert "X-RateLimit-Limit" not in http.get("/v1/posts").headers
        assert caps_refuse_the_26th(http)
    with serve(environ={"MOCKSERVER_API_VERSION": "latest", "MOCKSERVER_REQUEST_LIMIT": "off"}) as http:
        assert "X-RateLimit-Limit" not in http.get("/v1/posts").headers


def test_the_tenant_control_switches_each_limit_for_one_tenant() -> None:
    with serve("--api-version", "latest") as http:
        assert (
            http.patch("/_mock/tenant", json={"request_limit": False, "velocity_caps": False}).json()["request_limit"]
            is False
        )
        assert "X-RateLimit-Limit" not in http.get("/v1/posts").headers
        assert not caps_refuse_the_26th(http)
        # A reset goes back to the server's switches.
        http.post("/_mock/reset")
        assert http.get("/_mock/tenant").json()["velocity_caps"] is True
    with serve() as http:
        http.patch("/_mock/tenant", json={"velocity_caps": True})
        assert caps_refuse_the_26th(http)


def test_the_sdk_raises_rate_limit_error_for_both_429s_without_retrying() -> None:
    with serve("--api-version", "latest") as http:
        sdk = SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
        for _ in range(25):
            sdk.publishing.create(text="now", publish_now=True, targets=[target("linkedin")])
        with pytest.raises(socialapi.RateLimitError) as velocity:
            sdk.publishing.create(text="now", publish_now=True, targets=[target("linkedin")])
        assert velocity.value.status_code == 429
        down_to_two_accounts(http)
        assert 429 in {http.get("/v1/posts").status_code for _ in range(61)}
        with pytest.raises(socialapi.RateLimitError):
            sdk.posts.list()


def test_the_async_sdk_raises_rate_limit_error_for_both_429s_without_retrying() -> None:
    server = MockServer(Settings(api_version="latest"))

    async def run() -> None:
        transport = async_transport(server.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=AUTH) as http:
            sdk = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            for _ in range(25):
                await sdk.publishing.create(text="now", publish_now=True, targets=[target("linkedin")])
            with pytest.raises(socialapi.RateLimitError):
                await sdk.publishing.create(text="now", publish_now=True, targets=[target("linkedin")])
            for platform in OTHER_PLATFORMS:
                await http.delete(f"/v1/accounts/{ACCOUNTS[platform]}")
            await http.post("/_mock/clock/advance", json={"seconds": 60})
            assert 429 in {(await http.get("/v1/posts")).status_code for _ in range(61)}
            with pytest.raises(socialapi.RateLimitError):
                await sdk.posts.list()

    asyncio.run(run())


def test_the_banner_says_which_generation_runs_and_whether_each_limit_is_on() -> None:
    from mockserver.console import banner_facts, banner_rows

    def rows(**settings: object) -> dict[str, str]:
        return dict(banner_rows(banner_facts(MockServer(Settings(**settings)), "http://127.0.0.1:8080")))  # type: ignore[arg-type]

    newest = rows(api_version="latest", velocity_caps=False)
    assert newest["api"].startswith("version 2026-10-02 (the newest), publishing async")
    assert newest["limits"] == ("requests per minute on (--request-limit), posting velocity caps off (--velocity-caps)")
    default = rows()
    assert default["api"].startswith("version 2026-06-22, publishing sync")
    assert default["limits"] == "requests per minute off (--request-limit), posting velocity caps off (--velocity-caps)"
