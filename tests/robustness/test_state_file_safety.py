"""The state file never loses data (issue 12): checked at start, saved periodically and on SIGTERM even
with a stalled client, tenant by tenant, with a failing tenant reported while the others are saved.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from mockserver import MockServer, Settings, serve
from mockserver.api.state import load_state_file, prepare_state_file, save_state_file
from mockserver.cli import main
from mockserver.core.snapshot import MEDIA_CHUNK, export_state_json, export_state_pieces
from mockserver.serve import free_port
from tests.robustness.helpers import client, serving_process

ROOT = Path(__file__).resolve().parents[2]
ALICE = {"Authorization": "Bearer sapi_key_alice"}


def test_sigterm_with_a_stalled_client_stops_within_the_timeout_and_saves(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    options = ["--state-file", str(state_file), "--shutdown-timeout", "1", "--request-timeout", "60"]
    with serving_process(*options) as (url, process):
        created = httpx.post(f"{url}/v1/posts", headers=ALICE, json={"text": "kept"}).json()["id"]
        stalled = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        stalled.sendall(
            b"POST /v1/posts HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n"
            + b"Authorization: Bearer sapi_key_alice\r\n\r\n{"
        )
        time.sleep(0.2)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
        took = time.monotonic() - started
        stalled.close()
    assert process.returncode == 0, err
    assert took < 1 + 4, took  # the timeout, plus the save and the interpreter's exit
    saved = json.loads(state_file.read_text())
    assert [p["id"] for p in saved["tenants"]["sapi_key_alice"]["state"]["posts"]["posts"]] == [created]


def test_the_state_is_saved_periodically_so_a_kill_loses_at_most_one_interval(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    with serving_process("--state-file", str(state_file), "--state-save-interval", "0.2") as (url, process):
        created = httpx.post(f"{url}/v1/posts", headers=ALICE, json={"text": "kept"}).json()["id"]
        deadline = time.monotonic() + 10
        while created.encode() not in (state_file.read_bytes() if state_file.exists() else b""):
            assert time.monotonic() < deadline, "no periodic save"
            time.sleep(0.05)
        process.kill()
        process.communicate()
    restored = MockServer()
    assert load_state_file(restored, state_file) == 1
    assert [p.id for p in restored.tenant("sapi_key_alice").posts.iter_posts()] == [created]


def _start(state_file: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["serve", "--port", str(free_port()), "--state-file", str(state_file)], environ={})
    return status, capsys.readouterr().err


def test_a_state_file_in_a_missing_directory_stops_the_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = _start(tmp_path / "missing" / "state.json", capsys)
    assert status == 2 and "does not exist" in err


def test_a_fifo_as_state_file_stops_the_start_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "state.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    status, err = _start(fifo, capsys)
    assert status == 2 and "not a regular file" in err
    assert time.monotonic() - started < 5


def test_a_symlinked_state_file_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "data" / "state.json"
    real.parent.mkdir()
    link = tmp_path / "state.json"
    link.symlink_to(real)
    server = MockServer()
    with client(server, "sapi_key_alice") as http:
        http.post("/v1/posts", json={"text": "through"})
    save_state_file(server, prepare_state_file(link))
    assert link.is_symlink() and b"through" in real.read_bytes()


def test_stale_temporary_files_of_dead_processes_are_removed_at_start(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    stale = tmp_path / ".state.json.999999999.tmp"
    stale.write_bytes(b"half a save")
    ours_in_progress = tmp_path / f".state.json.{os.getppid()}.tmp"  # a live process: left alone
    ours_in_progress.write_bytes(b"")
    assert prepare_state_file(state_file) == state_file
    assert not stale.exists() and ours_in_progress.exists()


def test_a_tenant_that_cannot_be_saved_is_reported_and_every_other_is_saved(tmp_path: Path) -> None:
    server = MockServer()
    for name in ("alice", "broken", "carol"):
        with client(server, f"sapi_key_{name}") as http:
            http.post("/v1/posts", json={"text": name})
    broken = {"id": "evt", "event": "x", "created_at": "x", "data": {"x": object()}}  # not JSON data
    server.tenant("sapi_key_broken").tenant.state.events.append(broken)
    state_file = tmp_path / "state.json"
    report = save_state_file(server, state_file)
    assert report.saved == 2 and list(report.failed) == ["sapi_key_broken"]
    restored = MockServer()
    assert load_state_file(restored, state_file) == 2
    assert [t.tenant.name for t in restored.tenants()] == ["sapi_key_alice", "sapi_key_carol"]


def test_a_failing_tenant_makes_the_stop_exit_1_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = MockServer(Settings(state_file=tmp_path / "state.json"))
    broken = {"id": "e", "event": "x", "created_at": "x", "data": {"x": object()}}  # not JSON data
    server.tenant("sapi_key_broken").tenant.state.events.append(broken)
    monkeypatch.setattr(serve._Uvicorn, "run", lambda self: None)  # served, and stopped at once
    assert serve.run(server) == 1
    assert "not saved: sapi_key_broken" in capsys.readouterr().err


def test_the_file_writes_media_in_chunks_and_gives_the_same_document() -> None:
    server = MockServer()
    backend = server.tenant("sapi_key_media")
    blob = os.urandom(MEDIA_CHUNK * 2 + 5)  # three chunks, the last one short
    backend.media.upload_media("a.png", "image/png", blob)
    with client(server, "sapi_key_media") as http:
        http.post("/v1/posts", json={"text": "with media", "platform_data": {"linkedin": {"media": []}}})
    pieces = list(export_state_pieces(backend.tenant))
    assert max(len(piece) for piece in pieces) < len(blob)
    assert b"".join(pieces) == export_state_json(backend.tenant)
