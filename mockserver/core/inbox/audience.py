"""``Audience``: the simulated people who comment, write, review and mention, on the fake clock.

Every arrival is a function of the seed, its subject and its instant, never of how the clock got
there: the k-th comment on a published target arrives at the first second the post's metrics count
k comments (``rules.engagement.comment_arrival``), up to the fixture's bound per post; an account's
DMs, reviews and mentions of fake day D are drawn by a generator seeded by (seed, kind, account, D).
The schedule is one heap of (instant, key) in the state, one entry per subject holding its next
arrival, so a clock advance does work in proportion to what arrives, and one 30-day advance makes
the same records and events, in the same order, as thirty 1-day advances.
"""

from __future__ import annotations

import heapq
import random
from datetime import UTC, datetime, timedelta

from mockserver.core.ids import stable_seed
from mockserver.core.inbox.intake import Intake
from mockserver.core.inbox.policy import (
    COMMENT_RIGHTS,
    DM_PLATFORMS,
    MAX_ARRIVALS_PER_ACCOUNT,
    MENTION_PLATFORMS,
    REVIEW_PLATFORMS,
)
from mockserver.core.inbox.voices import (
    CUSTOMERS_PER_ACCOUNT,
    MENTIONS,
    MESSAGES,
    REVIEWS,
    Person,
    customer,
    draw,
    drawn_comment,
    drawn_person,
    person,
)
from mockserver.core.models import Post, TargetStatus
from mockserver.core.records.events import AccountConnected, EventRecord, PostDelivered
from mockserver.core.records.inbox import AudienceRates, ScriptedArrival
from mockserver.core.rules.engagement import comment_arrival, metrics_seed
from mockserver.core.slices import Pacer
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import MAX_INSTANT, parse_instant

