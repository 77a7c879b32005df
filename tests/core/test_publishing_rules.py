"""Publishing as a caller sees it: refusals of a create or publish, why a delivery fails, what each
attempt records (``GET /_mock/deliveries``), and what a published target carries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from mockserver import MockServer, PublishingBackend, Settings
from mockserver.core.commands import NewPost, NewTarget, PostQuery, Segment
from mockserver.core.errors import DomainError
from mockserver.core.models import PlatformMedia, PostStatus, TargetError, TargetStatus
from mockserver.core.posts.attempts import AttemptFilter
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import PostRetried
from mockserver.core.scenarios.documents import parse_scenario
from tests.conftest import ACCOUNTS, IMAGE, VIDEO

FACEBOOK_PAGE = "sapi_page_01JGR4N5JJX9K1QQXV5SZ7VZSG"
TIKTOK = NewTarget(ACCOUNTS["tiktok"], platform_data={"privacy_level": "SELF_ONLY"})


def fail(code: str) -> dict[str, str]:
    return {"code": code, "message": "the platform said no", "category": "platform", "caused_by": "platform"}


@pytest.fixture
def backend() -> PublishingBackend:
    return MockServer().tenant("sapi_key_publishing")


def later(backend: PublishingBackend, hours: int = 1) -> NewPost:
    return NewPost(text="later", scheduled_at=backend.now() + timedelta(hours=hours))


def now(text: str, *targets: NewTarget, **extra: object) -> NewPost:
    return NewPost(text=text, publish_now=True, targets=targets, **extra)  # type: ignore[arg-type]


def attempts(backend: PublishingBackend, post_id: str) -> list[AttemptRecord]:
    return backend.attempts.find(AttemptFilter(post_id=post_id))


def refusal(action: object) -> tuple[str, dict[str, object], str]:
    with pytest.raises(DomainError) as raised:
        action()  # type: ignore[operator]
    return raised.value.code, raised.value.meta, raised.value.message


# -- refusals of a create, a publish and a retry -------------------------------------------------------


def test_publishing_or_scheduling_without_targets_is_refused_naming_targets(backend: PublishingBackend) -> None:
    expected = ("validation.field_required", {"field": "targets"})
    message = "at least one target is required to publish or schedule"
    assert refusal(lambda: backend.posts.create_post(now("x"))) == (*expected, message)
    assert refusal(lambda: backend.posts.create_post(later(backend))) == (*expected, message)
    draft = backend.posts.create_post(NewPost(text="a draft")).post
    assert refusal(lambda: backend.posts.publish_post(draft.id)) == (
        *expected,
        "at least one target is required to publish",
    )


def test_publishing_a_draft_checks_it_as_a_publish_unless_it_skipped_validation(backend: PublishingBackend) -> None:
    # A draft to Instagram may lack its media; a publish may not.
    instagram = NewTarget(ACCOUNTS["instagram"])
    draft = backend.posts.create_post(NewPost(text="no photo yet", targets=(instagram,))).post
    code, meta, _ = refusal(lambda: backend.posts.publish_post(draft.id))
    assert (code, meta["field"]) == ("validation.field_required", "targets[0].platform_data.content_type")
    assert backend.posts.get_post(draft.id).status is PostStatus.DRAFT
    unchecked = NewPost(text="no photo yet", targets=(instagram,), skip_validation=True)
    skipped = backend.posts.create_post(unchecked).post
    published = backend.posts.publish_post(skipped.id).post
    assert published.status is PostStatus.FAILED
    assert published.targets[0].error is not None and published.targets[0].error.code == "validation.field_required"


def test_a_retry_without_failed_deliveries_or_on_platforms_without_retry_is_refused(
    backend: PublishingBackend,
) -> None:
    fail_all = {"name": "down", "description": "d", "deliveries": [{"fail": fail("platform.api_error")}]}
    backend.activate_scenario(parse_scenario(fail_all))
    post = backend.posts.create_post(now("down", NewTarget(ACCOUNTS["google"]), NewTarget(ACCOUNTS["linkedin"]))).post
    assert post.status is PostStatus.FAILED
    code, _, message = refusal(lambda: backend.posts.retry_post(post.id))
    assert code == "resource.not_supported"
    assert message == "retry is not supported for Google Business Profile posts"
    backend.clear_scenarios()
    published = backend.posts.create_post(now("up", NewTarget(ACCOUNTS["linkedin"]))).post
    assert refusal(lambda: backend.posts.retry_post(published.id))[0] == "post.state_invalid"


def test_a_retry_re_enqueues_the_failed_targets_and_records_how_many(backend: PublishingBackend) -> None:
    rule = {"match": {"platform": "linkedin"}, "fail": fail("platform.linkedin.api_error")}
    backend.activate_scenario(parse_scenario({"name": "down", "description": "d", "deliveries": [rule]}))
    targets = (NewTarget(ACCOUNTS["linkedin"]), NewTarget(ACCOUNTS["threads"]))
    post = backend.posts.create_post(now("partly", *targets)).post
    assert post.status is PostStatus.PARTIAL
    retried = backend.posts.retry_post(post.id)
    assert [t.status for t in retried.targets] == [TargetStatus.PUBLISHING, TargetStatus.PUBLISHED]
    [event] = [e.data for e in backend.event_records() if isinstance(e.data, PostRetried)]
    assert (event.post_id, event.retried_count) == (post.id, 1)


def test_a_draft_with_media_is_published_when_asked(backend: PublishingBackend) -> None:
    draft = backend.posts.create_post(
        NewPost(text="photo", media_ids=(IMAGE,), targets=(NewTarget(ACCOUNTS["linkedin"]),))
    )
    published = backend.posts.publish_post(draft.post.id).post
    assert published.status is PostStatus.PUBLISHED and published.targets[0].error is None


# -- why a delivery fails ------------------------------------------------------------------------------


def test_a_delivery_to_a_disconnected_or_expired_account_fails_without_waiting(backend: PublishingBackend) -> None:
    command = later(backend)
    command.targets = (NewTarget(ACCOUNTS["facebook"]), NewTarget(ACCOUNTS["linkedin"]))
    post = backend.posts.create_post(command).post
    backend.connections.disconnect_account(ACCOUNTS["facebook"])
    backend.connections.expire_account(ACCOUNTS["linkedin"], None)
    backend.posts.advance_clock(seconds=3600)
    assert [(a.outcome, a.latency_ms) for a in attempts(backend, post.id)] == [("failed", 0), ("failed", 0)]


def test_a_target_on_a_deactivated_page_fails_with_page_resolve_failed(backend: PublishingBackend) -> None:
    post = backend.posts.create_post(
        NewPost(
            text="later", scheduled_at=backend.now() + timedelta(hours=1), targets=(NewTarget(ACCOUNTS["facebook"]),)
        )
    ).post
    backend.accounts.update_page(ACCOUNTS["facebook"], FACEBOOK_PAGE, is_default=None, is_active=False)
    backend.posts.advance_clock(seconds=3600)
    assert post.targets[0].error == TargetError(
        "The page this target publishes to is no longer active",
        "validation",
        "user",
        "publishing.delivery.page_resolve_failed",
    )
    [attempt] = attempts(backend, post.id)
    assert (attempt.outcome, attempt.latency_ms, attempt.error) == ("failed", 0, post.targets[0].error)


def test_media_that_never_finished_uploading_fails_the_delivery_as_not_found(backend: PublishingBackend) -> None:
    slot = backend.media.create_upload_url("image/jpeg", "roast.jpg")
    command = now("pending photo", NewTarget(ACCOUNTS["linkedin"]), media_ids=(slot.media_id,), skip_validation=True)
    outcome = backend.posts.create_post(command)
    assert outcome.post.targets[0].error == TargetError("Media not found", "validation", "user", "media.not_found")
    assert outcome.latency_ms == 0
    assert attempts(backend, outcome.post.id)[0].latency_ms == 0


def test_past_the_daily_ceiling_a_delivery_fails_as_the_platform_refuses_it(backend: PublishingBackend) -> None:
    # Drafted before the ceiling is reached: a create past it would be refused at once.
    draft = NewPost(text="clip 16", media_ids=(VIDEO,), targets=(TIKTOK,), skip_validation=True)
    sixteenth = backend.posts.create_post(draft).post
    for n in range(15):
        published = backend.posts.create_post(now(f"clip {n}", TIKTOK, media_ids=(VIDEO,)))
        assert published.post.status is PostStatus.PUBLISHED
    outcome = backend.posts.publish_post(sixteenth.id)
    assert outcome.post.targets[0].error == TargetError(
        "TikTok allows 15 posts per 24 hours for this account; the limit is reached",
        "rate_limit",
        "platform",
        "platform.tiktok.rate_limit",
    )
    assert outcome.latency_ms == 0 and attempts(backend, sixteenth.id)[0].latency_ms == 0


def test_a_post_that_skipped_validation_fails_only_the_targets_it_does_not_suit(backend: PublishingBackend) -> None:
    targets = (NewTarget(ACCOUNTS["instagram"]), NewTarget(ACCOUNTS["linkedin"]))
    post = backend.posts.create_post(now("no photo", *targets, skip_validation=True)).post
    assert post.status is PostStatus.PARTIAL
    instagram, linkedin = post.targets
    assert instagram.error is not None and instagram.error.code == "validation.field_required"
    assert (instagram.error.category, instagram.error.caused_by) == ("validation", "user")
    assert linkedin.status is TargetStatus.PUBLISHED
    assert [a.latency_ms for a in attempts(backend, post.id)] == [0, 0]


def test_scenario_rules_match_a_delivery_by_account_and_by_text(backend: PublishingBackend) -> None:
    rules = [
        {"match": {"account_id": ACCOUNTS["threads"]}, "fail": fail("platform.threads.api_error")},
        {"match": {"text_contains": "decaf"}, "fail": fail("platform.linkedin.api_error")},
    ]
    backend.activate_scenario(parse_scenario({"name": "picky", "description": "d", "deliveries": rules}))
    post = backend.posts.create_post(now("decaf", NewTarget(ACCOUNTS["threads"]), NewTarget(ACCOUNTS["linkedin"])))
    assert [t.error.code if t.error else None for t in post.post.targets] == [
        "platform.threads.api_error",
        "platform.linkedin.api_error",
    ]
    fine = backend.posts.create_post(now("espresso", NewTarget(ACCOUNTS["linkedin"])))
    assert fine.post.status is PostStatus.PUBLISHED
    assert [a.scenario_rule for a in attempts(backend, post.post.id)] == [
        "picky.deliveries[0]",
        "picky.deliveries[1]",
    ]


# -- what each attempt records -------------------------------------------------------------------------


def test_each_attempt_records_what_was_sent_and_how_it_went(backend: PublishingBackend) -> None:
    data = {"content_type": "feed"}
    target = NewTarget(ACCOUNTS["instagram"], text="Own caption", platform_data=data)
    outcome = backend.posts.create_post(now("Fresh roast", target, media_ids=(IMAGE,)))
    post = outcome.post
    assert outcome.latency_ms == 0
    [attempt] = attempts(backend, post.id)
    assert attempt == AttemptRecord(
        post_id=post.id,
        account_id=ACCOUNTS["instagram"],
        platform="instagram",
        page_id=post.targets[0].page_id,
        attempt=1,
        at=backend.now(),
        text="Own caption",
        title=None,
        media_ids=(IMAGE,),
        platform_data=post.targets[0].platform_data,
        outcome="published",
        error=None,
        scenario_rule=None,
        latency_ms=0,
    )


def test_a_failed_attempt_records_its_error_and_the_page_it_went_to(backend: PublishingBackend) -> None:
    slow = {"match": {"platform": "facebook"}, "latency_ms": 40, "fail": fail("platform.facebook.api_error")}
    backend.activate_scenario(parse_scenario({"name": "slow", "description": "d", "deliveries": [slow]}))
    outcome = backend.posts.create_post(now("Fresh roast", NewTarget(ACCOUNTS["facebook"]), title="Roast"))
    [attempt] = attempts(backend, outcome.post.id)
    assert (attempt.outcome, attempt.page_id, attempt.title) == ("failed", FACEBOOK_PAGE, "Roast")
    assert attempt.error == outcome.post.targets[0].error and attempt.error is not None
    assert (attempt.latency_ms, outcome.latency_ms) == (40, 40)


def test_a_journal_of_one_keeps_the_last_attempt() -> None:
    backend = MockServer(Settings(journal_size=1)).tenant("sapi_key_one")
    post = backend.posts.create_post(now("one", NewTarget(ACCOUNTS["linkedin"]), NewTarget(ACCOUNTS["threads"]))).post
    assert [a.platform for a in backend.attempts.find(AttemptFilter())] == ["threads"]
    assert post.status is PostStatus.PUBLISHED


# -- what a create answers and stores ------------------------------------------------------------------


def test_drafts_and_scheduled_posts_answer_instagrams_warnings_too(backend: PublishingBackend) -> None:
    data = {"content_type": "feed", "product_tags": ["x"]}
    target = NewTarget(ACCOUNTS["instagram"], platform_data=data)
    draft = backend.posts.create_post(NewPost(text="Hi", media_ids=(IMAGE,), targets=(target,)))
    scheduled = backend.posts.create_post(
        NewPost(text="Hi", media_ids=(IMAGE,), targets=(target,), scheduled_at=backend.now() + timedelta(hours=1))
    )
    for outcome in (draft, scheduled):
        assert [w.field for w in outcome.warnings] == ["targets[0].platform_data.product_tags"]


def test_posts_created_at_the_same_instant_list_newest_first(backend: PublishingBackend) -> None:
    ids = [backend.posts.create_post(NewPost(text=f"draft {n}")).post.id for n in range(3)]
    listed = backend.posts.list_posts(PostQuery(sort="created_desc")).posts
    assert [p.id for p in listed][:3] == ids[::-1]


def test_a_thread_records_one_platform_post_id_per_segment_in_the_platforms_shape(backend: PublishingBackend) -> None:
    segments = (Segment(text="one"), Segment(text="two"))
    post = backend.posts.create_post(now("thread", NewTarget(ACCOUNTS["threads"]), segments=segments)).post
    target = post.targets[0]
    assert target.metadata is not None
    thread = target.metadata["thread_post_ids"]
    assert len(thread) == 2 and len(set(thread)) == 2
    assert all(re.fullmatch(r"\d{17}", native) for native in thread)


# -- Instagram: the format it published, its files and settings ----------------------------------------


def test_a_feed_video_is_published_as_a_reel_and_a_feed_photo_stays_feed(backend: PublishingBackend) -> None:
    reel = NewTarget(ACCOUNTS["instagram"], platform_data={"content_type": "feed"})
    published = backend.posts.create_post(now("clip", reel, media_ids=(VIDEO,))).post
    assert published.targets[0].platform_data == {"content_type": "reel"}
    photo = backend.posts.create_post(now("photo", reel, media_ids=(IMAGE,))).post
    assert photo.status is PostStatus.PUBLISHED and photo.targets[0].platform_data == {"content_type": "feed"}
    # Before 2026-10-02 Instagram's files and settings are not reported back.
    assert photo.targets[0].platform_media is None and photo.targets[0].settings is None


def test_from_2026_10_02_a_published_instagram_post_carries_its_files_and_settings() -> None:
    backend = MockServer(Settings(api_version="2026-10-02")).tenant("sapi_key_instagram")
    data = {"content_type": "feed", "alt_text": "a cup"}
    target = NewTarget(ACCOUNTS["instagram"], platform_data=data)
    post = backend.posts.create_post(now("clip", target, media_ids=(VIDEO,))).post
    backend.posts.advance_clock(seconds=0)
    published = post.targets[0]
    assert published.status is TargetStatus.PUBLISHED
    native, at = published.platform_post_id, backend.now()
    stamp = f"{int((at + timedelta(days=3)).timestamp()):x}"
    cdn = "https://scontent.cdninstagram.com"
    assert published.platform_media == (
        PlatformMedia(
            "video", f"{cdn}/o1/v/t16/{native}_0.mp4?oe={stamp}", f"{cdn}/v/t51.29350-15/{native}_0_n.jpg?oe={stamp}"
        ),
    )
    assert published.settings == {"alt_text": "a cup", "comments_enabled": True, "product_type": "REELS"}


# -- asynchronous publishing (2026-08-22): refusals within the request ---------------------------------


def test_an_async_delivery_past_the_daily_ceiling_fails_within_the_request() -> None:
    backend = MockServer(Settings(api_version="2026-08-22")).tenant("sapi_key_async")
    draft = NewPost(text="clip 16", media_ids=(VIDEO,), targets=(TIKTOK,), skip_validation=True)
    sixteenth = backend.posts.create_post(draft).post
    for n in range(15):
        backend.posts.create_post(now(f"clip {n}", TIKTOK, media_ids=(VIDEO,)))
        backend.posts.advance_clock(seconds=0)
    outcome = backend.posts.publish_post(sixteenth.id)
    target = outcome.post.targets[0]
    assert outcome.post.status is PostStatus.FAILED
    assert target.error is not None and target.error.code == "platform.tiktok.rate_limit"
    assert target.attempts == 1
    [attempt] = attempts(backend, sixteenth.id)
    assert (attempt.attempt, attempt.at, attempt.outcome) == (1, backend.now(), "failed")
