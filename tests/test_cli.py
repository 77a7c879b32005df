"""The CLI: main(argv, environ) with no server started for the error paths."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mockserver.cli import _parser, main, settings_from
from mockserver.loading.scenarios import bundled_scenarios_dir
from mockserver.serve import free_port, tune_gc

ROOT = Path(__file__).resolve().parents[1]


def test_settings_from_flags_and_environment() -> None:
    args = _parser({"MOCKSERVER_SEED": "9", "MOCKSERVER_PORT": "9001"}).parse_args(
        ["serve", "--clock", "realtime", "--start-time", "2026-03-01T00:00:00Z"]
    )
    settings = settings_from(args)
    assert (settings.seed, settings.port, settings.clock) == (9, 9001, "realtime")
    assert settings.start_time.isoformat() == "2026-03-01T00:00:00+00:00"


def test_bad_start_time_exits_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--start-time", "yesterday"], environ={})
    assert exited.value.code == 2
    assert "--start-time" in capsys.readouterr().err


def test_bad_fixture_file_names_the_file_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "accounts.yaml").write_text("brand_id: b\naccounts:\n  - id: acc_bad\n    platform: instagram\n")
    assert main(["serve", "--fixtures", str(tmp_path)], environ={}) == 2
    err = capsys.readouterr().err
    assert "accounts.yaml" in err and "accounts[0].id" in err


def test_the_collector_paused_for_loading_is_on_again_after_a_start_that_failed(tmp_path: Path) -> None:
    (tmp_path / "accounts.yaml").write_text("accounts: [\n")
    assert gc.isenabled()
    assert main(["serve", "--fixtures", str(tmp_path)], environ={}) == 2
    assert gc.isenabled()


def test_the_server_collects_again_once_it_has_loaded() -> None:
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    gc.disable()  # as the CLI leaves it while the server loads
    try:
        tune_gc()
        assert gc.isenabled()
    finally:
        # The test process keeps its own collector settings.
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        gc.callbacks[:] = callbacks


def test_bad_scenario_file_stops_the_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndescription: d\ndeliveries:\n  - fail: {code: c, message: m, category: nope}\n")
    assert main(["serve", "--scenario", str(bad)], environ={}) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "deliveries[0].fail.category" in err


def test_check_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = sorted(bundled_scenarios_dir().glob("*.yaml"))
    assert main(["check-scenario", *map(str, good)], environ={}) == 0
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: x\ndescription: d\ndelivery: []\n")
    assert main(["check-scenario", str(bad)], environ={}) == 1
    assert "typo.yaml" in capsys.readouterr().err


def test_serve_answers_the_sdk_on_the_given_port() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--seed", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30  # a loaded CI machine can take seconds to import
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/v1/accounts", headers={"Authorization": "Bearer sapi_key_cli"}
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        assert response.status_code == 200
        from socialapi import SocialAPI

        with SocialAPI(api_key="sapi_key_cli", base_url=f"http://127.0.0.1:{port}", max_retries=0) as sdk:
            assert sdk.publishing.create(text="hello").status == "draft"
    finally:
        process.terminate()
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()
