"""Target rules: create and PATCH refuse what validate lists, with the same code and field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import DomainError
from mockserver.core.models import MediaInput, Segment, Target
from mockserver.core.posts.editing import PostEdit
from mockserver.core.rules import targets
from mockserver.core.rules.content import Issue
from mockserver.core.rules.targets import Candidate, TargetContext, resolve_targets
from mockserver.loading.fixtures import load_fixtures
from tests.conftest import ACCOUNTS, IMAGE, RECONNECT_ACCOUNT

START = datetime(2026, 1, 1, tzinfo=UTC)
PAST = START - timedelta(minutes=1)
LATER = START + timedelta(hours=1)
BASELINE = load_fixtures().baseline
LINKEDIN = ACCOUNTS["linkedin"]


@pytest.fixture
def backend() -> PublishingBackend:
    return PublishingBackend("sapi_key_targets", seed=3, clock=FakeClock(START), baseline=BASELINE)


def context(backend: PublishingBackend) -> TargetContext:
    return backend.posts.target_context(backend.now())


# (target specs, the code and field every use case reports for them)
BAD_TARGETS = [
    ((NewTarget("acc_nope"),), "account.not_found", "targets[0].account_id"),
    ((NewTarget(LINKEDIN), NewTarget(LINKEDIN)), "validation.field_invalid", "targets[1].account_id"),
    ((NewTarget(RECONNECT_ACCOUNT),), "account.reconnection_required", "targets[0].account_id"),
    ((NewTarget(LINKEDIN, media_ids=("med_nope",)),), "media.not_found", "targets[0].media_ids"),
    ((NewTarget(LINKEDIN, scheduled_at=PAST),), "validation.field_invalid", "targets[0].scheduled_at"),
]


@pytest.mark.parametrize(("specs", "code", "field"), BAD_TARGETS)
def test_create_refuses_a_bad_target(
    backend: PublishingBackend, specs: tuple[NewTarget, ...], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Hi", targets=specs))
    assert (caught.value.code, caught.value.meta["field"]) == (code, field)
    assert list(backend.posts.iter_posts()) == []


@pytest.mark.parametrize(("specs", "code", "field"), BAD_TARGETS)
def test_patch_refuses_the_same_bad_target(
    backend: PublishingBackend, specs: tuple[NewTarget, ...], code: str, field: str
) -> None:
    post = backend.posts.create_post(NewPost(text="Hi", targets=(NewTarget(LINKEDIN),))).post
    with pytest.raises(DomainError) as caught:
        backend.posts.update_post(post.id, PostEdit(given=frozenset({"targets"}), targets=specs))
    assert (caught.value.code, caught.value.meta["field"]) == (code, field)
    assert [t.account_id for t in backend.posts.get_post(post.id).targets] == [LINKEDIN]


@pytest.mark.parametrize(("specs", "code", "field"), BAD_TARGETS)
def test_validate_reports_the_same_bad_target(
    backend: PublishingBackend, specs: tuple[NewTarget, ...], code: str, field: str
) -> None:
    try:
        report = backend.posts.validate_post(NewPost(text="Hi", targets=specs))
    except DomainError as error:
        # A reference to something that does not exist is a 404 on validate too.
        assert error.code.endswith(".not_found")
        assert (error.code, error.meta["field"]) == (code, field)
    else:
        assert (code, field) in {(i.code, i.field) for i in report.errors}


def test_resolve_lists_every_issue_in_check_order(backend: PublishingBackend) -> None:
    request = NewPost(
        text="Hi",
        media_ids=("med_a",),
        segments=(Segment("s", ("med_s",)),),
        scheduled_at=PAST,
        targets=(
            NewTarget("acc_nope"),
            NewTarget(RECONNECT_ACCOUNT, media_ids=("med_b", IMAGE), scheduled_at=PAST),
            NewTarget(RECONNECT_ACCOUNT),
            NewTarget(LINKEDIN),
        ),
    )
    resolved = resolve_targets(request, context(backend))
    stale = RECONNECT_ACCOUNT
    reconnect = (
        f"account {stale} needs to be reconnected: The LinkedIn access token expired; the user must sign in again."
    )
    assert resolved.issues == [
        Issue("", "media_ids", "media med_a not found", "media.not_found", meta={"resource": "media", "id": "med_a"}),
        Issue(
            "",
            "segments[0].media_ids",
            "media med_s not found",
            "media.not_found",
            meta={"resource": "media", "id": "med_s"},
        ),
        Issue("", "scheduled_at", "scheduled_at must be in the future"),
        Issue(
            "",
            "targets[0].account_id",
            "account acc_nope not found",
            "account.not_found",
            meta={"resource": "account", "id": "acc_nope"},
        ),
        Issue("linkedin", "targets[1].account_id", reconnect, "account.reconnection_required", stale),
        Issue(
            "linkedin",
            "targets[1].media_ids",
            "media med_b not found",
            "media.not_found",
            meta={"resource": "media", "id": "med_b"},
        ),
        Issue("linkedin", "targets[1].scheduled_at", "scheduled_at must be in the future", target=stale),
        Issue("linkedin", "targets[2].account_id", "each account may be targeted once", target=stale),
    ]
    # The account that needs reconnecting still gets its target, for the content rules to see,
    # and the targets after a refused one are still resolved.
    assert [t.account_id for t in resolved.targets] == [RECONNECT_ACCOUNT, LINKEDIN]
    assert resolved.origins == ["targets[1]", "targets[3]"]


def test_a_spec_from_elsewhere_names_its_account_by_its_origin(backend: PublishingBackend) -> None:
    request = NewPost(text="Hi", targets=(NewTarget(LINKEDIN), NewTarget("acc_nope"), NewTarget(RECONNECT_ACCOUNT)))
    origins = ["targets[0]", "account_ids[0]", "account_ids[1]"]
    resolved = resolve_targets(request, context(backend), origins=origins)
    assert [(i.field, i.code) for i in resolved.issues] == [
        ("account_ids[0]", "account.not_found"),
        ("account_ids[1]", "account.reconnection_required"),
    ]
    assert resolved.origins == ["targets[0]", "account_ids[1]"]


def test_a_target_is_built_from_every_field_of_its_spec(backend: PublishingBackend) -> None:
    spec = NewTarget(
        LINKEDIN,
        page_id="page_1",
        text="own text",
        title="own title",
        media_ids=(IMAGE,),
        first_comment="first",
        visibility="connections_only",
        scheduled_at=LATER,
        platform_data={"k": "v"},
    )
    (built,) = resolve_targets(NewPost(text="Hi", targets=(spec,)), context(backend)).targets
    assert built == Target(
        account_id=LINKEDIN,
        platform="linkedin",
        page_id="page_1",
        text="own text",
        title="own title",
        media_ids=(IMAGE,),
        # media_ids alone are normalised into media, typed from the library.
        media=(MediaInput("media_id", IMAGE, "image"),),
        media_field="media_ids",
        first_comment="first",
        visibility="connections_only",
        scheduled_at=LATER,
        platform_data={"k": "v"},
    )
    (bare,) = resolve_targets(NewPost(text="Hi", targets=(NewTarget(LINKEDIN),)), context(backend)).targets
    # Without page_id, a LinkedIn target publishes to the account's default page.
    default = backend.accounts.default_page(LINKEDIN)
    assert default is not None
    assert bare == Target(account_id=LINKEDIN, platform="linkedin", page_id=default.id)


def test_publish_now_ignores_a_past_schedule(backend: PublishingBackend) -> None:
    request = NewPost(text="Hi", publish_now=True, scheduled_at=PAST, targets=(NewTarget(LINKEDIN, scheduled_at=PAST),))
    assert resolve_targets(request, context(backend)).issues == []
    assert backend.posts.create_post(request).post.status.value == "published"


def test_a_schedule_at_the_current_instant_is_in_the_past(backend: PublishingBackend) -> None:
    request = NewPost(text="Hi", scheduled_at=START, targets=(NewTarget(LINKEDIN),))
    assert [i.field for i in resolve_targets(request, context(backend)).issues] == ["scheduled_at"]
    later = NewPost(text="Hi", scheduled_at=LATER, targets=(NewTarget(LINKEDIN, scheduled_at=LATER),))
    assert resolve_targets(later, context(backend)).issues == []


def test_targets_take_the_request_platform_data_under_their_own(backend: PublishingBackend) -> None:
    request = NewPost(
        text="Hi",
        platform_data={"linkedin": {"a": 1, "b": 1}, "tiktok": {"c": 1}},
        targets=(NewTarget(LINKEDIN, platform_data={"b": 2}, board_id="board_1"),),
    )
    (built,) = resolve_targets(request, context(backend)).targets
    assert (built.platform, built.platform_data, built.page_id) == ("linkedin", {"a": 1, "b": 2}, "board_1")


def test_a_post_level_issue_is_listed_for_each_target_on_validate(backend: PublishingBackend) -> None:
    report = backend.posts.validate_post(
        NewPost(text="Hi", scheduled_at=PAST, targets=(NewTarget(LINKEDIN),)), platforms=("threads",)
    )
    assert {(i.platform, i.field, i.target) for i in report.errors} == {
        ("linkedin", "scheduled_at", LINKEDIN),
        ("threads", "scheduled_at", ""),
    }


def test_an_account_named_twice_in_validate_is_checked_once(backend: PublishingBackend) -> None:
    report = backend.posts.validate_post(
        NewPost(text="Hi", targets=(NewTarget(RECONNECT_ACCOUNT),)), account_ids=(RECONNECT_ACCOUNT, RECONNECT_ACCOUNT)
    )
    assert [i.field for i in report.errors if i.code == "account.reconnection_required"] == ["targets[0].account_id"]


def test_a_check_added_to_the_list_reaches_create_patch_and_validate(
    backend: PublishingBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_nope_comments(candidate: Candidate, context: TargetContext) -> Iterator[Issue]:
        if candidate.spec.first_comment == "nope":
            yield candidate.issue(f"{candidate.where}.first_comment", "first_comment may not be nope")

    monkeypatch.setattr(targets, "TARGET_CHECKS", (*targets.TARGET_CHECKS, no_nope_comments))
    specs = (NewTarget(LINKEDIN, first_comment="nope"),)
    with pytest.raises(DomainError) as caught:
        backend.posts.create_post(NewPost(text="Hi", targets=specs))
    assert caught.value.meta == {"field": "targets[0].first_comment", "platform": "linkedin", "account_id": LINKEDIN}
    draft = backend.posts.create_post(NewPost(text="Hi", targets=(NewTarget(LINKEDIN),))).post
    with pytest.raises(DomainError):
        backend.posts.update_post(draft.id, PostEdit(given=frozenset({"targets"}), targets=specs))
    report = backend.posts.validate_post(NewPost(text="Hi", targets=specs))
    assert [i.field for i in report.errors] == ["targets[0].first_comment"]
