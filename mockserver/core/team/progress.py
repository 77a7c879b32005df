"""Where an export job stands at an instant: a function of the job and the clock alone, so one long
advance and many short ones give the same status, and nothing runs in the background.

A job waits ``QUEUED`` in ``pending``, then processes one video every ``PER_VIDEO`` (vision analysis
takes ``PER_VIDEO_VISION`` instead), then is ``completed`` until its report expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.core.records.team import ExportJob
from mockserver.core.timefmt import shifted

QUEUED = timedelta(seconds=30)
PER_VIDEO = timedelta(seconds=2)
PER_VIDEO_VISION = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class ExportProgress:
    status: str
    processed_videos: int
    completed_at: datetime | None
    expires_at: datetime | None

    @property
    def running(self) -> bool:
        return self.status in ("pending", "processing")


def finishes_at(job: ExportJob) -> datetime:
    step = PER_VIDEO_VISION if job.vision else PER_VIDEO
    return shifted(job.created_at, QUEUED + step * job.total_videos)


def progress_at(job: ExportJob, now: datetime) -> ExportProgress:
    started = shifted(job.created_at, QUEUED)
    done = finishes_at(job)
    if now >= done:
        return ExportProgress("completed", job.total_videos, done, shifted(done, timedelta(days=job.report_days)))
    if now < started:
        return ExportProgress("pending", 0, None, None)
    step = PER_VIDEO_VISION if job.vision else PER_VIDEO
    return ExportProgress("processing", (now - started) // step, None, None)
