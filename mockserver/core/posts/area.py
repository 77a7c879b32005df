"""``Posts``: the posts area, composed of its stateless parts over the tenant's state."""

from __future__ import annotations

from mockserver.core.posts.editing import PostEditing
from mockserver.core.posts.import_rows import PostImport
from mockserver.core.posts.listing import Listing
from mockserver.core.posts.metrics import PostMetrics
from mockserver.core.posts.removal import PostRemoval
from mockserver.core.posts.scheduling import Scheduling
from mockserver.core.posts.validate import PostValidation


class Posts(Scheduling, Listing, PostEditing, PostRemoval, PostValidation, PostMetrics, PostImport):
    """Create, publish, schedule, list, edit, remove, validate, import and measure posts."""
