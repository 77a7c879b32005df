"""The fake clock's advance: scheduled posts fire at their own instants, whatever the step."""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.core import messages
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import Post, PostStatus, Target, TargetStatus
from mockserver.core.posts.outcomes import AdvanceResult, Fired
from mockserver.core.posts.publishing import Publishing
from mockserver.core.rules import lifecycle
from mockserver.core.rules.lifecycle import Event
from mockserver.core.slices import Pacer, Slices, run_to_end
from mockserver.core.timefmt import MAX_INSTANT, format_instant, from_epoch_micros


class Scheduling(Publishing):
    def advance_clock(self, *, seconds: float | None = None, to: datetime | None = None) -> AdvanceResult:
        """Move the clock forward, firing every due post at its own scheduled instant."""
        return run_to_end(self.advance_clock_in_slices(seconds=seconds, to=to))

    def advance_clock_in_slices(
        self, *, seconds: float | None = None, to: datetime | None = None, pacer: Pacer | None = None
    ) -> Slices[AdvanceResult]:
        """``advance_clock`` that pauses whenever ``pacer`` says its slice is spent (see ``core/slices.py``)."""
        with self.lock:
            now = self.clock.now()
            if (seconds is None) == (to is None):
                raise ValidationFailed.required("seconds", "give exactly one of seconds or to")
            if seconds is not None:
                if seconds < 0:
                    raise ValidationFailed.invalid("seconds", messages.CLOCK_BACKWARDS.format(now=format_instant(now)))
                try:
                    target = now + timedelta(seconds=seconds)
                except (OverflowError, ValueError):
                    target = None
                if target is None or target > MAX_INSTANT:
                    raise ValidationFailed.invalid(
                        "seconds", f"the clock cannot move past {format_instant(MAX_INSTANT)}"
                    ) from None
            else:
                assert to is not None
                if to < now:
                    raise ValidationFailed.invalid("to", messages.CLOCK_BACKWARDS.format(now=format_instant(now)))
                target = to
        result = AdvanceResult(target)
        pacer = pacer or Pacer()
        while True:
            with self.lock:
                if not self._fire_until(target, result.fired, pacer):
                    self.clock.move_to(target)
                    return result
            yield
            pacer.restart()

    def next_due(self) -> datetime | None:
        """When the next scheduled delivery falls due: where "to the next due post" moves the clock."""
        with self.lock:
            micros = self.state.posts.next_due()
            return None if micros is None else from_epoch_micros(micros)

    def fire_due(self) -> list[Fired]:
        """Fire what is due at the clock's current time (the realtime clock's ticker calls this)."""
        fired: list[Fired] = []
        with self.lock:
            self._fire_until(self.clock.now(), fired, None)
        return fired

    def _fire_until(self, until: datetime, fired: list[Fired], pacer: Pacer | None) -> bool:
        """Fire posts due by ``until`` until ``pacer``'s slice is spent; whether some may still be due."""
        while pacer is None or not pacer.spent():
            next_micros = self.state.posts.next_due()
            reached = until if next_micros is None else min(until, from_epoch_micros(next_micros))
            # What else happens on the clock (the inbox's arrivals) happens up to here first, in slices too.
            if not all(passes(reached, pacer) for passes in self.tenant.time_passes):
                return True
            post = self.state.posts.pop_due(until)
            if post is None:
                return False
            at = post.fire_at
            assert at is not None
            if at > self.clock.now():
                self.clock.move_to(at)
            due = [t for t in post.targets if _is_due(post, t, at)]
            # Scheduled deliveries meet the velocity caps now; those of a publish now were admitted then.
            if self.velocity.hold_if_full(post, [t for t in due if t.status is TargetStatus.PENDING], at):
                self._file(post)
                continue
            if post.status is PostStatus.SCHEDULED:
                post.status = lifecycle.apply(post.status, Event.PUBLISH)
            self._deliver(post, due, at)
            self._settle(post, at)
            fired.append(Fired(post.id, post.status.value))
        return True


def _is_due(post: Post, target: Target, at: datetime) -> bool:
    if target.status is TargetStatus.PUBLISHING:
        return True
    return target.status is TargetStatus.PENDING and (post.effective(target).scheduled_at or at) <= at
