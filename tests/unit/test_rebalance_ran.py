"""The base of the growth is the km actually run (docs/adjustments.md, "Growth from the km
actually run"), on ``a_valid_plan(8)``: week 1 plans 32 km (Tue 8, Thu 8, Sat 6.5, Sun 9.5),
week 2 35 km (Tue 9, Thu 8.5, Sat 7.5, Sun 10), week 3 38 km."""

from __future__ import annotations

from datetime import date, timedelta

from runlift.domain.adjust import km_run
from runlift.domain.rebalance import base_km, week_limit_km
from tests.plan_builders import a_valid_plan

WEEK_2 = date(2026, 12, 14)


def test_nothing_logged_in_the_weeks_is_nothing_to_measure() -> None:
    plan = a_valid_plan(8)
    assert km_run(plan.weeks[:2], {}, today=WEEK_2 + timedelta(days=7)) == {}


def test_a_week_under_way_counts_its_km_run_and_the_runs_still_to_come() -> None:
    plan = a_valid_plan(8)
    wednesday = WEEK_2 + timedelta(days=2)
    # week 1: 30 km run; week 2: Tuesday's 9 km intervals run as 6 km, 26 km still to come
    ran = {WEEK_2 - timedelta(days=6): 30.0, WEEK_2 + timedelta(days=1): 6.0}
    assert km_run(plan.weeks[:2], ran, today=wednesday) == {1: 30.0, 2: 32.0}
    # a run today already matched to Thursday's session is not counted twice
    done = {s.id for s in plan.weeks[1].runs if s.date == WEEK_2 + timedelta(days=3)}
    ran_thursday = {**ran, WEEK_2 + timedelta(days=3): 8.5}
    thursday = WEEK_2 + timedelta(days=3)
    assert km_run(plan.weeks[:2], ran_thursday, today=thursday, done=done)[2] == 32.0


def test_the_limit_grows_from_the_km_run_never_above_the_plan() -> None:
    plan = a_valid_plan(8)
    # week 3 after week 2 (35 km planned): +10 % on 35 km, or on the 20 km run
    assert week_limit_km(plan, 2) == 1.10 * 35.0
    assert week_limit_km(plan, 2, {2: 20.0}) == 1.10 * 20.0
    # 50 km run counts as the 35 planned
    assert base_km(plan.weeks[1], {2: 50.0}) == 35.0
    assert week_limit_km(plan, 2, {2: 50.0}) == 1.10 * 35.0
    # run nothing: the restart floor of 3 km per run (4 runs)
    assert week_limit_km(plan, 2, {1: 0.0, 2: 0.0}) == 12.0
