"""The post use cases after create: edit, delete, unpublish, validate, metrics and CSV import.

``PostEditing`` is a mixin of ``PublishingBackend``; its methods type ``self`` with the ``_Tenant``
protocol so this module never imports ``backend.py`` at run time. Every status change goes through
``lifecycle.apply``, every transition records its event, and every refusal is raised before anything
is changed (except the documented partial unpublish below).

Decisions where the API documentation is silent:

- **PATCH** works on ``draft``, ``scheduled`` and ``failed`` posts (else 409 ``post.state_invalid``) and
  checks the edited post with the same rules as a create, unless the post has ``skip_validation``
  (the duplicate-content check is create-only).
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
- **DELETE** of a ``draft``, ``scheduled`` or ``failed`` post cancels it: status ``cancelled``, pending
  deliveries ``cancelled``, the post never fires and stays readable; ``deleted`` is true. Of a
  ``published`` or ``partial`` post: each published copy is deleted where the platform allows it
  (outcome ``deleted``) or kept (``not_supported``: Instagram, TikTok); targets without a live copy
  (failed, unpublished) are dropped (outcome ``deleted``). The post shrinks to the kept targets and
  becomes ``published`` (they are all live); when nothing is kept it is removed and GET answers 404,
  and only then ``deleted`` is true. ``publishing`` and ``cancelled`` posts: 409 ``post.state_invalid``.
  Each DELETE that changed something records ``post.deleted`` ``{post_id, was_status}``.
- **Unpublish** applies to ``published`` and ``partial`` posts (else 409). An unpublished target gets
  status ``cancelled``; its ``platform_post_id`` and ``permalink`` move into ``metadata`` with
  ``unpublished_at``. Once no published target remains the post becomes ``cancelled``
  (``Event.UNPUBLISH``), else its status is unchanged; the row always stays readable. With
  ``account_id`` that account's target must be published (409 otherwise; 400 if the account is not a
  target of the post). A platform that cannot unpublish (Instagram) answers 501
  ``resource.not_supported``; without ``account_id`` the other targets are still unpublished first,
  as the real API does, and ``meta.unpublished_count`` says how many.
- **Validate** never charges and never stores. Unknown accounts and media are 404 as on create, an
  unknown platform is 400; everything else (content rules, a past ``scheduled_at``, an account that
  needs reconnecting) is an issue in ``errors`` or ``warnings``. Checks are those of a real send.
- **Metrics**: see ``core/metrics.py``; only published targets carry them.
- **Import**: each row goes through the create use case (a row with ``scheduled_at`` is scheduled and
  costs a credit, others are drafts); a refused row is reported and the next one goes on. A dry run
  makes the same checks, counting the credits and duplicates of earlier rows, and stores nothing:
  ``created`` is the number of rows that would be created and ``posts`` is empty.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mockserver.core import lifecycle
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import (
    DomainError,
    DuplicateContent,
    NotSupported,
    StateInvalid,
    ValidationFailed,
)
from mockserver.core.ids import stable_seed
from mockserver.core.importing import ImportRow, read_rows
from mockserver.core.lifecycle import Event
from mockserver.core.metrics import Engagement, engagement
from mockserver.core.models import (
    PLATFORMS,
    Account,
    MediaItem,
    Post,
    PostStatus,
    Segment,
    Target,
    TargetError,
    TargetStatus,
)
from mockserver.core.platforms import RULES, PlatformRules, display_name, rules_of
from mockserver.core.targets import TargetContext, resolve_targets
from mockserver.core.timefmt import format_instant
from mockserver.core.validation import Issue, Report, check_post, raise_first

if TYPE_CHECKING:
    from mockserver.core.backend import PostOutcome
    from mockserver.core.clock import Clock
    from mockserver.core.store import PostStore
    from mockserver.core.tenant import Plan

# What a target keeps when a PATCH reconfigures it: its delivery so far.
DELIVERY_STATE = ("status", "platform_post_id", "permalink", "published_at", "error", "metadata", "attempts")
EDITABLE = (
    "text",
    "title",
    "media_ids",
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
    visibility: str | None = None
    first_comment: str | None = None
    scheduled_at: datetime | None = None
    hidden: bool | None = None
    skip_validation: bool | None = None
    segments: tuple[Segment, ...] | None = None
    platform_data: Mapping[str, Mapping[str, Any]] | None = None
    targets: tuple[NewTarget, ...] | None = None


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


@dataclass(frozen=True, slots=True)
class TargetMetrics:
    target: Target
    engagement: Engagement | None


@dataclass(frozen=True, slots=True)
class MetricsReport:
    post_id: str
    synced_at: datetime
    targets: list[TargetMetrics]


@dataclass(slots=True)
class ImportReport:
    total_rows: int
    dry_run: bool
    created: int = 0
    posts: list[Post] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class _Tenant(Protocol):
    """What the mixin uses of ``PublishingBackend``."""

    seed: int
    tenant: str
    plan: Plan

    @property
    def lock(self) -> AbstractContextManager[Any]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def store(self) -> PostStore: ...
    @property
    def accounts(self) -> Mapping[str, Account]: ...
    @property
    def media(self) -> Mapping[str, MediaItem]: ...

    def _post(self, post_id: str) -> Post: ...
    def _charge(self) -> None: ...
    def _consume_credit(self) -> None: ...
    def target_context(self, now: datetime) -> TargetContext: ...
    def _next_fire(self, post: Post) -> datetime | None: ...
    def _scheduled_payload(self, post: Post) -> dict[str, Any]: ...
    def _checked_post(self, cmd: NewPost, now: datetime) -> Post: ...
    def create_post(self, cmd: NewPost) -> PostOutcome: ...
    def record_event(self, event: str, data: dict[str, Any], at: datetime) -> None: ...


class PostEditing:
    """Use cases of ``PublishingBackend`` beyond create, publish and list (see the module docstring)."""

    # -- PATCH -------------------------------------------------------------------------------------

    def update_post(self: _Tenant, post_id: str, edit: PostEdit) -> Post:
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
                raise_first(check_post(edited, self.media, publishing=status is PostStatus.SCHEDULED).errors)
            changed = _changed_fields(post, edited, edit.given)
            if not changed:
                return post
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
            self.store.changed(post)
            self.record_event(
                "post.updated", {"post_id": post.id, "status": status.value, "changed_fields": changed}, now
            )
            if scheduling:
                self.record_event("post.scheduled", self._scheduled_payload(post), now)
            return post

    # -- DELETE ------------------------------------------------------------------------------------

    def delete_post(self: _Tenant, post_id: str) -> Deletion:
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

    def unpublish_post(self: _Tenant, post_id: str, account_id: str | None = None) -> int:
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
                target.status = TargetStatus.CANCELLED
                target.platform_post_id = None
                target.permalink = None
                target.published_at = None
            if done:
                if not any(t.status is TargetStatus.PUBLISHED for t in post.targets):
                    post.status = lifecycle.apply(post.status, Event.UNPUBLISH)
                post.updated_at = now
                self.store.changed(post)
                payload = {"post_id": post.id, "account_id": account_id, "unpublished_count": len(done)}
                self.record_event("post.unpublished", payload, now)
            if refused:
                raise _cannot_unpublish(refused, len(done))
            return len(done)

    # -- validate ----------------------------------------------------------------------------------

    def validate_post(
        self: _Tenant, cmd: NewPost, *, platforms: tuple[str, ...] = (), account_ids: tuple[str, ...] = ()
    ) -> Report:
        """``POST /v1/posts/validate``: every issue a send of ``cmd`` would meet; nothing is stored."""
        with self.lock:
            now = self.clock.now()
            for index, platform in enumerate(platforms):
                if platform not in PLATFORMS:
                    raise ValidationFailed.invalid(f"platforms[{index}]", f"unknown platform {platform}")
            targeted = {spec.account_id for spec in cmd.targets}
            specs = list(cmd.targets)
            origins = [f"targets[{i}]" for i in range(len(specs))]
            for index, account_id in enumerate(account_ids):
                if account_id not in targeted:
                    targeted.add(account_id)
                    specs.append(NewTarget(account_id=account_id))
                    origins.append(f"account_ids[{index}]")
            request = dataclasses.replace(cmd, targets=tuple(specs))
            resolved = resolve_targets(request, self.target_context(now), origins=origins)
            missing = [issue for issue in resolved.issues if issue.missing]
            raise_first(missing)
            targets, origins = resolved.targets, resolved.origins
            for platform in platforms:
                if not any(t.platform == platform for t in targets):
                    data = dict(cmd.platform_data.get(platform) or {})
                    targets.append(Target(account_id="", platform=platform, platform_data=data or None))
                    origins.append("")
            if not targets:
                raise ValidationFailed.required(
                    "platforms", "give platforms, account_ids or targets to validate against"
                )
            early = _per_target(resolved.issues, targets)
            post = Post(
                id="",
                seq=0,
                text=cmd.text,
                created_at=now,
                updated_at=now,
                status=PostStatus.DRAFT,
                targets=targets,
                title=cmd.title,
                visibility=cmd.visibility,
                media_ids=cmd.media_ids,
                first_comment=cmd.first_comment,
                segments=cmd.segments,
                scheduled_at=cmd.scheduled_at,
            )
            report = check_post(post, self.media, publishing=True)
            return Report(
                early + [_from_request(i, origins) for i in report.errors],
                [_from_request(i, origins) for i in report.warnings],
            )

    def platform_rules(self: _Tenant, platform: str | None = None) -> dict[str, PlatformRules]:
        """The rules table behind validation, for one platform or all (``GET /v1/posts/validate``)."""
        if platform is None:
            return dict(RULES)
        if platform not in RULES:
            raise ValidationFailed.invalid("platform", f"unknown platform {platform}; one of {', '.join(RULES)}")
        return {platform: RULES[platform]}

    # -- metrics -----------------------------------------------------------------------------------

    def post_metrics(self: _Tenant, post_id: str) -> MetricsReport:
        with self.lock:
            post = self._post(post_id)
            now = self.clock.now()
            seed = stable_seed(self.seed, self.tenant)
            rows: list[TargetMetrics] = []
            for target in post.targets:
                counts = None
                if target.status is TargetStatus.PUBLISHED and target.platform_post_id and target.published_at:
                    counts = engagement(seed, target.platform, target.platform_post_id, now - target.published_at)
                rows.append(TargetMetrics(target, counts))
            return MetricsReport(post.id, now, rows)

    # -- CSV import --------------------------------------------------------------------------------

    def import_posts(self: _Tenant, data: bytes, *, dry_run: bool = False) -> ImportReport:
        rows = read_rows(data)
        with self.lock:
            report = ImportReport(total_rows=len(rows), dry_run=dry_run)
            plan = self.plan
            seen: set[tuple[str, tuple[str, ...]]] = set()
            try:
                for row in rows:
                    if row.command is None:
                        report.errors.append((row.number, row.error or "row is invalid"))
                        continue
                    cmd = _with_board(self, row, row.command)
                    try:
                        if dry_run:
                            _try_create(self, cmd, seen)
                        else:
                            report.posts.append(self.create_post(cmd).post)
                    except DomainError as error:
                        report.errors.append((row.number, error.message))
                    else:
                        report.created += 1
            finally:
                # A dry run spends credits only to see whether later rows would still get one.
                if dry_run:
                    self.plan = plan
            return report


def _per_target(issues: list[Issue], targets: list[Target]) -> list[Issue]:
    """``issues``, each issue of the post as a whole (no platform) repeated for every target it concerns."""
    out: list[Issue] = []
    for issue in issues:
        if issue.platform:
            out.append(issue)
        else:
            out.extend(dataclasses.replace(issue, platform=t.platform, target=t.account_id) for t in targets)
    return out


def _from_request(issue: Issue, origins: list[str]) -> Issue:
    """``issue`` with its ``targets[i]`` field renamed after where target ``i`` is in the request."""
    head, dot, rest = issue.field.partition(".")
    if not (dot and head.startswith("targets[") and head.endswith("]") and head[8:-1].isdigit()):
        return issue
    origin = origins[int(head[8:-1])]
    if origin.startswith("account_ids"):
        origin = ""
    return dataclasses.replace(issue, field=f"{origin}.{rest}" if origin else rest)


# -- edit helpers ----------------------------------------------------------------------------------


def _edited(tenant: _Tenant, post: Post, edit: PostEdit, now: datetime) -> Post:
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
                raise ValidationFailed.invalid(flag, f"{flag} must be true or false")
            setattr(draft, flag, value)
    if "targets" in given and edit.targets is None:
        raise ValidationFailed.invalid("targets", "targets must be a list (send [] to remove every target)")
    request = NewPost(
        text=draft.text,
        media_ids=edit.media_ids if "media_ids" in given else None,
        segments=(edit.segments or ()) if "segments" in given else (),
        scheduled_at=edit.scheduled_at if "scheduled_at" in given else None,
        platform_data={k: dict(v) for k, v in (edit.platform_data or {}).items()},
        targets=edit.targets or (),
    )
    resolved = resolve_targets(request, tenant.target_context(now))
    raise_first(resolved.issues)
    if "media_ids" in given:
        draft.media_ids = edit.media_ids
    if "segments" in given:
        draft.segments = edit.segments or ()
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


# -- delete and unpublish helpers ------------------------------------------------------------------


def _cancel(tenant: _Tenant, post: Post, now: datetime) -> Deletion:
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
    tenant.store.changed(post)
    tenant.record_event("post.deleted", {"post_id": post.id, "was_status": was.value}, now)
    return Deletion(True, results)


def _delete_copies(tenant: _Tenant, post: Post, now: datetime) -> Deletion:
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
        tenant.store.changed(post)
    else:
        tenant.store.remove(post)
    tenant.record_event("post.deleted", {"post_id": post.id, "was_status": was.value}, now)
    return Deletion(not kept, results)


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


# -- import helpers --------------------------------------------------------------------------------


def _with_board(tenant: _Tenant, row: ImportRow, cmd: NewPost) -> NewPost:
    if row.board_id is None:
        return cmd
    targets = tuple(
        dataclasses.replace(t, board_id=row.board_id)
        if (account := tenant.accounts.get(t.account_id)) is not None and rules_of(account.platform).board_required
        else t
        for t in cmd.targets
    )
    return dataclasses.replace(cmd, targets=targets)


def _try_create(tenant: _Tenant, cmd: NewPost, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    """Every check ``create_post`` makes, with earlier rows of the same dry run counted as created."""
    post = tenant._checked_post(cmd, tenant.clock.now())
    key = (post.text, tuple(sorted(t.account_id for t in post.targets)))
    if key in seen and not cmd.skip_duplicate_check:
        raise DuplicateContent("a post with the same text and accounts is on an earlier row of this file")
    seen.add(key)
    if cmd.publish_now or post.scheduled_at is not None:
        tenant._consume_credit()
