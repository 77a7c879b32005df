"""A request's targets, resolved against the tenant's accounts, media and clock: the one home of target rules.

``resolve_targets(request, context)`` turns the target specs of a request into ``Target``s and lists
every ``Issue`` met on the way. Three use cases call it: create (``core/backend.py``) and PATCH
raise the first issue (``validation.raise_first``); validate lists them all, except a missing
reference (an unknown account or media), which is a 404 there too.

Where a new rule goes:

- a check of the request's post-level inputs (its media, segments, ``scheduled_at``): a function
  ``(request, context) -> Iterable[Issue]`` in ``POST_CHECKS``;
- a check of one target against its account, the media or the clock (for example ``page_id`` or
  ``board_id`` against the account's pages and boards, TikTok privacy against the creator info, the
  media inputs of a target): a function ``(candidate, context) -> Iterable[Issue]`` in
  ``TARGET_CHECKS``. A ``Candidate`` is one spec with its resolved account and field names. Tenant
  data a check needs (pages, boards, creator info) becomes a field of ``TargetContext``;
- a content rule of a platform (text length, media counts, required ``platform_data``): the rules
  table, ``RULES`` in ``core/rules/platforms.py``, applied to the built post by ``validation.check_post``.

Checks run in list order: the first issue of a create is the first check that fails. A target is
built whenever its account exists, so validate still applies the content rules to a target whose
account needs reconnecting. The checks here return ``NO_ISSUES`` on the usual path rather than
being generators: every target of every create runs all of them, and building and draining a
generator that yields nothing cost more than the checks themselves (a generator is still a valid check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mockserver.core import messages
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import ReconnectionRequired, ValidationFailed
from mockserver.core.media_inputs import field_of, normalised, problems
from mockserver.core.models import Account, MediaInput, MediaItem, Target
from mockserver.core.records.accounts import BOARD_PLATFORMS, NO_ACTIVE_PAGE, PAGE_INACTIVE, PAGE_PLATFORMS
from mockserver.core.rules.content import Issue
from mockserver.core.rules.platform_data import has_own_body
from mockserver.core.rules.platforms import RULES, display_name

if TYPE_CHECKING:
    from mockserver.core.records.accounts import AccountPage, Board, CreatorInfo


class AccountSideView(Protocol):
    """What the target rules read of a tenant's pages, boards, creator info and daily limits."""

    @property
    def pages(self) -> Mapping[str, AccountPage]: ...

    @property
    def boards(self) -> Mapping[str, Board]: ...

    def default_page(self, account_id: str) -> AccountPage | None: ...

    def creator_info_of(self, account: Account) -> CreatorInfo: ...

    def posts_remaining(self, account: Account, at: datetime) -> int | None: ...


