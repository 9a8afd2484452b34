"""Recovery advice: sleep targets (R8), rest days (R5) and active recovery (R9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runlift.domain.plan import Phase, PlannedSession, SessionKind
from runlift.domain.recovery import (
    ACTIVE_RECOVERY_OPTIONS,
    EASY_CROSS,
    EASY_RUN,
    REST_DAY_OPTIONS,
    day_recovery,
    sleep_target_h,
)
from tests.plan_builders import a_mobility, a_run, a_strength

DAY = date(2026, 12, 8)
YESTERDAY = DAY - timedelta(days=1)


def test_an_ordinary_day_sleeps_8_hours() -> None:
    easy = a_run(DAY, SessionKind.EASY, 8.0, 48, 4.0)
    result = day_recovery(DAY, [easy], [])
    assert result.sleep_target_h == 8.0
    assert not result.rest_day
    assert result.active_recovery == ()  # not after a hard day, not tired


@pytest.mark.parametrize(
    ("sessions", "hours"),
    [
        ([], 8.0),
        ([a_run(DAY, SessionKind.INTERVALS, 10.0, 60, 8.0)], 8.5),  # hard
        ([a_strength(DAY, heavy=True, minutes=75)], 8.5),  # heavy strength is hard
        ([a_run(DAY, SessionKind.EASY, 16.0, 100, 4.0)], 8.5),  # ≥ 90 min
        ([a_run(DAY, SessionKind.LONG, 20.0, 120, 5.0)], 9.0),  # hard and ≥ 90 min
        ([a_mobility(DAY, minutes=95)], 8.0),  # mobility is not training minutes
    ],
)
def test_sleep_target_is_higher_after_a_hard_or_long_day(
    sessions: list[PlannedSession], hours: float
) -> None:
    assert day_recovery(DAY, sessions, []).sleep_target_h == hours
    assert 7.0 <= hours <= 9.0


def test_de_load_and_taper_keep_8_hours_except_on_race_day() -> None:
    long_run = a_run(DAY, SessionKind.LONG, 20.0, 120, 5.0)
    assert day_recovery(DAY, [long_run], [], deload=True).sleep_target_h == 8.0
    assert day_recovery(DAY, [long_run], [], phase=Phase.TAPER).sleep_target_h == 8.0
    assert day_recovery(DAY, [long_run], [], phase=Phase.BUILD).sleep_target_h == 9.0
    race = a_run(DAY, SessionKind.RACE, 21.1, 105, 9.0)
    assert sleep_target_h([race], phase=Phase.TAPER) == 9.0


def test_a_day_without_sessions_is_a_rest_day_with_gentle_options_only() -> None:
    result = day_recovery(DAY, [], [a_run(YESTERDAY, SessionKind.LONG, 20.0, 120, 5.0)])
    assert result.rest_day
    assert result.active_recovery == REST_DAY_OPTIONS
    assert EASY_RUN not in result.active_recovery
    assert EASY_CROSS not in result.active_recovery
    assert result.to_dict()["rest_day"] is True


def test_the_day_after_a_hard_day_offers_every_active_recovery_option() -> None:
    heavy_yesterday = a_strength(YESTERDAY, heavy=True)
    easy = a_run(DAY, SessionKind.EASY, 8.0, 48, 4.0)
    result = day_recovery(DAY, [easy], [heavy_yesterday])
    assert result.active_recovery == ACTIVE_RECOVERY_OPTIONS
    assert not result.rest_day


def test_tired_on_a_hard_day_suggests_swapping_the_hard_session() -> None:
    tempo = a_run(DAY, SessionKind.TEMPO, 9.0, 55, 7.0)
    result = day_recovery(DAY, [tempo], [], tired=True)
    assert result.active_recovery == ACTIVE_RECOVERY_OPTIONS
    assert any("replace today's hard session" in note for note in result.notes)


@pytest.mark.parametrize("today", [[], [a_run(DAY, SessionKind.INTERVALS, 10.0, 60, 8.0)]])
def test_ill_means_rest_and_no_active_recovery(today: list[PlannedSession]) -> None:
    yesterday = [a_run(YESTERDAY, SessionKind.LONG, 20.0, 120, 5.0)]
    result = day_recovery(DAY, today, yesterday, ill=True, tired=True)
    assert result.active_recovery == ()
    assert result.ill
    assert any("rest" in note.lower() for note in result.notes)
    assert result.sleep_target_h == 9.0


def test_to_dict() -> None:
    data = day_recovery(DAY, [a_run(DAY, SessionKind.INTERVALS, 10.0, 60, 8.0)], []).to_dict()
    assert data["date"] == "2026-12-08"
    assert data["sleep_target_h"] == 8.5
    assert data["rest_day"] is False
    assert data["active_recovery"] == []


def test_sessions_on_the_wrong_day_are_refused() -> None:
    with pytest.raises(ValueError, match="2026-12-07"):
        day_recovery(DAY, [a_run(YESTERDAY, SessionKind.EASY, 8.0, 48, 4.0)], [])
    with pytest.raises(ValueError, match="2026-12-08"):
        day_recovery(DAY, [], [a_run(DAY, SessionKind.EASY, 8.0, 48, 4.0)])
