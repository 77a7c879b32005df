"""The connection flow's state as a caller sees it: redirect URIs kept, links' lifetime, the consent
page's offer, and where an approval, a denial or a selection sends the user."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from mockserver import MockServer, PublishingBackend, Settings
from mockserver.core.accounts.logins import ConnectStarted
from mockserver.core.accounts.selection import Choice
from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.models import Account
from mockserver.core.snapshot import export_state, restore_state
from tests.conftest import ACCOUNTS

REDIRECT = "https://app.example.com/connected"
GOOGLE_LOGIN = "cred_01J8X3Q4R5M6N7P8V2K0G00"
DOWNTOWN = "accounts/123/locations/456"


@pytest.fixture
def server() -> MockServer:
    return MockServer()


@pytest.fixture
def backend(server: MockServer) -> PublishingBackend:
    return server.tenant("sapi_key_flow")


@pytest.fixture
def selecting() -> PublishingBackend:
    """A tenant of the 2026-08-22 generation, where Facebook and Google logins select Pages or Profiles."""
    return MockServer(Settings(api_version="2026-08-22")).tenant("sapi_key_selecting")


def start(backend: PublishingBackend, platform: str, **kwargs: object) -> str:
    started = backend.connections.connect_account(platform, **kwargs)  # type: ignore[arg-type]
    assert isinstance(started, ConnectStarted)
    return started.connection.state


def query(url: str | None) -> dict[str, str]:
    assert url is not None
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_registering_again_keeps_each_uri_id_and_date_and_takes_the_new_label(backend: PublishingBackend) -> None:
    [first] = backend.connections.set_redirect_uris([(REDIRECT, "prod")])
    assert re.fullmatch(r"sapi_ruri_[0-9a-f]{12}", first.id)
    assert first.created_at == backend.now()
    backend.posts.advance_clock(seconds=60)
    kept, added = backend.connections.set_redirect_uris([(REDIRECT, "production"), ("http://localhost/cb", "dev")])
    assert (kept.id, kept.uri, kept.label, kept.created_at) == (first.id, REDIRECT, "production", first.created_at)
    assert (added.uri, added.label, added.created_at) == ("http://localhost/cb", "dev", backend.now())
    assert added.id != first.id
    assert backend.connections.list_redirect_uris() == [kept, added]


def test_byok_platforms_are_answered_once_each(backend: PublishingBackend) -> None:
    assert backend.connections.set_byok(["twitter", "twitter"]) == ["twitter"]
    assert backend.connections.set_byok([]) == []


def test_a_linkedin_page_connects_as_an_organization_unless_told_otherwise() -> None:
    backend = MockServer(Settings(api_version="2026-08-22")).tenant("sapi_key_linkedin")
    assert start(backend, "linkedin_page", metadata={"redirect_uri": REDIRECT})
    with pytest.raises(ValidationFailed) as refused:
        backend.connections.connect_account("linkedin_page", metadata={"connection_type": "company"})
    assert refused.value.message == "metadata.connection_type must be organization or personal"


def test_a_direct_auth_account_joins_the_named_brand_or_a_new_untitled_one(backend: PublishingBackend) -> None:
    token = {"bot_token": "123456789:AAEhBP0av28hGmAasPdkGf4d"}
    brand = backend.accounts.new_brand("Bots")
    joined = backend.connections.connect_account("telegram", brand_id=brand.id, metadata=token)
    assert isinstance(joined, Account) and joined.brand_id == brand.id
    fresh = backend.connections.connect_account(
        "bluesky", metadata={"identifier": "a.bsky.social", "app_password": "x"}
    )
    assert isinstance(fresh, Account) and fresh.brand_id not in (brand.id, None)
    assert backend.state.accounts.brands[fresh.brand_id].name == "Untitled brand"


def test_a_connection_without_a_state_sends_back_an_empty_state_and_a_forty_hex_code(
    backend: PublishingBackend,
) -> None:
    state = start(backend, "threads", redirect_uri=REDIRECT)
    outcome = backend.connections.decide_consent(state, approve=True)
    sent = query(outcome.redirect_url)
    assert sent["state"] == "" and sent["status"] == "success" and sent["platform"] == "threads"
    assert outcome.code is not None and re.fullmatch(r"[0-9a-f]{40}", outcome.code)
    assert sent["code"] == outcome.code


def test_a_link_expired_ten_minutes_ago_is_forgotten_and_stops_counting_towards_the_cap(
    backend: PublishingBackend,
) -> None:
    forgotten = start(backend, "threads")
    backend.posts.advance_clock(seconds=900)
    assert backend.connections.get_consent(forgotten).expired
    live = [start(backend, "threads") for _ in range(98)]
    backend.posts.advance_clock(seconds=300)
    # 99 links are kept, one of them expired ten minutes ago: the next connect forgets that one only.
    start(backend, "threads")
    with pytest.raises(NotFound):
        backend.connections.get_consent(forgotten)
    assert all(not backend.connections.get_consent(s).expired for s in live)


def test_past_a_hundred_links_the_oldest_is_forgotten_first(backend: PublishingBackend) -> None:
    links = [start(backend, "threads") for _ in range(101)]
    with pytest.raises(NotFound):
        backend.connections.get_consent(links[0])
    assert backend.connections.get_consent(links[1]).connection.state == links[1]
    assert len(backend.state.accounts.pending_connections) == 100


def test_a_restored_state_serves_its_pending_links_on_the_consent_page(
    server: MockServer, backend: PublishingBackend
) -> None:
    state = start(backend, "threads")
    saved = export_state(backend.tenant)
    backend.reset()
    assert server.tenant_with_connection(state) is None
    restore_state(backend.tenant, saved)
    assert server.tenant_with_connection(state) is backend
    assert backend.connections.get_consent(state).connection.platform == "threads"


def test_the_consent_page_names_the_brand_or_its_id_once_the_brand_is_gone(backend: PublishingBackend) -> None:
    assert backend.connections.get_consent(start(backend, "threads")).brand_name == "Untitled brand"
    brand = backend.accounts.new_brand("Roastery")
    state = start(backend, "threads", brand_id=brand.id)
    assert backend.connections.get_consent(state).brand_name == "Roastery"
    backend.accounts.delete_brand(brand.id)
    assert backend.connections.get_consent(state).brand_name == brand.id


def test_the_consent_page_offers_the_tenants_own_logins_but_not_disconnected_ones(
    backend: PublishingBackend,
) -> None:
    own = backend.state.accounts.items[ACCOUNTS["instagram"]]
    offered = backend.connections.get_consent(start(backend, "instagram")).profiles
    mine = next(p for p in offered if p.account_id == own.id)
    assert (mine.name, mine.username, mine.platform_user_id) == (own.name, own.username, own.platform_user_id)
    backend.connections.disconnect_account(own.id)
    offered = backend.connections.get_consent(start(backend, "instagram")).profiles
    assert own.id not in {p.account_id for p in offered}


def test_the_consent_page_offers_fixture_logins_with_their_username(selecting: PublishingBackend) -> None:
    offered = selecting.connections.get_consent(start(selecting, "google")).profiles
    login = next(p for p in offered if p.login_id == GOOGLE_LOGIN)
    assert (login.name, login.username) == ("Joe's Pizza", "joes.pizza")


def test_page_grants_are_offered_for_facebook_logins_from_2026_08_22_only(
    backend: PublishingBackend, selecting: PublishingBackend
) -> None:
    assert backend.connections.get_consent(start(backend, "facebook")).grants == {}
    assert selecting.connections.get_consent(start(selecting, "instagram")).grants == {}
    consent = selecting.connections.get_consent(start(selecting, "facebook"))
    fresh = next(p for p in consent.profiles if p.login_id is None and p.account_id is None)
    [page] = consent.grants[fresh.platform_user_id]
    assert page.name == f"{fresh.name} Page"


def test_a_fresh_facebook_login_ends_in_a_pending_selection_from_2026_08_22(selecting: PublishingBackend) -> None:
    state = start(selecting, "facebook", redirect_uri=REDIRECT, state="mine")
    outcome = selecting.connections.decide_consent(state, approve=True)
    assert outcome.account is None and outcome.connection_id is not None
    assert outcome.code is not None and re.fullmatch(r"[0-9a-f]{40}", outcome.code)
    assert query(outcome.redirect_url) == {
        "status": "selection_required",
        "connection_id": outcome.connection_id,
        "platform": "facebook",
        "state": "mine",
        "code": outcome.code,
    }


def test_a_selection_code_is_held_to_its_connect_calls_state_and_redirect_uri(selecting: PublishingBackend) -> None:
    state = start(selecting, "facebook", redirect_uri=REDIRECT, state="mine")
    outcome = selecting.connections.decide_consent(state, approve=True)
    assert outcome.code is not None
    with pytest.raises(ValidationFailed) as refused:
        selecting.connections.exchange_oauth("facebook", outcome.code, {"redirect_uri": "https://elsewhere.example/"})
    assert refused.value.meta == {"field": "metadata.redirect_uri"}
    selection = selecting.connections.exchange_oauth(
        "facebook", outcome.code, {"state": "mine", "redirect_uri": REDIRECT}
    )
    assert not isinstance(selection, Account) and selection.selection.connection_id == outcome.connection_id


def test_a_selection_without_a_redirect_uri_sends_the_user_nowhere(selecting: PublishingBackend) -> None:
    outcome = selecting.connections.decide_consent(start(selecting, "facebook"), approve=True)
    assert outcome.connection_id is not None and outcome.redirect_url is None


def test_a_choice_with_the_approval_finishes_a_google_selection_at_once(selecting: PublishingBackend) -> None:
    state = start(selecting, "google")
    choice = Choice(platform_account_id=DOWNTOWN)
    outcome = selecting.connections.decide_consent(state, approve=True, profile=GOOGLE_LOGIN, choice=choice)
    assert outcome.account is not None and outcome.account.name == "Joe's Pizza (Downtown)"


def test_a_denial_is_not_an_approval_whatever_profile_or_choice_it_names(backend: PublishingBackend) -> None:
    state = start(backend, "instagram", redirect_uri=REDIRECT, state="mine")
    outcome = backend.connections.decide_consent(state, approve=False, profile="nobody", choice=Choice(page_ids=["1"]))
    assert outcome.approved is False and outcome.account is None
    assert (outcome.error, outcome.error_description) == ("access_denied", "The user denied the authorization request.")
    assert query(outcome.redirect_url)["error_description"] == "The user denied the authorization request."


def test_an_expired_link_says_so_and_starts_nothing(backend: PublishingBackend) -> None:
    state = start(backend, "instagram", redirect_uri=REDIRECT)
    backend.posts.advance_clock(seconds=600)
    outcome = backend.connections.decide_consent(state, approve=True)
    assert outcome.approved is False and outcome.account is None
    assert (outcome.error, outcome.error_description) == (
        "link_expired",
        "The connection link expired; start the connection again.",
    )


def test_an_expired_account_is_told_which_platform_to_sign_in_to_again(backend: PublishingBackend) -> None:
    expired = backend.connections.expire_account(ACCOUNTS["instagram"], None)
    assert expired.reconnect_reason == "The Instagram access token expired; the user must sign in again."


def test_a_disconnected_account_is_saved_without_the_reason_it_once_needed_reconnecting(
    backend: PublishingBackend,
) -> None:
    backend.connections.expire_account(ACCOUNTS["instagram"], "token revoked")
    backend.connections.disconnect_account(ACCOUNTS["instagram"])
    accounts = export_state(backend.tenant)["state"]["accounts"]["items"]
    [saved] = [a for a in accounts if a["id"] == ACCOUNTS["instagram"]]
    assert saved["status"] == "disconnected" and saved.get("reconnect_reason") is None
