"""``TenantState``: everything one tenant holds, in one plain object grouped by area.

The areas of the core (``posts/``, ``accounts/``, ``media/``, ``webhooks/``, ``events/``) keep no
state of their own: they act on this object. ``fresh`` builds it from the fixtures' baseline, which is
what a new tenant and ``POST /_mock/reset`` start from, and the state document (``core/snapshot/``) is
derived from these declarations, so whatever the API can put here, a state file can hold and load.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, cast

from pydantic import ConfigDict, Field, ValidationInfo

from mockserver.core.baseline import Baseline, Plan
from mockserver.core.codecs import Bounded, Codec, GeneratorState, Keyed, RandomState, SortedSet
from mockserver.core.ids import IdFactory, stable_seed
from mockserver.core.journal import JournalEntry
from mockserver.core.models import Account, MediaItem, Post
from mockserver.core.records.accounts import (
    AccountPage,
    Board,
    Brand,
    CreatorInfo,
    OAuthCode,
    PendingConnection,
    PendingSelection,
    PlatformLogin,
    RedirectUri,
)
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import EventRecord, event_json, payload_of
from mockserver.core.records.inbox import Comment, Conversation, InboxPost, Mention, Review, ScriptedArrival
from mockserver.core.records.limits import Hold
from mockserver.core.records.media import UploadSlot
from mockserver.core.records.team import (
    ApiKey,
    ExportJob,
    Invite,
    UserProfile,
    VideoEdit,
    YouTubeCommentChange,
    uuid_of,
)
from mockserver.core.records.webhooks import Delivery, Endpoint, Sink
from mockserver.core.store import PostStore

# -- how the objects that are not plain data travel in the state document (see core/codecs.py) --


@dataclass(slots=True)
class IdsJson:
    rng: GeneratorState
    issued: Annotated[int, Field(ge=0)]


def _load_ids(saved: IdsJson, info: ValidationInfo) -> IdFactory:
    # The seed and name only matter to ``IdFactory.reset``; the sequence itself is the generator's state.
    context = info.context if isinstance(info.context, dict) else {}
    ids = IdFactory(context.get("seed", 0), context.get("tenant", ""))
    ids.setstate((saved.rng.generator().getstate(), saved.issued))
    return ids


def _dump_ids(ids: IdFactory) -> IdsJson:
    generator, issued = ids.getstate()
    version, words, gauss = cast("tuple[int, tuple[int, ...], float | None]", generator)
    return IdsJson(GeneratorState(version, list(words), gauss), issued)


@dataclass(slots=True)
class StoreJson:
    """The post store as data: its posts by ``seq``; the indexes are rebuilt on load."""

    posts: list[Post]
    next_seq: Annotated[int, Field(ge=1)]


def _load_store(saved: StoreJson, info: ValidationInfo) -> PostStore:
    store = PostStore()
    seqs: set[int] = set()
    for post in saved.posts:
        if post.id in store.by_id:
            raise ValueError(f"post {post.id[:80]} appears twice")
        if not 1 <= post.seq < saved.next_seq or post.seq in seqs:
            raise ValueError(f"post {post.id[:80]}: seq must be unique, at least 1 and below next_seq")
        seqs.add(post.seq)
        store.add(post)
    store.next_seq = saved.next_seq
    return store


def _dump_store(store: PostStore) -> StoreJson:
    return StoreJson(sorted(store.all_posts(), key=lambda p: p.seq), store.next_seq)


@dataclass(slots=True)
class EventJson:
    """An event record as data: its payload is read back by the event's name."""

    id: str
    event: str
    created_at: str
    data: dict[str, Any]


def _load_event(saved: EventJson, info: ValidationInfo) -> EventRecord:
    return EventRecord(saved.id, saved.event, saved.created_at, payload_of(saved.event, saved.data))


def _dump_event(record: EventRecord) -> EventJson:
    return EventJson(record.id, record.event, record.created_at, event_json(record.data))


Ids = Annotated[IdFactory, Codec(IdsJson, _load_ids, _dump_ids)]
Event = Annotated[EventRecord, Codec(EventJson, _load_event, _dump_event)]
Posts = Annotated[PostStore, Codec(StoreJson, _load_store, _dump_store)]
JournalSized = Bounded("journal_size")


@dataclass(slots=True)
class AccountsState:
    items: Annotated[dict[str, Account], Keyed("id")]
    brands: Annotated[dict[str, Brand], Keyed("id")]
    pages: Annotated[dict[str, AccountPage], Keyed("id")]
    boards: Annotated[dict[str, Board], Keyed("id")]
    creator_info: dict[str, CreatorInfo]
    # Publish instants per account, oldest first (only for accounts that have a daily ceiling).
    publish_log: dict[str, deque[datetime]]
    redirect_uris: Annotated[dict[str, RedirectUri], Keyed("id")]
    # Hosted OAuth flows waiting for the consent page, by their ``state``; issued codes by code.
    pending_connections: Annotated[dict[str, PendingConnection], Keyed("state")]
    oauth_codes: Annotated[dict[str, OAuthCode], Keyed("code")]
    byok_platforms: SortedSet
    # The last ``POST /v1/accounts/{id}/sync`` per account: Instagram allows one per 5 minutes, and the
    # posts published outside the API come in on an account's first.
    synced_at: dict[str, datetime] = field(default_factory=dict)
    # The platform logins (credentials) this tenant was granted, and the selections waiting on them.
    logins: Annotated[dict[str, PlatformLogin], Keyed("login_id")] = field(default_factory=dict)
    selections: Annotated[dict[str, PendingSelection], Keyed("connection_id")] = field(default_factory=dict)


