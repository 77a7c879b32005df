"""Tenants built directly (no HTTP) with some of everything a tenant can hold, for the state document's tests."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from mockserver.core.baseline import Shared
from mockserver.core.clock import FakeClock
from mockserver.core.ids import stable_seed
from mockserver.core.journal import JournalEntry
from mockserver.core.models import Account, MediaItem, PlatformMedia, Post, PostStatus, Target, TargetError
from mockserver.core.records.accounts import (
    AccountPage,
    Board,
    Brand,
    LoginChoice,
    LostPage,
    OAuthCode,
    PendingConnection,
    PendingSelection,
    PlatformLogin,
    RedirectUri,
)
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import PostDelivered, TargetResult
from mockserver.core.records.inbox import (
    Comment,
    Conversation,
    InboxPost,
    Mention,
    Message,
    Review,
    ReviewReply,
    ScriptedArrival,
)
from mockserver.core.records.media import UploadSlot
from mockserver.core.records.webhooks import Attempt, Delivery, Endpoint, Received, Sink
from mockserver.core.scenarios import ScenarioEngine
from mockserver.core.tenancy import Tenant
from mockserver.core.versions import generation
from mockserver.loading.fixtures import FixtureSet, load_fixtures
from mockserver.settings import Settings

START = datetime(2026, 1, 1, tzinfo=UTC)
LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
IMAGE = "med_01JGB6MH4JMAGG40TGT036F1K7"
BLOB = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@cache
def fixtures() -> FixtureSet:
    return load_fixtures(Settings().fixtures_dir)


def make_tenant(
    name: str = "sapi_key_snapshot", *, shared: Shared | None = None, journal_size: int = 50, events_size: int = 40
) -> Tenant:
    settings = Settings()
    return Tenant(
        name,
        seed=settings.seed,
        clock=FakeClock(START),
        baseline=fixtures().baseline_for(name),
        scenarios=ScenarioEngine(seed=stable_seed(settings.seed, name)),
        initial_scenarios=(),
        journal_size=journal_size,
        events_size=events_size,
        publish_mode=settings.effective_publish_mode,
        generation=generation(settings.api_version),
        shared=shared or Shared(),
    )


def populate(tenant: Tenant) -> None:
    """Something of every area, as the API would have made it."""
    state, at = tenant.state, START + timedelta(minutes=5)
    tenant.clock.move_to(at)
    ids = state.ids
    for seq, status in enumerate((PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED), start=1):
        target = Target(LINKEDIN, "linkedin", platform_data={"visibility": "PUBLIC"})
        if status is PostStatus.DRAFT:
            # The later Instagram target fields travel like the rest (any platform's target can hold them).
            target.platform_media = (PlatformMedia("video", None, "https://cdn.example.com/c.jpg"),)
            target.settings = {"product_type": "REELS"}
        if status is PostStatus.FAILED:
            target.error = TargetError("boom", "platform", "platform", "platform.linkedin.api_error")
        scheduled = at + timedelta(hours=1) if status is PostStatus.SCHEDULED else None
        post = Post(ids.next("p_", at), seq, f"post {seq}", at, at, status, [target], scheduled_at=scheduled)
        post.fire_at = scheduled
        state.posts.add(post)
        state.posts.next_seq = seq + 1
    bluesky = Account(ids.next("acc_", at), "bluesky", "Sky", "sky.bsky.social", "brand_kept")
    telegram = Account(ids.next("acc_", at), "telegram", "Bot", "a_bot", "brand_kept")
    state.accounts.items.update({bluesky.id: bluesky, telegram.id: telegram})
    state.accounts.brands["brand_kept"] = Brand("brand_kept", "Kept", at, at)
    page = AccountPage("sapi_page_kept", "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG", "Kept page", "1234")
    state.accounts.pages[page.id] = page
    board = Board("sapi_board_kept", "acc_01JGKBPBGXZTJXBMYW7H6DE05X", "Kept board")
    state.accounts.boards[board.id] = board
    state.accounts.publish_log[LINKEDIN] = deque([at, at])
    pending = PendingConnection("state_1", "pinterest", "brand_kept", None, "mine", at, at + timedelta(minutes=10))
    state.accounts.pending_connections[pending.state] = pending
    code = OAuthCode("code_1", "state_0", "pinterest", LINKEDIN, None, "", at + timedelta(minutes=10))
    state.accounts.oauth_codes[code.code] = code
    login = PlatformLogin("cred_kept", "facebook", "1023", "Owner", "owner", (LoginChoice("1784", "Kept Page"),))
    state.accounts.logins[login.login_id] = login
    lost = (LostPage("1785", "Lost Page", "brand_kept"),)
    selection = PendingSelection(
        "pc_kept", "facebook", "brand_kept", login.login_id, lost, at, at + timedelta(minutes=30)
    )
    state.accounts.selections[selection.connection_id] = selection
    state.accounts.byok_platforms.update({"twitter", "bluesky"})
    state.accounts.synced_at[LINKEDIN] = at
    uri = RedirectUri("sapi_ruri_kept", "https://app.example.com/cb", "app", at)
    state.accounts.redirect_uris[uri.id] = uri
    upload = MediaItem(ids.next("med_", at), "x.png", "image/png", len(BLOB), "ready", at, BLOB)
    pending_media = MediaItem(ids.next("med_", at), "later.png", "image/png", 0, "pending", at)
    state.media.items.update({upload.id: upload, pending_media.id: pending_media})
    state.media.upload_slots[pending_media.id] = UploadSlot(pending_media.id, ids.hex(32), "image/png", at)
    endpoint = Endpoint("wh_1", "https://hooks.example.com/in", ("post.published",), "whsec_x", True, at)
    state.webhooks.endpoints[endpoint.id] = endpoint
    delivery = Delivery("whd_1", endpoint.id, "post.published", "a post", b'{"id":"x"}', at)
    delivery.attempts.append(Attempt(1, 500, "no", 3, "", at))
    state.webhooks.deliveries[delivery.id] = delivery
    state.webhooks.due.append((at, 1, delivery.id))
    state.webhooks.due_seq = 1
    sink = Sink("kept-sink", 202, 15)
    sink.received.append(Received(at, {"x-a": "b"}, b'{"id":"x"}', "whd_1", True, True, True, 202))
    state.webhooks.sinks[sink.name] = sink
    state.webhooks.received_seq = 1
    state.attempts.append(
        AttemptRecord("p_x", LINKEDIN, "linkedin", None, 1, at, "t", None, (IMAGE,), None, "published", None, None, 0)
    )
    tenant.record_event(
        PostDelivered("p_x", "published", (TargetResult(LINKEDIN, "linkedin", "published", "n1", None, None),)), at
    )
    state.journal.append(JournalEntry("POST", "/v1/posts", b"a=1", 201, '{"text":"x"}', "req1", at))
    state.request_ids.random()
    populate_inbox(tenant, at)


def populate_inbox(tenant: Tenant, at: datetime) -> None:
    inbox = tenant.state.inbox
    inbox.audience = True
    row = InboxPost("n1", "p_x", LINKEDIN, "linkedin", "post", None, at, at, arrived=1, last_comment_at=at)
    comment = Comment("sapi_cmt_x", "c1", row.id, LINKEDIN, "linkedin", "hi", "u1", "Una", "una", at, audience=True)
    comment.private_replied_at = at
    row.comments.append(comment.platform_id)
    inbox.posts[row.id] = row
    inbox.comments[comment.platform_id] = comment
    conversation = Conversation("conv_1", LINKEDIN, "instagram", "t_1", "u2", "Dee", at, at, last_inbound_at=at)
    conversation.messages.append(Message("msg_1", "conv_1", "m_1", "incoming", "yo", "u2", "Dee", at))
    inbox.conversations[conversation.id] = conversation
    inbox.reviews["sapi_rev_1"] = Review(
        "sapi_rev_1", LINKEDIN, "google", 4, "ok", "Al", at, ReviewReply("r_1", "thanks", at)
    )
    inbox.mentions["sapi_mnt_1"] = Mention(
        "sapi_mnt_1", LINKEDIN, "instagram", "caption", "@x", "u3", "Mo", "mo", "9", at
    )
    inbox.scripted["arr_1"] = ScriptedArrival("arr_1", "dm", LINKEDIN, "later", "Zed", at + timedelta(hours=1))
    inbox.due.append((at + timedelta(hours=1), "s|arr_1"))
    inbox.enrolled[LINKEDIN] = at
    inbox.interactions["2026-01"] = 3


Breaker = Callable[[dict[str, Any]], Any]


def at_path(path: str, value: Any) -> Breaker:
    """A breaker setting the node at ``path`` (dots, numbers index lists) to ``value``."""

    def apply(document: dict[str, Any]) -> Any:
        node: Any = document
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.lstrip("-").isdigit() else node[part]
        node[int(last) if last.lstrip("-").isdigit() else last] = value
        return document

    return apply