@dataclass(frozen=True, slots=True)
class TargetContext:
    """What of the tenant the target rules read."""

    accounts: Mapping[str, Account]
    media: Mapping[str, MediaItem]
    now: datetime
    # Pages, boards, creator info and limits (the tenant itself); None: no account-side rules.
    account_side: AccountSideView | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One target spec whose account exists, with the request fields its issues point at."""

    request: NewPost
    spec: NewTarget
    account: Account
    where: str  # "targets[0]": the prefix of the spec's own fields
    account_field: str  # the field that named the account
    default_page: AccountPage | None = None  # where the target publishes without a page_id (page platforms)

    def issue(self, field_name: str, message: str, code: str = ValidationFailed.code) -> Issue:
        return Issue(self.account.platform, field_name, message, code, self.account.id)


@dataclass(slots=True)
class Resolution:
    targets: list[Target] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # For each target, the prefix of its spec in the request ("targets[0]", "account_ids[1]").
    origins: list[str] = field(default_factory=list)


PostCheck = Callable[[NewPost, TargetContext], Iterable[Issue]]
TargetCheck = Callable[[Candidate, TargetContext], Iterable[Issue]]
NO_ISSUES: tuple[Issue, ...] = ()


def resolve_targets(request: NewPost, context: TargetContext, *, origins: Sequence[str] = ()) -> Resolution:
    """``request.targets`` as ``Target``s, with every issue of ``POST_CHECKS`` and ``TARGET_CHECKS``.

    ``origins`` names where each spec sits in the request (default ``targets[i]``); a spec from
    anywhere else than ``targets`` names its account by the origin itself (``account_ids[0]``).
    """
    out = Resolution()
    issues = out.issues
    for post_check in POST_CHECKS:
        found = post_check(request, context)
        if found:
            issues.extend(found)
    seen: set[str] = set()
    for index, spec in enumerate(request.targets):
        where = origins[index] if origins else f"targets[{index}]"
        account_field = f"{where}.account_id" if where.startswith("targets") else where
        account = context.accounts.get(spec.account_id)
        # A disconnected account stays stored for the posts that name it, and is gone for new ones.
        reach = request.reach
        if (
            account is None
            or account.status == "disconnected"
            or (reach is not None and not reach.sees_account(account))
        ):
            issues.append(_missing("account", spec.account_id, account_field))
            continue
        if account.id in seen:
            issues.append(Issue(account.platform, account_field, messages.TARGETED_TWICE, target=account.id))
            continue
        seen.add(account.id)
        default_page = _default_page(account, context)
        candidate = Candidate(request, spec, account, where, account_field, default_page)
        for target_check in TARGET_CHECKS:
            found = target_check(candidate, context)
            if found:
                issues.extend(found)
        page_id = None if default_page is None else default_page.id
        out.targets.append(build_target(spec, account, request.platform_data, context.media, page_id))
        out.origins.append(where)
    if not request.text_given and not (out.targets and all(has_own_body(t) for t in out.targets)):
        issues.append(Issue("", "text", messages.TEXT_OR_OWN_BODIES, "validation.field_required"))
    return out


def _default_page(account: Account, context: TargetContext) -> AccountPage | None:
    """The page a target of ``account`` without ``page_id`` publishes to: the default (or first) active page."""
    if context.account_side is None or account.platform not in PAGE_PLATFORMS:
        return None
    return context.account_side.default_page(account.id)


def build_target(
    spec: NewTarget,
    account: Account,
    platform_data: Mapping[str, Mapping[str, Any]],
    library: Mapping[str, MediaItem],
    default_page: str | None = None,
) -> Target:
    """The target ``spec`` describes, with the request's ``platform_data`` for its platform under its own."""
    folded = platform_data.get(account.platform)
    data = {**folded, **(spec.platform_data or {})} if folded else spec.platform_data
    media, media_ids = normalised(spec.media, spec.media_ids, library)
    return Target(
        account_id=account.id,
        platform=account.platform,
        page_id=spec.page_id or spec.board_id or default_page or account.page_id,
        text=spec.text,
        title=spec.title,
        media_ids=media_ids,
        media=media,
        media_field=field_of(spec.media, spec.media_ids),
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
) -> Sequence[Issue]:
    """An issue for each of ``media_ids`` the tenant does not have."""
    library = context.media
    return [_missing("media", media_id, field_name, platform) for media_id in media_ids if media_id not in library]


def is_past(scheduled_at: datetime | None, request: NewPost, context: TargetContext) -> bool:
    """A time to publish at that has gone by; ``publish_now`` ignores every ``scheduled_at``."""
    return scheduled_at is not None and not request.publish_now and scheduled_at <= context.now


# -- post-level checks ------------------------------------------------------------------------------


def media_issues(
    media: tuple[MediaInput, ...] | None,
    media_ids: Sequence[str] | None,
    prefix: str,
    context: TargetContext,
    platform: str = "",
) -> Sequence[Issue]:
    """The issues of one level's media (``prefix`` is "" or "targets[0]."): ``media`` when sent, else ``media_ids``."""
    if media is None:
        return missing_media(media_ids, f"{prefix}media_ids", context, platform) if media_ids else NO_ISSUES
    issues: list[Issue] = []
    for problem in problems(media, context.media, f"{prefix}media"):
        if problem.missing_media is not None:
            issues.append(_missing("media", problem.missing_media, problem.field, platform))
        else:
            code = ValidationFailed.required_code if problem.required else ValidationFailed.code
            issues.append(Issue(platform, problem.field, problem.message, code))
    return issues


def _post_media_exists(request: NewPost, context: TargetContext) -> Sequence[Issue]:
    issues = media_issues(request.media, request.media_ids, "", context)
    if not request.segments:
        return issues
    every = list(issues)
    for number, segment in enumerate(request.segments):
        every.extend(media_issues(segment.media, segment.media_ids, f"segments[{number}].", context))
    return every


def _post_scheduled_in_future(request: NewPost, context: TargetContext) -> Sequence[Issue]:
    if is_past(request.scheduled_at, request, context):
        return (Issue("", "scheduled_at", messages.SCHEDULED_IN_PAST),)
    return NO_ISSUES


POST_CHECKS: tuple[PostCheck, ...] = (_post_media_exists, _post_scheduled_in_future)


# -- per-target checks ------------------------------------------------------------------------------


