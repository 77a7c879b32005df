"""A real browser for the inspector's tests: Debian's chromium driven by Playwright.

One browser and one live server per session (per xdist worker); each test opens its own browser
context and uses its own tenant, so tests never see each other's posts.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.serve import ThreadedServer
from tests.ui.browser_requirement import browser_verdict

# The page polls every 500 ms, so a change shows within a second; the half second more is for the
# round's own requests on a busy machine. A page polling every 3 s fails this (tried).
LIVE_MS = 1500
_tenants = itertools.count()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    verdict = browser_verdict(chromium, os.environ)
    if verdict.action == "fail":
        pytest.fail(verdict.reason, pytrace=False)
    if verdict.action == "skip":
        pytest.skip(verdict.reason)
    assert chromium is not None
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live() -> Iterator[ThreadedServer]:
    with ThreadedServer(MockServer(Settings())) as server:
        yield server


@pytest.fixture
def key() -> str:
    return f"sapi_key_ui_{next(_tenants)}"


@pytest.fixture
def http(live: ThreadedServer, key: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {key}"}) as client:
        yield client


@pytest.fixture
def sdk(live: ThreadedServer, key: str) -> Iterator[SocialAPI]:
    with SocialAPI(api_key=key, base_url=live.url, max_retries=0) as client:
        yield client


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors include CSP refusals ("Refused to execute inline script..."). A 4xx the page
    # asked for is logged too; the page handles those itself, so they are not failures here.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.set_default_timeout(5000)
    yield page
    context.close()
    # A script error or a resource the page could not load is a failure of the test that saw it.
    assert not errors, errors
