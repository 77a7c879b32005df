"""``TenantState``: everything one tenant holds, in one plain object grouped by area.

The areas of the core (``posts/``, ``accounts/``, ``media/``, ``webhooks/``, ``events/``) keep no
state of their own: they act on this object. ``fresh`` builds it from the fixtures' baseline, which is
what a new tenant and ``POST /_mock/reset`` start from, and the state file (``core/snapshot.py``) is
derived from these declarations, so whatever the API can put here, a state file can hold and load.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.baseline import Baseline, Plan
from mockserver.core.ids import IdFactory, stable_seed
from mockserver.core.journal import JournalEntry
from mockserver.core.models import Account, MediaItem
from mockserver.core.records.accounts import (
    AccountPage,
    Board,
    Brand,
    CreatorInfo,
    OAuthCode,
    PendingConnection,
    RedirectUri,
)
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import EventRecord
from mockserver.core.records.limits import Hold
from mockserver.core.records.media import UploadSlot
from mockserver.core.records.webhooks import Delivery, Endpoint, Sink
from mockserver.core.store import PostStore


@dataclass(slots=True)
class AccountsState:
    items: dict[str, Account]
    brands: dict[str, Brand]
    pages: dict[str, AccountPage]
    boards: dict[str, Board]
    creator_info: dict[str, CreatorInfo]
    # Publish instants per account, oldest first (only for accounts that have a daily ceiling).
    publish_log: dict[str, deque[datetime]]
    redirect_uris: dict[str, RedirectUri]
    # Hosted OAuth flows waiting for the consent page, by their ``state``; issued codes by code.
    pending_connections: dict[str, PendingConnection]
    oauth_codes: dict[str, OAuthCode]
    byok_platforms: set[str]


@dataclass(slots=True)
class MediaState:
    items: dict[str, MediaItem]
    upload_slots: dict[str, UploadSlot]
    # Signs the media download tokens of this tenant.
    key: bytes


@dataclass(slots=True)
class WebhooksState:
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    # The outbox's schedule: (due instant, tie-breaker, delivery id), a heap.
    due: list[tuple[datetime, int, str]] = field(default_factory=list)
    due_seq: int = 0
    sinks: dict[str, Sink] = field(default_factory=dict)


@dataclass(slots=True)
class LimitsState:
    """The later generation's request rate limit and posting velocity caps (``core/limits/``)."""

    # The switches (PATCH /_mock/tenant); a fresh tenant takes the server's, which default to the generation's.
    request_limit: bool = False
    velocity_caps: bool = False
    # The request budget's bucket: the end of the current minute of the tenant's clock, the requests
    # counted in it and its limit (the tier as the minute started).
    bucket_end: datetime | None = None
    bucket_requests: int = 0
    bucket_limit: int = 0
    # Publishes admitted per publish target (an account, or "account/page" for a page, board or location),
    # oldest first, while the caps are on; instants older than the longest window are dropped.
    admitted: dict[str, deque[datetime]] = field(default_factory=dict)
    # Scheduled posts held by a full window, by post id.
    holds: dict[str, Hold] = field(default_factory=dict)


@dataclass(slots=True)
class TenantState:
    plan: Plan
    # The duplicate-content check (409 post.duplicate_content) is ours, not the real API's: opt-in.
    duplicate_check: bool
    posts: PostStore
    accounts: AccountsState
    media: MediaState
    webhooks: WebhooksState
    # Every platform publish attempt, newest last; bounded like the journal.
    attempts: deque[AttemptRecord]
    # The event records webhooks and the event log are made from, newest last.
    events: deque[EventRecord]
    journal: deque[JournalEntry]
    ids: IdFactory
    request_ids: random.Random
    # The API keys that open this tenant (the key that created it, for now).
    keys: list[str]
    limits: LimitsState = field(default_factory=LimitsState)

    @classmethod
    def fresh(
        cls,
        tenant: str,
        *,
        seed: int,
        baseline: Baseline,
        start: datetime,
        journal_size: int,
        events_size: int,
        request_limit: bool = False,
        velocity_caps: bool = False,
    ) -> TenantState:
        """The state a tenant has before its first request: the fixtures' baseline at ``start``."""
        ids = IdFactory(seed, tenant)
        redirect_uris: dict[str, RedirectUri] = {}
        for uri, label in baseline.redirect_uris:
            entry = RedirectUri(f"sapi_ruri_{ids.hex(12)}", uri, label, start)
            redirect_uris[entry.id] = entry
        journal_size = max(journal_size, 0)
        return cls(
            plan=baseline.plan,
            duplicate_check=baseline.duplicate_check,
            posts=PostStore(),
            accounts=AccountsState(
                items={a.id: a for a in baseline.accounts},
                brands={b.id: Brand(b.id, b.name, start, start) for b in baseline.brands},
                pages={p.id: p for p in baseline.pages},
                boards={b.id: b for b in baseline.boards},
                creator_info=dict(baseline.creator_info),
                publish_log={},
                redirect_uris=redirect_uris,
                pending_connections={},
                oauth_codes={},
                byok_platforms=set(baseline.byok_platforms),
            ),
            media=MediaState(
                items=baseline.media_items(start),
                upload_slots={},
                key=stable_seed(seed, tenant, "media").to_bytes(8, "big"),
            ),
            webhooks=WebhooksState(),
            attempts=deque(maxlen=journal_size),
            events=deque(maxlen=events_size),
            journal=deque(maxlen=journal_size),
            ids=ids,
            request_ids=random.Random(stable_seed(seed, tenant, "requests")),
            keys=[tenant],
            limits=LimitsState(request_limit=request_limit, velocity_caps=velocity_caps),
        )
