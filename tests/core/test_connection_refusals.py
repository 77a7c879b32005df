"""The connection flow's refusals as a caller reads them: the field, the code and the message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver import MockServer, PublishingBackend
from mockserver.core.accounts.logins import ConnectStarted
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