def _account_connected(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    account = candidate.account
    if account.status == "active":
        return NO_ISSUES
    message = messages.RECONNECT.format(account_id=account.id, reason=account.reconnect_reason or account.status)
    return (candidate.issue(candidate.account_field, message, ReconnectionRequired.code),)


def _target_media_exists(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    spec = candidate.spec
    if spec.media is None and not spec.media_ids:
        return NO_ISSUES
    return media_issues(spec.media, spec.media_ids, f"{candidate.where}.", context, candidate.account.platform)


def _target_scheduled_in_future(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    if is_past(candidate.spec.scheduled_at, candidate.request, context):
        return (candidate.issue(f"{candidate.where}.scheduled_at", messages.SCHEDULED_IN_PAST),)
    return NO_ISSUES


def _platform_publishable(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    platform = candidate.account.platform
    if platform in RULES:
        return NO_ISSUES
    return (
        candidate.issue(
            candidate.account_field,
            f"publishing to {platform} accounts is not simulated by the mock (connecting them is)",
            "account.unsupported_platform",
        ),
    )


def _page_is_the_accounts(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    """``page_id`` names an active page of the account; without one, the account has an active page."""
    side = context.account_side
    account = candidate.account
    if side is None or account.platform not in PAGE_PLATFORMS:
        return NO_ISSUES
    field_name = f"{candidate.where}.page_id"
    page_id = candidate.spec.page_id
    if page_id is None:
        if candidate.default_page is None:
            message = f"account {account.id} has no active page to publish to"
            return (candidate.issue(field_name, message, NO_ACTIVE_PAGE),)
        return NO_ISSUES
    page = side.pages.get(page_id)
    if page is None or page.account_id != account.id:
        return (candidate.issue(field_name, f"page {page_id} is not a page of account {account.id}"),)
    if not page.is_active:
        return (candidate.issue(field_name, "The requested Page is currently disabled", PAGE_INACTIVE),)
    return NO_ISSUES


def _board_is_the_accounts(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    """A Pinterest target's ``board_id`` (or its alias ``page_id``) names one of the account's boards."""
    side = context.account_side
    account = candidate.account
    if side is None or account.platform not in BOARD_PLATFORMS:
        return NO_ISSUES
    spec = candidate.spec
    if spec.board_id is not None and spec.page_id is not None and spec.board_id != spec.page_id:
        return (candidate.issue(f"{candidate.where}.page_id", "page_id is an alias of board_id; send only board_id"),)
    board_id = spec.board_id or spec.page_id
    if board_id is None:
        return NO_ISSUES  # the rules table's board_id_required says so for a publish
    # Either SocialAPI's handle or Pinterest's own id names the board, as the docs allow.
    board = side.boards.get(board_id) or next(
        (b for b in side.boards.values() if b.account_id == account.id and b.raw_id == board_id), None
    )
    if board is None or board.account_id != account.id:
        message = f"board {board_id} is not a board of account {account.id}"
        return (candidate.issue(f"{candidate.where}.board_id", message),)
    return NO_ISSUES


def _tiktok_creator_allows(candidate: Candidate, context: TargetContext) -> Sequence[Issue]:
    """A TikTok ``privacy_level`` is one the creator info offers; a publish needs the creator under the daily cap."""
    side = context.account_side
    account = candidate.account
    if side is None or account.platform != "tiktok":
        return NO_ISSUES
    issues: list[Issue] = []
    request = candidate.request
    data = {**request.platform_data.get("tiktok", {}), **(candidate.spec.platform_data or {})}
    level = data.get("privacy_level")
    info = side.creator_info_of(account)
    if level is not None and level not in info.privacy_level_options:
        field_name = f"{candidate.where}.platform_data.privacy_level"
        if candidate.spec.platform_data is None or "privacy_level" not in candidate.spec.platform_data:
            field_name = "platform_data.tiktok.privacy_level"
        allowed = ", ".join(info.privacy_level_options)
        issues.append(candidate.issue(field_name, f"privacy_level must be one the creator allows: {allowed}"))
    if request.publish_now and side.posts_remaining(account, context.now) == 0:
        message = f"the {display_name('tiktok')} creator reached the daily posting cap; try again tomorrow"
        issues.append(candidate.issue("posting_limit", message))
    return issues


TARGET_CHECKS: tuple[TargetCheck, ...] = (
    _account_connected,
    _platform_publishable,
    _target_media_exists,
    _target_scheduled_in_future,
    _page_is_the_accounts,
    _board_is_the_accounts,
    _tiktok_creator_allows,
)
