"""``/_mock/sinks``: creating a webhook sink, and what it received."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mockserver.api.body_reader import json_or_text
from mockserver.api.shapes.common import Out
from mockserver.core.records.webhooks import Received, Sink
from mockserver.core.timefmt import format_instant
from mockserver.core.webhooks.sinks import MAX_DELAY_MS


class SinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, description="1 to 64 letters, digits, - or _; made up when absent")
    status: int = Field(default=200, ge=200, le=599, description="the status the sink answers with")
    delay_ms: int = Field(default=0, ge=0, le=MAX_DELAY_MS, description="wall-clock wait before answering")


class ReceivedOut(Out):
    at: str
    headers: dict[str, str]
    body: Any = Field(description="the JSON body, or its text when it is not JSON or is cut short")
    body_size: int = Field(description="bytes received")
    body_sha256: str = Field(description="SHA-256 of the whole body as received, in hex")
    body_truncated: bool = Field(description="only the first 16 KiB of the body are kept")
    webhook_id: str | None = Field(description="the tenant's endpoint registered at this sink's URL")
    signature_valid: bool
    signature_v2_valid: bool
    timestamp_within_tolerance: bool
    answered: int

    @staticmethod
    def of(received: Received) -> ReceivedOut:
        whole = received.body_size < 0 or received.body_size == len(received.body)
        return ReceivedOut.build(
            {
                "at": format_instant(received.at),
                "headers": received.headers,
                "body": json_or_text(received.body) if whole else received.body.decode("utf-8", "replace"),
                "body_size": len(received.body) if received.body_size < 0 else received.body_size,
                "body_sha256": received.body_sha256 or hashlib.sha256(received.body).hexdigest(),
                "body_truncated": not whole,
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
