"""Creating, publishing and retrying posts: the deliveries to each target and the post's outcome.

A publish is synchronous by default: every due target is attempted at the request's instant and the
answer carries the outcome. Scenario rules decide attempts (``core/scenarios.py``); the accounts area
decides whether an account can post at all (status, page, daily ceiling).
"""

from __future__ import annotations

from datetime import datetime

from mockserver.core.commands import NewPost
from mockserver.core.errors import DuplicateContent, NoRetryableDeliveries, NotSupported, StateInvalid, ValidationFailed
from mockserver.core.media_inputs import resolved
from mockserver.core.models import Post, PostStatus, Target, TargetError, TargetStatus
from mockserver.core.posts.base import PostsBase
from mockserver.core.posts.outcomes import PostOutcome
from mockserver.core.records.accounts import PAGE_PLATFORMS
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import PostRetried
from mockserver.core.rules import lifecycle
from mockserver.core.rules.content import check_post, publish_notes, raise_first
from mockserver.core.rules.lifecycle import Event
from mockserver.core.rules.platform_data import instagram_format, instagram_links, instagram_settings
from mockserver.core.rules.platforms import display_name, native_post_id, permalink, rules_of
from mockserver.core.rules.targets import resolve_targets
from mockserver.core.scenarios import DeliveryContext, DeliveryDecision

_DELIVERED = DeliveryDecision(0, None)


