"""``--state-file``: every tenant survives a restart; a corrupt file stops the start and stays as it was."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mockserver import MockServer
from mockserver.api.state import StateFileError, load_state_file, save_state_file
from mockserver.cli import main
from mockserver.serve import free_port
from tests.conftest import ACCOUNTS
from tests.robustness.helpers import client, fingerprint, seed_posts, serving_process

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ci-host-token"
ALICE = {"Authorization": "Bearer sapi_key_alice"}
BOB = {"Authorization": "Bearer sapi_key_bob"}


@contextmanager
def serving(state_file: Path, stop: signal.Signals = signal.SIGTERM) -> Iterator[tuple[str, list[str]]]:
    """``socialapi-mock serve`` in a subprocess; on exit it is stopped with ``stop`` and must exit 0."""
    log: list[str] = []
    options = ("--log-level", "info", "--state-file", str(state_file), "--control-token", TOKEN)
    with serving_process(*options) as (url, process):
        try:
            yield url, log
        finally:
            process.send_signal(stop)
            _, err = process.communicate(timeout=15)
            log.append(err)
    assert process.returncode == 0, err


def test_every_tenant_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "mock-state.json"
    control = {"X-Mock-Token": TOKEN}
    with serving(state_file) as (url, log), httpx.Client(base_url=url) as http:
        alice = [http.post("/v1/posts", headers=ALICE, json={"text": f"alice {n}"}).json()["id"] for n in range(3)]
        body = {
            "text": "bob",
            "targets": [{"account_id": ACCOUNTS["linkedin"]}],
            "scheduled_at": "2026-01-01T10:00:00Z",
        }
        bob = http.post("/v1/posts", headers=BOB, json=body).json()["id"]
        assert http.post("/_mock/clock/advance", headers={**BOB, **control}, json={"seconds": 60}).status_code == 200
        assert http.get("/_mock/clock", headers=BOB).status_code == 401  # the token guards the control plane
        bob_state = http.get("/_mock/state", headers={**BOB, **control}).json()
    assert "http://127.0.0.1:" in log[0]  # loopback only, unless --host says otherwise
    saved = json.loads(state_file.read_text())
    assert sorted(saved["tenants"]) == ["sapi_key_alice", "sapi_key_bob"]
    assert not list(tmp_path.glob(".*.tmp"))

    with serving(state_file, stop=signal.SIGINT) as (url, _), httpx.Client(base_url=url) as http:
        restored = http.get("/_mock/state", headers={**BOB, **control}).json()
        for document in (restored, bob_state):
            document["state"]["request_ids"] = None  # every request draws its id from it
        assert restored == bob_state
        listed = http.get("/v1/posts", headers=ALICE, params={"sort": "created_asc"}).json()["data"]
        assert [p["id"] for p in listed] == alice
        assert http.get(f"/v1/posts/{bob}", headers=BOB).json()["status"] == "scheduled"
        fired = http.post("/_mock/clock/advance", headers={**BOB, **control}, json={"to": "2026-01-01T11:00:00Z"})
        assert [f["post_id"] for f in fired.json()["fired"]] == [bob]
    after = json.loads(state_file.read_text())
    assert after["tenants"]["sapi_key_bob"]["state"]["posts"]["posts"][0]["status"] == "published"


CORRUPT = [
    ("not json", b"garbage"),
    ("truncated", b'{"format": "socialapi-mock/state-file", "version": 1, "tenants": {"sapi_key_a": {'),
    ("wrong format", b'{"format": "something", "version": 1, "tenants": {}}'),
    ("not an api key", b'{"format": "socialapi-mock/state-file", "version": 1, "tenants": {"bob": {}}}'),
    ("empty", b""),
]


@pytest.mark.parametrize(("name", "content"), CORRUPT, ids=[n for n, _ in CORRUPT])
def test_a_corrupt_file_stops_the_start_and_is_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_bytes(content)
    assert main(["serve", "--port", str(free_port()), "--state-file", str(state_file)], environ={}) == 2
    err = capsys.readouterr().err
    assert str(state_file) in err and "left untouched" in err
    assert state_file.read_bytes() == content


def test_more_tenants_than_max_tenants_stop_the_start_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = MockServer()
    for name in ("alice", "bob"):
        with client(server, f"sapi_key_{name}") as http:
            http.post("/v1/posts", json={"text": name})
    state_file = tmp_path / "state.json"
    save_state_file(server, state_file)
    content = state_file.read_bytes()
    options = ["serve", "--port", str(free_port()), "--state-file", str(state_file), "--max-tenants", "1"]
    assert main(options, environ={}) == 2
    err = capsys.readouterr().err
    assert "tenants: 2 tenants, more than --max-tenants allows (1)" in err and str(state_file) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert state_file.read_bytes() == content


def test_a_file_that_takes_over_another_tenants_sink_is_refused(tmp_path: Path) -> None:
    server = MockServer()
    with client(server, "sapi_key_attacker") as http:
        assert http.post("/_mock/sinks", json={"name": "victims-sink"}).status_code == 201
    state_file = tmp_path / "state.json"
    save_state_file(server, state_file)
    saved = json.loads(state_file.read_text())
    saved["tenants"]["sapi_key_victim"] = saved["tenants"]["sapi_key_attacker"]
    state_file.write_text(json.dumps(saved))
    fresh = MockServer()
    with pytest.raises(StateFileError, match=r"state\.webhooks\.sinks\[0\]\.name: another tenant holds"):
        load_state_file(fresh, state_file)
    assert not list(fresh.tenants())


def test_one_bad_tenant_stops_the_start_before_any_is_restored(tmp_path: Path) -> None:
    server = MockServer()
    with client(server, "sapi_key_good") as http:
        seed_posts(http)
    state_file = tmp_path / "state.json"
    save_state_file(server, state_file)
    saved = json.loads(state_file.read_text())
    bad = json.loads(json.dumps(saved["tenants"]["sapi_key_good"]))
    bad["state"]["posts"]["next_seq"] = 0
    saved["tenants"]["sapi_key_bad"] = bad
    state_file.write_text(json.dumps(saved))
    fresh = MockServer()
    with pytest.raises(StateFileError, match="sapi_key_bad"):
        load_state_file(fresh, state_file)
    assert not list(fresh.tenants())


def test_saving_replaces_the_file_in_one_step(tmp_path: Path) -> None:
    server = MockServer()
    state_file = tmp_path / "state.json"
    state_file.write_text("the previous save")
    with client(server, "sapi_key_saver") as http:
        seed_posts(http)
    assert save_state_file(server, state_file).saved == 1
    assert json.loads(state_file.read_text())["format"] == "socialapi-mock/state-file"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    restored = MockServer()
    assert load_state_file(restored, state_file) == 1
    assert fingerprint(restored.tenant("sapi_key_saver")) == fingerprint(server.tenant("sapi_key_saver"))


def test_a_failed_save_leaves_no_partial_file(tmp_path: Path) -> None:
    server = MockServer()
    server.tenant("sapi_key_saver")
    target = tmp_path / "taken"
    target.mkdir()  # a directory where the file should go: the final rename fails
    with pytest.raises(StateFileError, match="cannot write"):
        save_state_file(server, target)
    assert target.is_dir() and not list(tmp_path.glob(".*.tmp"))


def test_a_missing_file_is_an_empty_start(tmp_path: Path) -> None:
    assert load_state_file(MockServer(), tmp_path / "new.json") == 0