@dataclass(slots=True)
class MediaState:
    items: Annotated[dict[str, MediaItem], Keyed("id")]
    upload_slots: Annotated[dict[str, UploadSlot], Keyed("media_id")]
    # Signs the media download tokens of this tenant.
    key: bytes


@dataclass(slots=True)
class WebhooksState:
    endpoints: Annotated[dict[str, Endpoint], Keyed("id")] = field(default_factory=dict)
    deliveries: Annotated[dict[str, Delivery], Keyed("id")] = field(default_factory=dict)
    # The outbox's schedule: (due instant, tie-breaker, delivery id), a heap.
    due: list[tuple[datetime, int, str]] = field(default_factory=list)
    due_seq: int = 0
    sinks: Annotated[dict[str, Sink], Keyed("name")] = field(default_factory=dict)
    # How many deliveries the sinks have received: the next one's ``seq``.
    received_seq: int = 0


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
class InboxState:
    # Whether the simulated audience writes (scripted arrivals always do).
    audience: bool = False
    posts: Annotated[dict[str, InboxPost], Keyed("id")] = field(default_factory=dict)
    comments: Annotated[dict[str, Comment], Keyed("platform_id")] = field(default_factory=dict)
    conversations: Annotated[dict[str, Conversation], Keyed("id")] = field(default_factory=dict)
    reviews: Annotated[dict[str, Review], Keyed("id")] = field(default_factory=dict)
    mentions: Annotated[dict[str, Mention], Keyed("id")] = field(default_factory=dict)
    # The audience's schedule: (instant, arrival key), a heap; see core/inbox/audience.py.
    due: list[tuple[datetime, str]] = field(default_factory=list)
    scripted: Annotated[dict[str, ScriptedArrival], Keyed("id")] = field(default_factory=dict)
    # Accounts whose DMs, reviews and mentions are scheduled, with the instant they started.
    enrolled: dict[str, datetime] = field(default_factory=dict)
    # Interaction credits spent, by month ("2026-12").
    interactions: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class TeamState:
    # Every key the team made, revoked ones included (listed with is_active false).
    api_keys: Annotated[dict[str, ApiKey], Keyed("id")]
    user: UserProfile
    invites: Annotated[dict[str, Invite], Keyed("id")] = field(default_factory=dict)
    exports: Annotated[dict[str, ExportJob], Keyed("id")] = field(default_factory=dict)
    # By "<account_id>/<video_id>" and by comment id.
    video_edits: dict[str, VideoEdit] = field(default_factory=dict)
    youtube_comments: Annotated[dict[str, YouTubeCommentChange], Keyed("comment_id")] = field(default_factory=dict)
    youtube_synced_at: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def fresh(cls, tenant: str, seed: int, start: datetime) -> TeamState:
        """The team of a new tenant: one full-access key (the one that opened it) and its user."""

        def derived_hex(name: str) -> str:
            # Derived rather than drawn from the ids generator, so the other ids a tenant makes stay as they were.
            return f"{stable_seed(seed, tenant, name):016x}{stable_seed(seed, tenant, name, 2):016x}"

        first = ApiKey(uuid_of(derived_hex("key")), "Default key", tenant, start)
        user_hex = derived_hex("user")
        user = UserProfile(uuid_of(user_hex), f"developer+{user_hex[:8]}@example.com")
        return cls(api_keys={first.id: first}, user=user)


@dataclass(slots=True)
class TenantState:
    plan: Plan
    # The duplicate-content check (409 post.duplicate_content) is ours, not the real API's: opt-in.
    duplicate_check: bool
    posts: Posts
    accounts: AccountsState
    media: MediaState
    webhooks: WebhooksState
    # Every platform publish attempt, newest last; bounded like the journal.
    attempts: Annotated[deque[AttemptRecord], JournalSized]
    # The event records webhooks and the event log are made from, newest last.
    events: Annotated[deque[Event], Bounded("events_size")]
    journal: Annotated[deque[JournalEntry], JournalSized]
    ids: Ids
    request_ids: RandomState
    # The secrets that open this tenant now: the key that created it and those made by POST /v1/keys,
    # less the revoked and rotated ones (core/team/keys.py).
    keys: list[str]
    team: TeamState
    limits: LimitsState = field(default_factory=LimitsState)
    inbox: InboxState = field(default_factory=InboxState)

    # The state document's bytes (media, webhook bodies, the media key) travel in base64.
    __pydantic_config__ = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

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
        redirect_uris: Annotated[dict[str, RedirectUri], Keyed("id")] = {}
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
            inbox=InboxState(audience=baseline.audience.enabled),
            team=TeamState.fresh(tenant, seed, start),
        )
