"""``--state-file``: every tenant is read and checked, across tenants too, before any is touched; a bad
file stops the start with one line naming the file and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockserver.api.state import StateFileError, load_state_file, save_state_file
from mockserver.core.baseline import Shared
from mockserver.core.records.webhooks import Sink
from mockserver.core.snapshot import claim_holder, export_state
from mockserver.core.tenancy import Tenant
from mockserver.settings import Settings
from tests.snapshot.helpers import fixtures, make_tenant, populate
from tests.snapshot.test_versions import V1


class _Backend:
    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant


class TenantsOnly:
    """What the state file reads of a server: its settings, fixtures and tenants (built with ``Tenant``)."""

    def __init__(self, max_tenants: int = 10_000) -> None:
        self.settings = Settings(max_tenants=max_tenants)
        self.fixtures = fixtures()
        self.shared = Shared()
        self._tenants: dict[str, _Backend] = {}

    def tenant(self, key: str) -> _Backend:
        if key not in self._tenants:
            self._tenants[key] = _Backend(make_tenant(key, shared=self.shared, journal_size=1000, events_size=10_000))
        return self._tenants[key]

    def tenants(self) -> list[_Backend]:
        return list(self._tenants.values())

    def claimed_by(self, kind: str, value: str) -> str | None:
        tenants = (backend.tenant for backend in self._tenants.values())
        return claim_holder(tenants, kind, value, media_owners=self.shared.media_owners)


def _saved(tmp_path: Path, *names: str) -> tuple[Path, dict[str, Any]]:
    server = TenantsOnly()
    for name in names:
        populate(server.tenant(name).tenant)
        # Each tenant's sink gets a name of its own: sink names are unique across tenants.
        sinks = server.tenant(name).tenant.state.webhooks.sinks
        sinks[f"sink-{name}"] = sinks.pop("kept-sink")
        sinks[f"sink-{name}"].name = f"sink-{name}"
    path = tmp_path / "state.json"
    assert save_state_file(server, path).saved == len(names)
    return path, json.loads(path.read_bytes())


def _load(path: Path, server: TenantsOnly) -> int:
    return load_state_file(server, path)


def test_every_tenant_comes_back_from_the_file(tmp_path: Path) -> None:
    path, saved = _saved(tmp_path, "sapi_key_alice", "sapi_key_bob")
    server = TenantsOnly()
    assert _load(path, server) == 2
    for key, document in saved["tenants"].items():
        assert export_state(server.tenant(key).tenant) == document


def _refused(path: Path, server: TenantsOnly) -> str:
    with pytest.raises(StateFileError) as refused:
        _load(path, server)
    message = str(refused.value)
    assert str(path) in message and "\n" not in message and "left untouched" in message
    assert not server.tenants()  # nothing was restored, not even the tenants before the bad one
    return message


def test_more_tenants_than_max_tenants_stop_the_start_in_one_line(tmp_path: Path) -> None:
    path, _ = _saved(tmp_path, "sapi_key_alice", "sapi_key_bob", "sapi_key_carol")
    message = _refused(path, TenantsOnly(max_tenants=2))
    assert "tenants: 3 tenants, more than --max-tenants allows (2)" in message


def test_two_tenants_of_one_file_with_the_same_sink_name_stop_the_start(tmp_path: Path) -> None:
    path, saved = _saved(tmp_path, "sapi_key_alice", "sapi_key_bob")
    saved["tenants"]["sapi_key_bob"]["state"]["webhooks"]["sinks"][0]["name"] = "sink-sapi_key_alice"
    path.write_text(json.dumps(saved))
    message = _refused(path, TenantsOnly())
    assert "tenant sapi_key_bob: state.webhooks.sinks[0].name: another tenant holds the sink name" in message


def test_a_name_a_running_tenant_holds_stops_the_load(tmp_path: Path) -> None:
    path, _ = _saved(tmp_path, "sapi_key_alice")
    server = TenantsOnly()
    victim = server.tenant("sapi_key_victim").tenant
    victim.state.webhooks.sinks["sink-sapi_key_alice"] = Sink("sink-sapi_key_alice")
    with pytest.raises(StateFileError, match=r"state\.webhooks\.sinks\[0\]\.name"):
        _load(path, server)
    assert [b.tenant.name for b in server.tenants()] == ["sapi_key_victim"]


def test_a_bad_field_stops_the_start_naming_the_tenant_and_field(tmp_path: Path) -> None:
    path, saved = _saved(tmp_path, "sapi_key_alice", "sapi_key_bob")
    saved["tenants"]["sapi_key_bob"]["state"]["webhooks"]["sinks"][0]["delay_ms"] = 10**9
    path.write_text(json.dumps(saved))
    message = _refused(path, TenantsOnly())
    assert "tenant sapi_key_bob: state.webhooks.sinks[0].delay_ms: between 0 and 60000" in message


def test_a_file_of_version_1_tenants_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    v1 = json.loads(V1.read_bytes())
    path.write_text(json.dumps({"format": "socialapi-mock/state-file", "version": 1, "tenants": {"sapi_key_old": v1}}))
    server = TenantsOnly()
    assert _load(path, server) == 1
    state = export_state(server.tenant("sapi_key_old").tenant)["state"]
    assert [a["platform"] for a in state["accounts"]["items"]][-1] == "bluesky"
    assert [p["id"] for p in state["posts"]["posts"]] == [p["id"] for p in v1["posts"]]


def test_a_tenant_of_a_newer_version_stops_the_start_naming_both_versions(tmp_path: Path) -> None:
    path, saved = _saved(tmp_path, "sapi_key_alice")
    saved["tenants"]["sapi_key_alice"]["version"] = 7
    path.write_text(json.dumps(saved))
    message = _refused(path, TenantsOnly())
    assert "version 7 is newer than this mock's 2" in message
