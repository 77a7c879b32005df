"""``POST /_mock/verify``: the expectation (requests, deliveries or replies, and a count) and the answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mockserver.api.shapes.common import Out
from mockserver.core.timefmt import format_instant
from mockserver.core.verification_caps import MAX_EXPECTED_QUERY_FIELDS, MAX_EXPECTED_TEXT, expected_json_problem
from mockserver.core.verification_replies import SentReply

NonNegative = Field(default=None, ge=0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Field(default=None, max_length=MAX_EXPECTED_TEXT)


class RequestsMatch(_Strict):
    method: str | None = Field(default=None, max_length=16)
    path: str | None = Field(default=None, description="a literal path or a route template such as /v1/posts/{pid}")
    json_: Any = Field(default=None, alias="json", description="a subset the JSON body must contain")
    query: dict[str, str] | None = Field(default=None, max_length=MAX_EXPECTED_QUERY_FIELDS)

    @field_validator("json_")
    @classmethod
    def _bounded_json(cls, value: Any) -> Any:
        problem = expected_json_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("query")
    @classmethod
    def _bounded_query(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name, wanted in (value or {}).items():
            if len(name) > MAX_EXPECTED_TEXT or len(wanted) > MAX_EXPECTED_TEXT:
                raise ValueError(f"query names and values may have at most {MAX_EXPECTED_TEXT} characters")
        return value


class DeliveriesMatch(_Strict):
    platform: str | None = Field(default=None, max_length=64)
    account_id: str | None = Text
    post_id: str | None = Text
    text_contains: str | None = Text
    outcome: str | None = Field(default=None, pattern="^(published|failed)$")


class RepliesMatch(_Strict):
    kind: Literal["comment", "dm", "review", "private_reply"] | None = None
    to: str | None = Field(
        default=None,
        max_length=MAX_EXPECTED_TEXT,
        description="the comment (platform id or sapi_cmt_ id), conversation or review answered",
    )
    account_id: str | None = Text
    platform: str | None = Field(default=None, max_length=64)
    text_contains: str | None = Text


class VerifyRequest(_Strict):
    requests: RequestsMatch | None = None
    deliveries: DeliveriesMatch | None = None
    replies: RepliesMatch | None = None
    count: int | None = NonNegative
    at_least: int | None = NonNegative
    at_most: int | None = NonNegative

    @model_validator(mode="after")
    def _one_of_each(self) -> VerifyRequest:
        if [self.requests, self.deliveries, self.replies].count(None) != 2:
            raise ValueError("give exactly one of requests, deliveries or replies")
        if self.count is not None and (self.at_least is not None or self.at_most is not None):
            raise ValueError("give count, or at_least and/or at_most, not both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError("at_least must not be greater than at_most")
        return self


class ReplyOut(Out):
    """A reply the app sent, as a verify failure shows it among the nearest misses."""

    id: str
    kind: str
    to: str
    account_id: str
    platform: str
    text: str
    sent_at: str

    @staticmethod
    def of(reply: SentReply) -> ReplyOut:
        return ReplyOut.build(
            {
                "id": reply.id,
                "kind": reply.kind,
                "to": reply.to,
                "account_id": reply.account_id,
                "platform": reply.platform,
                "text": reply.text,
                "sent_at": format_instant(reply.sent_at),
            }
        )


class VerifiedOut(Out):
    matched: int

    @staticmethod
    def of(matched: int) -> VerifiedOut:
        return VerifiedOut.build({"matched": matched})
