"""A scenario's ``arrivals:``: inbox arrivals named at instants relative to when the file is applied.

Each entry is what ``POST /_mock/inbox/arrivals`` takes, with two differences a file needs because it
is written before the test runs: ``at`` may be relative (``+2h``, ``+1d9h``, ``+30m``) or a time of day
(``"09:00"``, the first such UTC instant at or after the application), as well as RFC 3339; and the
target may be named by ``platform`` (the newest published post, or the first account, on it) instead of
an id. The entries are resolved and scheduled by ``core/inbox/scripted.py`` when the document is
activated; this module only checks their shape.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mockserver.core.timefmt import parse_instant

MAX_ARRIVALS = 100  # per document
TEXT_MAX = 8000  # as the arrivals route (``core/inbox/policy.py``)

_RELATIVE = re.compile(r"\+(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s)?")
_TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
AT_FORMS = "'+2h', '+1d9h', '+30m', a time of day such as '09:00' (UTC), or an RFC 3339 timestamp"


def _at_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | datetime):
        raise ValueError(f"expected {AT_FORMS}")
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 9:00 as the sexagesimal number 540.
        raise ValueError(f"got the number {value}: quote times in YAML ('09:00', '+2h'); expected {AT_FORMS}")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("the timestamp needs a UTC offset or Z")
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if value.startswith("+"):
        match = _RELATIVE.fullmatch(value)
        if match is None or value == "+":
            raise ValueError(f"{value!r} is not a relative time; expected {AT_FORMS}")
        return value
    if _TIME_OF_DAY.fullmatch(value):
        return value
    try:
        parse_instant(value)
    except ValueError as exc:
        raise ValueError(f"{exc}; expected {AT_FORMS}") from None
    return value


def resolve_at(text: str, applied: datetime) -> datetime:
    """The instant ``text`` (checked by the model) names, for a document applied at ``applied``."""
    relative = _RELATIVE.fullmatch(text)
    if relative is not None:
        days, hours, minutes, seconds = (int(part or 0) for part in relative.groups())
        return applied + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    of_day = _TIME_OF_DAY.fullmatch(text)
    if of_day is not None:
        hour, minute, second = (int(part or 0) for part in of_day.groups())
        today = datetime.combine(applied.date(), time(hour, minute, second), tzinfo=UTC)
        return today if today >= applied else today + timedelta(days=1)
    return parse_instant(text)


class ArrivalEntry(BaseModel):
    """One scripted arrival of a scenario file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: Literal["comment", "dm", "review", "mention"]
    at: Annotated[str, Field(description=AT_FORMS)]
    text: Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
    author_name: Annotated[str, Field(min_length=1, max_length=100)] = "A Customer"
    # The target: an id, or a platform (the newest published post on it, or its first account).
    platform: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    account_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    post_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    rating: Annotated[int, Field(strict=True, ge=1, le=5)] | None = None

    @field_validator("at", mode="plain")
    @classmethod
    def _at_shape(cls, value: object) -> str:
        return _at_text(value)

    @model_validator(mode="after")
    def _one_target(self) -> ArrivalEntry:
        wanted = "post_id" if self.kind == "comment" else "account_id"
        unwanted = "account_id" if self.kind == "comment" else "post_id"
        if getattr(self, unwanted) is not None:
            raise ValueError(f"a {self.kind} names its target by {wanted} or platform, not {unwanted}")
        if (getattr(self, wanted) is None) == (self.platform is None):
            raise ValueError(f"a {self.kind} needs exactly one of {wanted} or platform")
        if self.rating is not None and self.kind != "review":
            raise ValueError("rating is for reviews only")
        return self
