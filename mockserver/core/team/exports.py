"""Analytics exports: a job per account whose progress follows the fake clock (docs/team.md).

The plan's allowance applies when a job is asked for: the month's quota, the cooldown since the last
job, the number running at once, the videos per export, transcripts and vision.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mockserver.core.accounts.area import Accounts
from mockserver.core.errors import ExportLimitReached, NotFound, ValidationFailed
from mockserver.core.records.team import ExportJob
from mockserver.core.team.allowances import UNLIMITED, allowance_of, capped
from mockserver.core.team.progress import ExportProgress, progress_at
from mockserver.core.team.videos import ExportVideo, catalogue_size, export_videos
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import shifted

# Only TikTok is documented ("retrieve full TikTok video data").
EXPORT_PLATFORMS: tuple[str, ...] = ("tiktok",)
STATUSES: tuple[str, ...] = ("pending", "processing", "completed", "failed")
# GET /v1/exports lists "the 50 most recent export jobs".
LISTED = 50

JobAt = tuple[ExportJob, ExportProgress]


class Exports(Area):
    def __init__(self, tenant: Tenant, accounts: Accounts) -> None:
        super().__init__(tenant)
        self.accounts = accounts

    def create_export(self, account_id: str, *, include_transcript: bool, include_vision: bool) -> JobAt:
        with self.lock:
            account = self.accounts.account(account_id, "account_id")
            if account.platform not in EXPORT_PLATFORMS:
                raise ValidationFailed.invalid(
                    "account_id", f"exports read {', '.join(EXPORT_PLATFORMS)} accounts; this one is {account.platform}"
                )
            allowance = allowance_of(self.state.plan)
            if include_vision and not allowance.vision:
                raise ValidationFailed.invalid(
                    "include_vision", f"vision analysis is not part of the {allowance.plan} plan"
                )
            now = self.clock.now()
            self._check_allowance(now)
            total = capped(catalogue_size(self.tenant.seed, account.id), allowance.max_videos)
            job = ExportJob(
                self.state.ids.next("exp_", now),
                account.id,
                account.platform,
                now,
                total,
                capped(total, allowance.max_transcripts) if include_transcript else 0,
                include_vision,
                allowance.report_days,
            )
            self.state.team.exports[job.id] = job
            return job, progress_at(job, now)

    def list_exports(self, status: str | None = None) -> list[JobAt]:
        """The most recent jobs, newest first, optionally of one status."""
        if status is not None and status not in STATUSES:
            raise ValidationFailed.invalid("status", f"status must be one of: {', '.join(STATUSES)}")
        with self.lock:
            now = self.clock.now()
            recent = list(self.state.team.exports.values())[-LISTED:][::-1]
            jobs = [(job, progress_at(job, now)) for job in recent]
            return [(job, at) for job, at in jobs if status is None or at.status == status]

    def get_export(self, export_id: str) -> JobAt:
        with self.lock:
            job = self._job(export_id)
            return job, progress_at(job, self.clock.now())

    def list_export_videos(self, export_id: str) -> tuple[ExportJob, list[ExportVideo]]:
        """A completed export's videos; before completion, and after its report expired, 404."""
        with self.lock:
            job, at = self.get_export(export_id)
            if at.status != "completed":
                raise NotFound(
                    f"export {export_id} is {at.status}; its videos are listed once it completes",
                    code="export.not_ready",
                    meta={"resource": "export", "id": export_id, "status": at.status},
                )
            if at.expires_at is not None and self.clock.now() >= at.expires_at:
                raise NotFound(
                    f"export {export_id}'s report expired; start a new export",
                    code="export.expired",
                    meta={"resource": "export", "id": export_id},
                )
            account = self.state.accounts.items.get(job.account_id)
            if account is None:
                raise NotFound.of("account", job.account_id)
            return job, export_videos(self.tenant.seed, account, job, self.tenant.start)

    def _job(self, export_id: str) -> ExportJob:
        job = self.state.team.exports.get(export_id)
        if job is None:
            raise NotFound.of("export", export_id)
        return job

    def _check_allowance(self, now: datetime) -> None:
        allowance = allowance_of(self.state.plan)
        meta = {"plan": allowance.plan}
        jobs = list(self.state.team.exports.values())
        month = datetime(now.year, now.month, 1, tzinfo=UTC)
        this_month = sum(1 for job in jobs if job.created_at >= month)
        if allowance.per_month != UNLIMITED and this_month >= allowance.per_month:
            raise ExportLimitReached(
                "Daily export allowance is exhausted", meta={**meta, "max": allowance.per_month, "period": "month"}
            )
        running = sum(1 for job in jobs if progress_at(job, now).running)
        if running >= allowance.concurrent:
            raise ExportLimitReached(
                "Too many exports running at once for this plan",
                code="billing.export_concurrent",
                meta={**meta, "max": allowance.concurrent},
            )
        if jobs and now < shifted(jobs[-1].created_at, allowance.cooldown):
            wait = shifted(jobs[-1].created_at, allowance.cooldown) - now
            raise ExportLimitReached(
                "Cooldown active between exports",
                code="billing.export_cooldown",
                meta={**meta, "retry_after_seconds": int(wait.total_seconds()) + (wait.microseconds > 0)},
            )