DAY = timedelta(days=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# How far ahead a quiet account's next arrival is looked for, in days, before giving up on it.
LOOKAHEAD_DAYS = 400
LAST_DAY = (MAX_INSTANT - EPOCH) // DAY
COMMENT, DM, REVIEW, MENTION, SCRIPTED = "c", "d", "r", "m", "s"


class Audience(Area):
    def __init__(self, tenant: Tenant, intake: Intake) -> None:
        super().__init__(tenant)
        self.intake = intake
        tenant.listeners.append(self._heard)
        tenant.time_passes.append(self.arrive_until)

    @property
    def rates(self) -> AudienceRates:
        return self.tenant.baseline.audience

    def set_enabled(self, enabled: bool) -> bool:
        with self.lock:
            inbox = self.state.inbox
            if enabled and not inbox.audience:
                # What would have arrived while it was off never does: the schedule starts again from now.
                inbox.due = [entry for entry in inbox.due if entry[1].startswith(SCRIPTED)]
                heapq.heapify(inbox.due)
                inbox.enrolled.clear()
                now = self.clock.now()
                for row in inbox.posts.values():
                    self._skip_until(row.id, now)
                    self._schedule_comment(row.id)
                inbox.audience = enabled
                self._enroll_accounts(now)
            inbox.audience = enabled
            return enabled

    def arrive_until(self, until: datetime, pacer: Pacer | None = None) -> bool:
        """Materialise the arrivals due by ``until`` in (instant, subject) order, until ``pacer`` says the
        slice is spent; whether every one has arrived."""
        with self.lock:
            inbox = self.state.inbox
            if inbox.audience:
                self._enroll_accounts(self.tenant.start)
            due = inbox.due
            while due and due[0][0] <= until:
                if pacer is not None and pacer.spent():
                    return False
                at, key = heapq.heappop(due)
                kind, _, subject = key.partition("|")
                if kind == SCRIPTED:
                    self._scripted_due(subject, at)
                elif not inbox.audience:
                    # Switched off: the audience's schedule stays as it was, and is rebuilt when switched on.
                    continue
                elif kind == COMMENT:
                    self._comment_arrives(subject, key, at)
                else:
                    self._account_arrival(kind, subject, at)
            return True

    def script(self, arrival: ScriptedArrival) -> str | None:
        """Queue a test's arrival for its instant; the id of what arrived when that instant is now."""
        with self.lock:
            if arrival.at <= self.clock.now():
                # Whatever else is due first arrives first, so the order stays the instants' order.
                self.arrive_until(arrival.at)
                return self._scripted_arrives(arrival, arrival.at)
            self.state.inbox.scripted[arrival.id] = arrival
            heapq.heappush(self.state.inbox.due, (arrival.at, f"{SCRIPTED}|{arrival.id}"))
            return None

    def _scripted_due(self, arrival_id: str, at: datetime) -> None:
        arrival = self.state.inbox.scripted.pop(arrival_id, None)
        if arrival is not None:
            self._scripted_arrives(arrival, at)

    def _scripted_arrives(self, arrival: ScriptedArrival, at: datetime) -> str | None:
        account = self.state.accounts.items.get(arrival.account_id)
        if account is None:
            return None
        arrival_id = arrival.id
        rng = random.Random(f"{self.tenant.seed}:scripted:{arrival_id}")
        author = person(rng)
        author = Person(author.id, arrival.author_name, author.username)
        if arrival.kind == "comment":
            row = self.state.inbox.posts.get(arrival.post or "")
            if row is None:
                return None
            platform_id = str(rng.randrange(10**16, 10**17))
            comment = self.intake.comment(row, author, arrival.text, at, platform_id, audience=False)
            parent = self.state.inbox.comments.get(arrival.parent_id or "")
            if parent is not None:
                comment.parent_id = parent.platform_id
                parent.reply_count += 1
            return comment.platform_id
        if arrival.kind == "dm":
            # The same name is the same person: a second DM lands in the same conversation.
            sender_id = str(stable_seed(self.tenant.seed, account.id, arrival.author_name) % 10**15)
            sender = Person(sender_id, arrival.author_name, author.username)
            return self.intake.direct_message(account, sender, arrival.text, at).conversation_id
        if arrival.kind == "review":
            return self.intake.review(account, author, arrival.rating or 5, arrival.text, at).id
        return self.intake.mention(account, author, arrival.text, at, in_comment=False).id

    # -- comments on published targets ------------------------------------------------------------

    def _heard(self, record: EventRecord) -> None:
        data = record.data
        if isinstance(data, AccountConnected) and self.state.inbox.audience:
            self._enroll(data.account_id, parse_instant(record.created_at))
        if not isinstance(data, PostDelivered):
            return
        post = self.state.posts.by_id.get(data.post_id)
        if post is None:
            return
        for target in post.targets:
            ppid = target.platform_post_id
            if ppid is None or target.published_at is None or target.platform not in COMMENT_RIGHTS:
                continue
            if ppid not in self.state.inbox.posts:
                self.intake.inbox_post(post, target)
                if self.state.inbox.audience:
                    self._schedule_comment(ppid)

    def _next_comment_at(self, ppid: str) -> datetime | None:
        row = self.state.inbox.posts[ppid]
        number = row.arrived + 1
        if number > self.rates.max_comments_per_post:
            return None
        delay = comment_arrival(metrics_seed(self.tenant.seed), row.platform, ppid, number)
        return None if delay is None else _later(row.published_at, delay)

    def _schedule_comment(self, ppid: str, key: str | None = None) -> None:
        at = self._next_comment_at(ppid)
        if at is not None:
            heapq.heappush(self.state.inbox.due, (at, key or f"{COMMENT}|{ppid}"))

    def _skip_until(self, ppid: str, now: datetime) -> None:
        """Count as gone the comments that fell due while the audience was off."""
        row = self.state.inbox.posts[ppid]
        while (at := self._next_comment_at(ppid)) is not None and at <= now:
            row.arrived += 1

    def _comment_arrives(self, ppid: str, key: str, at: datetime) -> None:
        state = self.state
        row = state.inbox.posts.get(ppid)
        if row is None or not _still_published(state.posts.by_id.get(row.post_id), ppid):
            return
        row.arrived += 1
        digest = draw(self.tenant.seed, "comment", ppid, row.arrived)
        platform_id, text = drawn_comment(digest)
        self.intake.comment(row, drawn_person(digest), text, at, platform_id, audience=True)
        self._schedule_comment(ppid, key)

    # -- DMs, reviews and mentions per account -----------------------------------------------------

    def _enroll_accounts(self, since: datetime) -> None:
        for account_id in self.state.accounts.items:
            if account_id not in self.state.inbox.enrolled:
                self._enroll(account_id, since)

    def _enroll(self, account_id: str, since: datetime) -> None:
        account = self.state.accounts.items.get(account_id)
        inbox = self.state.inbox
        if account is None or account_id in inbox.enrolled:
            return
        inbox.enrolled[account_id] = since
        for kind, platforms in ((DM, DM_PLATFORMS), (REVIEW, REVIEW_PLATFORMS), (MENTION, MENTION_PLATFORMS)):
            if account.platform in platforms and self._rate(kind, account.platform) > 0:
                self._schedule_account(kind, account_id, since)

    def _rate(self, kind: str, platform: str) -> float:
        table = {DM: self.rates.dms_per_day, REVIEW: self.rates.reviews_per_day, MENTION: self.rates.mentions_per_day}
        return dict(table[kind]).get(platform, 0.0)

    def _day(self, kind: str, account_id: str, platform: str, day: int) -> list[datetime]:
        """The arrival instants of one fake day (days since 1970), in order."""
        rng = random.Random(f"{self.tenant.seed}:{kind}:{account_id}:{day}")
        rate = self._rate(kind, platform)
        count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        start = EPOCH + day * DAY
        return sorted(start + timedelta(seconds=rng.randrange(86_400)) for _ in range(count))

    def _schedule_account(self, kind: str, account_id: str, after: datetime, number: int = 1) -> None:
        """Schedule the account's ``number``-th arrival of ``kind``: the first one drawn after ``after``."""
        if number > MAX_ARRIVALS_PER_ACCOUNT:
            return
        account = self.state.accounts.items[account_id]
        first_day = (after - EPOCH) // DAY
        # The clock ends in 9999: nothing is drawn for days after its last.
        for day in range(first_day, min(first_day + LOOKAHEAD_DAYS, LAST_DAY + 1)):
            for index, at in enumerate(self._day(kind, account_id, account.platform, day)):
                if at > after:
                    heapq.heappush(self.state.inbox.due, (at, f"{kind}|{account_id}|{day}|{index}|{number}"))
                    return

    def _account_arrival(self, kind: str, subject: str, at: datetime) -> None:
        account_id, day, index, number = subject.split("|")
        account = self.state.accounts.items.get(account_id)
        if account is None:
            self.state.inbox.enrolled.pop(account_id, None)
            return
        rng = random.Random(f"{self.tenant.seed}:{kind}:{account_id}:{day}:{index}:what")
        if kind == DM:
            sender = customer(self.tenant.seed, account_id, rng.randrange(CUSTOMERS_PER_ACCOUNT))
            self.intake.direct_message(account, sender, rng.choice(MESSAGES), at)
        elif kind == REVIEW:
            rating, text = rng.choice(REVIEWS)
            self.intake.review(account, person(rng), rating, text, at)
        else:
            text = rng.choice(MENTIONS).format(u=account.username)
            self.intake.mention(account, person(rng), text, at, in_comment=rng.random() < 0.5)
        self._schedule_account(kind, account_id, at, int(number) + 1)


def _later(start: datetime, delay: timedelta) -> datetime | None:
    """``start + delay``, or None past the clock's last instant (where nothing arrives)."""
    try:
        at = start + delay
    except OverflowError:
        return None
    return at if at <= MAX_INSTANT else None


def _still_published(post: Post | None, ppid: str) -> bool:
    if post is None:
        return False
    for target in post.targets:
        if target.platform_post_id == ppid:
            return target.status is TargetStatus.PUBLISHED
    return False
