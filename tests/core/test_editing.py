"""The editing use cases at the backend: refusals change nothing, metrics grow, CSV rows parse."""

from __future__ import annotations

import contextlib
import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import DomainError, StateInvalid, ValidationFailed
from mockserver.core.models import PostStatus
from mockserver.core.posts.csv_rows import read_rows
from mockserver.core.posts.editing import PostEdit
from mockserver.core.rules import lifecycle
from mockserver.core.rules.engagement import engagement
from mockserver.core.rules.lifecycle import Event
from mockserver.loading.fixtures import load_fixtures
from tests.conftest import ACCOUNTS

START = datetime(2026, 1, 1, tzinfo=UTC)
BASELINE = load_fixtures().baseline


@pytest.fixture
def backend() -> PublishingBackend:
    return PublishingBackend("sapi_key_core", seed=7, clock=FakeClock(START), baseline=BASELINE)


def snapshot(backend: PublishingBackend) -> Any:
    return (
        copy.deepcopy(list(backend.posts.iter_posts())),
        backend.state.plan,
        list(backend.state.events),
        backend.state.ids.getstate(),
    )


def edit(**fields: Any) -> PostEdit:
    return PostEdit(given=frozenset(fields), **fields)


def linkedin_draft(backend: PublishingBackend) -> str:
    return backend.posts.create_post(NewPost(text="Beans", targets=(NewTarget(ACCOUNTS["linkedin"]),))).post.id


@pytest.mark.parametrize(
    "change",
    [
        edit(text="ok", scheduled_at=START - timedelta(seconds=1)),
        edit(text="ok", targets=(NewTarget(ACCOUNTS["linkedin"]), NewTarget("acc_missing"))),
        edit(text="x" * 3001),
        edit(text="ok", media_ids=("med_missing",)),
        edit(text=None),
        edit(hidden=None),
    ],
)
def test_a_refused_edit_changes_nothing(backend: PublishingBackend, change: PostEdit) -> None:
    pid = linkedin_draft(backend)
    before = snapshot(backend)
    with pytest.raises(DomainError):
        backend.posts.update_post(pid, change)
    assert snapshot(backend) == before


def test_edits_go_through_the_lifecycle_table(backend: PublishingBackend) -> None:
    pid = linkedin_draft(backend)
    tomorrow = START + timedelta(days=1)
    assert backend.posts.update_post(pid, edit(scheduled_at=tomorrow)).post.status is PostStatus.SCHEDULED
    assert backend.posts.update_post(pid, edit(scheduled_at=None)).post.status is PostStatus.DRAFT
    assert backend.posts.delete_post(pid).deleted is True
    with pytest.raises(StateInvalid):
        backend.posts.update_post(pid, edit(text="again"))


def test_a_refused_delete_or_unpublish_changes_nothing(backend: PublishingBackend) -> None:
    pid = linkedin_draft(backend)
    backend.posts.delete_post(pid)
    before = snapshot(backend)
    with pytest.raises(StateInvalid):
        backend.posts.delete_post(pid)
    with pytest.raises(StateInvalid):
        backend.posts.unpublish_post(pid)
    assert snapshot(backend) == before


def test_a_dry_run_import_leaves_the_plan_as_it_was(backend: PublishingBackend) -> None:
    backend.set_plan(name="free", posts_limit=1, posts_used=0)
    rows = f"text,account_ids,scheduled_at\na,{ACCOUNTS['linkedin']},2026-02-01T00:00:00Z\n"
    data = (rows + f"b,{ACCOUNTS['linkedin']},2026-02-01T00:00:00Z\n").encode()
    before = snapshot(backend)
    report = backend.posts.import_posts(data, dry_run=True)
    assert (report.created, [row for row, _ in report.errors]) == (1, [2])
    assert snapshot(backend) == before


@pytest.mark.parametrize(
    ("status", "event", "after"),
    [
        (PostStatus.PUBLISHED, Event.DELETE, PostStatus.PUBLISHED),
        (PostStatus.PARTIAL, Event.DELETE, PostStatus.PUBLISHED),
        (PostStatus.PUBLISHED, Event.UNPUBLISH, PostStatus.CANCELLED),
        (PostStatus.PARTIAL, Event.UNPUBLISH, PostStatus.CANCELLED),
    ],
)
def test_removal_transitions(status: PostStatus, event: Event, after: PostStatus) -> None:
    assert lifecycle.apply(status, event) is after


@pytest.mark.parametrize(
    "status", [PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.PUBLISHING, PostStatus.CANCELLED]
)
@pytest.mark.parametrize("event", [Event.DELETE, Event.UNPUBLISH])
def test_only_published_posts_lose_copies(status: PostStatus, event: Event) -> None:
    with pytest.raises(StateInvalid):
        lifecycle.apply(status, event)


# -- metrics ---------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    platform=st.sampled_from(["instagram", "twitter", "linkedin"]),
    post_id=st.text(min_size=1, max_size=20),
    earlier=st.integers(0, 10 * 365 * 86400),
    later=st.integers(0, 10 * 365 * 86400),
)
def test_engagement_never_decreases(seed: int, platform: str, post_id: str, earlier: int, later: int) -> None:
    earlier, later = sorted((earlier, later))
    a = engagement(seed, platform, post_id, timedelta(seconds=earlier))
    b = engagement(seed, platform, post_id, timedelta(seconds=later))
    assert all(getattr(a, f) <= getattr(b, f) for f in ("likes", "comments", "shares", "saves", "impressions"))
    assert a == engagement(seed, platform, post_id, timedelta(seconds=earlier))


def test_engagement_is_zero_at_publication_and_differs_between_posts() -> None:
    assert engagement(1, "instagram", "123", timedelta(0)).likes == 0
    assert engagement(1, "instagram", "123", timedelta(seconds=-5)).likes == 0
    day = timedelta(days=1)
    assert engagement(1, "instagram", "123", day) != engagement(1, "instagram", "124", day)
    assert engagement(1, "twitter", "123", day).saves == 0


# -- CSV rows --------------------------------------------------------------------------------------


def test_rows_read_into_create_commands() -> None:
    data = (
        b"text,account_ids,scheduled_at,visibility,platform_data,board_id\n"
        b'Hello,a|b,2026-02-01T09:00:00+01:00,private,"{""instagram"": {""content_type"": ""feed""}}",brd\n'
        b"\n"
        b'"Multi\nline",a,,,,\n'
    )
    first, second = read_rows(data)
    assert first.number == 1 and first.board_id == "brd"
    assert first.command == NewPost(
        text="Hello",
        visibility="private",
        scheduled_at=datetime(2026, 2, 1, 8, tzinfo=UTC),
        platform_data={"instagram": {"content_type": "feed"}},
        targets=(NewTarget("a"), NewTarget("b")),
    )
    assert (second.number, second.command.text if second.command else None) == (3, "Multi\nline")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"title\nx\n", "text column"),
        (b"text\n\xff\n", "UTF-8"),
        (b'text\n"open\n', "malformed"),
        (b"text\n" + b"x" * (5 * 1024 * 1024), "exceeds"),
    ],
)
def test_unreadable_files_raise(data: bytes, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_rows(data)
    assert message in caught.value.message
    assert caught.value.meta == {"field": "file"}


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_raise_a_validation_error(data: bytes) -> None:
    with contextlib.suppress(ValidationFailed):
        read_rows(b"text,account_ids,scheduled_at,platform_data\n" + data)
