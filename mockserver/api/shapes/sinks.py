"""``/_mock/sinks``: creating a webhook sink, and what it received."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from mockserver.api.shapes.common import Out
from mockserver.core.sinks import MAX_DELAY_MS, Received, Sink
from mockserver.core.timefmt import format_instant


class SinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, description="1 to 64 letters, digits, - or _; made up when absent")
    status: int = Field(default=200, ge=200, le=599, description="the status the sink answers with")
    delay_ms: int = Field(default=0, ge=0, le=MAX_DELAY_MS, description="wall-clock wait before answering")


class ReceivedOut(Out):
    at: str
    headers: dict[str, str]
    body: Any = Field(description="the JSON body, or its text when it is not JSON")
    webhook_id: str | None = Field(description="the tenant's endpoint registered at this sink's URL")
    signature_valid: bool
    signature_v2_valid: bool
    timestamp_within_tolerance: bool
    answered: int

    @staticmethod
    def of(received: Received) -> ReceivedOut:
        try:
            body: Any = orjson.loads(received.body)
        except orjson.JSONDecodeError:
            body = received.body.decode("utf-8", "replace")
        return ReceivedOut.build(
            {
                "at": format_instant(received.at),
                "headers": received.headers,
                "body": body,
                "webhook_id": received.webhook_id,
                "signature_valid": received.signature_valid,
                "signature_v2_valid": received.signature_v2_valid,
                "timestamp_within_tolerance": received.timestamp_within_tolerance,
                "answered": received.answered,
            }
        )


class SinkOut(Out):
    name: str
    url: str
    status: int
    delay_ms: int
    received: list[ReceivedOut]

    @staticmethod
    def of(sink: Sink, url: str) -> SinkOut:
        return SinkOut.build(
            {
                "name": sink.name,
                "url": url,
                "status": sink.status,
                "delay_ms": sink.delay_ms,
                "received": [ReceivedOut.of(r) for r in sink.received],
            }
        )


class SinkAnsweredOut(Out):
    received: bool

    @staticmethod
    def of() -> SinkAnsweredOut:
        return SinkAnsweredOut.build({"received": True})
