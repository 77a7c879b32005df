"""Daily series out of subjects: what one account, page or published target shows day by day.

A subject gives its metrics' running levels at any instant (``Levels``). A **gauge** (a level, such
as followers or a post's likes so far) is its level at the end of the day, and carries ``change``
from the previous point of the range; a **flow** (a per-day count) is the level's growth over the
day. Today's point is read at the fake clock's now, so a series ends at the current figures. A
subject has no point on a day before it was first tracked, nor after today. A rollup (a post's
targets, a brand's accounts) sums the subjects' values per metric per day and counts them in
``subjects_counted``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.core.analytics.days import ONE_DAY, DayRange, day_end, day_of, zone
from mockserver.core.errors import ValidationFailed

Levels = Callable[[datetime], Mapping[str, int]]
GAUGE, FLOW = "gauge", "flow"
JUST_AFTER = timedelta(microseconds=1)
MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    kind: str  # gauge | flow
    # reported (read from the platform) | owned (SocialAPI's own count)
    source: str


@dataclass(frozen=True, slots=True)
class Subject:
    zone_name: str
    tracked_since: datetime
    levels: Levels


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: int
    # The difference from the previous point: gauges only, and never on a range's first point.
    change: int | None
    days_spanned: int
    subjects_counted: int


@dataclass(frozen=True, slots=True)
class Series:
    metric: str
    kind: str
    day_tz: str
    source: str
    points: list[Point]


@dataclass(frozen=True, slots=True)
class History:
    first: date
    last: date
    series: list[Series]


def _daily(subject: Subject, metrics: Sequence[Metric], days: DayRange, now: datetime) -> dict[date, dict[str, int]]:
    """The subject's value of each metric on each day of ``days`` it has a point on."""
    where = zone(subject.zone_name)
    first_day = max(days.first, day_of(subject.tracked_since, where))
    last_day = min(days.last, day_of(now, where))
    out: dict[date, dict[str, int]] = {}
    if first_day > last_day:
        return out
    before = subject.levels(day_end(first_day - ONE_DAY, where)) if first_day > date.min else {}
    # Levels count what happened before their instant; today's reaches just past now, to count what happened now.
    until = now + JUST_AFTER
    day = first_day
    while day <= last_day:
        at = min(day_end(day, where), until)
        levels = subject.levels(at)
        out[day] = {m.name: levels.get(m.name, 0) - (before.get(m.name, 0) if m.kind == FLOW else 0) for m in metrics}
        before = levels
        day += ONE_DAY
    return out


def rollup(metrics: Sequence[Metric], subjects: Sequence[Subject], days: DayRange, now: datetime) -> History:
    """Each metric summed over ``subjects`` per day, oldest day first."""
    sums: dict[date, dict[str, int]] = {}
    counted: dict[date, int] = {}
    for subject in subjects:
        for day, values in _daily(subject, metrics, days, now).items():
            total = sums.setdefault(day, dict.fromkeys(values, 0))
            for name, value in values.items():
                total[name] += value
            counted[day] = counted.get(day, 0) + 1
    zones = {s.zone_name for s in subjects}
    day_tz = zones.pop() if len(zones) == 1 else (MIXED if zones else "UTC")
    ordered = sorted(sums)
    series: list[Series] = []
    for metric in metrics:
        points: list[Point] = []
        for day in ordered:
            value = sums[day][metric.name]
            change = value - points[-1].value if metric.kind == GAUGE and points else None
            points.append(Point(day, value, change, 1, counted[day]))
        series.append(Series(metric.name, metric.kind, day_tz, metric.source, points))
    return History(days.first, days.last, series)


def chosen(catalogue: Sequence[Metric], names: Sequence[str] | None) -> list[Metric]:
    """The metrics a request names (every one of ``catalogue`` when it names none), in its order."""
    if not names:
        return list(catalogue)
    by_name = {m.name: m for m in catalogue}
    out: list[Metric] = []
    for name in names:
        metric = by_name.get(name)
        if metric is None:
            known = ", ".join(by_name)
            raise ValidationFailed.invalid("metrics", f"unknown metric {name[:40]!r}; one of {known}")
        if metric not in out:
            out.append(metric)
    return out
