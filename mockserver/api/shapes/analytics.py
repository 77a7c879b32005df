"""The analytics history routes of the later generation: their query and ``AnalyticsResponseWrapper``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from mockserver.api.shapes.common import Out, Request
from mockserver.core.analytics.area import HistoryQuery
from mockserver.core.analytics.days import parse_day
from mockserver.core.analytics.series import History, Point, Series


class AnalyticsQuery(Request):
    from_: str | None = Field(
        default=None, alias="from", description="First day, YYYY-MM-DD; default: 29 days before to"
    )
    to: str | None = Field(default=None, description="Last day, YYYY-MM-DD; default: today (UTC)")
    metrics: str | None = Field(default=None, description="Comma-separated metric names; default: every metric")

    def to_query(self) -> HistoryQuery:
        names = tuple(n.strip() for n in (self.metrics or "").split(",") if n.strip())
        return HistoryQuery(parse_day(self.from_, "from"), parse_day(self.to, "to"), names)


class AccountAnalyticsQuery(AnalyticsQuery):
    page_id: str | None = Field(default=None, description="Narrow to one page of a multi-page account")


class AnalyticsPointOut(Out):
    day: str
    value: int
    change: int | None = None
    days_spanned: int
    subjects_counted: int

    @staticmethod
    def of(point: Point) -> AnalyticsPointOut:
        out: dict[str, Any] = {"day": point.day.isoformat(), "value": point.value}
        if point.change is not None:
            out["change"] = point.change
        out["days_spanned"] = point.days_spanned
        out["subjects_counted"] = point.subjects_counted
        return AnalyticsPointOut.build(out)


class MetricSeriesOut(Out):
    metric: str
    kind: Literal["gauge", "flow"]
    day_tz: str
    source: Literal["reported", "sampled", "owned", "mixed"]
    points: list[AnalyticsPointOut]

    @staticmethod
    def of(series: Series) -> MetricSeriesOut:
        return MetricSeriesOut.build(
            {
                "metric": series.metric,
                "kind": series.kind,
                "day_tz": series.day_tz,
                "source": series.source,
                "points": [AnalyticsPointOut.of(p) for p in series.points],
            }
        )


class AnalyticsOut(Out):
    # Written "from" (a Python keyword as a field name).
    model_config = ConfigDict(extra="forbid", defer_build=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    series: list[MetricSeriesOut]


class AnalyticsEnvelopeOut(Out):
    data: AnalyticsOut

    @staticmethod
    def of(history: History) -> AnalyticsEnvelopeOut:
        data = AnalyticsOut.build(
            {
                "from_": history.first.isoformat(),
                "to": history.last.isoformat(),
                "series": [MetricSeriesOut.of(s) for s in history.series],
            }
        )
        return AnalyticsEnvelopeOut.build({"data": data})
