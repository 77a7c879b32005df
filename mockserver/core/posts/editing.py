"""PATCH ``/v1/posts/{pid}``: ``PostEditing.update_post``.

PATCH works on ``draft``, ``scheduled`` and ``failed`` posts (else 409 ``post.state_invalid``) and
checks the edited post with the same rules as a create (``core/rules/targets.py``, then the content rules),
unless the post has ``skip_validation`` (the opt-in duplicate-content check is create-only). A refused edit
changes nothing.

A non-null ``scheduled_at`` (in the future) schedules a draft or a failed post, which costs one
credit like a scheduled create (429 ``billing.post_limit`` when none is left), and reschedules a
scheduled post for free. ``scheduled_at: null`` turns a scheduled post back into a draft
(``Event.UNSCHEDULE``) without a refund, and clears the per-target times. ``targets`` is the new
list of targets: an account already targeted keeps its delivery state and takes the new
configuration, an account left out is dropped, a new account starts ``pending`` (``failed`` in a
failed post, with error ``post.not_delivered``, so that a retry delivers it). ``platform_data``
without ``targets`` is merged into the existing targets of each platform (the edit wins). A PATCH
that changes nothing changes ``updated_at`` neither and records no event. Events: ``post.updated``
with ``changed_fields``, then ``post.scheduled`` when the edit scheduled the post.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core import messages
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import StateInvalid, ValidationFailed
from mockserver.core.media_inputs import field_of, normalised, normalised_segment
from mockserver.core.models import MediaInput, Post, PostStatus, Segment, Target, TargetError, TargetStatus
from mockserver.core.posts.base import PostsBase
from mockserver.core.posts.outcomes import PostOutcome
from mockserver.core.reach import Reach
from mockserver.core.records.events import PostUpdated
from mockserver.core.rules import lifecycle
from mockserver.core.rules.content import check_post, publish_notes, raise_first
from mockserver.core.rules.lifecycle import Event
from mockserver.core.rules.targets import resolve_targets

# What a target keeps when a PATCH reconfigures it: its delivery so far.
DELIVERY_STATE = ("status", "platform_post_id", "permalink", "published_at", "error", "metadata", "attempts")
EDITABLE = (
    "text",
    "title",
    "media_ids",
    "media",
    "visibility",
    "first_comment",
    "scheduled_at",
    "hidden",
    "skip_validation",
    "segments",
    "platform_data",
    "targets",
)
NOT_DELIVERED = TargetError(
    "added after the post failed; retry the post to deliver it", "validation", "user", "post.not_delivered"
)


@dataclass(frozen=True, slots=True)
class PostEdit:
    """A PATCH: only the fields named in ``given`` change; a given ``None`` clears the field."""

    given: frozenset[str]
    text: str | None = None
    title: str | None = None
    media_ids: tuple[str, ...] | None = None
    media: tuple[MediaInput, ...] | None = None
    visibility: str | None = None
    first_comment: str | None = None
    scheduled_at: datetime | None = None
    hidden: bool | None = None
    skip_validation: bool | None = None
    segments: tuple[Segment, ...] | None = None
    platform_data: Mapping[str, Mapping[str, Any]] | None = None
    targets: tuple[NewTarget, ...] | None = None
    reach: Reach | None = None


class PostEditing(PostsBase):
    """``update_post``: the PATCH of a post (see the module docstring)."""

    def update_post(self, post_id: str, edit: PostEdit) -> PostOutcome:
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.EDIT):
                raise StateInvalid(
                    f"post {post_id} is not in an editable state ({post.status.value})",
                    meta={"status": post.status.value},
                )
            now = self.clock.now()
            edited = _edited(self, post, edit, now)
            event = _edit_event(post, edit)
            status = lifecycle.apply(post.status, event)
            scheduling = status is PostStatus.SCHEDULED and post.status is not PostStatus.SCHEDULED
            if status in (PostStatus.SCHEDULED, PostStatus.FAILED) and not edited.targets:
                raise ValidationFailed.required("targets", f"a {status.value} post needs at least one target")
            if not edited.skip_validation:
                raise_first(
                    check_post(edited, self.state.media.items, publishing=status is PostStatus.SCHEDULED).errors
                )
            changed = _changed_fields(post, edited, edit.given)
            notes = publish_notes(edited, self.state.media.items)
            if not changed:
                return PostOutcome(post, warnings=notes)
            if scheduling:
                self._charge()
                self._consume_credit()
            for name in (f.name for f in dataclasses.fields(Post)):
                setattr(post, name, getattr(edited, name))
            post.status = status
            post.updated_at = now
            if scheduling:
                for target in post.targets:
                    target.status = TargetStatus.PENDING
                    target.error = None
            post.fire_at = self._next_fire(post) if status is PostStatus.SCHEDULED else None
            self.state.posts.changed(post)
            self.record_event(PostUpdated(post.id, status.value, tuple(changed)), now)
            if scheduling:
                self.record_event(self._scheduled_payload(post), now)
            return PostOutcome(post, warnings=notes)


def _edited(posts: PostsBase, post: Post, edit: PostEdit, now: datetime) -> Post:
    """A copy of ``post`` with ``edit`` applied and its references checked; ``post`` is untouched."""
    given = edit.given
    draft = copy.deepcopy(post)
    if "text" in given:
        if edit.text is None:
            raise ValidationFailed.invalid("text", "text must not be null")
        draft.text = edit.text
    for name in ("title", "visibility", "first_comment"):
        if name in given:
            setattr(draft, name, getattr(edit, name))
    for flag in ("hidden", "skip_validation"):
        if flag in given:
            value = getattr(edit, flag)
            if value is None:
                raise ValidationFailed.invalid(flag, messages.NOT_A_BOOLEAN.format(name=flag))
            setattr(draft, flag, value)
    if "targets" in given and edit.targets is None:
        raise ValidationFailed.invalid("targets", "targets must be a list (send [] to remove every target)")
    request = NewPost(
        text=draft.text,
        media_ids=edit.media_ids if "media_ids" in given else None,
        media=edit.media if "media" in given else None,
        segments=(edit.segments or ()) if "segments" in given else (),
        scheduled_at=edit.scheduled_at if "scheduled_at" in given else None,
        platform_data={k: dict(v) for k, v in (edit.platform_data or {}).items()},
        targets=edit.targets or (),
        reach=edit.reach,
    )
    resolved = resolve_targets(request, posts.target_context(now))
    raise_first(resolved.issues)
    if "media" in given or "media_ids" in given:
        # As on create, media wins over media_ids; sending either as null clears the post's media.
        sent = edit.media if "media" in given else None
        ids = None if "media" in given else edit.media_ids
        draft.media, draft.media_ids = normalised(sent, ids, posts.state.media.items)
        draft.media_field = field_of(sent, ids)
    if "segments" in given:
        draft.segments = tuple(normalised_segment(s, posts.state.media.items) for s in edit.segments or ())
    if "targets" in given:
        draft.targets = _keep_deliveries(post, resolved.targets)
    elif "platform_data" in given:
        for target in draft.targets:
            extra = (edit.platform_data or {}).get(target.platform)
            if extra:
                target.platform_data = {**(target.platform_data or {}), **extra}
    if "scheduled_at" in given:
        draft.scheduled_at = edit.scheduled_at
        if edit.scheduled_at is None:
            for target in draft.targets:
                target.scheduled_at = None
    return draft


def _keep_deliveries(post: Post, targets: list[Target]) -> list[Target]:
    """``targets`` with the delivery so far of each account ``post`` already targeted."""
    before = {t.account_id: t for t in post.targets}
    for target in targets:
        old = before.get(target.account_id)
        if old is not None:
            for name in DELIVERY_STATE:
                setattr(target, name, copy.deepcopy(getattr(old, name)))
        elif post.status is PostStatus.FAILED:
            target.status = TargetStatus.FAILED
            target.error = NOT_DELIVERED
    return targets


def _edit_event(post: Post, edit: PostEdit) -> Event:
    if "scheduled_at" not in edit.given:
        return Event.EDIT
    if edit.scheduled_at is not None:
        return Event.SCHEDULE
    return Event.UNSCHEDULE if post.status is PostStatus.SCHEDULED else Event.EDIT


def _changed_fields(before: Post, after: Post, given: frozenset[str]) -> list[str]:
    def value(post: Post, name: str) -> object:
        if name == "scheduled_at":
            return (post.scheduled_at, [t.scheduled_at for t in post.targets])
        if name == "platform_data":
            return [t.platform_data for t in post.targets]
        return getattr(post, name)

    return [name for name in EDITABLE if name in given and value(before, name) != value(after, name)]
