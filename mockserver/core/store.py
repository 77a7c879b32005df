"""The posts of one tenant, with the indexes that keep lists and the scheduler fast at any size.

Every list query walks one sorted index (by status, by account, or all posts) from the cursor on,
so a page costs O(log n + page) whatever the number of stored posts. Keys are ``(micros, seq)``:
``seq`` is the creation sequence, which breaks ties and never repeats.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from sortedcontainers import SortedList

from mockserver.core.models import Post, PostStatus
from mockserver.core.timefmt import epoch_micros

Key = tuple[int, int]
DUPLICATE_WINDOW = timedelta(hours=24)


def scheduled_key(post: Post) -> Key:
    """Timeline position: the scheduled instant, or the creation instant for unscheduled posts."""
    return (epoch_micros(post.scheduled_at or post.created_at), post.seq)


def created_key(post: Post) -> Key:
    return (epoch_micros(post.created_at), post.seq)


class _Index:
    """One group of posts (all, a status, an account) in both orders.

    Each order is a sorted list plus the keys added and removed since that order was last read. A
    create files a post in four to eight groups and a fired post leaves its status group, while no
    list reads most groups: a sorted insert or removal each (half a microsecond to two) became an
    append or a set entry, settled in bulk by the read that needs them (the first list after 200,000
    creates pays about 70 ms for it, once).
    """

    __slots__ = (
        "_created",
        "_created_added",
        "_created_removed",
        "_scheduled",
        "_scheduled_added",
        "_scheduled_removed",
    )

    def __init__(self) -> None:
        self._scheduled = SortedList()
        self._created = SortedList()
        self._scheduled_added: list[Key] = []
        self._created_added: list[Key] = []
        self._scheduled_removed: set[Key] = set()
        self._created_removed: set[Key] = set()

    def __len__(self) -> int:
        return len(self._created) + len(self._created_added) - len(self._created_removed)

    @property
    def by_scheduled(self) -> SortedList:
        self._scheduled = _settled(self._scheduled, self._scheduled_added, self._scheduled_removed)
        return self._scheduled

    @property
    def by_created(self) -> SortedList:
        self._created = _settled(self._created, self._created_added, self._created_removed)
        return self._created

    def put(self, skey: Key, ckey: Key) -> None:
        # A key removed but not settled yet is still in the sorted list: putting it back cancels the removal.
        if self._scheduled_removed and skey in self._scheduled_removed:
            self._scheduled_removed.discard(skey)
        else:
            self._scheduled_added.append(skey)
        if self._created_removed and ckey in self._created_removed:
            self._created_removed.discard(ckey)
        else:
            self._created_added.append(ckey)

    def drop(self, skey: Key, ckey: Key) -> None:
        self._scheduled_removed.add(skey)
        self._created_removed.add(ckey)


def _settled(keys: SortedList, added: list[Key], removed: set[Key]) -> SortedList:
    """``keys`` with ``added`` merged in and ``removed`` taken out, both emptied."""
    if added:
        keys.update(added)
        added.clear()
    if removed:
        if len(removed) * 4 > len(keys):
            keys = SortedList(key for key in keys if key not in removed)
        else:
            for key in removed:
                keys.remove(key)
        removed.clear()
    return keys


class PostStore:
    def __init__(self) -> None:
        self.by_id: dict[str, Post] = {}
        self._by_seq: dict[int, Post] = {}
        self._all = _Index()
        self._by_status: dict[str, _Index] = {}
        self._by_account: dict[str, _Index] = {}
        self._keys: dict[int, tuple[Key, Key, str, tuple[str, ...]]] = {}
        self._due: list[int] = []
        self._due_at: dict[int, list[tuple[str, int]]] = {}
        self._draining: list[tuple[str, int]] = []
        self._draining_at = 0
        self._draining_micros = 0
        self._queued: dict[int, int] = {}
        self._recent: dict[tuple[str, tuple[str, ...]], list[tuple[datetime, str]]] = {}
        self.next_seq = 1

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, post_id: str) -> Post | None:
        return self.by_id.get(post_id)

    def add(self, post: Post) -> None:
        self.by_id[post.id] = post
        self._by_seq[post.seq] = post
        self._index(post)
        self._queue(post)
        key = (post.text, tuple(sorted(t.account_id for t in post.targets)))
        self._recent.setdefault(key, []).append((post.created_at, post.id))

    def remove(self, post: Post) -> None:
        self._unindex(post)
        del self.by_id[post.id]
        del self._by_seq[post.seq]

    def changed(self, post: Post) -> None:
        """Re-file ``post`` after its status, schedule or targets changed.

        Only the indexes whose key or membership changed are touched: a scheduled post that fires
        keeps its timeline keys and accounts, so it moves between two status buckets and no more.
        """
        old_skey, old_ckey, old_status, old_accounts = self._keys[post.seq]
        skey, ckey = scheduled_key(post), created_key(post)
        accounts = _accounts(post)
        status = post.status.value
        if (skey, ckey) != (old_skey, old_ckey):
            self._unindex(post)
            self._index(post)
        else:
            if status != old_status:
                self._by_status[old_status].drop(skey, ckey)
                _bucket(self._by_status, status).put(skey, ckey)
            if accounts != old_accounts:
                for account in old_accounts:
                    self._by_account[account].drop(skey, ckey)
                for account in accounts:
                    _bucket(self._by_account, account).put(skey, ckey)
            self._keys[post.seq] = (skey, ckey, status, accounts)
        self._queue(post)

    def _index(self, post: Post) -> None:
        skey, ckey = scheduled_key(post), created_key(post)
        accounts = _accounts(post)
        self._keys[post.seq] = (skey, ckey, post.status.value, accounts)
        self._all.put(skey, ckey)
        _bucket(self._by_status, post.status.value).put(skey, ckey)
        for account in accounts:
            _bucket(self._by_account, account).put(skey, ckey)

    def _unindex(self, post: Post) -> None:
        skey, ckey, status, accounts = self._keys.pop(post.seq)
        self._all.drop(skey, ckey)
        self._by_status[status].drop(skey, ckey)
        for account in accounts:
            self._by_account[account].drop(skey, ckey)

    # -- scheduler ---------------------------------------------------------------------------------

    # Due posts are kept in buckets, one per instant, and a heap of the instants: schedules
    # cluster on a few instants (the top of the hour), and sorting a bucket's ids once when it
    # comes due costs far less than a heap of (instant, id) pairs compared id by id.

    def _queue(self, post: Post) -> None:
        if post.fire_at is None:
            return
        micros = epoch_micros(post.fire_at)
        # One entry per (post, instant): re-filing a post that did not move adds nothing.
        if self._queued.get(post.seq) != micros:
            self._queued[post.seq] = micros
            bucket = self._due_at.get(micros)
            if bucket is None:
                self._due_at[micros] = [(post.id, post.seq)]
                heapq.heappush(self._due, micros)
            else:
                bucket.append((post.id, post.seq))

    def pop_due(self, until: datetime) -> Post | None:
        """The next post whose ``fire_at`` is at or before ``until``, in (fire_at, id) order."""
        limit = epoch_micros(until)
        while True:
            seq = self._next_live_in_bucket()
            if seq is not None:
                self._draining_at += 1
                if self._queued.get(seq) == self._draining_micros:
                    del self._queued[seq]
                return self._by_seq[seq]
            # A bucket is opened only once its instant is due, so an open bucket is never later
            # than a post queued after it was opened.
            if not self._due or self._due[0] > limit:
                return None
            self._draining_micros = heapq.heappop(self._due)
            self._draining = sorted(self._due_at.pop(self._draining_micros))
            self._draining_at = 0

    def next_due(self) -> int | None:
        """The instant (epoch micros) of the next post ``pop_due`` would return, without firing it.

        Buckets holding only stale entries (posts moved or removed since) are dropped on the way.
        """
        if self._next_live_in_bucket() is not None:
            return self._draining_micros
        while self._due:
            micros = self._due[0]
            if any(self._is_live(seq, micros) for _, seq in self._due_at[micros]):
                return micros
            heapq.heappop(self._due)
            del self._due_at[micros]
        return None

    def _next_live_in_bucket(self) -> int | None:
        """The seq of the next live entry of the open bucket; stale ones (moved, removed) are skipped."""
        while self._draining_at < len(self._draining):
            seq = self._draining[self._draining_at][1]
            if self._is_live(seq, self._draining_micros):
                return seq
            self._draining_at += 1
        return None

    def _is_live(self, seq: int, micros: int) -> bool:
        post = self._by_seq.get(seq)
        return post is not None and post.fire_at is not None and epoch_micros(post.fire_at) == micros

    # -- duplicates --------------------------------------------------------------------------------

    def recent_duplicate(self, text: str, account_ids: Iterable[str], now: datetime) -> Post | None:
        key = (text, tuple(sorted(account_ids)))
        entries = self._recent.get(key)
        if not entries:
            return None
        horizon = now - DUPLICATE_WINDOW
        entries[:] = [(at, pid) for at, pid in entries if at > horizon and pid in self.by_id]
        for _, pid in reversed(entries):
            post = self.by_id[pid]
            if post.status is not PostStatus.CANCELLED:
                return post
        return None

    # -- queries -----------------------------------------------------------------------------------

    def walk(
        self,
        *,
        status: str | None,
        account_ids: tuple[str, ...] | None,
        by_created: bool,
        reverse: bool,
        after: Key | None,
    ) -> Iterator[Post]:
        """Posts in index order, starting after the ``after`` key, from the smallest usable index."""
        candidates: list[list[_Index]] = [[self._all]]
        if status is not None:
            candidates.append([self._by_status.get(status, _Index())])
        if account_ids is not None:
            candidates.append([self._by_account[a] for a in account_ids if a in self._by_account])
        chosen = min(candidates, key=lambda group: sum(len(i) for i in group))
        ranges = [self._range(i.by_created if by_created else i.by_scheduled, after, reverse) for i in chosen]
        keys: Iterable[Key] = ranges[0] if len(ranges) == 1 else _merge_unique(ranges, reverse)
        by_seq = self._by_seq
        for key in keys:
            yield by_seq[key[1]]

    @staticmethod
    def _range(keys: SortedList, after: Key | None, reverse: bool) -> Iterator[Key]:
        if after is None:
            return iter(keys.irange(reverse=reverse))
        if reverse:
            return iter(keys.irange(maximum=after, inclusive=(True, False), reverse=True))
        return iter(keys.irange(minimum=after, inclusive=(False, True)))

    def all_posts(self) -> Iterator[Post]:
        return iter(self._by_seq.values())


def _accounts(post: Post) -> tuple[str, ...]:
    return tuple({t.account_id: None for t in post.targets})


def _bucket(buckets: dict[str, _Index], key: str) -> _Index:
    index = buckets.get(key)
    if index is None:
        index = buckets[key] = _Index()
    return index


def _merge_unique(ranges: list[Iterator[Key]], reverse: bool) -> Iterator[Key]:
    last: Key | None = None
    for key in heapq.merge(*ranges, reverse=reverse):
        if key != last:
            yield key
            last = key
