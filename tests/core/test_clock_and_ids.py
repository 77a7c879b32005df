"""The fake clock and the id factory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mockserver.core import clock as clock_module
from mockserver.core.clock import ClockError, FakeClock, RealtimeClock, wall_now
from mockserver.core.ids import CROCKFORD, IdFactory

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_fake_clock_moves_only_when_told_and_never_back() -> None:
    clock = FakeClock(START)
    assert clock.now() == START == clock.now()
    clock.advance(timedelta(seconds=90))
    assert clock.now() == START + timedelta(seconds=90)
    clock.move_to(datetime(2026, 1, 1, 6, tzinfo=timezone(timedelta(hours=5))))
    assert clock.now() == START + timedelta(hours=1)
    assert clock.now().tzinfo == UTC
    with pytest.raises(ClockError):
        clock.move_to(START)
    clock.restart(START)
    assert clock.now() == START


def test_fake_clock_wants_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 1, 1))


def test_realtime_clock_starts_at_its_start_and_jumps_forward_only() -> None:
    clock = RealtimeClock(START)
    assert START <= clock.now() < START + timedelta(seconds=5)
    clock.move_to(START + timedelta(days=1))
    assert clock.now() >= START + timedelta(days=1)
    with pytest.raises(ClockError):
        clock.move_to(START)


PLUS_FIVE = timezone(timedelta(hours=5))


def test_a_clock_reports_utc_whatever_zone_it_was_given() -> None:
    fake = FakeClock(datetime(2026, 1, 1, 5, tzinfo=PLUS_FIVE))
    assert fake.now() == START and fake.now().tzinfo is UTC
    fake.move_to(datetime(2026, 1, 1, 6, tzinfo=PLUS_FIVE))
    assert fake.now().tzinfo is UTC
    fake.restart(datetime(2026, 1, 1, 5, tzinfo=PLUS_FIVE))
    assert fake.now().tzinfo is UTC
    assert RealtimeClock(datetime(2026, 1, 1, 5, tzinfo=PLUS_FIVE)).now().tzinfo is UTC
    assert wall_now().tzinfo is UTC


def test_clock_errors_say_what_to_do() -> None:
    with pytest.raises(ValueError) as naive:
        FakeClock(datetime(2026, 1, 1))
    assert str(naive.value) == "FakeClock needs an aware datetime; pass tzinfo=UTC"
    with pytest.raises(ClockError) as backwards:
        FakeClock(START + timedelta(hours=1)).move_to(START)
    assert str(backwards.value) == "the clock cannot move backwards (now 2026-01-01T01:00:00Z)"


def test_realtime_clock_jumps_add_up_and_restart_forgets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = [100.0]
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: ticks[0])
    clock = RealtimeClock(START)
    ticks[0] += 30
    assert clock.now() == START + timedelta(seconds=30)
    clock.move_to(clock.now())  # moving to the present is allowed
    clock.move_to(START + timedelta(hours=1))
    clock.move_to(START + timedelta(hours=2))
    assert clock.now() == START + timedelta(hours=2)
    with pytest.raises(ClockError) as backwards:
        clock.move_to(START + timedelta(hours=1))
    assert str(backwards.value) == "the clock cannot move backwards (now 2026-01-01T02:00:00Z)"
    clock.restart(START + timedelta(days=1))
    assert clock.now() == START + timedelta(days=1)
    ticks[0] += 1
    assert clock.now() == START + timedelta(days=1, seconds=1)


def test_a_fast_realtime_clock_runs_speed_times_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = [100.0]
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: ticks[0])
    clock = RealtimeClock(START, speed=4)
    ticks[0] += 10
    assert clock.now() == START + timedelta(seconds=40)
    clock.restart(datetime(2026, 1, 1, 5, tzinfo=PLUS_FIVE))
    assert clock.now() == START and clock.now().tzinfo is UTC
    for speed in (0, -1):
        with pytest.raises(ValueError) as refused:
            RealtimeClock(START, speed=speed)
        assert str(refused.value) == f"the clock's speed must be positive, not {speed}"


def test_a_fake_clock_may_move_to_the_instant_it_shows() -> None:
    fake = FakeClock(START)
    fake.move_to(START)
    assert fake.now() == START


def test_ids_have_the_real_shape_and_repeat_for_the_same_seed() -> None:
    first, again, other = IdFactory(1, "t"), IdFactory(1, "t"), IdFactory(2, "t")
    made = [first.next("p_", START) for _ in range(50)]
    assert made == [again.next("p_", START) for _ in range(50)]
    assert made != [other.next("p_", START) for _ in range(50)]
    assert len(set(made)) == 50
    for ident in made:
        assert ident.startswith("p_") and len(ident) == 28
        assert set(ident[2:]) <= set(CROCKFORD)
    # The first ten characters encode the instant, as in a ULID: later ids sort after earlier ones.
    assert first.next("p_", START + timedelta(milliseconds=1))[2:12] > made[0][2:12]
    first.reset()
    assert first.next("p_", START) == made[0]


def test_platform_style_ids() -> None:
    ids = IdFactory(3, "t")
    number = ids.digits(19)
    assert len(number) == 19 and number.isdigit() and number[0] != "0"
    token = ids.token(11, "ab")
    assert len(token) == 11 and set(token) <= {"a", "b"}
    assert len(ids.hex(64)) == 64
