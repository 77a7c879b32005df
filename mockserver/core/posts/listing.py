"""Reading posts: one, its previews, and the filtered, cursor-paged list."""

from __future__ import annotations

import base64
from collections.abc import Iterator

from mockserver.core import messages
from mockserver.core.commands import SORTS, PostQuery
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS, Post, PostStatus, Target
from mockserver.core.posts.base import PostsBase
from mockserver.core.posts.outcomes import PostPage
from mockserver.core.posts.preview import Author, TargetPreview, preview_post
from mockserver.core.store import Key
from mockserver.core.timefmt import epoch_micros


class Listing(PostsBase):
    def get_post(self, post_id: str) -> Post:
        with self.lock:
            return self._post(post_id)

    def preview_post(self, post_id: str) -> list[TargetPreview]:
        with self.lock:
            return preview_post(self._post(post_id), self.state.media.items, self._author_of)

    def _author_of(self, target: Target) -> Author:
        """Who a feed shows as the author: the page a target posts to, else its account."""
        account = self.state.accounts.items.get(target.account_id)
        if account is None:
            return Author(target.account_id, target.account_id)
        page = (
            self.state.accounts.pages.get(target.page_id) if target.page_id else self.accounts.default_page(account.id)
        )
        if page is None:
            return Author(account.name, account.username)
        return Author(page.name, page.username or account.username)

    def list_posts(self, query: PostQuery) -> PostPage:
        with self.lock:
            if query.sort not in SORTS:
                raise ValidationFailed.invalid("sort", f"sort must be one of {', '.join(SORTS)}")
            if query.status is not None and query.status not in PostStatus.__members__.values():
                raise ValidationFailed.invalid("status", f"unknown status {query.status}")
            if query.platform is not None and query.platform not in PLATFORMS:
                raise ValidationFailed.invalid("platform", messages.UNKNOWN_PLATFORM.format(platform=query.platform))
            by_created = query.sort.startswith("created")
            reverse = query.sort.endswith("desc")
            after = _decode_cursor(query.cursor, query.sort) if query.cursor else None
            account_ids: tuple[str, ...] | None = query.account_ids or None
            if query.platform is not None:
                on_platform = tuple(a.id for a in self.state.accounts.items.values() if a.platform == query.platform)
                account_ids = tuple(a for a in (account_ids or on_platform) if a in on_platform)
            if query.brand_id is not None:
                if query.reach is not None:
                    query.reach.check_brand(query.brand_id)
                self.accounts.brand(query.brand_id)
                in_brand = tuple(a.id for a in self.state.accounts.items.values() if a.brand_id == query.brand_id)
                account_ids = tuple(a for a in (account_ids or in_brand) if a in in_brand)
            if query.reach is not None:
                reached = query.reach.account_ids(self.state.accounts.items)
                account_ids = tuple(a for a in (account_ids or reached) if a in reached)
                if not account_ids:
                    return PostPage([], False, None)
            wanted = set(query.account_ids)
            posts: list[Post] = []
            walker = self.state.posts.walk(
                status=query.status,
                account_ids=account_ids,
                by_created=by_created,
                reverse=reverse,
                after=after,
            )
            for post in _filtered(walker, query, wanted):
                posts.append(post)
                if len(posts) > query.limit:
                    break
            has_more = len(posts) > query.limit
            del posts[query.limit :]
            cursor = _encode_cursor(query.sort, posts[-1], by_created) if has_more else None
            return PostPage(posts, has_more, cursor)

    def iter_posts(self) -> Iterator[Post]:
        return self.state.posts.all_posts()


def _filtered(posts: Iterator[Post], query: PostQuery, wanted: set[str]) -> Iterator[Post]:
    needle = query.search.lower() if query.search else None
    since = query.since
    until = query.until
    for post in posts:
        if post.hidden and not query.hidden:
            continue
        if query.status is not None and post.status.value != query.status:
            continue
        if wanted and not any(t.account_id in wanted for t in post.targets):
            continue
        if query.platform is not None and not any(t.platform == query.platform for t in post.targets):
            continue
        if query.page_id is not None and not any(t.page_id == query.page_id for t in post.targets):
            continue
        if since is not None or until is not None:
            moment = post.scheduled_at or post.created_at
            if (since is not None and moment < since) or (until is not None and moment > until):
                continue
        if needle is not None and needle not in post.text.lower():
            continue
        yield post


def _encode_cursor(sort: str, post: Post, by_created: bool) -> str:
    moment = post.created_at if by_created else (post.scheduled_at or post.created_at)
    raw = f"{sort}:{epoch_micros(moment)}:{post.seq}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> Key:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        cursor_sort, micros, seq = raw.split(":")
        if cursor_sort != sort:
            raise ValueError
        return (int(micros), int(seq))
    except ValueError:
        raise ValidationFailed.invalid("cursor", messages.CURSOR_INVALID) from None
