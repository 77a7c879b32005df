"""Shared fixtures: an in-process server per test, its HTTP client and an SDK client on top."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from socialapi import SocialAPI

import mockserver.mock
from mockserver import MockServer, Settings
from mockserver.client import TenantHandle
from mockserver.loading.fixtures import FixtureSet, default_fixtures_dir, load_fixtures
from mockserver.testing import sync_transport
from tests.contract import recorder

os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

# `make mutation` (tools/mutation.py) runs with this profile: a mutant is killed by the first
# failing example, so shrinking it (which can take a minute) and a shared database only cost time.
# Derandomized, without a deadline or health checks: the same mutant meets the same examples on
# every run, and a loaded machine cannot kill it, so a score reproduces.
hypothesis_settings.register_profile(
    "mutation",
    phases=(Phase.explicit, Phase.generate),
    database=None,
    print_blob=False,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# Every JSON answer of every app the suite builds is checked against the served document (undeclared
# keys refused); installed before the test modules are collected, so their module-level apps count too.
recorder.install()


@pytest.fixture(autouse=True)
def _answers_match_the_document() -> Iterator[None]:
    yield
    problems = recorder.RECORDER.take()
    if problems:
        pytest.fail("answers that do not match GET /openapi.json:\n" + "\n".join(problems), pytrace=False)


def _shipped_fixtures_once(directory: Path | None = None) -> FixtureSet:
    """``load_fixtures``, with the shipped fixture files parsed once per test process.

    Parsing their YAML is most of what building a ``MockServer`` costs (about 13 ms, paid by nearly
    every test). A ``FixtureSet`` is immutable and every tenant copies from it, as the pytest plugin
    already shares one per session; any other directory (a test's own files) is read every time.
    """
    if directory is not None and directory.resolve() != _SHIPPED:
        return load_fixtures(directory)
    if not _PARSED:
        _PARSED.append(load_fixtures(_SHIPPED))
    return _PARSED[0]


_SHIPPED = default_fixtures_dir().resolve()
_PARSED: list[FixtureSet] = []
mockserver.mock.load_fixtures = _shipped_fixtures_once

API_KEY = "sapi_key_test"
AUTH = {"Authorization": f"Bearer {API_KEY}"}

ACCOUNTS = {
    "instagram": "acc_01JG7M6ETZWF057J6W0ZMDSGPP",
    "facebook": "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG",
    "linkedin": "acc_01JGTY1E836VY9YE7XYGSKYSVC",
    "threads": "acc_01JGJH029XZQCGZXZV2JMX6WGW",
    "tiktok": "acc_01JGBVY4HZQ6CT9W050W5CF72H",
    "youtube": "acc_01JGP90MZ8EY8J5TA8KTR9CR06",
    "twitter": "acc_01JGR43PP11YMKWM7ZXA9DVNXE",
    "google": "acc_01JG4S2CB23WCY18D8ABRHVT5R",
    "pinterest": "acc_01JGKBPBGXZTJXBMYW7H6DE05X",
}
RECONNECT_ACCOUNT = "acc_01JGNTB1PAPD7HDJH86G6VA63P"
IMAGE = "med_01JGB6MH4JMAGG40TGT036F1K7"
IMAGE_2 = "med_01JG6PMX2SMDXV7QGRJP3V1JNJ"
VIDEO = "med_01JG7KTM1NC37A7728PK1V8PTR"
PNG = "med_01JGRFTE8B1SG9E11HYTGM85B2"


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def server(settings: Settings) -> MockServer:
    return MockServer(settings)


@pytest.fixture
def client(server: MockServer) -> Iterator[httpx.Client]:
    """Raw HTTP against the in-process app, authenticated as ``API_KEY``."""
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
        yield http


@pytest.fixture
def sdk(client: httpx.Client) -> SocialAPI:
    """The official SDK, unchanged, talking to the in-process app (no retries, as its own tests do)."""
    return SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=client)


@pytest.fixture
def handle(server: MockServer) -> Iterator[TenantHandle]:
    """The pytest handle on ``API_KEY``'s tenant of the in-process server (control calls, assertions)."""
    with TenantHandle.in_process(server, API_KEY) as tenant:
        yield tenant


def target(platform: str, **extra: Any) -> dict[str, Any]:
    return {"account_id": ACCOUNTS[platform], **extra}
