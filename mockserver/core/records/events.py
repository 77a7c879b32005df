"""The event records: what happened to a tenant's posts and accounts, as typed records.

Every change that a webhook subscriber or the event log hears about is one ``EventRecord`` whose
``data`` is one of the payload classes below. Their fields are the payload's keys on the wire, in
order, so this module is the one description of a webhook body's ``data``: the outbox serialises it
(``event_json``), the event log and the inspector read fields, and ``/openapi.json`` documents it
(``api/shapes/events.py``). A field declared ``Omitted`` is left out of the JSON when it is ``None``,
as the real payloads leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

# A key the payload carries only when it has a value.
Omitted = Field(exclude_if=lambda value: value is None)


@dataclass(frozen=True, slots=True)
class TargetRef:
    account_id: str
    platform: str


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: str | None
    message: str
    category: str
    caused_by: str


@dataclass(slots=True)
class TargetResult:
    """One target's outcome in a ``post.published`` / ``.partial`` / ``.failed`` payload.

    Not frozen, unlike the other payloads: one is made for every target of every publish and every
    fired post, and a frozen class sets each field through ``object.__setattr__``. Nothing changes one.
    """

    account_id: str
    platform: str
    status: str
    platform_post_id: str | None
    permalink: str | None
    error: ErrorInfo | None
    metrics: Annotated[dict[str, Any] | None, Omitted] = None
    metrics_synced_at: Annotated[str | None, Omitted] = None


@dataclass(frozen=True, slots=True)
class PostScheduled:
    post_id: str
    status: str
    scheduled_at: str | None
    targets: tuple[TargetRef, ...]

    @property
    def event_name(self) -> str:
        return "post.scheduled"


@dataclass(frozen=True, slots=True)
class PostDelivered:
    """The outcome of a publish: ``post.published``, ``post.partial`` or ``post.failed`` by ``status``."""

    post_id: str
    status: str
    results: tuple[TargetResult, ...]

    @property
    def event_name(self) -> str:
        return f"post.{self.status}"


@dataclass(frozen=True, slots=True)
class PostRetried:
    post_id: str
    retried_count: int

    @property
    def event_name(self) -> str:
        return "post.retried"


@dataclass(frozen=True, slots=True)
class PostUpdated:
    post_id: str
    status: str
    changed_fields: tuple[str, ...]

    @property
    def event_name(self) -> str:
        return "post.updated"


@dataclass(frozen=True, slots=True)
class PostDeleted:
    post_id: str
    was_status: str

    @property
    def event_name(self) -> str:
        return "post.deleted"


@dataclass(frozen=True, slots=True)
class PostUnpublished:
    post_id: str
    account_id: str | None
    unpublished_count: int

    @property
    def event_name(self) -> str:
        return "post.unpublished"


@dataclass(frozen=True, slots=True)
class AccountConnected:
    account_id: str
    brand_id: str | None
    platform: str
    platform_user_id: str
    username: str
    display_name: str
    profile_picture_url: str
    bio: str
    profile_url: str
    user_email: str
    connected_at: str

    @property
    def event_name(self) -> str:
        return "account.connected"


@dataclass(frozen=True, slots=True)
class AccountDisconnected:
    account_id: str
    platform: str
    reason: Annotated[str | None, Omitted] = None
    reconnect_required: bool = False

    @property
    def event_name(self) -> str:
        return "account.disconnected"


@dataclass(frozen=True, slots=True)
class PageRemoved:
    account_id: str
    platform_page_id: str
    name: str
    platform: str
    reason: str

    @property
    def event_name(self) -> str:
        return "page.removed"


@dataclass(frozen=True, slots=True)
class InteractionAuthor:
    id: str
    name: str
    username: Annotated[str | None, Omitted] = None


@dataclass(frozen=True, slots=True)
class InteractionContent:
    text: str


@dataclass(frozen=True, slots=True)
class Interaction:
    """An inbox arrival (``comment.received``, ``dm.received``, ``review.received``, ``mention.received``):
    the real API's ``Interaction``, whose ``type`` names the event."""

    id: str
    type: str
    platform: str
    account_id: str
    author: InteractionAuthor
    content: InteractionContent
    received_at: str
    metadata: Annotated[dict[str, Any] | None, Omitted] = None
    platform_post_id: Annotated[str | None, Omitted] = None
    post_id: Annotated[str | None, Omitted] = None
    conversation_id: Annotated[str | None, Omitted] = None

    @property
    def event_name(self) -> str:
        return f"{self.type}.received"


EventData = (
    PostScheduled
    | PostDelivered
    | PostRetried
    | PostUpdated
    | PostDeleted
    | PostUnpublished
    | AccountConnected
    | AccountDisconnected
    | PageRemoved
    | Interaction
)

# The payload class of each event name, for reading records back from a state file.
PAYLOADS: dict[str, type[Any]] = {
    "post.scheduled": PostScheduled,
    "post.published": PostDelivered,
    "post.partial": PostDelivered,
    "post.failed": PostDelivered,
    "post.retried": PostRetried,
    "post.updated": PostUpdated,
    "post.deleted": PostDeleted,
    "post.unpublished": PostUnpublished,
    "account.connected": AccountConnected,
    "account.disconnected": AccountDisconnected,
    "page.removed": PageRemoved,
    "comment.received": Interaction,
    "dm.received": Interaction,
    "review.received": Interaction,
    "mention.received": Interaction,
}


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: str
    event: str
    created_at: str
    data: EventData

    @property
    def post_id(self) -> str | None:
        return getattr(self.data, "post_id", None)

    @property
    def account_id(self) -> str | None:
        return getattr(self.data, "account_id", None)

    @property
    def platform(self) -> str | None:
        return getattr(self.data, "platform", None)


@cache
def _data() -> TypeAdapter[EventData]:
    """The payloads' serializer, built on first use rather than at every server start (about 20 ms)."""
    return TypeAdapter(EventData)


def event_json(data: EventData) -> dict[str, Any]:
    """The payload as JSON data: its fields in order, ``Omitted`` ones only when set."""
    dumped: dict[str, Any] = _data().dump_python(data, mode="json")
    return dumped


def webhook_body(record: EventRecord) -> bytes:
    """A webhook's body: ``{"event": ..., "data": ...}``, compact, as the real API sends it."""
    return b'{"event":' + _NAME.dump_json(record.event) + b',"data":' + _data().dump_json(record.data) + b"}"


def payload_of(event: str, data: Any) -> EventData:
    """The typed payload of an event named ``event`` from its JSON ``data`` (a state file's)."""
    kind = PAYLOADS.get(event)
    if kind is None:
        raise ValueError(f"unknown event {event[:60]!r}")
    payload: EventData = TypeAdapter(kind).validate_python(data)
    return payload


_NAME: TypeAdapter[str] = TypeAdapter(str)
