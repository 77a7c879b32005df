"""The publish attempts log: every attempt the mock made to hand a post to a "platform".

An attempt is one target of one post, handed over once (the public routes call it a delivery): the
content after the post-level defaults and the per-target overrides were folded together, the
outcome, and what decided it (a scenario rule, or the mock's own checks). ``GET /_mock/deliveries``,
``POST /_mock/verify`` and ``GET /v1/events`` read it. It is bounded like the request journal
(``--journal-size``): the oldest attempts drop off first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mockserver.core.models import TargetError
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.tenancy import Area

PUBLISHED = "published"
FAILED = "failed"
OUTCOMES = (PUBLISHED, FAILED)


@dataclass(frozen=True, slots=True)
class AttemptFilter:
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    outcome: str | None = None

    def admits(self, record: AttemptRecord) -> bool:
        return (
            (self.platform is None or record.platform == self.platform)
            and (self.account_id is None or record.account_id == self.account_id)
            and (self.post_id is None or record.post_id == self.post_id)
            and (self.outcome is None or record.outcome == self.outcome)
        )


class AttemptLog(Area):
    """The bounded list of publish attempts (``GET /_mock/deliveries``)."""

    def add(self, record: AttemptRecord) -> None:
        if self.state.attempts.maxlen != 0:
            self.state.attempts.append(record)

    def find(self, wanted: AttemptFilter) -> list[AttemptRecord]:
        with self.lock:
            return [record for record in self.state.attempts if wanted.admits(record)]

    def all(self) -> Iterator[AttemptRecord]:
        """A copy taken under the lock, so the caller may read it while requests go on."""
        with self.lock:
            return iter(list(self.state.attempts))


def _error_fields(error: TargetError) -> dict[str, Any]:
    return {"message": error.message, "category": error.category, "caused_by": error.caused_by, "code": error.code}
