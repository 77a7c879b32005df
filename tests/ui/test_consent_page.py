"""The consent page in a real browser: connect, pick a login, Approve or Deny, land on redirect_uri."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page
from socialapi import SocialAPI
from socialapi.models.accounts import ConnectOAuthResponse

from mockserver.serve import ThreadedServer


def start(sdk: SocialAPI, live: ThreadedServer, platform: str, **kwargs: object) -> ConnectOAuthResponse:
    started = sdk.accounts.connect(platform=platform, **kwargs)  # type: ignore[arg-type]
    assert isinstance(started, ConnectOAuthResponse)
    assert started.auth_url.startswith(live.url)
    return started


def test_approve_in_the_browser_lands_on_the_redirect_uri_and_the_account_publishes(
    page: Page, sdk: SocialAPI, live: ThreadedServer
) -> None:
    # The app's own callback, here a path of the mock itself so the browser can load it offline.
    callback = f"{live.url}/app/callback"
    started = start(sdk, live, "linkedin", redirect_uri=callback, state="abc")
    page.goto(started.auth_url)
    assert "Connect your LinkedIn account" in page.title()
    assert page.get_by_text("Untitled brand").is_visible()
    page.get_by_label("Mock LinkedIn Studio").check()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/app/callback?**")
    params = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert params["status"] == "success" and params["state"] == "abc" and params["platform"] == "linkedin"
    exchanged = sdk.accounts.exchange_oauth(platform="linkedin", code=params["code"], metadata={})
    [account] = exchanged.accounts or []
    assert account.account_id == params["account_id"] and account.username == "mock_studio"
    post = sdk.publishing.create(
        text="hello from the browser", targets=[{"account_id": account.account_id}], publish_now=True
    )
    assert post.status == "published"


def test_deny_without_a_redirect_uri_shows_the_mocks_own_page(page: Page, sdk: SocialAPI, live: ThreadedServer) -> None:
    started = start(sdk, live, "youtube")
    page.goto(started.auth_url)
    page.get_by_role("button", name="Deny").click()
    assert page.get_by_text("access_denied").is_visible()
    assert "YouTube account not connected" in page.title()
    page.goto(started.auth_url)
    assert page.get_by_text("This connection link is not valid").first.is_visible()
