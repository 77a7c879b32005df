"""The posts area's records beside the posts: one publish attempt of a target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.models import TargetError


# Not frozen, like the commands (core/commands.py): three are made per publish, and a frozen class
# sets each of its fourteen fields through object.__setattr__ (1.7 us a record instead of 0.4).
# Nothing changes a record once it is in the log.
@dataclass(slots=True)
class AttemptRecord:
    post_id: str
    account_id: str
    platform: str
    page_id: str | None
    attempt: int
    at: datetime
    text: str
    title: str | None
    media_ids: tuple[str, ...]
    platform_data: Mapping[str, Any] | None
    outcome: str
    error: TargetError | None
    # "<scenario name>.deliveries[<index>]" when a scenario rule decided the outcome.
    scenario_rule: str | None
    latency_ms: int
