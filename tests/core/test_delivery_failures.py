"""Why a delivery fails, as the failed target states it: the message, category, cause and code."""

from __future__ import annotations

from datetime import timedelta

from mockserver import MockServer
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.models import PostStatus, TargetError, TargetStatus
from tests.conftest import ACCOUNTS


def test_targets_of_a_disconnected_or_expired_account_fail_with_an_auth_error() -> None:
    backend = MockServer().tenant("sapi_key_failures")
    targets = (NewTarget(ACCOUNTS["facebook"]), NewTarget(ACCOUNTS["linkedin"]))
    command = NewPost(text="later", scheduled_at=backend.now() + timedelta(hours=1), targets=targets)
    post = backend.posts.create_post(command).post
    backend.connections.disconnect_account(ACCOUNTS["facebook"])
    backend.connections.expire_account(ACCOUNTS["linkedin"], None)

    backend.posts.advance_clock(seconds=7200)

    assert post.status is PostStatus.FAILED
    assert [(t.status, t.attempts, t.error) for t in post.targets] == [
        (
            TargetStatus.FAILED,
            1,
            TargetError(
                "The account was disconnected; connect it again to post", "auth", "user", "platform.facebook.auth"
            ),
        ),
        (
            TargetStatus.FAILED,
            1,
            TargetError("The account must be reconnected before posting", "auth", "user", "platform.linkedin.auth"),
        ),
    ]


def test_a_post_that_skipped_validation_fails_at_the_platform_with_the_rule_it_broke() -> None:
    backend = MockServer().tenant("sapi_key_failures")
    command = NewPost(text="x" * 300, publish_now=True, skip_validation=True, targets=(NewTarget(ACCOUNTS["twitter"]),))
    post = backend.posts.create_post(command).post
    assert post.status is PostStatus.FAILED
    assert post.targets[0].error == TargetError(
        "exceeds 280 character limit (300/280)", "validation", "user", "validation.field_invalid"
    )
