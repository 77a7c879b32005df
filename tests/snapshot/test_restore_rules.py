"""A restore is a request: a document the API could not have produced is refused naming the field, whole."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from mockserver.core.bounds import FREE_FORM_MAX_BYTES, TEXT_MAX
from mockserver.core.errors import Conflict, ValidationFailed
from mockserver.core.snapshot import export_state, restore_state
from mockserver.core.webhooks.sinks import MAX_BODY_KEPT
from tests.snapshot.helpers import Breaker, at_path, make_tenant, populate

FOREIGN = "acc_01JZZZZZZZZZZZZZZZZZZZZZZZ"
UPLOADED = 4  # the index of the populated tenant's uploaded media item (the fixtures' come first)


def _without(path: str) -> Breaker:
    def apply(document: dict[str, Any]) -> Any:
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[part]
        del node[last]
        return document

    return apply


def _twice(path: str) -> Breaker:
    def apply(document: dict[str, Any]) -> Any:
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[part]
        node[last] = node[last] + node[last][:1]
        return document

    return apply


def _same_id_new_seq(document: dict[str, Any]) -> Any:
    """A second post with the first one's id, under a seq of its own."""
    store = document["state"]["posts"]
    store["posts"].append({**store["posts"][0], "seq": store["next_seq"]})
    store["next_seq"] += 1
    return document


def _sinks(document: dict[str, Any], count: int) -> Any:
    sink = document["state"]["webhooks"]["sinks"][0]
    document["state"]["webhooks"]["sinks"] = [{**sink, "name": f"sink-{n}"} for n in range(count)]
    return document


BAD_DOCUMENTS: list[tuple[str, Breaker, str]] = [
    ("not an object", lambda d: [d], "body"),
    ("wrong format", at_path("format", "something-else"), "format"),
    ("unknown field", at_path("surprise", 1), "surprise"),
    ("a missing area", _without("state.webhooks"), "state.webhooks"),
    ("naive clock", at_path("now", "2026-01-01T00:00:00"), "now"),
    (
        "naive instant inside",
        at_path("state.accounts.brands.-1.created_at", "2026-01-01T00:00:00"),
        "state.accounts.brands[1].created_at",
    ),
    (
        "instant before 1970",
        at_path("state.posts.posts.0.created_at", "1969-12-31T23:59:59Z"),
        "state.posts.posts[0].created_at",
    ),
    ("bad status", at_path("state.posts.posts.0.status", "exploded"), "state.posts.posts[0].status"),
    ("bad instant", at_path("state.posts.posts.0.created_at", "yesterday"), "state.posts.posts[0].created_at"),
    ("duplicate post", _same_id_new_seq, "state.posts"),
    ("seq from the future", at_path("state.posts.next_seq", 1), "state.posts"),
    ("duplicate account", _twice("state.accounts.items"), "state.accounts.items"),
    ("duplicate sink", _twice("state.webhooks.sinks"), "state.webhooks.sinks"),
    ("unknown platform", at_path("state.accounts.items.0.platform", "myspace"), "state.accounts.items[0].platform"),
    ("unknown BYOK platform", at_path("state.accounts.byok_platforms", ["myspace"]), "state.accounts.byok_platforms"),
    ("text too long", at_path("state.posts.posts.0.text", "x" * (TEXT_MAX + 1)), "state.posts.posts[0].text"),
    ("title too long", at_path("state.posts.posts.0.title", "x" * 5_001), "state.posts.posts[0].title"),
    (
        "free-form object too big",
        at_path("state.posts.posts.0.targets.0.platform_data", {"x": "y" * FREE_FORM_MAX_BYTES}),
        "state.posts.posts[0].targets[0].platform_data",
    ),
    ("sink status 999", at_path("state.webhooks.sinks.0.status", 999), "state.webhooks.sinks[0].status"),
    ("sink status 0", at_path("state.webhooks.sinks.0.status", 0), "state.webhooks.sinks[0].status"),
    ("sink status 150", at_path("state.webhooks.sinks.0.status", 150), "state.webhooks.sinks[0].status"),
    ("sink delay", at_path("state.webhooks.sinks.0.delay_ms", 10**9), "state.webhooks.sinks[0].delay_ms"),
    ("too many sinks", lambda d: _sinks(d, 51), "state.webhooks.sinks"),
    (
        "sink body past what a sink keeps",
        at_path("state.webhooks.sinks.0.received.0.body", base64.urlsafe_b64encode(bytes(MAX_BODY_KEPT + 1)).decode()),
        "state.webhooks.sinks[0].received[0].body",
    ),
    ("sink name", at_path("state.webhooks.sinks.0.name", "not a name!"), "state.webhooks.sinks[0].name"),
    (
        "webhook over plain HTTP",
        at_path("state.webhooks.endpoints.0.url", "http://hooks.example.com/in"),
        "state.webhooks.endpoints[0].url",
    ),
    (
        "unknown webhook event",
        at_path("state.webhooks.endpoints.0.events", ["post.exploded"]),
        "state.webhooks.endpoints[0].events[0]",
    ),
    (
        "delivery to a missing endpoint",
        at_path("state.webhooks.deliveries.0.endpoint_id", "wh_missing"),
        "state.webhooks.deliveries[0].endpoint_id",
    ),
    (
        "post to a foreign account",
        at_path("state.posts.posts.0.targets.0.account_id", FOREIGN),
        "state.posts.posts[0].targets[0].account_id",
    ),
    (
        "page of a foreign account",
        at_path("state.accounts.pages.-1.account_id", FOREIGN),
        "state.accounts.pages[5].account_id",
    ),
    (
        "board of a foreign account",
        at_path("state.accounts.boards.-1.account_id", FOREIGN),
        "state.accounts.boards[2].account_id",
    ),
    (
        "upload slot of no media",
        at_path("state.media.upload_slots.0.media_id", "med_missing"),
        "state.media.upload_slots[0].media_id",
    ),
    ("short generator", at_path("state.ids.rng.words", [1, 2, 3]), "state.ids.rng.words"),
    ("broken generator", at_path("state.request_ids.words", [0] * 624 + [10_000]), "state.request_ids"),
    (
        "bad media bytes",
        at_path(f"state.media.items.{UPLOADED}.data", "not base64!"),
        f"state.media.items[{UPLOADED}].data",
    ),
    ("broken scenario", at_path("scenarios", {"documents": [{"document": {"name": 1}}], "rng": []}), "scenarios"),
    ("unknown version", at_path("version", "two"), "version"),
]


