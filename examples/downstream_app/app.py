"""A tiny downstream app: it announces news on social accounts through the official SocialAPI SDK.

It knows nothing about the mock. Its one piece of logic worth testing is ``announce``: publish now or
schedule, and when the API is briefly unavailable (429/503 with ``Retry-After``) wait as long as it
says and try again, a bounded number of times. A 429 without ``Retry-After`` (out of post credits)
is final.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from socialapi import APIStatusError, Post, SocialAPI

RETRYABLE_STATUSES = frozenset({429, 503})


@dataclass
class Announcer:
    client: SocialAPI
    sleep: Callable[[float], None] = time.sleep
    max_attempts: int = 4
    waits: list[float] = field(default_factory=list)

    def announce(self, text: str, account_ids: Sequence[str], *, at: datetime | None = None) -> Post:
        """Publish ``text`` now, or schedule it for ``at``; retries 429/503 after their ``Retry-After``."""
        targets = [{"account_id": account_id} for account_id in account_ids]
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self.client.publishing.create(
                    text=text, targets=targets, scheduled_at=at, publish_now=at is None
                )
            except APIStatusError as error:
                wait = retry_after(error)
                if wait is None or attempt == self.max_attempts:
                    raise
                self.waits.append(wait)
                self.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @staticmethod
    def failed_platforms(post: Post) -> list[str]:
        """The platforms a (partially) failed post did not reach."""
        return [target.platform for target in post.targets if target.status == "failed"]


def retry_after(error: APIStatusError) -> float | None:
    """How long the API asked us to wait, or None when the error is not worth retrying."""
    header = error.response.headers.get("Retry-After")
    if error.status_code not in RETRYABLE_STATUSES or header is None:
        return None
    try:
        return float(header)
    except ValueError:
        return None


def from_environment() -> Announcer:
    """The production wiring: the SDK reads ``SOCIALAPI_API_KEY`` and ``SOCIALAPI_BASE_URL``."""
    return Announcer(SocialAPI(max_retries=0))
