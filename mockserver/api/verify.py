"""``POST /_mock/verify``: did the app send these requests, did the platforms get these deliveries,
did the app send these inbox replies (``core/verification_replies.py``)?

200 ``{"matched": n}`` when the count is met; otherwise 409 ``mock.verification_failed`` whose ``meta``
holds ``matched``, the ``expected`` count, the ``nearest`` misses (each entry with the fields that
differed, expected vs actual) and, when too many matched, ``examples`` of the entries that did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

from mockserver.api.http import Call, Reply
from mockserver.api.query import path_pattern, platform_name
from mockserver.api.shapes.control import JournalEntryOut
from mockserver.api.shapes.journal import AttemptOut
from mockserver.api.shapes.verify import RepliesMatch, ReplyOut, RequestsMatch, VerifiedOut, VerifyRequest
from mockserver.api.spec import operation
from mockserver.core.errors import VerificationFailed
from mockserver.core.inbox.ids import platform_id_of
from mockserver.core.verification import (
    NOT_GIVEN,
    Bounds,
    DeliveryExpectation,
    Difference,
    Expectation,
    RequestExpectation,
    Verdict,
    verify_in_slices,
)
from mockserver.core.verification_replies import ReplyExpectation

E = TypeVar("E")


@operation(
    "Count the journal entries, deliveries or inbox replies that match; 409 mock.verification_failed with the "
    "nearest misses",
    request=VerifyRequest,
    responses={200: VerifiedOut},
    errors=(400, 401, 409),
)
async def verify_calls(call: Call) -> Reply:
    request = call.parse(VerifyRequest)
    bounds = Bounds(request.count, request.at_least, request.at_most)
    backend = call.backend
    if request.requests is not None:
        expectation = _requests_expectation(request.requests, call.body["requests"])
        entries = backend.journal_entries()
        entries.reverse()
        verdict = await call.in_slices(verify_in_slices(entries, expectation, bounds))
        _raise_unless_passed(verdict, "request", _described(call.body["requests"]), JournalEntryOut.of)
        return Reply(VerifiedOut.of(verdict.matched))
    if request.replies is not None:
        return await _verify_replies(call, request.replies, bounds)
    assert request.deliveries is not None
    wanted = request.deliveries
    delivery_expectation = DeliveryExpectation(
        platform_name(wanted.platform, "deliveries.platform"),
        wanted.account_id,
        wanted.post_id,
        wanted.text_contains,
        wanted.outcome,
    )
    records = list(backend.attempts.all())
    records.reverse()
    delivered = await call.in_slices(verify_in_slices(records, delivery_expectation, bounds))
    _raise_unless_passed(delivered, "delivery", _described(call.body["deliveries"]), AttemptOut.of)
    return Reply(VerifiedOut.of(delivered.matched))


async def _verify_replies(call: Call, wanted: RepliesMatch, bounds: Bounds) -> Reply:
    # A comment's sapi_cmt_ id names it as its platform id does; other ids pass through unchanged.
    to = platform_id_of(wanted.to) if wanted.to is not None else None
    expectation = ReplyExpectation(
        wanted.kind, to, wanted.account_id, platform_name(wanted.platform, "replies.platform"), wanted.text_contains
    )
    replies = call.backend.inbox.replies.all()
    replies.reverse()
    verdict = await call.in_slices(verify_in_slices(replies, expectation, bounds))
    _raise_unless_passed(verdict, "reply", _described(call.body["replies"]), ReplyOut.of)
    return Reply(VerifiedOut.of(verdict.matched))


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


def _raise_unless_passed(
    verdict: Verdict[E], noun: str, expected: dict[str, Any], shape: Callable[[E], BaseModel]
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
                {"entry": _plain(shape(miss.entry)), "differences": _differences(miss.differences)}
                for miss in verdict.nearest
            ],
            "examples": [_plain(shape(entry)) for entry in verdict.examples],
        },
    )


def _plain(shaped: BaseModel) -> dict[str, Any]:
    # An error's meta holds plain JSON values: it is read back as data, not only written.
    return shaped.model_dump(mode="json")


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return {"delivery": "deliveries", "reply": "replies"}.get(noun, f"{noun}s")


def _inline(expected: dict[str, Any]) -> str:
    return orjson.dumps(expected).decode()


def _differences(found: Iterable[Difference]) -> list[dict[str, Any]]:
    return [{"field": d.field, "expected": d.expected, "actual": d.actual} for d in found]