@pytest.mark.parametrize(("name", "breaker", "field"), BAD_DOCUMENTS, ids=[n for n, _, _ in BAD_DOCUMENTS])
def test_a_bad_document_is_refused_naming_the_field_and_changes_nothing(
    name: str, breaker: Breaker, field: str
) -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    document = breaker(copy.deepcopy(export_state(source)))
    before = export_state(target)
    ran: list[str] = []
    target.restored.append(lambda: ran.append("rebuilt"))
    with pytest.raises(ValidationFailed) as refused:
        restore_state(target, document if isinstance(document, dict) else _json(document))
    assert refused.value.code == "validation.state_invalid"
    assert refused.value.meta["field"] == field, refused.value.message
    assert refused.value.message.startswith(field) and "\n" not in refused.value.message
    assert export_state(target) == before and not ran


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def test_telegram_and_bluesky_accounts_load() -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    restore_state(target, export_state(source))
    platforms = {account.platform for account in target.state.accounts.items.values()}
    assert {"telegram", "bluesky"} <= platforms


def test_a_good_restore_runs_the_rebuilds_once_and_indexes_the_media() -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    document = export_state(source)
    ran: list[str] = []
    target.restored.append(lambda: ran.append("rebuilt"))
    restore_state(target, document)
    assert ran == ["rebuilt"]
    uploaded = document["state"]["media"]["items"][UPLOADED]["id"]
    assert target.shared.media_owners == {
        uploaded: "sapi_key_target",
        document["state"]["media"]["items"][5]["id"]: "sapi_key_target",
    }


CLAIMS = [
    ("sink", "kept-sink", "state.webhooks.sinks[0].name"),
    ("media", None, f"state.media.items[{UPLOADED}].id"),
    ("upload_token", None, "state.media.upload_slots[0].token"),
]


@pytest.mark.parametrize(("kind", "value", "field"), CLAIMS, ids=[kind for kind, _, _ in CLAIMS])
def test_a_name_or_id_another_tenant_holds_answers_409_and_changes_nothing(
    kind: str, value: str | None, field: str
) -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    document = export_state(source)
    if value is None:
        value = document["state"]["media"]["items"][UPLOADED]["id"] if kind == "media" else None
        value = value or document["state"]["media"]["upload_slots"][0]["token"]
    before = export_state(target)
    asked: list[tuple[str, str]] = []

    def claimed(asked_kind: str, asked_value: str) -> str | None:
        asked.append((asked_kind, asked_value))
        return "sapi_key_victim" if (asked_kind, asked_value) == (kind, value) else None

    with pytest.raises(Conflict) as refused:
        restore_state(target, document, claimed=claimed)
    assert refused.value.meta["field"] == field
    assert export_state(target) == before
    # The fixtures' media ids are every tenant's: nobody is asked about them.
    fixture_media = {m.id for m in target.baseline.media}
    assert not [v for k, v in asked if k == "media" and v in fixture_media]


def test_what_the_restoring_tenant_itself_holds_is_no_conflict() -> None:
    source = make_tenant("sapi_key_source")
    populate(source)
    document = export_state(source)
    restore_state(source, document, claimed=lambda kind, value: "sapi_key_source")
    assert export_state(source) == document
