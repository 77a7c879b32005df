"""The fake clock and the id factory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mockserver.core.clock import ClockError, FakeClock, RealtimeClock
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
