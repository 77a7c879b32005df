"""What the outbox tests share: a tenant, a published post to make deliveries, and one claimed delivery."""

from __future__ import annotations

from mockserver import PublishingBackend
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.webhooks.outbox import AttemptResult, Outgoing
from tests.conftest import ACCOUNTS

URL = "https://hooks.example.com/socialapi"
OK = AttemptResult(200, "ok", 3)
DOWN = AttemptResult(503, "busy", 2, "HTTP 503")


def publish(backend: PublishingBackend, text: str = "hello") -> str:
    command = NewPost(text=text, publish_now=True, targets=(NewTarget(ACCOUNTS["facebook"]),))
    return backend.posts.create_post(command).post.id


def claim_one(backend: PublishingBackend) -> Outgoing:
    claimed = backend.webhooks.claim_due_deliveries()
    assert len(claimed) == 1
    return claimed[0]
