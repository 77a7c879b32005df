"""The videos an export reads: each account's back catalogue, generated from the seed.

The mock has no platform to read from, so a TikTok account's catalogue is a function of the tenant's
seed and the account: the same video (by account and position, newest first) is the same in every
export, in every process.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.core.ids import stable_seed
from mockserver.core.models import Account
from mockserver.core.records.team import ExportJob

SMALLEST_CATALOGUE = 12
CATALOGUE_SPREAD = 37
_TOPICS = ("latte art", "cold brew", "our roastery", "barista tips", "new beans", "morning routine", "behind the bar")
_FORMS = ("How we make", "A minute of", "Trying", "Everything about", "Why we love")
_CATEGORIES = ("food_and_drink", "lifestyle", "education", "behind_the_scenes")
_ELEMENTS = ("cup", "hands", "espresso machine", "text overlay", "person", "storefront", "beans")


@dataclass(frozen=True, slots=True)
class ExportVideo:
    platform_video_id: str
    platform: str
    title: str
    description: str
    create_time: datetime
    duration_seconds: int
    width: int
    height: int
    view_count: int
    like_count: int
    comment_count: int
    share_count: int
    share_url: str
    cover_image_url: str
    transcript: str | None
    transcript_lang: str | None
    vision_summary: str | None
    vision_category: str | None
    vision_elements: tuple[str, ...]


def catalogue_size(seed: int, account_id: str) -> int:
    return SMALLEST_CATALOGUE + stable_seed(seed, account_id, "videos") % CATALOGUE_SPREAD


def export_videos(seed: int, account: Account, job: ExportJob, origin: datetime) -> list[ExportVideo]:
    """The job's videos, newest first; ``origin`` is the tenant's first instant, which they all precede."""
    return [_video(seed, account, index, origin, job) for index in range(job.total_videos)]


def _video(seed: int, account: Account, index: int, origin: datetime, job: ExportJob) -> ExportVideo:
    rng = random.Random(stable_seed(seed, account.id, "video", index))
    video_id = str(7_000_000_000_000_000_000 + rng.getrandbits(60) % 10**18)
    title = f"{rng.choice(_FORMS)} {rng.choice(_TOPICS)}"
    views = rng.randint(200, 250_000)
    likes = views * rng.randint(2, 12) // 100
    transcript = index < job.transcripts
    elements = tuple(sorted(rng.sample(_ELEMENTS, 3)))
    return ExportVideo(
        platform_video_id=video_id,
        platform=account.platform,
        title=title,
        description=f"{title} at {account.name}. #coffee",
        create_time=origin - timedelta(days=2 * index + 1, minutes=rng.randint(0, 1439)),
        duration_seconds=rng.randint(8, 180),
        width=1080,
        height=1920,
        view_count=views,
        like_count=likes,
        comment_count=likes * rng.randint(1, 8) // 100,
        share_count=likes * rng.randint(1, 15) // 100,
        share_url=f"https://www.tiktok.com/@{account.username}/video/{video_id}",
        cover_image_url=f"https://p16-sign.tiktokcdn.com/obj/{video_id}.jpeg",
        transcript=f"Hi everyone, today: {title.lower()}." if transcript else None,
        transcript_lang="en" if transcript else None,
        vision_summary=f"A short clip showing {', '.join(elements)}." if job.vision else None,
        vision_category=rng.choice(_CATEGORIES) if job.vision else None,
        vision_elements=elements if job.vision else (),
    )
