"""The post lifecycle as data: which event moves a post from which status to which.

Reading a status never changes it; only ``apply`` (called by the backend) does.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from mockserver.core.errors import StateInvalid
from mockserver.core.models import PostStatus


class Event(StrEnum):
    SCHEDULE = "schedule"
    PUBLISH = "publish"  # delivery starts (publish_now, /publish, firing, retry)
    DELIVERED_ALL = "delivered_all"
    DELIVERED_SOME = "delivered_some"
    DELIVERED_NONE = "delivered_none"
    EDIT = "edit"
    RETRY = "retry"
    CANCEL = "cancel"
    UNSCHEDULE = "unschedule"
    # Live copies removed from the platforms; whatever is kept stays live (see ``core/posts/removal.py``).
    DELETE = "delete"
    UNPUBLISH = "unpublish"


S = PostStatus
TRANSITIONS: Mapping[tuple[PostStatus, Event], PostStatus] = {
    (S.DRAFT, Event.SCHEDULE): S.SCHEDULED,
    (S.DRAFT, Event.PUBLISH): S.PUBLISHING,
    (S.DRAFT, Event.EDIT): S.DRAFT,
    (S.DRAFT, Event.CANCEL): S.CANCELLED,
    (S.SCHEDULED, Event.SCHEDULE): S.SCHEDULED,
    (S.SCHEDULED, Event.PUBLISH): S.PUBLISHING,
    (S.SCHEDULED, Event.EDIT): S.SCHEDULED,
    (S.SCHEDULED, Event.CANCEL): S.CANCELLED,
    (S.SCHEDULED, Event.UNSCHEDULE): S.DRAFT,
    (S.PUBLISHING, Event.DELIVERED_ALL): S.PUBLISHED,
    (S.PUBLISHING, Event.DELIVERED_SOME): S.PARTIAL,
    (S.PUBLISHING, Event.DELIVERED_NONE): S.FAILED,
    (S.FAILED, Event.EDIT): S.FAILED,
    (S.FAILED, Event.SCHEDULE): S.SCHEDULED,
    (S.FAILED, Event.RETRY): S.PUBLISHING,
    (S.FAILED, Event.CANCEL): S.CANCELLED,
    (S.PARTIAL, Event.RETRY): S.PUBLISHING,
    # A delete keeps only the copies a platform cannot delete, and those are live.
    (S.PUBLISHED, Event.DELETE): S.PUBLISHED,
    (S.PARTIAL, Event.DELETE): S.PUBLISHED,
    # Applied once no published target remains.
    (S.PUBLISHED, Event.UNPUBLISH): S.CANCELLED,
    (S.PARTIAL, Event.UNPUBLISH): S.CANCELLED,
}

# Terminal for delivery: no publish, schedule or retry applies (a published post can still be unpublished).
TERMINAL: frozenset[PostStatus] = frozenset({S.PUBLISHED, S.CANCELLED})


def apply(status: PostStatus, event: Event) -> PostStatus:
    """The status after ``event``; raises ``StateInvalid`` when the event does not apply."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise StateInvalid(f"cannot {event.value} a post in status {status.value}") from None


def allows(status: PostStatus, event: Event) -> bool:
    return (status, event) in TRANSITIONS
