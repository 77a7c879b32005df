"""``Comments``: the commented posts, their comment threads, and what an app does to a comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.errors import NotFound, NotSupported, ValidationFailed
from mockserver.core.inbox.base import NOT_SUPPORTED, InboxArea
from mockserver.core.inbox.credits import Credits
from mockserver.core.inbox.ids import platform_id_of
from mockserver.core.inbox.intake import Intake
from mockserver.core.inbox.paging import Page, page_of
from mockserver.core.inbox.policy import (
    COMMENT_RIGHTS,
    PRIVATE_REPLY_COSTS_CREDIT,
    PRIVATE_REPLY_WINDOW,
    REPLIES_IN_POST_LIST,
    CommentRights,
)
from mockserver.core.inbox.voices import Person
from mockserver.core.reach import Reach
from mockserver.core.records.inbox import Comment, InboxPost
from mockserver.core.rules.engagement import engagement, metrics_seed
from mockserver.core.tenancy import Tenant


@dataclass(frozen=True, slots=True)
class Capabilities:
    can_reply: bool
    can_delete: bool
    can_hide: bool
    can_like: bool
    can_private_reply: bool


@dataclass(frozen=True, slots=True)
class PostView:
    row: InboxPost
    user_id: str
    comment_count: int
    like_count: int


@dataclass(frozen=True, slots=True)
class CommentView:
    comment: Comment
    capabilities: Capabilities


@dataclass(frozen=True, slots=True)
class PostQuery:
    account_id: str | None = None
    platform: str | None = None
    min_comments: int = 0
    since: datetime | None = None
    ascending: bool = False
    limit: int = 25
    cursor: str | None = None
    # A brand-restricted key's reach: only posts of its brands' accounts.
    reach: Reach | None = None


def capabilities(rights: CommentRights, comment: Comment) -> Capabilities:
    return Capabilities(
        can_reply=rights.reply,
        can_delete=rights.delete and (comment.is_owner or not rights.delete_own_only),
        can_hide=rights.hide and not (comment.is_owner and rights.hide_others_only),
        can_like=rights.like,
        can_private_reply=rights.private_reply and not comment.is_owner,
    )


def _recency(view: PostView) -> tuple[bool, datetime, str]:
    """Most recently commented last; posts nobody commented on before them, by publication."""
    row = view.row
    return (row.last_comment_at is not None, row.last_comment_at or row.published_at, row.id)


class Comments(InboxArea):
    def __init__(self, tenant: Tenant, intake: Intake, credits: Credits) -> None:
        super().__init__(tenant)
        self.intake = intake
        self.credits = credits

    # -- reads --------------------------------------------------------------------------------------

    def list_posts(self, query: PostQuery) -> Page[PostView]:
        with self.lock:
            allowed = None if query.reach is None else query.reach.account_ids(self.state.accounts.items)
            rows = [
                self._view(row)
                for row in self.state.inbox.posts.values()
                if (query.account_id is None or row.account_id == query.account_id)
                and (allowed is None or row.account_id in allowed)
                and (query.platform is None or row.platform == query.platform)
                and (query.since is None or (row.last_comment_at is not None and row.last_comment_at > query.since))
            ]
            rows = [v for v in rows if v.comment_count >= query.min_comments]
            rows.sort(key=_recency, reverse=not query.ascending)
            return page_of(rows, lambda v: v.row.id, query.limit, query.cursor)

    def list_comments(self, post_id: str, account_id: str | None, limit: int, cursor: str | None) -> Page[CommentView]:
        with self.lock:
            row, rights = self._post(post_id, account_id, "comments")
            listed = [
                self._comment_view(rights, c) for c in self._listed(row) if REPLIES_IN_POST_LIST or c.parent_id is None
            ]
            return page_of(listed, lambda v: v.comment.platform_id, limit, cursor)

    def list_replies(
        self, post_id: str, comment_id: str, account_id: str | None, limit: int, cursor: str | None
    ) -> Page[CommentView]:
        with self.lock:
            row, rights = self._post(post_id, account_id, "comment replies")
            parent = self._comment(row, comment_id)
            listed = [self._comment_view(rights, c) for c in self._listed(row) if c.parent_id == parent.platform_id]
            return page_of(listed, lambda v: v.comment.platform_id, limit, cursor)

    # -- writes -------------------------------------------------------------------------------------

    def reply(self, post_id: str, account_id: str, text: str, comment_id: str | None) -> Comment:
        """Our reply: threaded under ``comment_id``, or a top-level comment on the post. One credit."""
        with self.lock:
            row, rights = self._post(post_id, account_id, "comment replies")
            self._allowed(rights.reply, row, "reply")
            parent = self._comment(row, comment_id) if comment_id is not None else None
            self.credits.spend()
            account = self.account(account_id)
            us = Person(account.platform_user_id, account.name, account.username)
            now = self.clock.now()
            reply = self.intake.comment(row, us, text, now, self.state.ids.digits(17), audience=False)
            reply.is_owner = True
            if parent is not None:
                reply.parent_id = parent.platform_id
                parent.reply_count += 1
            return reply

    def delete(self, post_id: str, comment_id: str, account_id: str | None) -> None:
        """Removes the comment, and its replies, from the inbox."""
        with self.lock:
            row, rights = self._post(post_id, account_id, "comment deletes")
            comment = self._comment(row, comment_id)
            self._allowed(capabilities(rights, comment).can_delete, row, "delete")
            gone = {comment.platform_id} | {
                c.platform_id for c in self._listed(row) if c.parent_id == comment.platform_id
            }
            row.comments = [pid for pid in row.comments if pid not in gone]
            if comment.parent_id is not None and comment.parent_id in self.state.inbox.comments:
                parent = self.state.inbox.comments[comment.parent_id]
                parent.reply_count = max(parent.reply_count - 1, 0)

    def set_hidden(self, post_id: str, comment_id: str, account_id: str | None, hidden: bool) -> None:
        with self.lock:
            row, rights = self._post(post_id, account_id, "comment hiding")
            comment = self._comment(row, comment_id, hidden_too=True)
            self._allowed(capabilities(rights, comment).can_hide, row, "hide")
            comment.is_hidden = hidden
            if row.platform == "youtube":
                # YouTube's hide "sets the comment moderation status to rejected".
                comment.moderation_status = "rejected" if hidden else "published"

    def set_liked(self, post_id: str, comment_id: str, account_id: str | None, liked: bool) -> None:
        with self.lock:
            row, rights = self._post(post_id, account_id, "comment likes")
            comment = self._comment(row, comment_id)
            self._allowed(rights.like, row, "like")
            if comment.liked_by_viewer != liked:
                comment.liked_by_viewer = liked
                comment.like_count += 1 if liked else -1

    def private_reply(self, post_id: str, comment_id: str, account_id: str, text: str) -> None:
        """Meta's rule: one private reply per comment, within 7 days of it; else 400 ..._ineligible."""
        with self.lock:
            row, rights = self._post(post_id, account_id, "private replies")
            comment = self._comment(row, comment_id)
            self._allowed(capabilities(rights, comment).can_private_reply, row, "private reply")
            now = self.clock.now()
            code = f"platform.{row.platform}.private_reply_ineligible"
            if comment.private_replied_at is not None:
                raise ValidationFailed.invalid("comment_id", "this comment already has a private reply", code=code)
            if now - comment.created_at > PRIVATE_REPLY_WINDOW:
                raise ValidationFailed.invalid("comment_id", "the 7-day private reply window has expired", code=code)
            if PRIVATE_REPLY_COSTS_CREDIT:
                self.credits.spend()
            comment.private_replied_at = now

    # -- helpers ------------------------------------------------------------------------------------

    def _post(self, post_id: str, account_id: str | None, what: str) -> tuple[InboxPost, CommentRights]:
        if account_id is None:
            # An unknown post is a 404 before the missing query parameter: a call never learns more.
            if post_id not in self.state.inbox.posts:
                raise NotFound.of("post", post_id)
            raise ValidationFailed.required("account_id")
        account = self.account(account_id)
        rights = COMMENT_RIGHTS.get(account.platform)
        if rights is None:
            raise NotSupported(f"{NOT_SUPPORTED}: {what} on {account.platform}", meta={"platform": account.platform})
        return self.inbox_post(post_id, account_id), rights

    def _comment(self, row: InboxPost, comment_id: str, *, hidden_too: bool = False) -> Comment:
        platform_id = platform_id_of(comment_id)
        comment = self.state.inbox.comments.get(platform_id)
        if comment is None or comment.post != row.id or platform_id not in row.comments:
            raise NotFound.of("comment", comment_id)
        if comment.is_hidden and not hidden_too:
            raise NotFound.of("comment", comment_id)
        return comment

    def _allowed(self, allowed: bool, row: InboxPost, what: str) -> None:
        if not allowed:
            raise NotSupported(f"{NOT_SUPPORTED}: {what} on {row.platform}", meta={"platform": row.platform})

    def _listed(self, row: InboxPost) -> list[Comment]:
        """The post's comments still in the inbox: neither deleted nor hidden, oldest first."""
        comments = self.state.inbox.comments
        return [c for c in (comments[pid] for pid in row.comments) if not c.is_hidden]

    def _view(self, row: InboxPost) -> PostView:
        now = self.clock.now()
        counts = engagement(metrics_seed(self.tenant.seed), row.platform, row.id, now - row.published_at)
        comments = self.state.inbox.comments
        extra = sum(1 for pid in row.comments if not comments[pid].audience)
        account = self.state.accounts.items.get(row.account_id)
        user = account.platform_user_id if account is not None else ""
        return PostView(row, user, counts.comments + extra, counts.likes)

    def _comment_view(self, rights: CommentRights, comment: Comment) -> CommentView:
        return CommentView(comment, capabilities(rights, comment))
