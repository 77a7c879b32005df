"""Property tests of the post lifecycle: random create / schedule / publish / advance sequences."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any, ClassVar

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mockserver.core.backend import PublishingBackend
from mockserver.core.clock import FakeClock
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import DomainError, StateInvalid
from mockserver.core.models import PostStatus, TargetStatus
from mockserver.core.rules import lifecycle
from mockserver.core.rules.lifecycle import Event
from mockserver.core.scenarios import parse_scenario
from mockserver.loading.fixtures import load_fixtures
from tests.conftest import ACCOUNTS

START = datetime(2026, 1, 1, tzinfo=UTC)
BASELINE = load_fixtures().baseline
PLATFORMS = ["linkedin", "twitter", "facebook", "threads"]
FLAKY = parse_scenario(
    {
        "name": "flaky",
        "description": "half of the deliveries fail",
        "deliveries": [
            {
                "probability": 0.5,
                "fail": {
                    "code": "platform.x.api_error",
                    "message": "down",
                    "category": "platform",
                    "caused_by": "platform",
                },
            }
        ],
    }
)


def new_backend(seed: int, flaky: bool) -> PublishingBackend:
    backend = PublishingBackend(
        "sapi_key_machine",
        seed=seed,
        clock=FakeClock(START),
        baseline=BASELINE,
        initial_scenarios=(FLAKY,) if flaky else (),
    )
    return backend


# The refusals each operation may meet in a random sequence; any other error fails the run.
REFUSALS = {
    "create": {"validation.field_invalid", "validation.field_required"},
    "publish": {"post.state_invalid", "validation.field_required"},
    "retry": {"post.state_invalid", "post.no_retryable_deliveries"},
    "advance": set(),
}


RETRYABLE = (PostStatus.FAILED, PostStatus.PARTIAL)


class Lifecycle(RuleBasedStateMachine):
    posts = Bundle("posts")
    # What the examples of one run did, summed over the run (see test_lifecycle).
    totals: ClassVar[Counter[str]] = Counter()

    def __init__(self) -> None:
        super().__init__()
        # Each call and its outcome: None when it succeeded, else the error's code.
        self.log: list[tuple[str, tuple[Any, ...], str | None]] = []
        self.seen: dict[str, PostStatus] = {}

    @initialize(seed=st.integers(0, 3), flaky=st.booleans())
    def start(self, seed: int, flaky: bool) -> None:
        self.seed, self.flaky = seed, flaky
        self.backend = new_backend(seed, flaky)

    def _command(self, text: str, platforms: list[str], **extra: Any) -> NewPost:
        targets = tuple(NewTarget(ACCOUNTS[p]) for p in dict.fromkeys(platforms))
        return NewPost(text=text, targets=targets, skip_duplicate_check=True, **extra)

    def _do(self, name: str, *args: Any) -> Any:
        try:
            result = getattr(self, "_" + name)(*args)
        except DomainError as error:
            if error.code not in REFUSALS[name]:
                raise
            self.log.append((name, args, error.code))
            self.totals[f"{name} refused"] += 1
            return None
        self.log.append((name, args, None))
        self.totals[name] += 1
        return result

    def _create(self, command: NewPost) -> str:
        post = self.backend.posts.create_post(command).post
        self.totals[f"created {post.status.value}"] += 1
        return post.id

    def _publish(self, post_id: str) -> None:
        self.totals[f"published by hand, {self.backend.posts.publish_post(post_id).post.status.value}"] += 1

    def _advance(self, seconds: int) -> None:
        for fired in self.backend.posts.advance_clock(seconds=seconds).fired:
            self.totals[f"fired {fired.status}"] += 1

    def _retry(self, post_id: str) -> None:
        self.backend.posts.retry_post(post_id)

    @rule(target=posts, text=st.text(max_size=20), platforms=st.lists(st.sampled_from(PLATFORMS), max_size=3))
    def create_draft(self, text: str, platforms: list[str]) -> str | None:
        return self._do("create", self._command(text, platforms))  # type: ignore[no-any-return]

    @rule(
        target=posts,
        minutes=st.integers(-5, 600),
        platforms=st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=3),
    )
    def create_scheduled(self, minutes: int, platforms: list[str]) -> str | None:
        when = self.backend.now() + timedelta(minutes=minutes)
        return self._do("create", self._command("s", platforms, scheduled_at=when))  # type: ignore[no-any-return]

    @rule(target=posts, platforms=st.lists(st.sampled_from(PLATFORMS), min_size=1, max_size=3))
    def create_published(self, platforms: list[str]) -> str | None:
        return self._do("create", self._command("p", platforms, publish_now=True))  # type: ignore[no-any-return]

    @rule(post_id=posts)
    def publish(self, post_id: str | None) -> None:
        if post_id is not None:
            self._do("publish", post_id)

    @rule(post_id=posts)
    def retry(self, post_id: str | None) -> None:
        if post_id is not None:
            self._do("retry", post_id)

    # A post drawn from the bundle is rarely failed when drawn, so without this rule whole runs
    # retried nothing; this one retries a post that failed (or partly failed) as it stands now.
    @precondition(lambda self: any(post.status in RETRYABLE for post in self.backend.posts.iter_posts()))
    @rule(data=st.data())
    def retry_a_failed_post(self, data: st.DataObject) -> None:
        failed = [post.id for post in self.backend.posts.iter_posts() if post.status in RETRYABLE]
        self._do("retry", data.draw(st.sampled_from(failed)))

    @rule(seconds=st.integers(0, 6 * 3600))
    def advance(self, seconds: int) -> None:
        self._do("advance", seconds)

    @invariant()
    def nothing_is_published_before_its_time(self) -> None:
        now = self.backend.now()
        for post in self.backend.posts.iter_posts():
            for target in post.targets:
                if target.status is TargetStatus.PUBLISHED:
                    assert target.published_at is not None and target.published_at <= now
                    due = post.effective(target).scheduled_at
                    assert due is None or target.published_at >= due
                if post.status is PostStatus.SCHEDULED:
                    assert target.status is TargetStatus.PENDING
                    assert post.effective(target).scheduled_at > now  # type: ignore[operator]

    @invariant()
    def terminal_states_stay_terminal(self) -> None:
        for post in self.backend.posts.iter_posts():
            before = self.seen.get(post.id)
            if before in lifecycle.TERMINAL:
                assert post.status is before
            self.seen[post.id] = post.status

    @invariant()
    def outcome_matches_the_targets(self) -> None:
        for post in self.backend.posts.iter_posts():
            statuses = {t.status for t in post.targets}
            if post.status is PostStatus.PUBLISHED:
                assert statuses == {TargetStatus.PUBLISHED}
            if post.status is PostStatus.FAILED:
                assert statuses == {TargetStatus.FAILED}
            if post.status is PostStatus.PARTIAL:
                assert statuses == {TargetStatus.PUBLISHED, TargetStatus.FAILED}

    @invariant()
    def credits_used_equal_published_and_scheduled_posts(self) -> None:
        posts = list(self.backend.posts.iter_posts())
        charged = sum(post.status is not PostStatus.DRAFT for post in posts)
        retries = sum(post.retry_count for post in posts)
        assert self.backend.state.plan.posts_used == charged + retries

    @invariant()
    def ids_are_unique(self) -> None:
        ids = [post.id for post in self.backend.posts.iter_posts()]
        assert len(ids) == len(set(ids))

    def teardown(self) -> None:
        if not hasattr(self, "backend"):
            return
        # Replaying the same calls on a fresh backend with the same seed gives the same posts.
        # Replaying the same calls on a fresh backend with the same seed gives the same posts, and
        # every call succeeds or is refused exactly as it was the first time.
        replay = new_backend(self.seed, self.flaky)
        outcomes: list[str | None] = []
        for name, args, _ in self.log:
            try:
                getattr(_Replay(replay), "_" + name)(*args)
                outcomes.append(None)
            except DomainError as error:
                outcomes.append(error.code)
        assert outcomes == [outcome for _, _, outcome in self.log]
        assert [(p.id, p.status) for p in replay.posts.iter_posts()] == [
            (p.id, p.status) for p in self.backend.posts.iter_posts()
        ]


class _Replay:
    """The machine's calls on another backend, without counting them."""

    def __init__(self, backend: PublishingBackend) -> None:
        self.backend = backend

    def _create(self, command: NewPost) -> None:
        self.backend.posts.create_post(command)

    def _publish(self, post_id: str) -> None:
        self.backend.posts.publish_post(post_id)

    def _advance(self, seconds: int) -> None:
        self.backend.posts.advance_clock(seconds=seconds)

    def _retry(self, post_id: str) -> None:
        self.backend.posts.retry_post(post_id)


