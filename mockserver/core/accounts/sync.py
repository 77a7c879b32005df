"""``POST /v1/accounts/{id}/sync`` (2026-10-02): ``AccountSync``.

A sync re-reads an account's recent posts on the platform and answers once it is done. In the mock
the engagement is always current (it follows the fake clock), so a sync does what is visible:

- Posts published **outside the API** (the fixtures' ``external_posts``) come in once their time has
  come, the most recent first, up to the platform's sync window (``SYNC_WINDOW``: 500 on Instagram,
  as its page says, 100 elsewhere, as the OpenAPI document says). Their ``media`` is empty; on
  Instagram they carry ``platform_media`` and ``settings``.
- Instagram's expiring ``platform_media`` links of the account's posts are issued afresh.
- A platform that cannot list posts answers 501 ``resource.not_supported``; an Instagram account
  synced again within 5 minutes of fake time answers 429 ``platform.instagram.rate_limit`` with
  ``Retry-After`` (the docs name no code; Instagram's page gives this one for its rate limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.core.baseline import ExternalPost
from mockserver.core.errors import NotFound, NotSupported, RetryLater
from mockserver.core.models import Account, Post, PostStatus, Target, TargetStatus
from mockserver.core.rules.platform_data import instagram_links, refreshed_links
from mockserver.core.rules.platforms import display_name, permalink
from mockserver.core.tenancy import Area

# Platforms that can list an account's posts, and how many recent posts one sync covers. The OAS names
# LinkedIn and WhatsApp as platforms that cannot; the rest of this choice is ours (docs/api-versions.md).
SYNC_WINDOW: dict[str, int] = {
    "instagram": 500,
    "facebook": 100,
    "threads": 100,
    "tiktok": 100,
    "youtube": 100,
    "bluesky": 100,
}
INSTAGRAM_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class SyncResult:
    account_id: str
    imported: int
    refreshed: int


class AccountSync(Area):
    def sync_account(self, account_id: str) -> SyncResult:
        with self.lock:
            account = self.state.accounts.items.get(account_id)
            if account is None or account.status == "disconnected":
                raise NotFound.of("account", account_id)
            window = SYNC_WINDOW.get(account.platform)
            if window is None:
                raise NotSupported(
                    f"{display_name(account.platform)} cannot list posts, so its accounts cannot be synced",
                    meta={"platform": account.platform, "account_id": account.id},
                )
            now = self.clock.now()
            last = self.state.accounts.synced_at.get(account.id)
            if account.platform == "instagram" and last is not None and now - last < INSTAGRAM_INTERVAL:
                wait = math.ceil((last + INSTAGRAM_INTERVAL - now).total_seconds())
                raise RetryLater(
                    f"each Instagram account can be synced once every 5 minutes; retry in {wait}s",
                    retry_after_seconds=wait,
                    meta={"account_id": account.id},
                )
            imported = self._import(account, window, now)
            refreshed = self._refresh_links(account, now)
            self.state.accounts.synced_at[account.id] = now
            return SyncResult(account.id, imported, refreshed)

    def _import(self, account: Account, window: int, now: datetime) -> int:
        known = {
            t.platform_post_id
            for post in self.state.posts.all_posts()
            for t in post.targets
            if t.account_id == account.id
        }
        due = [e for e in self.tenant.baseline.external_posts if e.account_id == account.id and e.published_at <= now]
        due.sort(key=lambda e: e.published_at, reverse=True)
        fresh = [e for e in due[:window] if e.platform_post_id not in known]
        for external in reversed(fresh):
            self._add(account, external, now)
        return len(fresh)

    def _add(self, account: Account, external: ExternalPost, now: datetime) -> None:
        ids = self.state.ids
        instagram = account.platform == "instagram"
        target = Target(
            account_id=account.id,
            platform=account.platform,
            media=(),
            status=TargetStatus.PUBLISHED,
            platform_post_id=external.platform_post_id,
            permalink=permalink(account.platform, account.username, external.platform_post_id, ids),
            published_at=external.published_at,
        )
        if instagram:
            target.platform_media = instagram_links(external.media, external.withheld, external.platform_post_id, now)
            target.settings = dict(external.settings) if external.settings else None
        post = Post(
            id=ids.next("p_", now),
            seq=self.state.posts.next_seq,
            text=external.text,
            created_at=external.published_at,
            updated_at=now,
            status=PostStatus.PUBLISHED,
            targets=[target],
            media=(),
            published_at=external.published_at,
        )
        self.state.posts.next_seq += 1
        self.state.posts.add(post)

    def _refresh_links(self, account: Account, now: datetime) -> int:
        refreshed = 0
        for post in self.state.posts.all_posts():
            for target in post.targets:
                if target.account_id == account.id and target.platform_media and target.platform_post_id:
                    target.platform_media = refreshed_links(target.platform_media, target.platform_post_id, now)
                    refreshed += 1
        return refreshed
