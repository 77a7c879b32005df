"""Documents of other versions: version 1 (written by the mock before the state was one object) is
migrated on load; a version this mock does not know is refused in one line naming both versions."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from mockserver.core.errors import ValidationFailed
from mockserver.core.snapshot import VERSION, export_state, export_state_json, restore_state
from tests.snapshot.helpers import make_tenant, populate

# Saved with GET /_mock/state from the mock as it was before version 2 (commit 077bc4b), after
# brands, a page change, an OAuth approval, a pending connection, a Bluesky connect, a sink that
# received a webhook, an upload, a presigned upload, posts and a clock advance.
V1 = Path(__file__).resolve().parents[1] / "robustness" / "data" / "state-v1.json"


def test_a_version_1_document_is_migrated_with_everything_it_held() -> None:
    v1 = json.loads(V1.read_bytes())
    tenant = make_tenant("sapi_key_v1_sample")
    restore_state(tenant, V1.read_bytes())
    state = export_state(tenant)["state"]
    extensions = v1["extensions"]
    assert [p["id"] for p in state["posts"]["posts"]] == [p["id"] for p in v1["posts"]]
    assert state["posts"]["next_seq"] == v1["next_seq"]
    # Fields added since version 1 come back at their defaults (no login, no pending selection, and
    # analytics days cut on UTC).
    assert [a.pop("login_id") for a in state["accounts"]["items"]] == [None] * len(v1["accounts"])
    assert [c.pop("connection_id") for c in state["accounts"]["oauth_codes"]] == [""] * len(extensions["oauth_codes"])
    assert state["accounts"]["items"] == [{**account, "timezone": "UTC"} for account in v1["accounts"]]
    assert [(b.pop("board_id"), b.pop("description")) for b in state["accounts"]["boards"]] == [("", "")] * len(
        extensions["boards"]
    )
    assert {a["platform"] for a in state["accounts"]["items"]} >= {"bluesky", "pinterest"}
    for part in ("brands", "pages", "boards", "creator_info", "redirect_uris", "pending_connections", "oauth_codes"):
        assert state["accounts"][part] == extensions[part], part
    assert state["media"]["upload_slots"] == extensions["media_library"]["upload_slots"]
    assert [m["id"] for m in state["media"]["items"]] == [m["id"] for m in v1["media"]]
    assert state["attempts"] == extensions["deliveries"]
    assert state["ids"] == v1["ids"] and state["request_ids"] == v1["request_rng"]
    assert len(state["journal"]) == len(v1["journal"]) and state["events"] == v1["events"]
    # Version 1 kept webhook and sink bodies as text; they are bytes now, and the same bytes.
    delivery, old_delivery = state["webhooks"]["deliveries"][0], extensions["webhooks"]["deliveries"][0]
    assert base64.urlsafe_b64decode(delivery["body"]).decode() == old_delivery["body"]
    sink, old_sink = state["webhooks"]["sinks"][0], extensions["sinks"][0]
    assert sink["name"] == old_sink["name"] == "v1-sink"
    assert base64.urlsafe_b64decode(sink["received"][0]["body"]).decode() == old_sink["received"][0]["body"]
    # What version 1 did not carry is the restoring tenant's own.
    assert state["keys"] == ["sapi_key_v1_sample"]
    assert state["media"]["key"] == export_state(make_tenant("sapi_key_v1_sample"))["state"]["media"]["key"]


def test_a_migrated_document_saves_as_the_current_version() -> None:
    tenant = make_tenant("sapi_key_v1_sample")
    restore_state(tenant, V1.read_bytes())
    saved = export_state_json(tenant)
    assert json.loads(saved)["version"] == VERSION == 2
    again = make_tenant("sapi_key_v1_sample")
    restore_state(again, saved)
    assert export_state_json(again) == saved


@pytest.mark.parametrize("version", [7, 3])
def test_a_newer_version_is_refused_in_one_line_naming_both(version: int) -> None:
    source, target = make_tenant("sapi_key_source"), make_tenant("sapi_key_target")
    populate(source)
    document = {**export_state(source), "version": version}
    before = export_state(target)
    with pytest.raises(ValidationFailed) as refused:
        restore_state(target, document)
    message = refused.value.message
    assert f"version {version} is newer than this mock's 2" in message and "\n" not in message
    assert refused.value.meta["field"] == "version"
    assert export_state(target) == before


def test_a_bad_version_1_document_is_refused_naming_its_field_in_the_new_layout() -> None:
    v1 = json.loads(V1.read_bytes())
    v1["extensions"]["sinks"][0]["status"] = 999
    target = make_tenant("sapi_key_target")
    before = export_state(target)
    with pytest.raises(ValidationFailed) as refused:
        restore_state(target, v1)
    assert refused.value.meta["field"] == "state.webhooks.sinks[0].status"
    assert export_state(target) == before
