"""``Arrivals``: a test's scripted arrivals (``POST /_mock/inbox/arrivals``), now or at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.inbox.audience import Audience
from mockserver.core.inbox.base import InboxArea
from mockserver.core.inbox.ids import platform_id_of
from mockserver.core.inbox.policy import DM_PLATFORMS, MENTION_PLATFORMS, REVIEW_PLATFORMS
from mockserver.core.records.inbox import ScriptedArrival
from mockserver.core.tenancy import Tenant

KINDS = ("comment", "dm", "review", "mention")


@dataclass(frozen=True, slots=True)
class ArrivalRequest:
    kind: str
    text: str
    author_name: str = "A Customer"
    account_id: str | None = None
    post_id: str | None = None  # comment: the platform post id, or the mock's post id when it has one target
    comment_id: str | None = None  # comment: the comment it answers
    rating: int | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Arrived:
    arrival: ScriptedArrival
    # The comment's platform id, the DM's conversation id, or the review's or mention's id; None while it waits.
    result_id: str | None


@dataclass(frozen=True, slots=True)
class Checked:
    """An arrival whose rules hold: its account, instant, and the post and parent comment of a comment."""

    request: ArrivalRequest
    account_id: str
    at: datetime
    post: str | None
    parent: str | None


class Arrivals(InboxArea):
    def __init__(self, tenant: Tenant, audience: Audience) -> None:
        super().__init__(tenant)
        self.audience = audience

    def arrive(self, request: ArrivalRequest) -> Arrived:
        with self.lock:
            return self.schedule(self.check(request))

    def check(self, request: ArrivalRequest) -> Checked:
        """The arrival's rules (its instant, target and platform), checked without changing anything."""
        with self.lock:
            now = self.clock.now()
            at = request.at or now
            if at < now:
                raise ValidationFailed.invalid("at", "at must not be before the clock's current time")
            post, parent, account_id = None, None, request.account_id
            if request.kind == "comment":
                post = self._post_of(request.post_id)
                row = self.state.inbox.posts[post]
                account_id = row.account_id
                if request.comment_id is not None:
                    parent = platform_id_of(request.comment_id)
                    if parent not in row.comments:
                        raise NotFound.of("comment", request.comment_id)
            elif account_id is None:
                raise ValidationFailed.required("account_id")
            else:
                platforms = {"dm": DM_PLATFORMS, "review": REVIEW_PLATFORMS, "mention": MENTION_PLATFORMS}[request.kind]
                account = self.account(account_id)
                if account.platform not in platforms:
                    raise ValidationFailed.invalid("account_id", f"{account.platform} has no {request.kind}s")
            return Checked(request, account_id, at, post, parent)

    def schedule(self, checked: Checked) -> Arrived:
        """Queue an arrival ``check`` passed (at once, nothing having changed in between)."""
        with self.lock:
            request = checked.request
            arrival = ScriptedArrival(
                self.state.ids.next("arr_", checked.at),
                request.kind,
                checked.account_id,
                request.text,
                request.author_name,
                checked.at,
                post=checked.post,
                parent_id=checked.parent,
                rating=request.rating,
            )
            return Arrived(arrival, self.audience.script(arrival))

    def _post_of(self, post_id: str | None) -> str:
        if post_id is None:
            raise ValidationFailed.required("post_id")
        posts = self.state.inbox.posts
        if post_id in posts:
            return post_id
        # The mock's own post id names its one published target.
        rows = [row.id for row in posts.values() if row.post_id == post_id]
        if len(rows) == 1:
            return rows[0]
        if rows:
            raise ValidationFailed.invalid("post_id", "this post has several targets: give the platform post id")
        raise NotFound.of("post", post_id)
