"""DELETE ``/v1/posts/{pid}`` and unpublish: ``PostRemoval``.

- **DELETE** of a ``draft``, ``scheduled`` or ``failed`` post cancels it: status ``cancelled``, pending
  deliveries ``cancelled``, the post never fires and stays readable; ``deleted`` is true (with
  ``--api-version 2026-08-22`` the row is then removed and GET answers 404, as the newer docs say). Of a
  ``published`` or ``partial`` post: each published copy is deleted where the platform allows it
  (outcome ``deleted``) or kept (``not_supported``: Instagram, TikTok); targets without a live copy
  (failed, unpublished) are dropped (outcome ``deleted``). The post shrinks to the kept targets and
  becomes ``published`` (they are all live); when nothing is kept it is removed and GET answers 404,
  and only then ``deleted`` is true. ``publishing`` and ``cancelled`` posts: 409 ``post.state_invalid``.
  Each DELETE that changed something records ``post.deleted`` ``{post_id, was_status}``.
- **Unpublish** applies to ``published`` and ``partial`` posts (else 409). An unpublished target gets
  status ``failed`` with an ``error`` saying it was unpublished: the documented target enum has no
  other value for a copy that is no longer live, and ``failed`` is terminal, so a client polling for
  an outcome stops; its ``platform_post_id`` and ``permalink`` move into ``metadata`` with
  ``unpublished_at``. Once no published target remains the post becomes ``cancelled``
  (``Event.UNPUBLISH``), else its status is unchanged; the row always stays readable. With
  ``account_id`` that account's target must be published (409 otherwise; 400 if the account is not a
  target of the post). A platform that cannot unpublish (Instagram) answers 501
  ``resource.not_supported``; without ``account_id`` the other targets are still unpublished first,
  as the real API does, and ``meta.unpublished_count`` says how many.

Every refusal is raised before anything changes, except that partial unpublish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.errors import NotSupported, StateInvalid, ValidationFailed
from mockserver.core.models import Post, PostStatus, Target, TargetError, TargetStatus
from mockserver.core.posts.base import PostsBase
from mockserver.core.records.events import PostDeleted, PostUnpublished
from mockserver.core.rules import lifecycle
from mockserver.core.rules.lifecycle import Event
from mockserver.core.rules.platforms import display_name, rules_of
from mockserver.core.timefmt import format_instant


@dataclass(frozen=True, slots=True)
class TargetRemoval:
    platform: str
    account_id: str
    outcome: str  # deleted | not_supported
    message: str


@dataclass(frozen=True, slots=True)
class Deletion:
    deleted: bool
    results: list[TargetRemoval]


class PostRemoval(PostsBase):
    """``delete_post`` and ``unpublish_post`` (see the module docstring)."""

    def delete_post(self, post_id: str) -> Deletion:
        with self.lock:
            post = self._post(post_id)
            now = self.clock.now()
            if lifecycle.allows(post.status, Event.CANCEL):
                return _cancel(self, post, now)
            if not lifecycle.allows(post.status, Event.DELETE):
                reason = "its delivery cannot be stopped" if post.status is PostStatus.PUBLISHING else "it is over"
                raise StateInvalid(
                    f"post {post_id} cannot be deleted while {post.status.value}: {reason}",
                    meta={"status": post.status.value},
                )
            return _delete_copies(self, post, now)

    # -- unpublish ---------------------------------------------------------------------------------

    def unpublish_post(self, post_id: str, account_id: str | None = None) -> int:
        """Take the post down from ``account_id`` (or every account); the number of targets taken down."""
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.UNPUBLISH):
                raise StateInvalid(
                    f"post {post_id} is not published ({post.status.value})", meta={"status": post.status.value}
                )
            chosen = _unpublishable(post, account_id)
            refused = [t for t in chosen if not rules_of(t.platform).supports_unpublish]
            if account_id is not None and refused:
                raise _cannot_unpublish(refused, 0)
            now = self.clock.now()
            done = [t for t in chosen if t not in refused]
            for target in done:
                target.metadata = {
                    **(target.metadata or {}),
                    "platform_post_id": target.platform_post_id,
                    "permalink": target.permalink,
                    "unpublished_at": format_instant(now),
                }
                target.status = TargetStatus.FAILED
                target.error = _unpublished_error(target, now)
                target.platform_post_id = None
                target.permalink = None
                target.published_at = None
            if done:
                if not any(t.status is TargetStatus.PUBLISHED for t in post.targets):
                    post.status = lifecycle.apply(post.status, Event.UNPUBLISH)
                post.updated_at = now
                self.state.posts.changed(post)
                self.record_event(PostUnpublished(post.id, account_id, len(done)), now)
            if refused:
                raise _cannot_unpublish(refused, len(done))
            return len(done)


def _cancel(posts: PostsBase, post: Post, now: datetime) -> Deletion:
    was = post.status
    results = [
        TargetRemoval(
            t.platform,
            t.account_id,
            "deleted",
            f"not published on {display_name(t.platform)}; "
            + ("nothing to delete" if t.status is TargetStatus.FAILED else "delivery cancelled"),
        )
        for t in post.targets
    ]
    post.status = lifecycle.apply(was, Event.CANCEL)
    for target in post.targets:
        if target.status in (TargetStatus.PENDING, TargetStatus.PUBLISHING):
            target.status = TargetStatus.CANCELLED
    post.fire_at = None
    post.updated_at = now
    if posts.tenant.generation.delete_removes_row:
        # 2026-08-22: the row goes (GET answers 404); its pending deliveries were cancelled first.
        posts.state.posts.remove(post)
    else:
        posts.state.posts.changed(post)
    posts.record_event(PostDeleted(post.id, was.value), now)
    return Deletion(True, results)


def _delete_copies(posts: PostsBase, post: Post, now: datetime) -> Deletion:
    was = post.status
    kept: list[Target] = []
    results: list[TargetRemoval] = []
    for target in post.targets:
        name = display_name(target.platform)
        if target.status is not TargetStatus.PUBLISHED:
            results.append(TargetRemoval(target.platform, target.account_id, "deleted", f"not live on {name}; removed"))
        elif rules_of(target.platform).supports_delete:
            results.append(TargetRemoval(target.platform, target.account_id, "deleted", f"deleted on {name}"))
        else:
            kept.append(target)
            message = f"{name} does not allow deleting posts through its API; the post stays live there"
            results.append(TargetRemoval(target.platform, target.account_id, "not_supported", message))
    if len(kept) == len(post.targets):
        return Deletion(False, results)
    if kept:
        post.targets = kept
        post.status = lifecycle.apply(was, Event.DELETE)
        post.updated_at = now
        posts.state.posts.changed(post)
    else:
        posts.state.posts.remove(post)
    posts.record_event(PostDeleted(post.id, was.value), now)
    return Deletion(not kept, results)


def _unpublished_error(target: Target, now: datetime) -> TargetError:
    name = display_name(target.platform)
    return TargetError(
        f"unpublished from {name} at {format_instant(now)}; the copy is no longer live", "platform", "user"
    )


def _unpublishable(post: Post, account_id: str | None) -> list[Target]:
    if account_id is None:
        return [t for t in post.targets if t.status is TargetStatus.PUBLISHED]
    chosen = [t for t in post.targets if t.account_id == account_id]
    if not chosen:
        raise ValidationFailed.invalid("account_id", f"account {account_id} is not a target of post {post.id}")
    if chosen[0].status is not TargetStatus.PUBLISHED:
        raise StateInvalid(
            f"the target {account_id} of post {post.id} is not published ({chosen[0].status.value})",
            meta={"account_id": account_id, "status": chosen[0].status.value},
        )
    return chosen


def _cannot_unpublish(refused: list[Target], unpublished: int) -> NotSupported:
    names = sorted({display_name(t.platform) for t in refused})
    return NotSupported(
        f"{' and '.join(names)} does not support unpublishing posts through its API",
        meta={
            "platforms": sorted({t.platform for t in refused}),
            "account_ids": [t.account_id for t in refused],
            "unpublished_count": unpublished,
        },
    )
