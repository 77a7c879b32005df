"""The target rules one by one (core/rules/targets.py): the exact issue of each, where it points, and the target built.

A tenant with a few extra accounts (a disconnected one, one on a platform publishing is not simulated
for, a Facebook account without an active page, a second Pinterest account) and a TikTok creator
allowed one post a day. Every rule is asserted as the whole list of issues ``resolve_targets`` gives,
which is what create raises the first of and validate lists.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import DomainError
from mockserver.core.models import Account, MediaInput, Segment
from mockserver.core.records.accounts import AccountPage, Board
from mockserver.core.rules.content import Issue
from mockserver.core.rules.targets import Resolution, TargetContext, resolve_targets
from mockserver.loading.fixtures import load_fixtures
from tests.conftest import ACCOUNTS, IMAGE, VIDEO

START = datetime(2026, 1, 1, tzinfo=UTC)
FIXTURES = load_fixtures().baseline
BRAND = FIXTURES.accounts[0].brand_id

LINKEDIN = ACCOUNTS["linkedin"]
FACEBOOK = ACCOUNTS["facebook"]
PINTEREST = ACCOUNTS["pinterest"]
TIKTOK = ACCOUNTS["tiktok"]
TWITTER = ACCOUNTS["twitter"]
LINKEDIN_PAGE = "sapi_page_01JGTY1FQ2R7W3M9B4K6X8D5CE"
FACEBOOK_PAGE = "sapi_page_01JGR4N5JJX9K1QQXV5SZ7VZSG"
FACEBOOK_EVENTS_PAGE = "sapi_page_01JGR4PQ0D3M2B7ZK8F5X1W9TA"  # inactive in the fixtures
BOARD = "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"

GONE = Account("acc_gone", "linkedin", "Gone", "gone", BRAND, status="disconnected")
TELEGRAM = Account("acc_tg", "telegram", "Bot", "acme_bot", BRAND)
PAGELESS = Account("acc_pageless", "facebook", "Pageless", "pageless", BRAND, page_id="fb_legacy_page")
OTHER_PINTEREST = Account("acc_pin2", "pinterest", "Pins", "pins", BRAND)
OTHER_BOARD = "board_of_pin2"
PRIVACY_ALLOWED = (
    "PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY"  # TikTok's creator info in the fixtures
)

BASELINE = dataclasses.replace(
    FIXTURES,
    accounts=(*FIXTURES.accounts, GONE, TELEGRAM, PAGELESS, OTHER_PINTEREST),
    pages=(*FIXTURES.pages, AccountPage("page_off", PAGELESS.id, "Closed", "1", is_default=True, is_active=False)),
    boards=(*FIXTURES.boards, Board(OTHER_BOARD, OTHER_PINTEREST.id, "Theirs")),
    daily_limits={TIKTOK: 1},
)


@pytest.fixture
def backend() -> PublishingBackend:
    return PublishingBackend("sapi_key_target_rules", seed=5, clock=FakeClock(START), baseline=BASELINE)


def resolve(backend: PublishingBackend, *specs: NewTarget, **post: Any) -> Resolution:
    request = NewPost(text="Hi", targets=specs, **post)
    return resolve_targets(request, backend.posts.target_context(backend.now()))


def issues_of(backend: PublishingBackend, *specs: NewTarget, **post: Any) -> list[Issue]:
    return resolve(backend, *specs, **post).issues


def invalid(platform: str, field: str, message: str, account: str, code: str = "validation.field_invalid") -> Issue:
    return Issue(platform, field, message, code, account)


def media_not_found(field: str, media_id: str, platform: str = "") -> Issue:
    meta = {"resource": "media", "id": media_id}
    return Issue(platform, field, f"media {media_id} not found", "media.not_found", meta=meta)


# -- accounts ---------------------------------------------------------------------------------------


def test_a_disconnected_account_is_not_found_for_a_new_target(backend: PublishingBackend) -> None:
    resolved = resolve(backend, NewTarget(GONE.id), NewTarget(LINKEDIN))
    meta = {"resource": "account", "id": GONE.id}
    assert resolved.issues == [
        Issue("", "targets[0].account_id", "account acc_gone not found", "account.not_found", meta=meta)
    ]
    assert [t.account_id for t in resolved.targets] == [LINKEDIN]
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Hi", targets=(NewTarget(GONE.id),)))
    assert (caught.value.code, caught.value.meta["field"]) == ("account.not_found", "targets[0].account_id")


def test_an_account_of_a_platform_without_publishing_is_refused(backend: PublishingBackend) -> None:
    resolved = resolve(backend, NewTarget(TELEGRAM.id))
    message = "publishing to telegram accounts is not simulated by the mock (connecting them is)"
    expected = invalid("telegram", "targets[0].account_id", message, TELEGRAM.id, "account.unsupported_platform")
    assert resolved.issues == [expected]
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Hi", targets=(NewTarget(TELEGRAM.id),)))
    assert (caught.value.code, caught.value.message) == ("account.unsupported_platform", message)


# -- media given as `media` items ---------------------------------------------------------------------


def test_a_missing_library_item_in_media_is_not_found_at_every_level(backend: PublishingBackend) -> None:
    gone = (MediaInput("media_id", "med_gone"),)
    resolved = resolve(
        backend,
        NewTarget(LINKEDIN, media=(MediaInput("media_id", IMAGE), MediaInput("media_id", "med_gone_too"))),
        media=gone,
        media_ids=(IMAGE,),
        segments=(Segment("s", media=(MediaInput("media_id", "med_gone_in_segment"),)),),
    )
    assert resolved.issues == [
        media_not_found("media[0].source", "med_gone"),
        media_not_found("segments[0].media[0].source", "med_gone_in_segment"),
        media_not_found("targets[0].media[1].source", "med_gone_too", "linkedin"),
    ]


def test_a_missing_media_item_is_a_404_on_create_and_validate(backend: PublishingBackend) -> None:
    spec = NewTarget(LINKEDIN, media=(MediaInput("media_id", "med_gone", "image"),))
    for attempt in (backend.posts.create_post, backend.posts.validate_post):
        with pytest.raises(DomainError) as caught:
            attempt(NewPost(text="Hi", targets=(spec,)))
        assert (caught.value.code, caught.value.message) == ("media.not_found", "media med_gone not found")
        assert caught.value.meta == {
            "field": "targets[0].media[0].source",
            "platform": "linkedin",
            "resource": "media",
            "id": "med_gone",
        }


def test_media_items_that_can_not_be_used_are_listed_with_their_own_code(backend: PublishingBackend) -> None:
    unknown_kind = MediaInput("url", "https://cdn.example.com/clip")
    wrong_kind = MediaInput("media_id", IMAGE, "video")
    resolved = resolve(
        backend,
        NewTarget(LINKEDIN, media=(unknown_kind, wrong_kind)),
        media=(wrong_kind,),
        segments=(Segment("s", media=(unknown_kind,)),),
    )
    required = (
        "{at}.type is required: the URL's extension does not say whether it is an image, a video, audio or a file"
    )
    mismatch = f"{{at}}.type is video but media {IMAGE} is image (image/jpeg)"
    assert resolved.issues == [
        Issue("", "media[0].type", mismatch.format(at="media[0]")),
        Issue(
            "",
            "segments[0].media[0].type",
            required.format(at="segments[0].media[0]"),
            "validation.field_required",
        ),
        Issue(
            "linkedin",
            "targets[0].media[0].type",
            required.format(at="targets[0].media[0]"),
            "validation.field_required",
        ),
        Issue("linkedin", "targets[0].media[1].type", mismatch.format(at="targets[0].media[1]")),
    ]


def test_a_target_keeps_its_media_items_as_sent(backend: PublishingBackend) -> None:
    media = (MediaInput("media_id", IMAGE), MediaInput("url", "https://cdn.example.com/b.png"))
    (built,) = resolve(backend, NewTarget(LINKEDIN, media=media, media_ids=("med_ignored",))).targets
    # `media` wins over `media_ids`, which become the ids of its library items.
    assert (built.media, built.media_ids, built.media_field) == (
        (MediaInput("media_id", IMAGE, "image"), MediaInput("url", "https://cdn.example.com/b.png", "image")),
        (IMAGE,),
        "media",
    )


# -- pages --------------------------------------------------------------------------------------------


def test_a_page_target_names_an_active_page_of_its_own_account(backend: PublishingBackend) -> None:
    resolved = resolve(
        backend,
        NewTarget(FACEBOOK, page_id=LINKEDIN_PAGE),
        NewTarget(LINKEDIN, page_id="page_nope"),
        NewTarget(ACCOUNTS["google"], page_id=FACEBOOK_EVENTS_PAGE),
    )
    assert resolved.issues == [
        invalid(
            "facebook",
            "targets[0].page_id",
            f"page {LINKEDIN_PAGE} is not a page of account {FACEBOOK}",
            FACEBOOK,
        ),
        invalid("linkedin", "targets[1].page_id", f"page page_nope is not a page of account {LINKEDIN}", LINKEDIN),
        invalid(
            "google",
            "targets[2].page_id",
            f"page {FACEBOOK_EVENTS_PAGE} is not a page of account {ACCOUNTS['google']}",
            ACCOUNTS["google"],
        ),
    ]


def test_an_inactive_page_of_the_account_is_refused_as_disabled(backend: PublishingBackend) -> None:
    expected = invalid(
        "facebook",
        "targets[0].page_id",
        "The requested Page is currently disabled",
        FACEBOOK,
        "account.page_inactive",
    )
    assert issues_of(backend, NewTarget(FACEBOOK, page_id=FACEBOOK_EVENTS_PAGE)) == [expected]
    assert issues_of(backend, NewTarget(FACEBOOK, page_id=FACEBOOK_PAGE)) == []


def test_a_page_target_without_page_id_needs_an_active_page(backend: PublishingBackend) -> None:
    resolved = resolve(backend, NewTarget(PAGELESS.id), NewTarget(FACEBOOK))
    message = "account acc_pageless has no active page to publish to"
    assert resolved.issues == [
        invalid("facebook", "targets[0].page_id", message, PAGELESS.id, "account.no_active_page")
    ]
    # Without an active page the target keeps the account's own page; with one, it takes the default page.
    assert [t.page_id for t in resolved.targets] == ["fb_legacy_page", FACEBOOK_PAGE]
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Hi", targets=(NewTarget(PAGELESS.id),)))
    assert (caught.value.code, caught.value.meta["field"]) == ("account.no_active_page", "targets[0].page_id")


def test_page_and_board_ids_are_not_checked_on_other_platforms(backend: PublishingBackend) -> None:
    resolved = resolve(backend, NewTarget(TWITTER, page_id="page_nope"), NewTarget(LINKEDIN, board_id="board_nope"))
    assert resolved.issues == []
    assert [t.page_id for t in resolved.targets] == ["page_nope", "board_nope"]
    (bare,) = resolve(backend, NewTarget(TWITTER)).targets
    assert bare.page_id is None


# -- boards -------------------------------------------------------------------------------------------


def test_a_pinterest_target_names_a_board_of_its_own_account(backend: PublishingBackend) -> None:
    for spec in (NewTarget(PINTEREST, board_id=BOARD), NewTarget(PINTEREST, page_id=BOARD)):
        resolved = resolve(backend, spec)
        assert (resolved.issues, [t.page_id for t in resolved.targets]) == ([], [BOARD])
    assert issues_of(backend, NewTarget(PINTEREST, board_id=BOARD, page_id=BOARD)) == []
    # Without a board the rules table speaks (board_id_required, for a publish), not this rule.
    assert issues_of(backend, NewTarget(PINTEREST)) == []


@pytest.mark.parametrize(
    "spec", [NewTarget(PINTEREST, board_id=OTHER_BOARD), NewTarget(PINTEREST, page_id=OTHER_BOARD)]
)
def test_a_board_of_another_account_is_refused(backend: PublishingBackend, spec: NewTarget) -> None:
    message = f"board {OTHER_BOARD} is not a board of account {PINTEREST}"
    assert issues_of(backend, spec) == [invalid("pinterest", "targets[0].board_id", message, PINTEREST)]


def test_an_unknown_board_is_refused(backend: PublishingBackend) -> None:
    message = f"board board_nope is not a board of account {OTHER_PINTEREST.id}"
    expected = invalid("pinterest", "targets[0].board_id", message, OTHER_PINTEREST.id)
    assert issues_of(backend, NewTarget(OTHER_PINTEREST.id, board_id="board_nope")) == [expected]


def test_page_id_and_a_different_board_id_are_refused_as_aliases(backend: PublishingBackend) -> None:
    message = "page_id is an alias of board_id; send only board_id"
    expected = invalid("pinterest", "targets[0].page_id", message, PINTEREST)
    # Only the alias issue: the boards themselves are not looked at.
    assert issues_of(backend, NewTarget(PINTEREST, board_id=BOARD, page_id=OTHER_BOARD)) == [expected]


# -- TikTok creator info ------------------------------------------------------------------------------


def privacy(field: str) -> Issue:
    message = f"privacy_level must be one the creator allows: {PRIVACY_ALLOWED}"
    return invalid("tiktok", field, message, TIKTOK)


def test_a_tiktok_privacy_level_the_creator_does_not_offer_is_refused(backend: PublishingBackend) -> None:
    own = NewTarget(TIKTOK, platform_data={"privacy_level": "FRIENDS_ONLY"})
    assert issues_of(backend, own) == [privacy("targets[0].platform_data.privacy_level")]
    # Sent for the whole post, it is the post's platform_data that is pointed at.
    shared = {"tiktok": {"privacy_level": "FRIENDS_ONLY"}}
    assert issues_of(backend, NewTarget(TIKTOK), platform_data=shared) == [
        privacy("platform_data.tiktok.privacy_level")
    ]
    other = NewTarget(TIKTOK, platform_data={"disable_comment": True})
    assert issues_of(backend, other, platform_data=shared) == [privacy("platform_data.tiktok.privacy_level")]


def test_a_targets_own_privacy_level_wins_over_the_posts(backend: PublishingBackend) -> None:
    shared = {"tiktok": {"privacy_level": "FRIENDS_ONLY"}}
    allowed = NewTarget(TIKTOK, platform_data={"privacy_level": "SELF_ONLY"})
    assert issues_of(backend, allowed, platform_data=shared) == []
    assert issues_of(backend, NewTarget(TIKTOK, platform_data={"privacy_level": "SELF_ONLY"})) == []
    assert issues_of(backend, NewTarget(TIKTOK)) == []


def test_privacy_levels_are_a_tiktok_rule_only(backend: PublishingBackend) -> None:
    spec = NewTarget(LINKEDIN, platform_data={"privacy_level": "NOT_A_LEVEL"})
    assert issues_of(backend, spec, platform_data={"linkedin": {"privacy_level": "NOT_A_LEVEL"}}) == []


def test_a_tiktok_creator_at_the_daily_cap_can_only_save_drafts(backend: PublishingBackend) -> None:
    spec = NewTarget(TIKTOK, platform_data={"privacy_level": "SELF_ONLY"})
    now: dict[str, Any] = {"publish_now": True, "media_ids": (VIDEO,), "skip_duplicate_check": True}
    assert issues_of(backend, spec, **now) == []  # one post left today
    assert backend.posts.create_post(NewPost(text="First", targets=(spec,), **now)).post.status.value == "published"
    cap = "the TikTok creator reached the daily posting cap; try again tomorrow"
    assert issues_of(backend, spec, **now) == [invalid("tiktok", "posting_limit", cap, TIKTOK)]
    assert issues_of(backend, spec, media_ids=(VIDEO,)) == []  # a draft does not post
    # Other accounts are not capped by the creator's posts.
    assert issues_of(backend, NewTarget(LINKEDIN), publish_now=True) == []
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Second", targets=(spec,), **now))
    assert (caught.value.code, caught.value.meta["field"], caught.value.message) == (
        "validation.field_invalid",
        "posting_limit",
        cap,
    )


# -- without account-side data ------------------------------------------------------------------------


def test_without_account_side_data_only_accounts_media_and_times_are_checked(backend: PublishingBackend) -> None:
    bare = TargetContext(backend.state.accounts.items, backend.state.media.items, START)
    request = NewPost(
        text="Hi",
        platform_data={"tiktok": {"privacy_level": "FOLLOWER_OF_CREATOR"}},
        targets=(
            NewTarget(PAGELESS.id),
            NewTarget(LINKEDIN, page_id="page_nope"),
            NewTarget(PINTEREST, board_id=OTHER_BOARD, page_id=BOARD),
            NewTarget(TIKTOK),
        ),
    )
    resolved = resolve_targets(request, bare)
    assert resolved.issues == []
    # No default page to fall back on: a target without page_id keeps the account's own.
    assert [t.page_id for t in resolved.targets] == ["fb_legacy_page", "page_nope", BOARD, None]