def test_lifecycle() -> None:
    Lifecycle.totals.clear()
    run_state_machine_as_test(Lifecycle, settings=settings(max_examples=60, stateful_step_count=25, deadline=None))
    totals = Lifecycle.totals

    # A run that only met refusals proves nothing: it must have drafted, scheduled, published,
    # failed and fired posts (summed over every example, so the run is not flaky).
    def count(word: str) -> int:
        return sum(n for outcome, n in totals.items() if word in outcome.split())

    walked = {word: count(word) for word in ("draft", "scheduled", "published", "failed", "fired")}
    walked["retried"] = totals["retry"]
    assert all(walked.values()), f"a path no example walked: {walked}; all outcomes: {dict(totals)}"


# The lifecycle as the API documents it, written out apart from core/rules/lifecycle.py:
# status, event -> status. Every pair not listed here must be refused.
EXPECTED = """
draft      schedule        scheduled
draft      publish         publishing
draft      edit            draft
draft      cancel          cancelled
scheduled  schedule        scheduled
scheduled  publish         publishing
scheduled  edit            scheduled
scheduled  cancel          cancelled
scheduled  unschedule      draft
publishing delivered_all   published
publishing delivered_some  partial
publishing delivered_none  failed
failed     edit            failed
failed     schedule        scheduled
failed     retry           publishing
failed     cancel          cancelled
partial    retry           publishing
published  delete          published
partial    delete          published
published  unpublish       cancelled
partial    unpublish       cancelled
"""
EXPECTED_MOVES = {
    (PostStatus(status), Event(event)): PostStatus(after)
    for status, event, after in (line.split() for line in EXPECTED.strip().splitlines())
}


@pytest.mark.parametrize(("status", "event"), sorted(product(PostStatus, Event), key=str))
def test_each_event_moves_a_post_as_documented(status: PostStatus, event: Event) -> None:
    expected = EXPECTED_MOVES.get((status, event))
    if expected is None:
        with pytest.raises(StateInvalid) as refused:
            lifecycle.apply(status, event)
        assert refused.value.message == f"cannot {event.value} a post in status {status.value}"
        assert not lifecycle.allows(status, event)
    else:
        assert lifecycle.apply(status, event) is expected
        assert lifecycle.allows(status, event)


@pytest.mark.parametrize("status", sorted(lifecycle.TERMINAL))
def test_terminal_states_accept_no_delivery_event(status: PostStatus) -> None:
    for event in (Event.PUBLISH, Event.SCHEDULE, Event.RETRY, Event.DELIVERED_ALL):
        with pytest.raises(DomainError):
            lifecycle.apply(status, event)
