"""What each platform's inbox can do, and the mock's choices where the docs are silent (docs/inbox.md).

One table per question, so a choice is changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class CommentRights:
    """The docs' capabilities table (/guides/inbox): reply, hide, like, delete, private reply.

    ``hide_others_only`` and ``delete_own_only`` are Threads' "Conditional" cells.
    """

    reply: bool
    hide: bool
    like: bool
    delete: bool
    private_reply: bool
    hide_others_only: bool = False
    delete_own_only: bool = False


COMMENT_RIGHTS: dict[str, CommentRights] = {
    "instagram": CommentRights(reply=True, hide=True, like=False, delete=True, private_reply=True),
    "facebook": CommentRights(reply=True, hide=True, like=True, delete=True, private_reply=True),
    "threads": CommentRights(
        reply=True, hide=True, like=False, delete=True, private_reply=False, hide_others_only=True, delete_own_only=True
    ),
    "youtube": CommentRights(reply=True, hide=True, like=False, delete=True, private_reply=False),
    "twitter": CommentRights(reply=True, hide=False, like=False, delete=False, private_reply=False),
    # The mock's LinkedIn accounts publish as organisation pages: the linkedin_page row (beta).
    "linkedin": CommentRights(reply=True, hide=False, like=True, delete=True, private_reply=False),
}
# Platforms whose new comments send ``comment.received`` ("every platform that produces comment events is Meta-based").
COMMENT_WEBHOOK_PLATFORMS = frozenset({"instagram", "facebook", "threads"})
DM_PLATFORMS = frozenset({"instagram", "facebook", "twitter", "telegram", "whatsapp"})
REVIEW_PLATFORMS = frozenset({"google"})
MENTION_PLATFORMS = frozenset({"instagram", "facebook", "twitter"})
DM_WEBHOOK_PLATFORMS = frozenset({"instagram", "facebook", "telegram"})
MENTION_WEBHOOK_PLATFORMS = frozenset({"instagram", "facebook"})
REVIEW_WEBHOOK_PLATFORMS = frozenset({"google"})

# The audience's bound per account and kind (DMs, reviews, mentions), as comments have one per post: a
# clock moved on by years brings at most this many of each, not one a day for every day of them.
MAX_ARRIVALS_PER_ACCOUNT = 500

# The messaging window after the participant's last inbound message, and its error code per platform.
MESSAGING_WINDOW = timedelta(hours=24)
WINDOW_CODES: dict[str, str] = {
    "instagram": "platform.instagram.window_closed",
    "facebook": "platform.facebook.window_closed",
    "whatsapp": "whatsapp.window_closed",
}
# Meta's rule: one private reply per comment, within 7 days of the comment.
PRIVATE_REPLY_WINDOW = timedelta(days=7)

# Interaction credits (comment, review and mention replies, DM sends): free plans stop at 50 a month.
FREE_INTERACTIONS_PER_MONTH = 50
# Open point: whether a private reply costs a credit. The mock's choice: it does not.
PRIVATE_REPLY_COSTS_CREDIT = False
# Open point: whether a reply also lists in GET /inbox/comments/{postId}. The mock's choice: only top-level comments do.
REPLIES_IN_POST_LIST = False

# Page sizes: default and maximum per list.
COMMENTS_PAGE = (25, 100)
REPLIES_PAGE = (10, 100)
POSTS_PAGE = (25, 100)
CONVERSATIONS_PAGE = (25, 100)
MESSAGES_PAGE = (25, 200)
REVIEWS_PAGE = (50, 100)
MENTIONS_PAGE = (20, 100)
TEXT_MAX = 8000
