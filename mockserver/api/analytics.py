"""The analytics history routes (``--api-version 2026-10-02``): one backend call each."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.analytics import AccountAnalyticsQuery, AnalyticsEnvelopeOut, AnalyticsQuery
from mockserver.api.spec import operation


@operation(
    "Get account analytics history",
    query=AccountAnalyticsQuery,
    responses={200: AnalyticsEnvelopeOut},
    errors=(400, 401, 404),
)
def get_account_analytics(call: Call) -> Reply:
    query = call.parse_query(AccountAnalyticsQuery)
    history = call.backend.analytics.account_history(call.params["account_id"], query.to_query(), query.page_id)
    return Reply(AnalyticsEnvelopeOut.of(history))


@operation(
    "Get brand analytics history", query=AnalyticsQuery, responses={200: AnalyticsEnvelopeOut}, errors=(400, 401, 404)
)
def get_brand_analytics(call: Call) -> Reply:
    query = call.parse_query(AnalyticsQuery)
    return Reply(
        AnalyticsEnvelopeOut.of(call.backend.analytics.brand_history(call.params["brand_id"], query.to_query()))
    )


@operation(
    "Get post analytics history", query=AnalyticsQuery, responses={200: AnalyticsEnvelopeOut}, errors=(400, 401, 404)
)
def get_post_analytics(call: Call) -> Reply:
    query = call.parse_query(AnalyticsQuery)
    return Reply(AnalyticsEnvelopeOut.of(call.backend.analytics.post_history(call.params["pid"], query.to_query())))
