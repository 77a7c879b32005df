"""The inbox's records: commented posts and their comments, conversations, reviews, mentions.

Plain data held in ``TenantState.inbox``; the use cases live in ``core/inbox/``. Comments are keyed by
their ``platform_id`` because that is the id the SDK sends back in paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Comment:
    id: str  # sapi_cmt_...
    platform_id: str
    post: str  # the commented post's platform id (InboxPost.id)
    account_id: str
    platform: str
    text: str
    author_id: str
    author_name: str
    author_username: str
    created_at: datetime
    is_owner: bool = False
    # Written by the simulated audience (counted by the post's metrics) rather than a script or a reply.
    audience: bool = False
    parent_id: str | None = None  # the parent comment's platform_id
    like_count: int = 0
    reply_count: int = 0
    is_hidden: bool = False
    liked_by_viewer: bool = False
    # Moderation on YouTube only (published, held_for_review, likely_spam, rejected).
    moderation_status: str | None = None
    private_replied_at: datetime | None = None


@dataclass(slots=True)
class InboxPost:
    """A published target as the inbox sees it: ``id`` is its platform post id, as the real API's is."""

    id: str
    post_id: str
    account_id: str
    platform: str
    content: str
    permalink: str | None
    published_at: datetime
    updated_at: datetime
    # Audience comments materialised so far (the k-th arrives when the post's metrics count reaches k).
    arrived: int = 0
    last_comment_at: datetime | None = None
    # Platform ids of the comments that are still listed (deleted ones leave), oldest first.
    comments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Message:
    id: str
    conversation_id: str
    platform_id: str
    direction: str  # incoming | outgoing
    text: str | None
    sender_id: str
    sender_name: str
    created_at: datetime
    attachment_type: str | None = None
    attachment_url: str | None = None
    status: str | None = None


@dataclass(slots=True)
class Conversation:
    id: str
    account_id: str
    platform: str
    platform_id: str
    participant_id: str
    participant_name: str
    created_at: datetime
    updated_at: datetime
    status: str = "active"
    unread_count: int = 0
    last_message: str | None = None
    last_message_at: datetime | None = None
    # The participant's last inbound message: the messaging window runs from here.
    last_inbound_at: datetime | None = None
    messages: list[Message] = field(default_factory=list)


@dataclass(slots=True)
class ReviewReply:
    id: str
    text: str
    updated_at: datetime


@dataclass(slots=True)
class Review:
    id: str
    account_id: str
    platform: str
    rating: int
    text: str
    author: str
    created_at: datetime
    reply: ReviewReply | None = None


@dataclass(slots=True)
class Mention:
    id: str  # sapi_mnt_...
    account_id: str
    platform: str
    mention_type: str  # comment | caption
    text: str
    author_id: str
    author_name: str
    author_username: str
    platform_post_id: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class AudienceRates:
    """How busy the simulated audience is (fixtures/audience.yaml)."""

    # Off by default: a suite that counts its events or webhooks sees only its own unless it asks.
    enabled: bool = False
    # Comments materialised per published post at most; the post's metrics count may go beyond.
    max_comments_per_post: int = 20
    # Mean arrivals per account per fake day, by platform.
    dms_per_day: tuple[tuple[str, float], ...] = ()
    reviews_per_day: tuple[tuple[str, float], ...] = ()
    mentions_per_day: tuple[tuple[str, float], ...] = ()


@dataclass(slots=True)
class ScriptedArrival:
    """An arrival a test asked for (``POST /_mock/inbox/arrivals``), waiting for its instant."""

    id: str
    kind: str  # comment | dm | review | mention
    account_id: str
    text: str
    author_name: str
    at: datetime
    post: str | None = None  # comment: the platform post id
    parent_id: str | None = None  # comment: the platform id of the comment it answers
    rating: int | None = None  # review
