"""Where the vendor's guide pages show what its reference forbids: the warnings the mock adds.

Users copy the guide pages, so a call a page shows must not fail without a word when the mock follows
the reference instead. Each warning names the page and the rule that wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from mockserver.api.body_warnings import BodyWarning
from mockserver.core.models import Post, PostStatus

# The platform pages that show PATCH /v1/posts/{pid} on a published post.
EDIT_GUIDES: Mapping[str, str] = {
    "facebook": "posts/facebook (4. Update post)",
    "google": "posts/google (4. Update post)",
    "linkedin": "posts/linkedin (Update post text)",
    "youtube": "connectors/youtube (Update post)",
}
EDIT_RULE = "the reference allows PATCH /v1/posts/{pid} only on draft, scheduled or failed posts"
GUIDE_CONFLICT = "mock.guide_conflict"


def guide_edit_warnings(post: Post) -> list[BodyWarning]:
    """A warning per platform page that shows editing ``post``, refused because it was published."""
    if post.status not in (PostStatus.PUBLISHED, PostStatus.PARTIAL):
        return []
    status = post.status.value
    return [
        BodyWarning(
            "status",
            GUIDE_CONFLICT,
            f"{EDIT_GUIDES[platform]} shows editing a published post, but {EDIT_RULE} (this one is {status})",
        )
        for platform in sorted({t.platform for t in post.targets})
        if platform in EDIT_GUIDES
    ]
