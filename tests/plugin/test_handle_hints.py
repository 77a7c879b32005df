"""What the handle says when something is missing: the SDK package, or a delivery still ahead of the clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from mockserver import MockServer, Settings
from mockserver.client import SDKMissing, TenantHandle

LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"


@pytest.fixture
def handle() -> Iterator[TenantHandle]:
    with TenantHandle.in_process(MockServer(Settings()), "sapi_key_hints") as mock:
        yield mock


@pytest.mark.parametrize("factory", ["sdk", "async_sdk"])
def test_without_the_sdk_the_error_says_what_to_install(
    handle: TenantHandle, monkeypatch: pytest.MonkeyPatch, factory: str
) -> None:
    monkeypatch.setitem(sys.modules, "socialapi", None)  # what `import socialapi` finds when it is not installed
    with pytest.raises(ModuleNotFoundError) as missing:
        getattr(handle, factory)()
    assert isinstance(missing.value, SDKMissing)
    assert "pip install 'socialapi-mock[sdk]'" in str(missing.value)
    assert "socialapi>=0.4,<0.5" in str(missing.value)


def schedule(handle: TenantHandle, at: str, *accounts: str) -> str:
    body = {"text": "Later", "scheduled_at": at, "targets": [{"account_id": a} for a in accounts]}
    post_id: str = handle.http.post("/v1/posts", json=body).json()["id"]
    return post_id


def test_a_missing_delivery_names_the_post_still_scheduled_ahead_of_the_clock(handle: TenantHandle) -> None:
    post_id = schedule(handle, "2026-12-07T09:05:00Z", LINKEDIN)
    with pytest.raises(AssertionError) as missed:
        handle.assert_delivered(platform="linkedin")
    assert str(missed.value).endswith(
        f"post {post_id} is scheduled for 2026-12-07T09:05:00Z, the clock is at 2026-01-01T00:00:00Z: "
        "advance the clock (advance(to=...)) to deliver it"
    )

    with pytest.raises(AssertionError) as by_id:
        handle.assert_delivered(post_id=post_id)
    assert f"post {post_id} is scheduled for" in str(by_id.value)


def test_only_posts_that_could_have_given_the_delivery_are_named(handle: TenantHandle) -> None:
    schedule(handle, "2026-12-07T09:05:00Z", FACEBOOK)
    with pytest.raises(AssertionError) as missed:
        handle.assert_delivered(platform="linkedin")
    assert "scheduled for" not in str(missed.value)

    handle.advance(to="2026-12-07T09:05:00Z")
    handle.assert_delivered(platform="facebook")
    with pytest.raises(AssertionError) as too_many:
        handle.assert_delivered(platform="facebook", times=0)
    assert "scheduled for" not in str(too_many.value)
