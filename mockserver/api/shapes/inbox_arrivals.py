"""The control plane's inbox: scripted arrivals (``POST /_mock/inbox/arrivals``) and the audience switch."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator

from mockserver.api.shapes.common import Ident, Out, Request, instant
from mockserver.core.inbox.arrivals import ArrivalRequest, Arrived
from mockserver.core.inbox.policy import TEXT_MAX
from mockserver.core.timefmt import format_instant


class ArrivalBody(Request):
    """One arrival: a comment on a published post, a DM from a customer, a review, or a mention."""

    kind: Literal["comment", "dm", "review", "mention"]
    text: Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
    author_name: Annotated[str, Field(min_length=1, max_length=100)] = "A Customer"
    account_id: Annotated[Ident | None, Field(description="dm, review, mention: the account it reaches")] = None
    post_id: Annotated[
        Ident | None, Field(description="comment: the platform post id, or the mock's post id if it has one target")
    ] = None
    comment_id: Annotated[Ident | None, Field(description="comment: the comment it answers (a threaded reply)")] = None
    rating: Annotated[int | None, Field(ge=1, le=5, description="review: 1 to 5 stars (5 when left out)")] = None
    at: Annotated[datetime | None, Field(description="When it arrives (now when left out); not in the past")] = None

    _when = field_validator("at", mode="plain", json_schema_input_type=datetime | None)(instant)

    def to_request(self) -> ArrivalRequest:
        return ArrivalRequest(
            self.kind,
            self.text,
            self.author_name,
            self.account_id,
            self.post_id,
            self.comment_id,
            self.rating,
            self.at,
        )


class ArrivalOut(Out):
    id: str
    kind: str
    account_id: str
    at: str
    arrived: bool
    # The comment's platform id, the DM's conversation id, the review's or the mention's id (once arrived).
    result_id: str | None

    @staticmethod
    def of(arrived: Arrived) -> ArrivalOut:
        a = arrived.arrival
        return ArrivalOut.validated(
            {
                "id": a.id,
                "kind": a.kind,
                "account_id": a.account_id,
                "at": format_instant(a.at),
                "arrived": arrived.result_id is not None,
                "result_id": arrived.result_id,
            }
        )


class AudienceBody(Request):
    enabled: bool


class AudienceOut(Out):
    enabled: bool

    @staticmethod
    def of(enabled: bool) -> AudienceOut:
        return AudienceOut.validated({"enabled": enabled})