class Publishing(PostsBase):
    def create_post(self, cmd: NewPost) -> PostOutcome:
        with self.lock:
            now = self.clock.now()
            post = self._checked_post(cmd, now)
            if cmd.publish_now:
                self.velocity.admit(post.targets, now)
            notes = publish_notes(post, self.state.media.items)
            post.id = self.state.ids.next("p_", now)
            post.seq = self.state.posts.next_seq
            self.state.posts.next_seq += 1
            if cmd.publish_now:
                self._consume_credit()
                # Filed once, with its outcome, rather than filed as publishing and then re-filed.
                outcome = self._publish(post, now)
                outcome.warnings = notes
                return outcome
            if post.scheduled_at is not None:
                self._consume_credit()
                post.status = lifecycle.apply(post.status, Event.SCHEDULE)
                post.fire_at = self._next_fire(post)
                self.state.posts.add(post)
                self.record_event(self._scheduled_payload(post), now)
                return PostOutcome(post, warnings=notes)
            self.state.posts.add(post)
            return PostOutcome(post, warnings=notes)

    def _checked_post(self, cmd: NewPost, now: datetime) -> Post:
        """The post ``cmd`` describes after every check of a create; nothing is stored or charged yet."""
        post = self._build_post(cmd, now)
        publishing = cmd.publish_now or post.scheduled_at is not None
        if publishing and not post.targets:
            raise ValidationFailed.required("targets", "at least one target is required to publish or schedule")
        if not cmd.skip_validation:
            raise_first(check_post(post, self.state.media.items, publishing=publishing).errors)
        if not cmd.skip_duplicate_check and self.checks_duplicates:
            other = self.state.posts.recent_duplicate(post.text, (t.account_id for t in post.targets), now)
            if other is not None:
                raise DuplicateContent(
                    "a post with the same text and accounts was created in the last 24 hours",
                    meta={"duplicate_of": other.id},
                )
        if publishing:
            self._charge()
        return post

    def _build_post(self, cmd: NewPost, now: datetime) -> Post:
        resolved = resolve_targets(cmd, self.target_context(now))
        raise_first(resolved.issues)
        return cmd.draft(resolved.targets, now, self.state.media.items)

    def publish_post(self, post_id: str) -> PostOutcome:
        """``POST /v1/posts/{pid}/publish``: a draft or scheduled post, delivered now."""
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.PUBLISH):
                raise StateInvalid(f"post {post_id} is not in a publishable state ({post.status.value})")
            if not post.targets:
                raise ValidationFailed.required("targets", "at least one target is required to publish")
            if not post.skip_validation:
                raise_first(check_post(post, self.state.media.items, publishing=True).errors)
            now = self.clock.now()
            # A scheduled post paid its credit when it was scheduled.
            paying = post.status is PostStatus.DRAFT
            if paying:
                self._charge()
            self.velocity.admit(_undelivered(post), now)
            if paying:
                self._consume_credit()
            return self._publish(post, now)

    def retry_post(self, post_id: str) -> Post:
        """Re-deliver the failed targets of a failed or partial post, now (the answer comes first)."""
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.RETRY):
                raise StateInvalid(f"post {post_id} is not in a retryable state ({post.status.value})")
            failed = [t for t in post.targets if t.status is TargetStatus.FAILED]
            if not failed:
                raise NoRetryableDeliveries(f"post {post_id} has no failed deliveries to retry")
            refused = sorted({display_name(t.platform) for t in failed if not rules_of(t.platform).supports_retry})
            if refused:
                raise NotSupported(f"retry is not supported for {' and '.join(refused)} posts")
            self._charge()
            now = self.clock.now()
            self.velocity.admit(failed, now)
            self._consume_credit()
            post.status = lifecycle.apply(post.status, Event.RETRY)
            post.retry_count += 1
            for target in failed:
                target.status = TargetStatus.PUBLISHING
                target.error = None
            # "Re-enqueued": the deliveries run at the next clock advance (even a zero-second one).
            post.fire_at = now
            post.updated_at = now
            self.state.posts.changed(post)
            self.record_event(PostRetried(post.id, len(failed)), now)
            return post

    def _publish(self, post: Post, now: datetime) -> PostOutcome:
        post.status = lifecycle.apply(post.status, Event.PUBLISH)
        post.fire_at = None
        # Publishing now supersedes any schedule, as publish_now ignores scheduled_at.
        post.scheduled_at = None
        pending = _undelivered(post)
        for target in pending:
            target.scheduled_at = None
        if self.tenant.publish_mode == "async":
            # Fast completion: a target SocialAPI refuses before calling the platform fails in the
            # request; the rest go to the platform and finish at the next clock advance. When every
            # target failed at once the post is complete, and the answer is its outcome (422).
            for target in pending:
                refusal = self._refusal(post, target, now)
                if refusal is None:
                    target.status = TargetStatus.PUBLISHING
                    continue
                target.attempts += 1
                target.status = TargetStatus.FAILED
                target.error = refusal.error
                self._record_delivery(post, target, now, refusal)
            if all(t.status is TargetStatus.FAILED for t in pending):
                self._settle(post, now)
                return PostOutcome(post)
            post.updated_at = now
            post.fire_at = now
            self._file(post)
            return PostOutcome(post)
        latency = self._deliver(post, pending, now)
        self._settle(post, now)
        return PostOutcome(post, latency)

    def _deliver(self, post: Post, targets: list[Target], at: datetime) -> int:
        """Deliver ``targets`` at ``at``; returns the latency the caller should wait (they run in parallel)."""
        latency = 0
        for target in targets:
            target.attempts += 1
            decision = self._delivery_outcome(post, target, at)
            latency = max(latency, decision.latency_ms)
            if decision.error is None:
                self._mark_published(post, target, at)
            else:
                target.status = TargetStatus.FAILED
                target.error = decision.error
            self._record_delivery(post, target, at, decision)
        return latency

    def _delivery_outcome(self, post: Post, target: Target, at: datetime) -> DeliveryDecision:
        refusal = self._refusal(post, target, at)
        if refusal is not None:
            return refusal
        if not self.tenant.scenarios.has_delivery_rules:
            return _DELIVERED
        eff = post.effective(target)
        decision = self.tenant.scenarios.decide_delivery(
            DeliveryContext(target.platform, target.account_id, eff.text, target.attempts, at)
        )
        return _DELIVERED if decision is None else decision

    def _refusal(self, post: Post, target: Target, at: datetime) -> DeliveryDecision | None:
        """Why SocialAPI fails ``target`` without calling the platform (account, page, ceiling, media)."""
        account = self.state.accounts.items.get(target.account_id)
        platform = target.platform
        if account is None or account.status == "disconnected":
            return DeliveryDecision(
                0,
                TargetError(
                    "The account was disconnected; connect it again to post",
                    "auth",
                    "user",
                    f"platform.{platform}.auth",
                ),
            )
        if account.status != "active":
            return DeliveryDecision(
                0,
                TargetError(
                    "The account must be reconnected before posting", "auth", "user", f"platform.{platform}.auth"
                ),
            )
        if platform in PAGE_PLATFORMS and not self.accounts.page_usable(target):
            return DeliveryDecision(
                0,
                TargetError(
                    "The page this target publishes to is no longer active",
                    "validation",
                    "user",
                    "publishing.delivery.page_resolve_failed",
                ),
            )
        ceiling = self.accounts.ceiling_error(account, at)
        if ceiling is not None:
            return DeliveryDecision(0, ceiling)
        eff = post.effective(target)
        for media_id in eff.media_ids:
            item = self.state.media.items.get(media_id)
            if item is None or item.status != "ready":
                return DeliveryDecision(0, TargetError("Media not found", "validation", "user", "media.not_found"))
        if post.skip_validation:
            errors = check_post(post, self.state.media.items, publishing=True, only=target).errors
            if errors:
                code = errors[0].code
                return DeliveryDecision(0, TargetError(errors[0].message, "validation", "user", code))
        return None

    def _record_delivery(self, post: Post, target: Target, at: datetime, decision: DeliveryDecision) -> None:
        if self.state.attempts.maxlen == 0:
            return
        eff = post.effective(target)
        self.attempts.add(
            AttemptRecord(
                post_id=post.id,
                account_id=target.account_id,
                platform=target.platform,
                page_id=target.page_id,
                attempt=target.attempts,
                at=at,
                text=eff.text,
                title=eff.title,
                media_ids=tuple(eff.media_ids),
                platform_data=target.platform_data,
                outcome="published" if decision.error is None else "failed",
                error=decision.error,
                scenario_rule=decision.rule or None,
                latency_ms=decision.latency_ms,
            )
        )

    def _mark_published(self, post: Post, target: Target, at: datetime) -> None:
        account = self.state.accounts.items[target.account_id]
        native = native_post_id(target.platform, account.platform_user_id, self.state.ids)
        target.status = TargetStatus.PUBLISHED
        target.error = None
        target.platform_post_id = native
        target.permalink = permalink(target.platform, account.username, native, self.state.ids)
        target.published_at = at
        if target.platform == "instagram":
            # The format Instagram really published (a lone video on the feed is a Reel) is the target's media_type.
            data = target.platform_data or {}
            items = resolved(post.effective(target).media, self.state.media.items)
            published_as = instagram_format(data, items)
            if data.get("content_type") not in (None, published_as):
                target.platform_data = {**data, "content_type": published_as}
            if self.tenant.generation.instagram_platform_media:
                target.platform_media = instagram_links([m.kind for m in items], frozenset(), native, at)
                target.settings = instagram_settings(data, items)
        self.accounts.note_published(account, at)
        if post.segments and rules_of(target.platform).supports_segments:
            thread = [native_post_id(target.platform, account.platform_user_id, self.state.ids) for _ in post.segments]
            target.metadata = {**(target.metadata or {}), "thread_post_ids": thread}

    def _settle(self, post: Post, at: datetime) -> None:
        """Give the post its outcome once no target is still waiting."""
        post.updated_at = at
        if any(t.status in (TargetStatus.PENDING, TargetStatus.PUBLISHING) for t in post.targets):
            post.fire_at = self._next_fire(post)
            self._file(post)
            return
        published = sum(t.status is TargetStatus.PUBLISHED for t in post.targets)
        if published == len(post.targets):
            event = Event.DELIVERED_ALL
        elif published:
            event = Event.DELIVERED_SOME
        else:
            event = Event.DELIVERED_NONE
        post.status = lifecycle.apply(post.status, event)
        if published:
            post.published_at = at
        post.fire_at = None
        self._file(post)
        self.record_event(self.outcome_payload(post, at), at)


def _undelivered(post: Post) -> list[Target]:
    """The targets a publish of ``post`` delivers: those not delivered, failed or cancelled yet."""
    return [t for t in post.targets if t.status in (TargetStatus.PENDING, TargetStatus.PUBLISHING)]
