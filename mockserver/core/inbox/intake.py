"""``Intake``: what the platforms bring in, whoever wrote it (the simulated audience or a test's script).

Each arrival becomes a record in ``TenantState.inbox`` and, where the platform sends one, an event
(``comment.received``, ``dm.received``, ``review.received``, ``mention.received``), at its own instant.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.core.ids import derived_id
from mockserver.core.inbox.ids import comment_interaction_id
from mockserver.core.inbox.policy import (
    COMMENT_WEBHOOK_PLATFORMS,
    DM_WEBHOOK_PLATFORMS,
    MENTION_WEBHOOK_PLATFORMS,
    REVIEW_WEBHOOK_PLATFORMS,
)
from mockserver.core.inbox.voices import Person
from mockserver.core.models import Account, Post, Target
from mockserver.core.records.events import Interaction, InteractionAuthor, InteractionContent
from mockserver.core.records.inbox import Comment, Conversation, InboxPost, Mention, Message, Review
from mockserver.core.tenancy import Area
from mockserver.core.timefmt import format_instant


class Intake(Area):
    def inbox_post(self, post: Post, target: Target) -> InboxPost:
        """The inbox's row for a published target, made on first need."""
        assert target.platform_post_id is not None and target.published_at is not None
        posts = self.state.inbox.posts
        row = posts.get(target.platform_post_id)
        if row is None:
            row = InboxPost(
                target.platform_post_id,
                post.id,
                target.account_id,
                target.platform,
                post.effective(target).text or "",
                target.permalink,
                target.published_at,
                target.published_at,
            )
            posts[row.id] = row
        return row

    def comment(
        self, row: InboxPost, author: Person, text: str, at: datetime, platform_id: str, *, audience: bool
    ) -> Comment:
        platform = row.platform
        comment = Comment(
            comment_interaction_id(platform, platform_id),
            platform_id,
            row.id,
            row.account_id,
            platform,
            text,
            author.id,
            author.name,
            author.username,
            at,
            audience=audience,
            moderation_status="published" if platform == "youtube" else None,
        )
        self.tenant.state.inbox.comments[platform_id] = comment
        row.comments.append(platform_id)
        row.last_comment_at = row.updated_at = at
        if platform in COMMENT_WEBHOOK_PLATFORMS:
            author_ref = InteractionAuthor(author.id, author.name, author.username)
            self.tenant.record_event(
                Interaction(
                    comment.id,
                    "comment",
                    platform,
                    row.account_id,
                    author_ref,
                    InteractionContent(text),
                    format_instant(at),
                    platform_post_id=row.id,
                    post_id=row.post_id,
                ),
                at,
            )
        return comment

    def direct_message(self, account: Account, sender: Person, text: str, at: datetime) -> Message:
        """An inbound DM: into the sender's conversation (opened on first contact), renewing its window."""
        inbox = self.state.inbox
        conversation = next(
            (c for c in inbox.conversations.values() if c.account_id == account.id and c.participant_id == sender.id),
            None,
        )
        if conversation is None:
            conversation = Conversation(
                derived_id("conv_", at, self.tenant.seed, account.id, sender.id),
                account.id,
                account.platform,
                f"t_{sender.id}",
                sender.id,
                sender.name,
                at,
                at,
            )
            inbox.conversations[conversation.id] = conversation
        number = len(conversation.messages)
        message = Message(
            derived_id("msg_", at, conversation.id, number),
            conversation.id,
            f"m_{derived_id('', at, conversation.id, number, 'mid').lower()}",
            "incoming",
            text,
            sender.id,
            sender.name,
            at,
        )
        conversation.messages.append(message)
        conversation.last_message, conversation.last_message_at = text, at
        conversation.last_inbound_at = conversation.updated_at = at
        conversation.unread_count += 1
        if account.platform in DM_WEBHOOK_PLATFORMS:
            self.record_event(
                Interaction(
                    message.id,
                    "dm",
                    account.platform,
                    account.id,
                    InteractionAuthor(sender.id, sender.name, sender.username),
                    InteractionContent(text),
                    format_instant(at),
                    conversation_id=conversation.id,
                ),
                at,
            )
        return message

    def review(self, account: Account, author: Person, rating: int, text: str, at: datetime) -> Review:
        review = Review(
            derived_id("sapi_rev_", at, self.tenant.seed, account.id, author.id, len(self.state.inbox.reviews)),
            account.id,
            account.platform,
            rating,
            text,
            author.name,
            at,
        )
        self.state.inbox.reviews[review.id] = review
        if account.platform in REVIEW_WEBHOOK_PLATFORMS:
            self.record_event(
                Interaction(
                    review.id,
                    "review",
                    account.platform,
                    account.id,
                    InteractionAuthor(author.id, author.name, author.username),
                    InteractionContent(text),
                    format_instant(at),
                    metadata={"star_rating": rating},
                ),
                at,
            )
        return review

    def mention(self, account: Account, author: Person, text: str, at: datetime, *, in_comment: bool) -> Mention:
        inbox = self.state.inbox
        mention = Mention(
            derived_id("sapi_mnt_", at, self.tenant.seed, account.id, author.id, len(inbox.mentions)),
            account.id,
            account.platform,
            "comment" if in_comment else "caption",
            text,
            author.id,
            author.name,
            author.username,
            derived_id("", at, account.id, "mentioning-post", len(inbox.mentions)).lower(),
            at,
        )
        inbox.mentions[mention.id] = mention
        if account.platform in MENTION_WEBHOOK_PLATFORMS:
            self.record_event(
                Interaction(
                    mention.id,
                    "mention",
                    account.platform,
                    account.id,
                    InteractionAuthor(author.id, author.name, author.username),
                    InteractionContent(text),
                    format_instant(at),
                    metadata={"mention_type": mention.mention_type},
                    platform_post_id=mention.platform_post_id,
                ),
                at,
            )
        return mention
