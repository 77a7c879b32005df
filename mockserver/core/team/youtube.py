"""The YouTube routes: a channel's summary, a sync, video edits, comment edits and moderation
(docs/team.md). Comments themselves belong to the inbox; what these routes change is kept per
comment id here, for the inbox to show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mockserver.core.accounts.area import Accounts
from mockserver.core.errors import NotSupported, ValidationFailed
from mockserver.core.ids import stable_seed
from mockserver.core.models import Account, TargetStatus
from mockserver.core.records.team import VideoEdit, YouTubeCommentChange
from mockserver.core.tenancy import Area, Tenant

VISIBILITIES: tuple[str, ...] = ("public", "unlisted", "private")
MODERATION_STATUSES: tuple[str, ...] = ("published", "held_for_review", "rejected")
# YouTube's own limits on a video's title and description, in characters.
TITLE_LIMIT = 100
DESCRIPTION_LIMIT = 5000
COMMENT_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class ChannelSummary:
    title: str
    handle: str
    thumbnail_url: str
    subscriber_count: int
    view_count: int
    video_count: int


class YouTube(Area):
    def __init__(self, tenant: Tenant, accounts: Accounts) -> None:
        super().__init__(tenant)
        self.accounts = accounts

    def channel_summary(self, account_id: str) -> ChannelSummary:
        """The channel's figures: drawn from the seed, plus the videos published through the mock."""
        with self.lock:
            account = self._channel(account_id)
            base = stable_seed(self.tenant.seed, account.id, "channel")
            published = sum(
                1
                for post in self.state.posts.all_posts()
                for target in post.targets
                if target.account_id == account.id and target.status is TargetStatus.PUBLISHED
            )
            subscribers = 1_000 + base % 50_000
            return ChannelSummary(
                title=account.name,
                handle=f"@{account.username}",
                thumbnail_url=account.profile_picture_url or f"https://yt3.ggpht.com/{account.platform_user_id}=s88",
                subscriber_count=subscribers,
                view_count=subscribers * (20 + base % 60),
                video_count=20 + (base >> 20) % 80 + published,
            )

    def sync_account(self, account_id: str) -> None:
        with self.lock:
            account = self._channel(account_id)
            self.state.team.youtube_synced_at[account.id] = self.clock.now()

    def update_video(
        self, account_id: str, video_id: str, *, title: str | None, description: str | None, visibility: str | None
    ) -> VideoEdit:
        with self.lock:
            account = self._channel(account_id)
            if visibility is not None and visibility not in VISIBILITIES:
                raise ValidationFailed.invalid("visibility", f"visibility must be one of: {', '.join(VISIBILITIES)}")
            if title is not None and not 0 < len(title.strip()) <= TITLE_LIMIT:
                raise ValidationFailed.invalid("title", f"title must be 1 to {TITLE_LIMIT} characters")
            if description is not None and len(description) > DESCRIPTION_LIMIT:
                raise ValidationFailed.invalid(
                    "description", f"description must be at most {DESCRIPTION_LIMIT} characters"
                )
            key = f"{account.id}/{video_id}"
            edit = self.state.team.video_edits.get(key) or VideoEdit(account.id, video_id, self.clock.now())
            edit = replace(
                edit,
                updated_at=self.clock.now(),
                title=edit.title if title is None else title,
                description=edit.description if description is None else description,
                visibility=edit.visibility if visibility is None else visibility,
            )
            self.state.team.video_edits[key] = edit
            return edit

    def edit_comment(self, comment_id: str, *, account_id: str, post_id: str, text: str) -> YouTubeCommentChange:
        with self.lock:
            self._channel(account_id)
            if not text.strip():
                raise ValidationFailed.required("text", "account_id, post_id and text are all required")
            if len(text) > COMMENT_LIMIT:
                raise ValidationFailed.invalid("text", f"text must be at most {COMMENT_LIMIT} characters")
            return self._change(comment_id, account_id, post_id, text=text)

    def moderate_comment(
        self, comment_id: str, *, account_id: str, post_id: str, status: str, ban_author: bool
    ) -> YouTubeCommentChange:
        with self.lock:
            self._channel(account_id)
            if status not in MODERATION_STATUSES:
                raise ValidationFailed.invalid(
                    "status", f"Invalid parameters: status must be one of: {', '.join(MODERATION_STATUSES)}"
                )
            if ban_author and status != "rejected":
                raise ValidationFailed.invalid("ban_author", "ban_author is only valid with status=rejected")
            return self._change(comment_id, account_id, post_id, moderation_status=status, author_banned=ban_author)

    def _change(
        self,
        comment_id: str,
        account_id: str,
        post_id: str,
        *,
        text: str | None = None,
        moderation_status: str | None = None,
        author_banned: bool = False,
    ) -> YouTubeCommentChange:
        now = self.clock.now()
        change = self.state.team.youtube_comments.get(comment_id) or YouTubeCommentChange(
            comment_id, account_id, post_id, now
        )
        change = replace(
            change,
            updated_at=now,
            text=change.text if text is None else text,
            moderation_status=moderation_status or change.moderation_status,
            author_banned=author_banned or change.author_banned,
        )
        self.state.team.youtube_comments[comment_id] = change
        return change

    def _channel(self, account_id: str) -> Account:
        account = self.accounts.account(account_id, "account_id")
        if account.platform != "youtube":
            raise NotSupported(
                "Account is not a YouTube account or connector does not support this operation",
                meta={"platform": account.platform},
            )
        return account
