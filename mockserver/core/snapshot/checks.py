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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, get_type_hints

from mockserver.core.accounts.connections import CONNECTABLE
from mockserver.core.bounds import SHORT_MAX, TEXT_MAX, free_form_problem
from mockserver.core.codecs import Keyed
from mockserver.core.errors import ValidationFailed
from mockserver.core.ids import IdFactory
from mockserver.core.records.webhooks import Endpoint, Sink
from mockserver.core.snapshot.document import StateDocument
from mockserver.core.state import TenantState
from mockserver.core.store import PostStore
from mockserver.core.tenancy import Tenant
from mockserver.core.timefmt import MAX_INSTANT
from mockserver.core.webhooks.outbox import MAX_ENDPOINTS, check_events, check_url
from mockserver.core.webhooks.sinks import MAX_BODY_KEPT, MAX_DELAY_MS, MAX_SINKS, NAME, STATUS_MAX, STATUS_MIN

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

    Instants come back in UTC (pydantic keeps the offset it parsed), so the same state exports the
    same bytes however its instants were written. ``shared_media`` are the fixtures' media ids,
    which every tenant holds: they claim nothing.
    """
    _instant(document.now, ("now",))
    document.now = document.now.astimezone(UTC)
    _visit(document.state, "state", ("state",))
    _check_records(document.state)
    _check_references(document.state)
    return list(_claims(document.state, shared_media))


# -- the generic walk ------------------------------------------------------------------------------

# Where a node sits, built as the walk goes down and spelt out only for a refusal: (parent, .name or index).
Where = tuple[Any, ...]
_PLAIN = (int, float, bool, bytes, type(None))


def _visit(value: Any, name: str, where: Where) -> Any:
    """Check ``value`` (held in a field called ``name``) and all it holds; return it with its instants in UTC.

    Records are changed in place (frozen ones too: they are new, nobody else holds them yet).
    """
    kind = type(value)
    if kind is str:
        _check_text(value, name, where)
        return value
    if kind is datetime:
        _instant(value, where)
        return value.astimezone(UTC)
    if kind in _PLAIN or kind is IdFactory or kind is random.Random:
        return value  # the generators' codecs checked them
    spec = _spec(kind)
    if spec is not None:
        for field_name, keyed in spec:
            child = getattr(value, field_name)
            here = (where, field_name)
            if keyed:
                for number, item in enumerate(child.values()):
                    _visit(item, field_name, (here, number))
            else:
                fixed = _visit(child, field_name, here)
                if fixed is not child:
                    object.__setattr__(value, field_name, fixed)
    elif kind is PostStore:
        here = (where, "posts")
        for number, post in enumerate(sorted(value.all_posts(), key=lambda post: post.seq)):
            _visit(post, "posts", (here, number))
    elif kind is list or kind is deque:
        for number, item in enumerate(value):
            fixed = _visit(item, name, (where, number))
            if fixed is not item:
                value[number] = fixed
    elif kind is tuple:
        items = tuple(_visit(item, name, (where, number)) for number, item in enumerate(value))
        if any(a is not b for a, b in zip(items, value, strict=True)):
            return items
    elif kind is set:
        unknown = sorted(value - set(CONNECTABLE)) if name == "byok_platforms" else []
        if unknown:
            raise _refused(where, f"unknown platform {unknown[0][:40]!r}")
    elif kind is dict:
        _visit_dict(value, name, where)
    return value


def _visit_dict(value: dict[Any, Any], name: str, where: Where) -> None:
    if _free_form(value):
        problem = free_form_problem(value)
        if problem is not None:
            raise _refused(where, f"the object {problem}")
        return
    for key, item in value.items():
        fixed = _visit(item, name, (where, str(key)))
        if fixed is not item:
            value[key] = fixed


def _check_text(value: str, name: str, where: Where) -> None:
    limit = TEXT_LIMITS.get(name, TEXT_MAX)
    if len(value) > limit:
        raise _refused(where, f"at most {limit} characters")
    if name == "platform" and value not in CONNECTABLE:
        raise _refused(where, f"unknown platform {value[:40]!r}")


_SPECS: dict[type, tuple[tuple[str, bool], ...] | None] = {}


def _spec(kind: type) -> tuple[tuple[str, bool], ...] | None:
    """A dataclass's fields, each with whether it is a ``Keyed`` dict (None for other types)."""
    if kind not in _SPECS:
        if not dataclasses.is_dataclass(kind):
            _SPECS[kind] = None
        else:
            hints = get_type_hints(kind, include_extras=True)
            _SPECS[kind] = tuple(
                (spec.name, any(isinstance(m, Keyed) for m in getattr(hints[spec.name], "__metadata__", ())))
                for spec in dataclasses.fields(kind)
            )
    return _SPECS[kind]


def _free_form(value: dict[Any, Any]) -> bool:
    """JSON data kept as given (platform_data, metadata, event records, headers), not records of ours."""
    return not any(_spec(type(item)) is not None or isinstance(item, deque | datetime) for item in value.values())


def spelt(where: Where) -> str:
    """``where`` as the document's field path: ``state.posts.posts[0].targets[1].account_id``."""
    parts: list[str] = []
    node: Any = where
    while len(node) == 2:
        node, segment = node
        parts.append(f"[{segment}]" if isinstance(segment, int) else f".{segment}")
    parts.append(node[0])
    return "".join(reversed(parts))


def _refused(where: Where, problem: str) -> ValidationFailed:
    path = spelt(where)
    return _invalid(path, f"{path}: {problem}")


def _instant(value: datetime, where: Where) -> None:
    if value.tzinfo is None:
        raise _refused(where, "the timestamp needs a UTC offset")
    if not EPOCH <= value <= MAX_INSTANT:
        raise _refused(where, "the timestamp must lie between 1970-01-01 and 9999-12-31")


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
    for number, received in enumerate(sink.received):
        if len(received.body) > MAX_BODY_KEPT:
            inner = f"{where}.received[{number}].body"
            raise _invalid(inner, f"{inner}: a sink keeps at most {MAX_BODY_KEPT} bytes of a body")


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


def claim_holder(tenants: Iterable[Tenant], kind: str, value: str, *, media_owners: Mapping[str, str]) -> str | None:
    """The tenant among ``tenants`` that holds ``value`` (a sink name, media id or upload token), or None.

    Media ids are found by the servers' index (``media_owners``); sinks and upload tokens by asking each.
    """
    if kind == "media":
        return media_owners.get(value)
    for tenant in tenants:
        state = tenant.state
        if kind == "sink" and value in state.webhooks.sinks:
            return tenant.name
        if kind == "upload_token" and any(slot.token == value for slot in state.media.upload_slots.values()):
            return tenant.name
    return None


def _invalid(where: str, message: str) -> ValidationFailed:
    return ValidationFailed.invalid(where, message, code="validation.state_invalid")


Claimed = Callable[[str, str], str | None]
