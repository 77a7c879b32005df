"""The connection flow's refusals as a caller reads them: the field, the code and the message."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from mockserver import MockServer, PublishingBackend
from mockserver.core.accounts.logins import ConnectStarted
from mockserver.core.accounts.selection import Choice
from mockserver.core.errors import DomainError

REDIRECT = "https://app.example.com/connected"


@pytest.fixture
def backend() -> PublishingBackend:
    return MockServer().tenant("sapi_key_connections")


def refusal(action: Callable[[], object]) -> tuple[str, dict[str, Any], str]:
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value.code, raised.value.meta, raised.value.message


def approve(backend: PublishingBackend, redirect_uri: str | None = REDIRECT) -> tuple[str, str]:
    """The code and the account id of an approved connection to Instagram."""
    started = backend.connections.connect_account("instagram", redirect_uri=redirect_uri, state="mine")
    assert isinstance(started, ConnectStarted)
    outcome = backend.connections.decide_consent(started.connection.state, approve=True)
    assert outcome.code is not None and outcome.account is not None
    return outcome.code, outcome.account.id


def test_an_exchange_that_does_not_match_its_connect_call_is_refused(backend: PublishingBackend) -> None:
    code, _ = approve(backend)
    exchange = backend.connections.exchange_oauth
    assert refusal(lambda: exchange("facebook", code, {})) == (
        "validation.field_invalid",
        {"field": "platform"},
        "platform must match the connect call (instagram), got 'facebook'",
    )
    assert refusal(lambda: exchange("instagram", code, {"state": "theirs"})) == (
        "validation.field_invalid",
        {"field": "metadata.state"},
        "metadata.state does not match the connection's state",
    )
    assert refusal(lambda: exchange("instagram", code, {"redirect_uri": "https://elsewhere.example.com/"})) == (
        "validation.field_invalid",
        {"field": "metadata.redirect_uri"},
        "metadata.redirect_uri does not match the connect call's redirect_uri",
    )
    account = exchange("instagram", code, {"state": "mine", "redirect_uri": REDIRECT})
    assert account.platform == "instagram"
    assert refusal(lambda: exchange("instagram", code, {})) == (
        "validation.field_invalid",
        {"field": "code"},
        "invalid or expired state: the code is unknown, already used or older than 10 minutes",
    )


def test_a_code_without_a_redirect_uri_accepts_any_and_a_disconnected_account_refuses(
    backend: PublishingBackend,
) -> None:
    code, _ = approve(backend, redirect_uri=None)
    other, account_id = approve(backend, redirect_uri=None)
    account = backend.connections.exchange_oauth("instagram", code, {"redirect_uri": "https://any.example.com/"})
    assert account.platform == "instagram"
    backend.connections.disconnect_account(account_id)
    assert refusal(lambda: backend.connections.exchange_oauth("instagram", other, {})) == (
        "validation.field_invalid",
        {"field": "code"},
        "the account this code connected was disconnected since",
    )


def test_an_unknown_consent_link_is_a_not_found_connection(backend: PublishingBackend) -> None:
    assert refusal(lambda: backend.connections.get_consent("nope")) == (
        "resource.not_found",
        {"resource": "connection", "id": "nope"},
        "this connection link is unknown or was already used; start the connection again",
    )


def test_more_than_twenty_redirect_uris_are_refused_and_nothing_is_registered(backend: PublishingBackend) -> None:
    uris: list[tuple[str, str | None]] = [(f"https://app{n}.example.com/cb", None) for n in range(21)]
    assert refusal(lambda: backend.connections.set_redirect_uris(uris)) == (
        "validation.field_invalid",
        {"field": "data"},
        "at most 20 redirect URIs may be registered",
    )
    assert backend.connections.list_redirect_uris() == []
    assert len(backend.connections.set_redirect_uris(uris[:20])) == 20


def test_a_bad_or_repeated_redirect_uri_is_refused_naming_its_entry(backend: PublishingBackend) -> None:
    bad = [(REDIRECT, None), ("http://app.example.com/cb", None)]
    code, meta, _ = refusal(lambda: backend.connections.set_redirect_uris(bad))
    assert (code, meta) == ("validation.field_invalid", {"field": "data[1].uri"})
    # The second entry differs only by spaces around it, which registering strips.
    repeated = [("https://other.example.com/cb", None), (REDIRECT, "a"), (f" {REDIRECT} ", "b")]
    assert refusal(lambda: backend.connections.set_redirect_uris(repeated)) == (
        "validation.redirect_uri_duplicate",
        {"field": "data[2].uri"},
        f"URI already registered: {REDIRECT}",
    )
    assert backend.connections.list_redirect_uris() == []


def test_byok_is_refused_for_any_platform_but_x_and_leaves_the_setting_alone(backend: PublishingBackend) -> None:
    assert backend.connections.set_byok(["twitter"]) == ["twitter"]
    assert refusal(lambda: backend.connections.set_byok(["twitter", "instagram"])) == (
        "validation.field_invalid",
        {"field": "platforms[1]"},
        "only twitter uses BYOK credentials",
    )
    assert isinstance(backend.connections.connect_account("twitter"), ConnectStarted)


def test_connecting_x_without_byok_credentials_says_how_to_add_them(backend: PublishingBackend) -> None:
    assert refusal(lambda: backend.connections.connect_account("twitter")) == (
        "byok.credentials_missing",
        {"platform": "twitter"},
        "X connections use your own X app: add its client id and secret in the dashboard first "
        '(in the mock: PUT /_mock/byok {"platforms": ["twitter"]}, or byok_platforms in the fixtures)',
    )


def test_an_unregistered_redirect_uri_is_refused_with_how_to_register_it(backend: PublishingBackend) -> None:
    backend.connections.set_redirect_uris([(REDIRECT, None)])
    other = "https://other.example.com/cb"
    assert refusal(lambda: backend.connections.connect_account("threads", redirect_uri=other)) == (
        "validation.field_invalid",
        {"field": "redirect_uri"},
        f"redirect_uri {other} is not a registered redirect URI; register it in the dashboard "
        "(in the mock: PUT /_mock/oauth/redirect-uris), or remove every registered URI for open mode",
    )


def test_an_unsupported_platform_is_refused_listing_the_connectable_ones(backend: PublishingBackend) -> None:
    # linkedin_page and whatsapp connect from 2026-08-22 only; this tenant speaks 2026-06-22.
    assert refusal(lambda: backend.connections.connect_account("whatsapp")) == (
        "account.unsupported_platform",
        {"field": "platform"},
        "unsupported platform 'whatsapp'; one of instagram, facebook, linkedin, threads, tiktok, youtube, "
        "twitter, google, pinterest, telegram, bluesky",
    )


def test_a_customer_state_may_be_512_characters_and_no_longer(backend: PublishingBackend) -> None:
    started = backend.connections.connect_account("threads", state="s" * 512)
    assert isinstance(started, ConnectStarted) and started.connection.customer_state == "s" * 512
    assert refusal(lambda: backend.connections.connect_account("threads", state="s" * 513)) == (
        "validation.field_invalid",
        {"field": "state"},
        "state must be at most 512 characters",
    )


def test_a_redirect_uri_that_is_not_a_string_is_refused(backend: PublishingBackend) -> None:
    metadata = {"redirect_uri": ["https://app.example.com/cb"]}
    assert refusal(lambda: backend.connections.connect_account("threads", metadata=metadata)) == (
        "validation.field_invalid",
        {"field": "metadata.redirect_uri"},
        "metadata.redirect_uri must be a string",
    )


def test_disconnecting_or_expiring_an_unknown_account_names_the_account_id(backend: PublishingBackend) -> None:
    for action in (
        lambda: backend.connections.disconnect_account("acc_nope"),
        lambda: backend.connections.expire_account("acc_nope", None),
    ):
        assert refusal(action) == ("account.not_found", {"field": "account_id"}, "account acc_nope not found")


def test_a_choice_on_an_approval_without_a_selection_is_refused_naming_what_was_chosen(
    backend: PublishingBackend,
) -> None:
    started = backend.connections.connect_account("instagram")
    assert isinstance(started, ConnectStarted)
    state = started.connection.state
    choices = {"platform_account_id": Choice(platform_account_id="x"), "page_ids": Choice(page_ids=["1"])}
    for field, choice in choices.items():
        assert refusal(partial(backend.connections.decide_consent, state, approve=True, choice=choice)) == (
            "validation.field_invalid",
            {"field": field},
            "this approval connects the account at once: there is no selection to make",
        )
    # The refusal left the link usable.
    assert backend.connections.decide_consent(state, approve=True).approved is True
