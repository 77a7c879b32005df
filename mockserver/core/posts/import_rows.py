"""``POST /v1/posts/import``: ``PostImport``.

The rows are read by ``core/posts/csv_rows.py``. Each row goes through the create use case (a row with
``scheduled_at`` is scheduled and costs a credit, others are drafts); a refused row is reported and
the next one goes on. A free plan with no post credit left gets 429 for the whole file. A dry run
makes the same checks, counting the credits and duplicates of earlier rows, and stores nothing:
``created`` is the number of rows that would be created and ``posts`` is empty.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from mockserver.core.commands import NewPost
from mockserver.core.errors import DomainError, DuplicateContent
from mockserver.core.models import Post
from mockserver.core.posts.csv_rows import ImportRow, rows_in_slices
from mockserver.core.posts.publishing import Publishing
from mockserver.core.rules.platforms import rules_of
from mockserver.core.slices import Pacer, Slices, run_to_end


@dataclass(slots=True)
class ImportReport:
    total_rows: int
    dry_run: bool
    created: int = 0
    posts: list[Post] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class PostImport(Publishing):
    """``import_posts``: CSV rows through the create use case (see the module docstring)."""

    def import_posts(self, data: bytes, *, dry_run: bool = False) -> ImportReport:
        return run_to_end(PostImport.import_posts_in_slices(self, data, dry_run=dry_run))

    def import_posts_in_slices(
        self, data: bytes, *, dry_run: bool = False, pacer: Pacer | None = None
    ) -> Slices[ImportReport]:
        """``import_posts`` that pauses whenever ``pacer`` says its slice is spent (see ``core/slices.py``)."""
        pacer = pacer or Pacer()
        rows = yield from rows_in_slices(data, pacer)
        # An exhausted monthly post limit refuses the whole import (429) before any row, as the
        # reference documents; credits that run out part-way leave the later rows' own errors.
        with self.lock:
            self._charge()
        report = ImportReport(total_rows=0, dry_run=dry_run)
        plan = self.state.plan
        seen: set[tuple[str, tuple[str, ...]]] = set()
        try:
            for row in rows:
                with self.lock:
                    _import_row(self, row, report, seen)
                report.total_rows += 1
                if pacer.spent():
                    yield
                    pacer.restart()
        finally:
            # A dry run spends credits only to see whether later rows would still get one.
            if dry_run:
                with self.lock:
                    self.state.plan = plan
        return report


def _import_row(
    posts: Publishing, row: ImportRow, report: ImportReport, seen: set[tuple[str, tuple[str, ...]]]
) -> None:
    if row.command is None:
        report.errors.append((row.number, row.error or "row is invalid"))
        return
    cmd = _with_board(posts, row, row.command)
    try:
        if report.dry_run:
            _try_create(posts, cmd, seen)
        else:
            report.posts.append(posts.create_post(cmd).post)
    except DomainError as error:
        report.errors.append((row.number, error.message))
    else:
        report.created += 1


def _with_board(posts: Publishing, row: ImportRow, cmd: NewPost) -> NewPost:
    if row.board_id is None:
        return cmd
    targets = tuple(
        dataclasses.replace(t, board_id=row.board_id)
        if (account := posts.state.accounts.items.get(t.account_id)) is not None
        and rules_of(account.platform).board_required
        else t
        for t in cmd.targets
    )
    return dataclasses.replace(cmd, targets=targets)


def _try_create(posts: Publishing, cmd: NewPost, seen: set[tuple[str, tuple[str, ...]]]) -> None:
    """Every check ``create_post`` makes, with earlier rows of the same dry run counted as created."""
    post = posts._checked_post(cmd, posts.clock.now())
    key = (post.text, tuple(sorted(t.account_id for t in post.targets)))
    if key in seen and not cmd.skip_duplicate_check and posts.checks_duplicates:
        raise DuplicateContent("a post with the same text and accounts is on an earlier row of this file")
    seen.add(key)
    if cmd.publish_now or post.scheduled_at is not None:
        posts._consume_credit()
