"""The days an analytics request covers, and where a day ends on a subject's time zone.

``from`` and ``to`` are calendar days (``YYYY-MM-DD``): ``to`` defaults to today in UTC and ``from``
to 29 days before ``to``; a range that is inverted or wider than 400 days is refused (400
``validation.field_invalid``; the docs give no code). A day after today may be asked for and has
no point yet: nothing has happened on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mockserver.core.errors import ValidationFailed

MAX_DAYS = 400
DEFAULT_SPAN = timedelta(days=29)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DayRange:
    first: date
    last: date

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += ONE_DAY


def parse_day(text: str | None, field_name: str) -> date | None:
    """A ``YYYY-MM-DD`` day, or None when the parameter was not sent."""
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.invalid(field_name, f"{field_name} must be a day written YYYY-MM-DD") from None


def resolve_range(first: date | None, last: date | None, now: datetime) -> DayRange:
    """The range a request names, with the documented defaults filled in and its limits checked."""
    if last is None:
        last = now.astimezone(UTC).date()
    if first is None:
        first = last - DEFAULT_SPAN if last - date.min >= DEFAULT_SPAN else date.min
    if first > last:
        raise ValidationFailed.invalid("from", f"from ({first.isoformat()}) is after to ({last.isoformat()})")
    span = (last - first).days + 1
    if span > MAX_DAYS:
        raise ValidationFailed.invalid("to", f"the range covers {span} days; at most {MAX_DAYS} are allowed")
    return DayRange(first, last)


@cache
def zone(name: str) -> tzinfo:
    """The zone named ``name``; an unknown name (a state file edited by hand) counts as UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def day_end(day: date, where: tzinfo) -> datetime:
    """The first instant after ``day`` on ``where``'s clock, in UTC."""
    try:
        return datetime.combine(day + ONE_DAY, time(), where).astimezone(UTC)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def day_of(at: datetime, where: tzinfo) -> date:
    return at.astimezone(where).date()
