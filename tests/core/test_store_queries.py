"""The store's indexes answer like a plain filter-and-sort over every post, after any changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.models import Post, PostStatus, Target
from mockserver.core.store import PostStore, created_key, scheduled_key

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ACCOUNTS = ("acc_a", "acc_b", "acc_c")
STATUSES = (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.PUBLISHED, PostStatus.CANCELLED)

post_shape = st.tuples(
    st.integers(0, 5),  # created, in minutes (ties on purpose)
    st.none() | st.integers(0, 5),  # scheduled, in minutes
    st.sampled_from(STATUSES),
    st.lists(st.sampled_from(ACCOUNTS), max_size=3),
)


def make(store: PostStore, number: int, shape: tuple[int, int | None, PostStatus, list[str]]) -> Post:
    created, scheduled, status, accounts = shape
    post = Post(
        f"p_{number:03d}",
        store.next_seq,
        "t",
        T0 + timedelta(minutes=created),
        T0,
        status,
        targets=[Target(a, "linkedin") for a in accounts],
        scheduled_at=None if scheduled is None else T0 + timedelta(minutes=scheduled),
    )
    store.next_seq += 1
    store.add(post)
    return post


@settings(max_examples=150, deadline=None)
@given(
    shapes=st.lists(post_shape, min_size=1, max_size=12),
    changes=st.lists(st.tuples(st.integers(0, 11), post_shape), max_size=8),
    removals=st.lists(st.integers(0, 11), max_size=3),
    status=st.none() | st.sampled_from(STATUSES),
    accounts=st.none() | st.lists(st.sampled_from(ACCOUNTS), min_size=1, max_size=2).map(tuple),
    by_created=st.booleans(),
    reverse=st.booleans(),
    after_at=st.none() | st.integers(0, 11),
)
def test_walk_finds_exactly_the_matching_posts_in_order(
    shapes: list[tuple[int, int | None, PostStatus, list[str]]],
    changes: list[tuple[int, tuple[int, int | None, PostStatus, list[str]]]],
    removals: list[int],
    status: PostStatus | None,
    accounts: tuple[str, ...] | None,
    by_created: bool,
    reverse: bool,
    after_at: int | None,
) -> None:
    store = PostStore()
    posts = [make(store, n, shape) for n, shape in enumerate(shapes)]
    for index, (created, scheduled, new_status, new_accounts) in changes:
        if index < len(posts):
            post = posts[index]
            post.created_at = T0 + timedelta(minutes=created)
            post.scheduled_at = None if scheduled is None else T0 + timedelta(minutes=scheduled)
            post.status = new_status
            post.targets = [Target(a, "linkedin") for a in new_accounts]
            store.changed(post)
    for index in removals:
        if index < len(posts) and posts[index].id in store.by_id:
            store.remove(posts[index])
    live = list(store.all_posts())
    key = created_key if by_created else scheduled_key
    after = key(posts[after_at]) if after_at is not None and after_at < len(posts) else None

    def matches(post: Post) -> bool:
        return (status is None or post.status is status) and (
            accounts is None or any(t.account_id in accounts for t in post.targets)
        )

    expected = sorted((p for p in live if matches(p)), key=key, reverse=reverse)
    if after is not None:
        expected = [p for p in expected if (key(p) < after if reverse else key(p) > after)]
    walked = list(
        store.walk(
            status=None if status is None else status.value,
            account_ids=accounts,
            by_created=by_created,
            reverse=reverse,
            after=after,
        )
    )
    assert len({p.id for p in walked}) == len(walked), "a post came twice"
    assert [p.id for p in walked if matches(p)] == [p.id for p in expected]
    assert len(store) == len(live) and all(store.get(p.id) is p for p in live)


def test_a_duplicate_is_the_latest_live_post_with_the_same_text_and_accounts_within_a_day() -> None:
    store = PostStore()
    first = make(store, 1, (0, None, PostStatus.PUBLISHED, ["acc_b", "acc_a"]))
    second = make(store, 2, (1, None, PostStatus.DRAFT, ["acc_a", "acc_b"]))
    now = T0 + timedelta(hours=1)
    assert store.recent_duplicate("t", ["acc_a", "acc_b"], now) is second
    assert store.recent_duplicate("t", ["acc_a"], now) is None
    assert store.recent_duplicate("other", ["acc_a", "acc_b"], now) is None
    second.status = PostStatus.CANCELLED
    store.changed(second)
    assert store.recent_duplicate("t", ["acc_b", "acc_a"], now) is first
    store.remove(first)
    assert store.recent_duplicate("t", ["acc_a", "acc_b"], now) is None
    third = make(store, 3, (0, None, PostStatus.DRAFT, ["acc_c"]))
    # The window is 24 hours from creation; at exactly 24 hours the post no longer counts.
    assert (
        store.recent_duplicate("t", ["acc_c"], third.created_at + timedelta(hours=24) - timedelta(seconds=1)) is third
    )
    assert store.recent_duplicate("t", ["acc_c"], third.created_at + timedelta(hours=24)) is None


def test_a_newest_first_walk_over_two_accounts_merges_their_indexes_newest_first() -> None:
    store = PostStore()
    for number in range(10):  # posts on no account make the account indexes the smaller ones to walk
        make(store, number, (number % 6, None, PostStatus.DRAFT, []))
    shared = make(store, 10, (3, None, PostStatus.DRAFT, ["acc_a", "acc_b"]))
    only_a = [
        make(store, 11, (1, None, PostStatus.DRAFT, ["acc_a"])),
        make(store, 12, (5, None, PostStatus.DRAFT, ["acc_a"])),
    ]
    only_b = [
        make(store, 13, (2, None, PostStatus.DRAFT, ["acc_b"])),
        make(store, 14, (4, None, PostStatus.DRAFT, ["acc_b"])),
    ]
    walked = store.walk(status=None, account_ids=("acc_a", "acc_b"), by_created=True, reverse=True, after=None)
    expected = sorted([shared, *only_a, *only_b], key=created_key, reverse=True)
    assert (
        [post.id for post in walked] == [post.id for post in expected] == ["p_012", "p_014", "p_010", "p_013", "p_011"]
    )


def test_a_post_whose_status_alone_changed_is_found_under_its_new_status_only() -> None:
    store = PostStore()
    post = make(store, 1, (0, 3, PostStatus.SCHEDULED, ["acc_a"]))
    make(store, 2, (1, 4, PostStatus.SCHEDULED, ["acc_a"]))
    post.status = PostStatus.PUBLISHED  # same times, same accounts: only the status bucket moves
    store.changed(post)

    def ids(status: PostStatus) -> list[str]:
        walked = store.walk(status=status.value, account_ids=None, by_created=False, reverse=False, after=None)
        return [p.id for p in walked]

    assert ids(PostStatus.PUBLISHED) == ["p_001"]
    assert ids(PostStatus.SCHEDULED) == ["p_002"]
