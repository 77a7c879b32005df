"""The store's due queue: (fire_at, id) order, stale entries skipped, each post once per instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mockserver.core.models import Post, PostStatus
from mockserver.core.store import PostStore

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def scheduled(store: PostStore, post_id: str, at: datetime) -> Post:
    post = Post(post_id, store.next_seq, "t", T0, T0, PostStatus.SCHEDULED, scheduled_at=at, fire_at=at)
    store.next_seq += 1
    store.add(post)
    return post


def drain(store: PostStore, until: datetime) -> list[str]:
    fired = []
    while (post := store.pop_due(until)) is not None:
        fired.append(post.id)
        post.fire_at = None
        store.changed(post)
    return fired


def test_same_instant_fires_in_id_order_and_instants_in_time_order() -> None:
    store = PostStore()
    for post_id, minutes in [("p_c", 5), ("p_a", 5), ("p_z", 1), ("p_b", 5), ("p_y", 9)]:
        scheduled(store, post_id, T0 + timedelta(minutes=minutes))
    assert drain(store, T0 + timedelta(minutes=5)) == ["p_z", "p_a", "p_b", "p_c"]
    assert drain(store, T0 + timedelta(hours=1)) == ["p_y"]
    assert store.pop_due(T0 + timedelta(days=1)) is None


def test_rescheduled_and_removed_posts_leave_no_live_entry() -> None:
    store = PostStore()
    moved = scheduled(store, "p_m", T0 + timedelta(minutes=1))
    gone = scheduled(store, "p_g", T0 + timedelta(minutes=1))
    scheduled(store, "p_k", T0 + timedelta(minutes=1))
    moved.fire_at = T0 + timedelta(minutes=30)
    store.changed(moved)
    store.changed(moved)  # re-filing without a move adds nothing
    store.remove(gone)
    assert drain(store, T0 + timedelta(minutes=10)) == ["p_k"]
    assert drain(store, T0 + timedelta(hours=1)) == ["p_m"]


def test_a_post_queued_at_the_instant_being_drained_still_fires() -> None:
    store = PostStore()
    at = T0 + timedelta(minutes=1)
    scheduled(store, "p_a", at)
    first = store.pop_due(at)
    assert first is not None
    late = scheduled(store, "p_b", at)
    assert store.pop_due(at) is late
    assert store.pop_due(at) is None


def test_an_earlier_post_queued_after_a_look_ahead_still_fires_first() -> None:
    store = PostStore()
    scheduled(store, "p_late", T0 + timedelta(minutes=2))
    assert store.pop_due(T0) is None
    scheduled(store, "p_early", T0 + timedelta(minutes=1))
    assert drain(store, T0 + timedelta(minutes=1)) == ["p_early"]
    assert drain(store, T0 + timedelta(minutes=2)) == ["p_late"]


def micros(at: datetime) -> int:
    return int((at - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 1_000_000


def test_next_due_names_the_instant_the_next_pop_fires_and_skips_stale_instants() -> None:
    store = PostStore()
    assert store.next_due() is None
    moved = scheduled(store, "p_m", T0 + timedelta(minutes=1))
    scheduled(store, "p_a", T0 + timedelta(minutes=5))
    scheduled(store, "p_b", T0 + timedelta(minutes=5))
    assert store.next_due() == micros(T0 + timedelta(minutes=1))
    moved.fire_at = T0 + timedelta(minutes=9)
    store.changed(moved)  # its old instant now holds only a stale entry
    assert store.next_due() == micros(T0 + timedelta(minutes=5))
    first = store.pop_due(T0 + timedelta(minutes=5))
    assert first is not None and first.id == "p_a"
    first.fire_at = None
    store.changed(first)
    assert store.next_due() == micros(T0 + timedelta(minutes=5))  # p_b, in the bucket being drained
    assert drain(store, T0 + timedelta(minutes=5)) == ["p_b"]
    assert store.next_due() == micros(T0 + timedelta(minutes=9))
    assert drain(store, T0 + timedelta(hours=1)) == ["p_m"]
    assert store.next_due() is None


def test_posts_popped_without_being_unqueued_come_out_once_each_in_id_order() -> None:
    store = PostStore()
    at = T0 + timedelta(minutes=1)
    for post_id in ("p_c", "p_a", "p_b"):
        scheduled(store, post_id, at)
    popped = [store.pop_due(at) for _ in range(4)]
    assert [post.id if post is not None else None for post in popped] == ["p_a", "p_b", "p_c", None]


def test_a_fired_post_queued_again_at_the_same_instant_fires_again() -> None:
    store = PostStore()
    at = T0 + timedelta(minutes=1)
    post = scheduled(store, "p_r", at)
    assert drain(store, at) == ["p_r"]
    post.fire_at = at  # a retry due at the instant the first attempt fired
    store.changed(post)
    assert drain(store, at) == ["p_r"]
