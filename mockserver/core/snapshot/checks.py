"""A restore is a request: what the API would not have taken, a state document cannot bring in.

The whole document is walked once, generically, by the types ``TenantState`` declares: every instant
must carry an offset and lie in 1970..9999, every ``platform`` be one the API can connect, every
string and free-form object fit the API's size rules. Then the rules of particular records (sinks,
webhook endpoints), the references between records, and the names and ids that must be unique
across tenants (returned as ``Claim``s for the caller, which knows the other tenants, to judge).
"""

from __future__ import annotations

import dataclasses
import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, get_type_hints

from mockserver.core.accounts.connections import CONNECTABLE
from mockserver.core.bounds import SHORT_MAX, TEXT_MAX, free_form_problem
from mockserver.core.codecs import Keyed
from mockserver.core.errors import ValidationFailed
from mockserver.core.ids import IdFactory
from mockserver.core.posts.store import PostStore
from mockserver.core.snapshot.document import StateDocument
from mockserver.core.state import TenantState
from mockserver.core.timefmt import MAX_INSTANT
from mockserver.core.webhooks.outbox import MAX_ENDPOINTS, check_events, check_url
from mockserver.core.webhooks.records import Endpoint, Sink
from mockserver.core.webhooks.sinks import MAX_DELAY_MS, MAX_SINKS, NAME, STATUS_MAX, STATUS_MIN

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The API's limits on free text, by field name; any other string is held to TEXT_MAX.
TEXT_LIMITS = {"text": TEXT_MAX, "title": SHORT_MAX, "first_comment": SHORT_MAX, "name": SHORT_MAX}


@dataclass(frozen=True, slots=True)
class Claim:
    """A name or id this tenant would hold that no other tenant may: ``kind`` is sink, media or upload_token."""

    kind: str
    value: str
    where: str


def check(document: StateDocument, *, shared_media: frozenset[str]) -> list[Claim]:
    """Refuse (``ValidationFailed`` naming the field) what the API would refuse; the claims to judge.

    ``shared_media`` are the fixtures' media ids, which every tenant holds: they claim nothing.
    """
    _instant(document.now, "now")
    for where, value in _walk(document.state, "state"):
        _check_node(where, value)
    _check_records(document.state)
    _check_references(document.state)
    return list(_claims(document.state, shared_media))


# -- the generic walk ------------------------------------------------------------------------------


