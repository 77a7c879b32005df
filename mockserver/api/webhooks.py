"""Handlers of ``/v1/webhooks`` and ``/_mock/webhooks/flush``.

Test pings and manual retries are sent before the handler answers, because their responses report
the attempt; every other delivery goes out in the background (``mockserver.webhook_sender``).
"""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.common import OkOut
from mockserver.api.shapes.webhooks import (
    CreateWebhookRequest,
    DeliveryDetailOut,
    DeliveryListOut,
    DeliveryListQuery,
    DeliverySummaryOut,
    UpdateWebhookRequest,
    WebhookCreatedOut,
    WebhookDetailOut,
    WebhookEventsOut,
    WebhookListOut,
    WebhookOut,
    WebhookTestOut,
    WebhookTestRequest,
)
from mockserver.api.spec import operation
from mockserver.webhook_sender import WebhookSender


def _sender(call: Call) -> WebhookSender:
    return call.server.webhook_sender


@operation("List webhook endpoints", responses={200: WebhookListOut}, errors=(401,))
def list_webhooks(call: Call) -> Reply:
    return Reply(WebhookListOut.of(call.backend.webhooks.list_webhooks()))


@operation(
    "Create a webhook endpoint (the secret is shown once)",
    request=CreateWebhookRequest,
    responses={201: WebhookCreatedOut},
    errors=(400, 401),
)
def create_webhook(call: Call) -> Reply:
    request = call.parse(CreateWebhookRequest)
    endpoint = call.backend.webhooks.create_webhook(request.url, request.events)
    return Reply(WebhookCreatedOut.of(endpoint), 201)


@operation("The catalogue of webhook event types", responses={200: WebhookEventsOut}, errors=(401,))
def list_webhook_events(call: Call) -> Reply:
    return Reply(WebhookEventsOut.of())


@operation("Get a webhook endpoint with delivery stats", responses={200: WebhookDetailOut}, errors=(401, 404))
def get_webhook(call: Call) -> Reply:
    webhook_id = call.params["webhook_id"]
    endpoint = call.backend.webhooks.get_webhook(webhook_id)
    day, week = call.backend.webhooks.webhook_stats(webhook_id)
    return Reply(WebhookDetailOut.of(endpoint, day, week))


@operation(
    "Update a webhook endpoint",
    request=UpdateWebhookRequest,
    responses={200: WebhookOut},
    errors=(400, 401, 404),
)
def update_webhook(call: Call) -> Reply:
    request = call.parse(UpdateWebhookRequest)
    endpoint = call.backend.webhooks.update_webhook(
        call.params["webhook_id"], url=request.url, events=request.events, is_active=request.is_active
    )
    return Reply(WebhookOut.of(endpoint))


@operation("Delete a webhook endpoint", responses={200: OkOut}, errors=(401, 404))
def delete_webhook(call: Call) -> Reply:
    call.backend.webhooks.delete_webhook(call.params["webhook_id"])
    return Reply(OkOut.of())


@operation(
    "List an endpoint's deliveries, newest first",
    query=DeliveryListQuery,
    responses={200: DeliveryListOut},
    errors=(400, 401, 404),
)
def list_deliveries(call: Call) -> Reply:
    query = call.parse_query(DeliveryListQuery)
    page = call.backend.webhooks.list_deliveries(
        call.params["webhook_id"],
        status=query.status,
        event_type=query.event_type,
        limit=query.limit,
        cursor=query.cursor,
    )
    return Reply(DeliveryListOut.of(page))


@operation("Get a delivery with its attempts", responses={200: DeliveryDetailOut}, errors=(401, 404))
def get_delivery(call: Call) -> Reply:
    delivery = call.backend.webhooks.get_delivery(call.params["webhook_id"], call.params["delivery_id"])
    return Reply(DeliveryDetailOut.of(delivery))


@operation("Attempt a delivery again, now", responses={200: DeliveryDetailOut}, errors=(401, 404, 409))
async def retry_delivery(call: Call) -> Reply:
    webhook_id, delivery_id = call.params["webhook_id"], call.params["delivery_id"]
    attempt = call.backend.webhooks.retry_delivery(webhook_id, delivery_id)
    await _sender(call).send(call.backend, [attempt])
    return Reply(DeliveryDetailOut.of(call.backend.webhooks.get_delivery(webhook_id, delivery_id)))


@operation(
    "Send a test delivery",
    request=WebhookTestRequest,
    responses={200: WebhookTestOut},
    errors=(400, 401, 404),
)
async def test_webhook(call: Call) -> Reply:
    request = call.parse(WebhookTestRequest)
    webhook_id = call.params["webhook_id"]
    attempt = call.backend.webhooks.create_test_delivery(webhook_id, request.event_type, request.payload)
    await _sender(call).send(call.backend, [attempt])
    return Reply(WebhookTestOut.of(call.backend.webhooks.get_delivery(webhook_id, attempt.delivery_id)))


@operation(
    "Send every delivery that is due and wait for the attempts to finish",
    responses={200: DeliverySummaryOut},
    errors=(401,),
)
async def flush_webhooks(call: Call) -> Reply:
    await _sender(call).settle(call.backend)
    return Reply(DeliverySummaryOut.of(call.backend.webhooks.delivery_summary()))
