"""The state document is derived from ``TenantState``: every field travels, exactly, in a stable byte form."""

from __future__ import annotations

import dataclasses
import json
import os
import tracemalloc
from datetime import UTC, datetime

from mockserver.core.accounts.connections import CONNECTABLE
from mockserver.core.snapshot import MEDIA_CHUNK, export_state, export_state_json, export_state_pieces, restore_state
from mockserver.core.state import AccountsState, InboxState, MediaState, TenantState, WebhooksState
from tests.snapshot.helpers import make_tenant, populate

AREAS = {"accounts": AccountsState, "media": MediaState, "webhooks": WebhooksState, "inbox": InboxState}


def test_a_restored_tenant_holds_exactly_what_the_original_held() -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    own_keys = export_state(target)["state"]["team"]["api_keys"]
    restore_state(target, export_state_json(source))
    expected = {**export_state(source), "tenant": "sapi_key_target"}
    expected["state"]["keys"] = ["sapi_key_target"]  # who opens a tenant is not part of what it holds
    expected["state"]["team"]["api_keys"] = own_keys
    assert export_state(target) == expected
    at = datetime(2026, 1, 1, 1, tzinfo=UTC)
    # The generators continue where the source's stand: the next ids and request ids are the same.
    assert target.state.ids.next("p_", at) == source.state.ids.next("p_", at)
    assert target.state.request_ids.random() == source.state.request_ids.random()
    assert target.clock.now() == source.clock.now()
    # The post store's indexes were rebuilt: lists and the scheduler see the restored posts.
    assert [p.id for p in target.state.posts.all_posts()] == [p.id for p in source.state.posts.all_posts()]
    assert len(target.state.posts) == 3


def test_every_field_of_the_state_is_in_the_document() -> None:
    tenant = make_tenant()
    populate(tenant)
    state = export_state(tenant)["state"]
    assert list(state) == [f.name for f in dataclasses.fields(TenantState)]
    for area, cls in AREAS.items():
        assert list(state[area]) == [f.name for f in dataclasses.fields(cls)]
    # Nothing the populated tenant holds came back empty.
    empty = [f"{area}.{name}" for area in AREAS for name, value in state[area].items() if value in ([], {}, 0)]
    assert empty == []


def test_the_same_state_exports_the_same_bytes() -> None:
    first, second = make_tenant(), make_tenant()
    populate(first)
    populate(second)
    # Sets are written sorted, whatever order they iterate in (string hashes differ between processes).
    for tenant in (first, second):
        tenant.state.accounts.byok_platforms.update(CONNECTABLE)
    exported = export_state_json(first)
    assert exported == export_state_json(second)
    assert json.loads(exported)["state"]["accounts"]["byok_platforms"] == sorted(CONNECTABLE)
    again = make_tenant()
    restore_state(again, exported)
    assert export_state_json(again) == exported


def test_the_bounded_logs_keep_the_restoring_tenant_s_sizes() -> None:
    source = make_tenant(journal_size=50, events_size=40)
    populate(source)
    target = make_tenant(journal_size=7, events_size=3)
    restore_state(target, export_state_json(source))
    assert target.state.journal.maxlen == 7 and target.state.attempts.maxlen == 7
    assert target.state.events.maxlen == 3
    # A sink keeps no bound of its own: its tenant's sinks share one budget (core/webhooks/sinks.py).
    assert next(iter(target.state.webhooks.sinks.values())).received.maxlen is None


def test_instants_with_an_offset_come_back_in_utc() -> None:
    tenant = make_tenant()
    populate(tenant)
    document = export_state(tenant)
    document["now"] = "2026-01-01T02:05:00+02:00"
    document["state"]["accounts"]["brands"][-1]["created_at"] = "2026-01-01T01:05:00+01:00"
    restore_state(tenant, document)
    restored = export_state(tenant)
    assert restored["now"] == "2026-01-01T00:05:00Z"
    assert restored["state"]["accounts"]["brands"][-1]["created_at"] == "2026-01-01T00:05:00Z"


def test_the_file_writes_media_in_chunks_and_gives_the_same_document() -> None:
    tenant = make_tenant()
    populate(tenant)
    blob = os.urandom(MEDIA_CHUNK * 2 + 5)  # three chunks, the last one short
    next(iter(m for m in tenant.state.media.items.values() if m.data)).data = blob
    pieces = list(export_state_pieces(tenant))
    assert max(len(piece) for piece in pieces) < len(blob)
    assert b"".join(pieces) == export_state_json(tenant)


def test_a_stored_string_that_looks_like_a_marker_does_not_break_the_pieces() -> None:
    tenant = make_tenant()
    populate(tenant)
    post = next(iter(tenant.state.posts.all_posts()))
    # A string of the marker's shape (32 hex digits and an index), as a fixed marker would write it.
    post.targets[0].platform_data = {"note": "0" * 32 + "0"}
    assert b"".join(export_state_pieces(tenant)) == export_state_json(tenant)


def test_a_webhook_attempt_in_flight_is_due_again_after_a_restore() -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    delivery = next(iter(source.state.webhooks.deliveries.values()))
    delivery.in_flight, delivery.next_attempt_at = True, None
    restore_state(target, export_state_json(source))
    restored = target.state.webhooks.deliveries[delivery.id]
    assert not restored.in_flight and restored.next_attempt_at == delivery.created_at


def test_a_restore_allocates_less_than_three_times_its_body() -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    blob = os.urandom(4 * 2**20)
    next(iter(m for m in source.state.media.items.values() if m.data)).data = blob
    body = export_state_json(source)
    del blob, source
    tracemalloc.start()
    try:
        restore_state(target, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(body), (peak, len(body))
