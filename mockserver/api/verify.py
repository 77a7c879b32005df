"""``POST /_mock/verify``: did the app send these requests, did the platforms get these deliveries?

200 ``{"matched": n}`` when the count is met; otherwise 409 ``mock.verification_failed`` whose ``meta``
holds ``matched``, the ``expected`` count, the ``nearest`` misses (each entry with the fields that
differed, expected vs actual) and, when too many matched, ``examples`` of the entries that did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockserver.api.http import Call, Reply
from mockserver.api.journal import delivery_json, path_pattern, platform_name
from mockserver.api.spec import operation
from mockserver.core.errors import VerificationFailed
from mockserver.core.journal import users_entries
from mockserver.core.verification import (
    NOT_GIVEN,
    Bounds,
    DeliveryExpectation,
    Difference,
    Expectation,
    RequestExpectation,
    Verdict,
    verify,
)

E = TypeVar("E")
NonNegative = Field(default=None, ge=0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestsMatch(_Strict):
    method: str | None = None
    path: str | None = Field(default=None, description="a literal path or a route template such as /v1/posts/{pid}")
    json_: Any = Field(default=None, alias="json", description="a subset the JSON body must contain")
    query: dict[str, str] | None = None


class DeliveriesMatch(_Strict):
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    text_contains: str | None = None
    outcome: str | None = Field(default=None, pattern="^(published|failed)$")


class VerifyRequest(_Strict):
    requests: RequestsMatch | None = None
    deliveries: DeliveriesMatch | None = None
    count: int | None = NonNegative
    at_least: int | None = NonNegative
    at_most: int | None = NonNegative

    @model_validator(mode="after")
    def _one_of_each(self) -> VerifyRequest:
        if (self.requests is None) == (self.deliveries is None):
            raise ValueError("give exactly one of requests or deliveries")
        if self.count is not None and (self.at_least is not None or self.at_most is not None):
            raise ValueError("give count, or at_least and/or at_most, not both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError("at_least must not be greater than at_most")
        return self


class VerifiedOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    matched: int


@operation(
    "Count the journal entries or deliveries that match; 409 mock.verification_failed with the nearest misses",
    request=VerifyRequest,
    responses={200: VerifiedOut},
    errors=(400, 401, 409),
)
def verify_calls(call: Call) -> Reply:
    request = call.parse(VerifyRequest)
    bounds = Bounds(request.count, request.at_least, request.at_most)
    backend = call.backend
    if request.requests is not None:
        expectation = _requests_expectation(request.requests, call.body["requests"])
        with backend.lock:
            entries = users_entries(backend.journal)
        entries.reverse()
        verdict = verify(entries, expectation, bounds)
        _raise_unless_passed(verdict, "request", _described(call.body["requests"]), _entry_json)
        return Reply({"matched": verdict.matched})
    assert request.deliveries is not None
    wanted = request.deliveries
    delivery_expectation = DeliveryExpectation(
        platform_name(wanted.platform, "deliveries.platform"),
        wanted.account_id,
        wanted.post_id,
        wanted.text_contains,
        wanted.outcome,
    )
    records = list(backend.iter_delivery_records())
    records.reverse()
    delivered = verify(records, delivery_expectation, bounds)
    _raise_unless_passed(delivered, "delivery", _described(call.body["deliveries"]), delivery_json)
    return Reply({"matched": delivered.matched})


def _requests_expectation(match: RequestsMatch, raw: dict[str, Any]) -> Expectation[Any]:
    return RequestExpectation(
        method=match.method.upper() if match.method else None,
        path=path_pattern(match.path, "requests.path") if match.path else None,
        # "json": null is an expectation too (a body of null); an absent key says nothing.
        json=raw.get("json", NOT_GIVEN),
        query=match.query,
    )


def _described(raw: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in raw.items() if value is not None or key == "json"}


def _entry_json(entry: Any) -> dict[str, Any]:
    data: dict[str, Any] = entry.to_json()
    return data


def _raise_unless_passed(
    verdict: Verdict[E], noun: str, expected: dict[str, Any], as_json: Callable[[E], dict[str, Any]]
) -> None:
    if verdict.passed:
        return
    wanted = verdict.bounds.describe()
    message = (
        f"expected {wanted} {_plural(noun, int(wanted.rsplit(' ', 1)[-1]))} matching {_inline(expected)}, "
        f"but {verdict.matched} {_plural(noun, verdict.matched)} matched"
    )
    raise VerificationFailed(
        message,
        meta={
            "matched": verdict.matched,
            "expected": {"count": wanted, noun: expected},
            "nearest": [
                {"entry": as_json(miss.entry), "differences": _differences(miss.differences)}
                for miss in verdict.nearest
            ],
            "examples": [as_json(entry) for entry in verdict.examples],
        },
    )


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return "deliveries" if noun == "delivery" else f"{noun}s"


def _inline(expected: dict[str, Any]) -> str:
    return orjson.dumps(expected).decode()


def _differences(found: Iterable[Difference]) -> list[dict[str, Any]]:
    return [{"field": d.field, "expected": d.expected, "actual": d.actual} for d in found]
