"""Weekly compliance: the plan's week against what was done, numbers checked by hand.

The plan is ``a_valid_plan`` (tests/plan_builders.py). Its week 1 (Mon 2026-12-07):
Tue intervals 8.0 km 50' rpe 8 (load 400) · Wed heavy strength 75' rpe 8 (600, 22 sets) ·
Thu easy 8.0 km 48' rpe 4 (192) + light strength 30' rpe 5 (150, 6 sets) · Sat easy 6.5 km
(160) · Sun long 9.5 km (300): 6 sessions, load 1802, 32.0 km, 28 sets.
"""

from __future__ import annotations

from datetime import date

import pytest

from runlift.domain.compliance import DoneSession, week_starts, weekly_compliance
from tests.plan_builders import a_valid_plan

MON = date(2026, 12, 7)


def d(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)


WEEK_1_DONE = [
    DoneSession(d(8), "run", 400.0, 8.0, planned_session_id="w1-tue-run"),
    DoneSession(d(9), "strength", 600.0, strength_sets=22, planned_session_id="w1-wed-strength"),
    DoneSession(d(10), "run", 192.0, 8.2, planned_session_id="w1-thu-run"),
    DoneSession(d(7), "mobility", 40.0),  # not in the plan: an extra session
    DoneSession(d(12), "walk", 90.0, 5.0),  # a walk: load counts, km do not
]


def test_week_of_the_plan_compares_planned_and_done() -> None:
    weeks = weekly_compliance(MON, d(13), WEEK_1_DONE, a_valid_plan(4))
    assert len(weeks) == 1
    week = weeks[0]
    assert (week.start, week.end, week.plan_week, week.deload) == (MON, d(13), 1, False)
    # planned: 400 + 600 + 192 + 150 + 160 + 300 = 1802; 8.0 + 8.0 + 6.5 + 9.5 = 32.0 km;
    # 22 + 6 = 28 sets; 6 sessions
    assert (week.planned_load, week.planned_km, week.planned_sets, week.sessions_planned) == (
        1802,
        32.0,
        28,
        6,
    )
    # done: 400 + 600 + 192 + 40 + 90 = 1322; runs 8.0 + 8.2 = 16.2 km (not the walk);
    # 22 sets; 3 planned sessions done, 2 sessions matched to nothing
    assert (week.load, week.run_km, week.strength_sets) == (1322.0, 16.2, 22)
    assert (week.sessions_done, week.sessions_extra) == (3, 2)
    # 1322 / 1802 = 73.4 %, 16.2 / 32.0 = 50.6 %, 22 / 28 = 78.6 %, 3 / 6 = 50 %
    assert week.load_pct == pytest.approx(73.36, abs=0.01)
    assert week.km_pct == pytest.approx(50.63, abs=0.01)
    assert week.sets_pct == pytest.approx(78.57, abs=0.01)
    assert week.sessions_pct == 50.0


def test_weeks_follow_the_plan_grid_and_are_counted_whole() -> None:
    # Asking from a Wednesday to the next Tuesday still gives the two whole plan weeks.
    done = [*WEEK_1_DONE, DoneSession(d(14), "run", 100.0, 5.0)]
    weeks = weekly_compliance(d(9), d(15), done, a_valid_plan(4))
    assert [(w.start, w.plan_week) for w in weeks] == [(MON, 1), (d(14), 2)]
    assert weeks[0].load == 1322.0  # Monday's mobility and Tuesday's run count
    assert weeks[1].load == 100.0
    assert weeks[1].sessions_extra == 1  # matched to nothing


def test_deload_week_is_marked() -> None:
    weeks = weekly_compliance(d(28), d(28), [], a_valid_plan(4))
    assert weeks[0].plan_week == 4
    assert weeks[0].deload
    # de-load week 4: 400 + 360 + 168 + 150 + 172 + 250 = 1500, 28.5 km, 12 + 6 = 18 sets
    assert (weeks[0].planned_load, weeks[0].planned_km, weeks[0].planned_sets) == (1500, 28.5, 18)
    assert (weeks[0].load, weeks[0].load_pct, weeks[0].sessions_done) == (0, 0.0, 0)


def test_weeks_outside_the_plan_have_nothing_planned() -> None:
    weeks = weekly_compliance(
        d(30, 11), d(6), [DoneSession(d(1), "run", 200.0, 6.0)], a_valid_plan(1)
    )
    assert len(weeks) == 1
    week = weeks[0]
    assert week.start == d(30, 11)  # the plan grid, a week before the plan starts
    assert not week.in_plan
    assert (week.planned_load, week.planned_km, week.sessions_planned) == (None, None, None)
    assert (week.load, week.run_km, week.load_pct) == (200.0, 6.0, None)


def test_without_a_plan_weeks_start_on_monday() -> None:
    weeks = weekly_compliance(d(10), d(20), [DoneSession(d(13), "run", 300.0, 10.0)])
    assert [w.start for w in weeks] == [d(7), d(14)]
    assert weeks[0].load == 300.0
    assert weeks[1].load == 0.0
    assert not any(w.in_plan for w in weeks)


def test_week_starts_cover_the_window() -> None:
    assert week_starts(d(9), d(9), MON) == [MON]
    assert week_starts(d(6), d(7), MON) == [d(30, 11), MON]
    with pytest.raises(ValueError, match="before"):
        week_starts(d(9), d(8), MON)
