"""``--speed N``: a realtime clock that runs N fake seconds per wall second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockserver.cli import _parser, main, settings_from
from mockserver.core import clock as clock_module
from mockserver.core.clock import RealtimeClock


def test_speed_comes_from_the_option_or_from_mockserver_speed() -> None:
    args = _parser({}).parse_args(["serve", "--clock", "realtime", "--speed", "60"])
    assert settings_from(args).speed == 60
    args = _parser({"MOCKSERVER_SPEED": "30", "MOCKSERVER_CLOCK": "realtime"}).parse_args(["serve"])
    assert settings_from(args).speed == 30
    assert settings_from(_parser({}).parse_args(["serve"])).speed == 1


def test_the_help_names_the_default_and_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"], environ={})
    text = " ".join(capsys.readouterr().out.split())
    assert "--speed N" in text and "default: 1" in text and "MOCKSERVER_SPEED" in text


@pytest.mark.parametrize("argv", [["--speed", "60"], ["--clock", "realtime", "--speed", "0"], ["--speed", "fast"]])
def test_a_speed_that_cannot_apply_is_refused_with_a_reason(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["serve", *argv], environ={})
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert code == 2
    assert "speed" in capsys.readouterr().err


def test_a_realtime_clock_at_speed_60_moves_a_minute_per_wall_second(monkeypatch: pytest.MonkeyPatch) -> None:
    wall = [1000.0]
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: wall[0])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = RealtimeClock(start, speed=60)
    wall[0] += 2.5
    assert clock.now() == start + timedelta(minutes=2, seconds=30)
    clock.move_to(start + timedelta(hours=1))
    wall[0] += 1
    assert clock.now() == start + timedelta(hours=1, minutes=1)
