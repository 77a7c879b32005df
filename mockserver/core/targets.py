"""A request's targets, resolved against the tenant's accounts, media and clock: the one home of target rules.

``resolve_targets(request, context)`` turns the target specs of a request into ``Target``s and lists
every ``Issue`` met on the way. Three use cases call it: create (``core/backend.py``) and PATCH
raise the first issue (``validation.raise_first``); validate lists them all, except a missing
reference (an unknown account or media), which is a 404 there too.

Where a new rule goes:

- a check of the request's post-level inputs (its media, segments, ``scheduled_at``): a function
  ``(request, context) -> Iterator[Issue]`` in ``POST_CHECKS``;
- a check of one target against its account, the media or the clock (for example ``page_id`` or
  ``board_id`` against the account's pages and boards, TikTok privacy against the creator info, the
  media inputs of a target): a function ``(candidate, context) -> Iterator[Issue]`` in
  ``TARGET_CHECKS``. A ``Candidate`` is one spec with its resolved account and field names. Tenant
  data a check needs (pages, boards, creator info) becomes a field of ``TargetContext``;
- a content rule of a platform (text length, media counts, required ``platform_data``): the rules
  table, ``RULES`` in ``core/platforms.py``, applied to the built post by ``validation.check_post``.

Checks run in list order: the first issue of a create is the first check that fails. A target is
built whenever its account exists, so validate still applies the content rules to a target whose
account needs reconnecting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core import messages
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import ReconnectionRequired, ValidationFailed
from mockserver.core.models import Account, MediaItem, Target
from mockserver.core.validation import Issue


@dataclass(frozen=True, slots=True)
class TargetContext:
    """What of the tenant the target rules read."""

    accounts: Mapping[str, Account]
    media: Mapping[str, MediaItem]
    now: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """One target spec whose account exists, with the request fields its issues point at."""

    request: NewPost
    spec: NewTarget
    account: Account
    where: str  # "targets[0]": the prefix of the spec's own fields
    account_field: str  # the field that named the account

    def issue(self, field_name: str, message: str, code: str = ValidationFailed.code) -> Issue:
        return Issue(self.account.platform, field_name, message, code, self.account.id)


@dataclass(slots=True)
class Resolution:
    targets: list[Target] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # For each target, the prefix of its spec in the request ("targets[0]", "account_ids[1]").
    origins: list[str] = field(default_factory=list)


PostCheck = Callable[[NewPost, TargetContext], Iterator[Issue]]
TargetCheck = Callable[[Candidate, TargetContext], Iterator[Issue]]


def resolve_targets(request: NewPost, context: TargetContext, *, origins: Sequence[str] = ()) -> Resolution:
    """``request.targets`` as ``Target``s, with every issue of ``POST_CHECKS`` and ``TARGET_CHECKS``.

    ``origins`` names where each spec sits in the request (default ``targets[i]``); a spec from
    anywhere else than ``targets`` names its account by the origin itself (``account_ids[0]``).
    """
    out = Resolution()
    for post_check in POST_CHECKS:
        out.issues.extend(post_check(request, context))
    seen: set[str] = set()
    for index, spec in enumerate(request.targets):
        where = origins[index] if origins else f"targets[{index}]"
        account_field = f"{where}.account_id" if where.startswith("targets") else where
        account = context.accounts.get(spec.account_id)
        if account is None:
            out.issues.append(_missing("account", spec.account_id, account_field))
            continue
        if account.id in seen:
            out.issues.append(Issue(account.platform, account_field, messages.TARGETED_TWICE, target=account.id))
            continue
        seen.add(account.id)
        candidate = Candidate(request, spec, account, where, account_field)
        for target_check in TARGET_CHECKS:
            out.issues.extend(target_check(candidate, context))
        out.targets.append(build_target(spec, account, request.platform_data))
        out.origins.append(where)
    return out


def build_target(spec: NewTarget, account: Account, platform_data: Mapping[str, Mapping[str, Any]]) -> Target:
    """The target ``spec`` describes, with the request's ``platform_data`` for its platform under its own."""
    folded = platform_data.get(account.platform)
    data = {**folded, **(spec.platform_data or {})} if folded else spec.platform_data
    return Target(
        account_id=account.id,
        platform=account.platform,
        page_id=spec.page_id or spec.board_id or account.page_id,
        text=spec.text,
        title=spec.title,
        media_ids=spec.media_ids,
        first_comment=spec.first_comment,
        visibility=spec.visibility,
        scheduled_at=spec.scheduled_at,
        platform_data=data or None,
    )


def _missing(kind: str, ident: str, field_name: str, platform: str = "") -> Issue:
    meta = {"resource": kind, "id": ident}
    return Issue(platform, field_name, messages.NOT_FOUND.format(kind=kind, id=ident), f"{kind}.not_found", meta=meta)


def missing_media(
    media_ids: Sequence[str], field_name: str, context: TargetContext, platform: str = ""
) -> Iterator[Issue]:
    """An issue for each of ``media_ids`` the tenant does not have."""
    for media_id in media_ids:
        if media_id not in context.media:
            yield _missing("media", media_id, field_name, platform)


def is_past(scheduled_at: datetime | None, request: NewPost, context: TargetContext) -> bool:
    """A time to publish at that has gone by; ``publish_now`` ignores every ``scheduled_at``."""
    return scheduled_at is not None and not request.publish_now and scheduled_at <= context.now


# -- post-level checks ------------------------------------------------------------------------------


def _post_media_exists(request: NewPost, context: TargetContext) -> Iterator[Issue]:
    yield from missing_media(request.media_ids or (), "media_ids", context)
    for number, segment in enumerate(request.segments):
        yield from missing_media(segment.media_ids, f"segments[{number}].media_ids", context)


def _post_scheduled_in_future(request: NewPost, context: TargetContext) -> Iterator[Issue]:
    if is_past(request.scheduled_at, request, context):
        yield Issue("", "scheduled_at", messages.SCHEDULED_IN_PAST)


POST_CHECKS: tuple[PostCheck, ...] = (_post_media_exists, _post_scheduled_in_future)


# -- per-target checks ------------------------------------------------------------------------------


def _account_connected(candidate: Candidate, context: TargetContext) -> Iterator[Issue]:
    account = candidate.account
    if account.status != "active":
        message = messages.RECONNECT.format(account_id=account.id, reason=account.reconnect_reason or account.status)
        yield candidate.issue(candidate.account_field, message, ReconnectionRequired.code)


def _target_media_exists(candidate: Candidate, context: TargetContext) -> Iterator[Issue]:
    field_name = f"{candidate.where}.media_ids"
    yield from missing_media(candidate.spec.media_ids or (), field_name, context, candidate.account.platform)


def _target_scheduled_in_future(candidate: Candidate, context: TargetContext) -> Iterator[Issue]:
    if is_past(candidate.spec.scheduled_at, candidate.request, context):
        yield candidate.issue(f"{candidate.where}.scheduled_at", messages.SCHEDULED_IN_PAST)


TARGET_CHECKS: tuple[TargetCheck, ...] = (_account_connected, _target_media_exists, _target_scheduled_in_future)