def _walk(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every node of the state with its path in the document (as the document lays it out)."""
    yield where, value
    if isinstance(value, IdFactory | random.Random):
        return  # their codecs checked them
    if isinstance(value, PostStore):
        posts = sorted(value.all_posts(), key=lambda post: post.seq)
        for number, post in enumerate(posts):
            yield from _walk(post, f"{where}.posts[{number}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        keyed = _keyed_fields(type(value))
        for spec in dataclasses.fields(value):
            child = getattr(value, spec.name)
            if spec.name in keyed:
                for number, item in enumerate(child.values()):
                    yield from _walk(item, f"{where}.{spec.name}[{number}]")
            else:
                yield from _walk(child, f"{where}.{spec.name}")
    elif isinstance(value, list | tuple | deque):
        for number, item in enumerate(value):
            yield from _walk(item, f"{where}[{number}]")
    elif isinstance(value, dict) and not _free_form(value):
        for key, item in value.items():
            yield from _walk(item, f"{where}.{key}")


@cache
def _keyed_fields(cls: type) -> frozenset[str]:
    hints = get_type_hints(cls, include_extras=True)
    return frozenset(
        name for name, hint in hints.items() if any(isinstance(m, Keyed) for m in getattr(hint, "__metadata__", ()))
    )


def _free_form(value: dict[Any, Any]) -> bool:
    """JSON data kept as given (platform_data, metadata, event records, headers), not records of ours."""
    return not any(dataclasses.is_dataclass(item) or isinstance(item, deque | datetime) for item in value.values())


def _check_node(where: str, value: Any) -> None:
    name = where.rsplit(".", 1)[-1]
    if isinstance(value, datetime):
        _instant(value, where)
    elif isinstance(value, str):
        limit = TEXT_LIMITS.get(name, TEXT_MAX)
        if len(value) > limit:
            raise _invalid(where, f"{where}: at most {limit} characters")
        if name == "platform" and value not in CONNECTABLE:
            raise _invalid(where, f"{where}: unknown platform {value[:40]!r}")
    elif isinstance(value, dict) and _free_form(value):
        problem = free_form_problem(value)
        if problem is not None:
            raise _invalid(where, f"{where}: the object {problem}")
    elif isinstance(value, set) and name == "byok_platforms":
        unknown = sorted(value - set(CONNECTABLE))
        if unknown:
            raise _invalid(where, f"{where}: unknown platform {unknown[0][:40]!r}")


def _instant(value: datetime, where: str) -> None:
    if value.tzinfo is None:
        raise _invalid(where, f"{where}: the timestamp needs a UTC offset")
    if not EPOCH <= value <= MAX_INSTANT:
        raise _invalid(where, f"{where}: the timestamp must lie between 1970-01-01 and 9999-12-31")


# -- the rules of particular records ---------------------------------------------------------------


def _check_records(state: TenantState) -> None:
    sinks = state.webhooks.sinks
    if len(sinks) > MAX_SINKS:
        raise _invalid("state.webhooks.sinks", f"state.webhooks.sinks: at most {MAX_SINKS} sinks per tenant")
    for number, sink in enumerate(sinks.values()):
        _check_sink(sink, f"state.webhooks.sinks[{number}]")
    endpoints = state.webhooks.endpoints
    if len(endpoints) > MAX_ENDPOINTS:
        where = "state.webhooks.endpoints"
        raise _invalid(where, f"{where}: at most {MAX_ENDPOINTS} endpoints per tenant")
    for number, endpoint in enumerate(endpoints.values()):
        _check_endpoint(endpoint, f"state.webhooks.endpoints[{number}]")


def _check_sink(sink: Sink, where: str) -> None:
    if not NAME.fullmatch(sink.name):
        raise _invalid(f"{where}.name", f"{where}.name: 1 to 64 letters, digits, '-' or '_'")
    if not STATUS_MIN <= sink.status <= STATUS_MAX:
        raise _invalid(f"{where}.status", f"{where}.status: between {STATUS_MIN} and {STATUS_MAX}")
    if not 0 <= sink.delay_ms <= MAX_DELAY_MS:
        raise _invalid(f"{where}.delay_ms", f"{where}.delay_ms: between 0 and {MAX_DELAY_MS}")


def _check_endpoint(endpoint: Endpoint, where: str) -> None:
    for name, rule in (
        ("url", lambda: check_url(endpoint.url)),
        ("events", lambda: check_events(list(endpoint.events))),
    ):
        try:
            rule()
        except ValidationFailed as exc:
            inner = str(exc.meta.get("field", name))
            raise _invalid(f"{where}.{inner}", f"{where}.{inner}: {exc.message}") from None


def _check_references(state: TenantState) -> None:
    accounts = state.accounts.items
    posts = sorted(state.posts.all_posts(), key=lambda post: post.seq)
    for number, post in enumerate(posts):
        for index, target in enumerate(post.targets):
            _resolves(target.account_id, accounts, f"state.posts.posts[{number}].targets[{index}].account_id")
    for number, page in enumerate(state.accounts.pages.values()):
        _resolves(page.account_id, accounts, f"state.accounts.pages[{number}].account_id")
    for number, board in enumerate(state.accounts.boards.values()):
        _resolves(board.account_id, accounts, f"state.accounts.boards[{number}].account_id")
    for number, delivery in enumerate(state.webhooks.deliveries.values()):
        where = f"state.webhooks.deliveries[{number}].endpoint_id"
        _resolves(delivery.endpoint_id, state.webhooks.endpoints, where)
    for number, slot in enumerate(state.media.upload_slots.values()):
        _resolves(slot.media_id, state.media.items, f"state.media.upload_slots[{number}].media_id")


def _resolves(key: str, records: dict[str, Any], where: str) -> None:
    if key not in records:
        raise _invalid(where, f"{where}: {key[:80]} is not in this state")


def _claims(state: TenantState, shared_media: frozenset[str]) -> Iterator[Claim]:
    for number, name in enumerate(state.webhooks.sinks):
        yield Claim("sink", name, f"state.webhooks.sinks[{number}].name")
    for number, media_id in enumerate(state.media.items):
        if media_id not in shared_media:
            yield Claim("media", media_id, f"state.media.items[{number}].id")
    for number, slot in enumerate(state.media.upload_slots.values()):
        yield Claim("upload_token", slot.token, f"state.media.upload_slots[{number}].token")


def _invalid(where: str, message: str) -> ValidationFailed:
    return ValidationFailed.invalid(where, message, code="validation.state_invalid")


Claimed = Callable[[str, str], str | None]


def in_utc(value: Any) -> Any:
    """``value`` with every instant inside it moved to UTC (pydantic keeps the offset it parsed).

    Records are changed in place (frozen ones too: they are new, nobody holds them yet), so the
    same state exports the same bytes however its instants were written.
    """
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, PostStore):
        for post in value.all_posts():
            in_utc(post)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            current = getattr(value, spec.name)
            fixed = in_utc(current)
            if fixed is not current:
                object.__setattr__(value, spec.name, fixed)
    elif isinstance(value, list | deque):
        for index, item in enumerate(value):
            fixed = in_utc(item)
            if fixed is not item:
                value[index] = fixed
    elif isinstance(value, tuple):
        fixed_items = tuple(in_utc(item) for item in value)
        if any(a is not b for a, b in zip(fixed_items, value, strict=True)):
            return fixed_items
    elif isinstance(value, dict) and not _free_form(value):
        for key, item in value.items():
            value[key] = in_utc(item)
    return value
