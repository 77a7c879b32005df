"""Webhook endpoints, their deliveries and attempts, test pings and the event catalogue."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import LIST_MAX, Out, PageLimit, Request, when
from mockserver.core.records.webhooks import Delivery, Endpoint
from mockserver.core.timefmt import format_instant
from mockserver.core.webhooks.outbox import (
    CREATED_MESSAGE,
    DEFAULT_PAGE,
    EVENT_CATALOGUE,
    DeliveryPage,
    DeliverySummary,
    StatBucket,
)

WebhookUrl = Annotated[str, Field(min_length=1, max_length=2048)]
EventNames = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=LIST_MAX)]
DeliveryStatus = Literal["pending", "delivered", "failed"]

# -- requests --------------------------------------------------------------------------------------


class CreateWebhookRequest(Request):
    url: WebhookUrl
    events: EventNames


class UpdateWebhookRequest(Request):
    url: WebhookUrl | None = None
    events: EventNames | None = None
    is_active: bool | None = None


class WebhookTestRequest(Request):
    """``POST /v1/webhooks/{id}/test``: the reference requires neither field; without ``event_type``
    the delivery is a ``webhook.test`` event."""

    event_type: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    payload: Any = None


class DeliveryListQuery(Request):
    status: DeliveryStatus | None = None
    event_type: str | None = None
    limit: PageLimit = DEFAULT_PAGE
    cursor: str | None = None


# -- responses -------------------------------------------------------------------------------------


class WebhookOut(Out):
    id: str
    url: str
    events: list[str]
    is_active: bool
    created_at: str

    @staticmethod
    def of(endpoint: Endpoint) -> WebhookOut:
        return WebhookOut.build(
            {
                "id": endpoint.id,
                "url": endpoint.url,
                "events": list(endpoint.events),
                "is_active": endpoint.is_active,
                "created_at": format_instant(endpoint.created_at),
            }
        )


class WebhookListOut(Out):
    data: list[WebhookOut]
    count: int

    @staticmethod
    def of(endpoints: list[Endpoint]) -> WebhookListOut:
        return WebhookListOut.build({"data": [WebhookOut.of(e) for e in endpoints], "count": len(endpoints)})


class WebhookCreatedOut(Out):
    id: str
    url: str
    events: list[str]
    secret: str
    message: str

    @staticmethod
    def of(endpoint: Endpoint) -> WebhookCreatedOut:
        return WebhookCreatedOut.build(
            {
                "id": endpoint.id,
                "url": endpoint.url,
                "events": list(endpoint.events),
                "secret": endpoint.secret,
                "message": CREATED_MESSAGE,
            }
        )


class StatBucketOut(Out):
    delivered: int
    failed: int

    @staticmethod
    def of(bucket: StatBucket) -> StatBucketOut:
        return StatBucketOut.build({"delivered": bucket.delivered, "failed": bucket.failed})


class WebhookStatsOut(Out):
    last_24h: StatBucketOut
    last_7d: StatBucketOut


class WebhookDetailOut(Out):
    id: str
    url: str
    events: list[str]
    is_active: bool
    secret_hint: str
    created_at: str
    stats: WebhookStatsOut

    @staticmethod
    def of(endpoint: Endpoint, day: StatBucket, week: StatBucket) -> WebhookDetailOut:
        return WebhookDetailOut.build(
            {
                "id": endpoint.id,
                "url": endpoint.url,
                "events": list(endpoint.events),
                "is_active": endpoint.is_active,
                "secret_hint": endpoint.secret_hint,
                "created_at": format_instant(endpoint.created_at),
                "stats": WebhookStatsOut.build({"last_24h": StatBucketOut.of(day), "last_7d": StatBucketOut.of(week)}),
            }
        )


class WebhookEventInfoOut(Out):
    event: str
    description: str
    category: Literal["posts", "inbox", "accounts"]


class WebhookEventsOut(Out):
    data: list[WebhookEventInfoOut]
    count: int

    @staticmethod
    def of() -> WebhookEventsOut:
        data = [
            WebhookEventInfoOut.build({"event": name, "description": text, "category": category})
            for name, text, category in EVENT_CATALOGUE
        ]
        return WebhookEventsOut.build({"data": data, "count": len(data)})


class DeliveryItemOut(Out):
    id: str
    event_type: str
    status: DeliveryStatus
    response_status_code: int | None
    response_duration_ms: int | None
    attempt_count: int
    description: str
    created_at: str
    next_attempt_at: str | None

    @staticmethod
    def of(delivery: Delivery) -> DeliveryItemOut:
        return DeliveryItemOut.build(_item_fields(delivery))


def _item_fields(delivery: Delivery) -> dict[str, Any]:
    """The fields a delivery shows in a list, the first ones of its detail."""
    last = delivery.last_attempt
    return {
        "id": delivery.id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "response_status_code": None if last is None else last.status_code,
        "response_duration_ms": None if last is None else last.duration_ms,
        "attempt_count": len(delivery.attempts),
        "description": delivery.description,
        "created_at": format_instant(delivery.created_at),
        "next_attempt_at": when(delivery.next_attempt_at),
    }


class DeliveryListOut(Out):
    data: list[DeliveryItemOut]
    count: int
    next_cursor: str | None = None

    @staticmethod
    def of(page: DeliveryPage) -> DeliveryListOut:
        item = DeliveryItemOut.of
        out: dict[str, Any] = {"data": [item(d) for d in page.deliveries], "count": len(page.deliveries)}
        if page.next_cursor is not None:
            out["next_cursor"] = page.next_cursor
        return DeliveryListOut.build(out)


class DeliveryAttemptOut(Out):
    attempt_number: int
    status_code: int | None
    response_body: str
    duration_ms: int
    error_message: str
    created_at: str


class DeliveryDetailOut(DeliveryItemOut):
    endpoint_id: str
    payload: Any
    attempts: list[DeliveryAttemptOut]

    @staticmethod
    def of(delivery: Delivery) -> DeliveryDetailOut:
        return DeliveryDetailOut.build(
            {
                **_item_fields(delivery),
                "endpoint_id": delivery.endpoint_id,
                "payload": delivery.payload,
                "attempts": [
                    DeliveryAttemptOut.build(
                        {
                            "attempt_number": a.number,
                            "status_code": a.status_code,
                            "response_body": a.response_body,
                            "duration_ms": a.duration_ms,
                            "error_message": a.error_message,
                            "created_at": format_instant(a.created_at),
                        }
                    )
                    for a in delivery.attempts
                ],
            }
        )


class WebhookTestOut(Out):
    delivery_id: str
    status: DeliveryStatus
    response_status_code: int
    response_body: str
    response_duration_ms: int

    @staticmethod
    def of(delivery: Delivery) -> WebhookTestOut:
        last = delivery.last_attempt
        return WebhookTestOut.build(
            {
                "delivery_id": delivery.id,
                "status": delivery.status,
                # The SDK requires an int here; 0 stands for "no HTTP response" (refused, timed out).
                "response_status_code": 0 if last is None or last.status_code is None else last.status_code,
                "response_body": "" if last is None else last.response_body or last.error_message,
                "response_duration_ms": 0 if last is None else last.duration_ms,
            }
        )


class DeliverySummaryOut(Out):
    pending: int
    in_flight: int
    delivered: int
    failed: int
    next_attempt_at: str | None

    @staticmethod
    def of(summary: DeliverySummary) -> DeliverySummaryOut:
        return DeliverySummaryOut.build(
            {
                "pending": summary.pending,
                "in_flight": summary.in_flight,
                "delivered": summary.delivered,
                "failed": summary.failed,
                "next_attempt_at": when(summary.next_attempt_at),
            }
        )
