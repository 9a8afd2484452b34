"""Times bend, rules do not: preferred clock times, availability windows and the planner's
choice of start times (docs/profile.md "Availability", docs/planning.md "Start times")."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible, ProfileError
from runlift.domain.plan import WEEKDAYS, SessionKind, Sport, TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile, Window
from runlift.domain.rules import check_plan
from tests.builders import maya_mapping
from tests.plan_builders import shared_day_runs

SOLVER = CpSatPlacementSolver()


def profile_with(**schedule: Any) -> AthleteProfile:
    data = maya_mapping()
    data["schedule"].update(schedule)
    return AthleteProfile.from_mapping(data)


def shared_days(plan: TrainingPlan) -> list[tuple[Any, Any]]:
    """(run, lift) of every day holding both."""
    pairs = []
    for week in plan.weeks:
        runs = {s.date: s for s in week.sessions if s.sport is Sport.RUN}
        for lift in week.strength:
            if lift.date in runs:
                pairs.append((runs[lift.date], lift))
    return pairs


def minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


# ------------------------------------------------------------------------------ the profile


def test_availability_is_read_per_weekday_in_order() -> None:
    profile = profile_with(
        availability={"Sunday": ["07:00-12:00"], "monday": ["17:00-21:00", "06:00-08:00"]}
    )
    assert list(profile.availability) == ["monday", "sunday"]
    assert profile.availability["monday"] == (Window(6 * 60, 8 * 60), Window(17 * 60, 21 * 60))
    assert [str(w) for w in profile.availability["sunday"]] == ["07:00-12:00"]
    # The preferences stay as they were.
    assert (profile.run_time, profile.strength_time) == (time(7), time(18))


def test_a_window_may_run_to_midnight() -> None:
    profile = profile_with(availability={"monday": ["20:00-24:00"]})
    assert profile.availability["monday"] == (Window(20 * 60, 24 * 60),)


@pytest.mark.parametrize(
    ("availability", "key", "says"),
    [
        ({"mondy": ["06:00-08:00"]}, "schedule.availability.mondy", "did you mean 'monday'"),
        ({"monday": ["6-8"]}, "schedule.availability.monday", "HH:MM-HH:MM"),
        ({"monday": ["06:00 to 08:00"]}, "schedule.availability.monday", "HH:MM-HH:MM"),
        ({"monday": ["25:00-26:00"]}, "schedule.availability.monday", "HH:MM-HH:MM"),
        ({"monday": ["10:00-09:00"]}, "schedule.availability.monday", "does not end after"),
        ({"monday": ["10:00-10:00"]}, "schedule.availability.monday", "does not end after"),
        (
            {"monday": ["06:00-09:00", "08:30-10:00"]},
            "schedule.availability.monday",
            "06:00-09:00 and 08:30-10:00 overlap",
        ),
        ({"friday": ["06:00-08:00"]}, "schedule.availability.friday", "schedule.unavailable"),
        ({"monday": ["06:00-06:20"]}, "schedule.availability.monday", "too short"),
        ({"monday": "06:00-08:00"}, "schedule.availability.monday", "must be a non-empty list"),
        ({"monday": []}, "schedule.availability.monday", "must be a non-empty list"),
        (["monday"], "schedule.availability", "must be a table"),
    ],
)
def test_a_bad_window_is_refused_with_its_key(availability: Any, key: str, says: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_with(availability=availability)
    assert caught.value.key == key
    assert says in caught.value.message


def test_a_misspelt_availability_key_is_suggested() -> None:
    with pytest.raises(ProfileError) as caught:
        profile_with(availabilty={"monday": ["06:00-08:00"]})
    assert caught.value.key == "schedule.availabilty"
    assert "did you mean 'availability'" in caught.value.message


# ------------------------------------------------------------------------------ the planner


def test_lift_before_run_times_plan_with_the_run_first_and_the_lift_6_h_after() -> None:
    # Five runs and three lifts on six free days must share two days. With the lift preferred
    # at 12:30 and the run at 18:30 the old planner had no plan; a coach puts the run first.
    profile = profile_with(run_days=5, strength_sessions=3, run_time="18:30", strength_time="12:30")
    plan = generate_plan(profile, SOLVER)
    assert check_plan(plan) == []
    pairs = shared_days(plan)
    assert pairs, "five runs and three lifts on six days must share a day"
    for run, lift in pairs:
        assert run.kind in (SessionKind.EASY, SessionKind.RECOVERY)
        assert lift.start >= run.end + timedelta(hours=6)
    # Sessions on days of their own keep the preferred times.
    run_days = {run.date for run, _ in pairs}
    alone = [s for s in plan.sessions if s.date not in run_days]
    assert any(s.sport is Sport.STRENGTH and s.start.time() == time(12, 30) for s in alone)
    assert any(s.sport is Sport.RUN and s.start.time() == time(18, 30) for s in alone)


def test_every_session_starts_inside_a_window_of_its_weekday() -> None:
    windows = {
        "monday": ["06:00-08:00", "17:00-21:00"],
        "tuesday": ["12:00-13:30"],
        "wednesday": ["05:30-07:00", "18:00-20:00"],
        "thursday": ["19:00-22:00"],
        "saturday": ["08:00-18:00"],
        "sunday": ["07:00-11:00"],
    }
    profile = profile_with(run_days=5, strength_sessions=3, availability=windows, run_time="12:00")
    plan = generate_plan(profile, SOLVER)
    assert check_plan(plan) == []
    for session in plan.sessions:
        day = WEEKDAYS[session.date.weekday()]
        start = minutes(session.start)
        spans = profile.availability[day]
        assert any(w.start_min <= start <= w.end_min - 30 for w in spans), (
            f"{session.title} on {day} at {session.start:%H:%M} is outside {windows[day]}"
        )
    # Where the preferred run time 12:00 lies inside a window, runs keep it.
    tuesday_runs = [s for s in plan.sessions if s.sport is Sport.RUN and s.date.weekday() == 1]
    assert all(s.start.time() == time(12) for s in tuesday_runs)
    for run, lift in shared_days(plan):
        assert lift.start >= run.end + timedelta(hours=6)


def test_windows_too_narrow_to_share_a_day_give_no_plan_naming_the_windows() -> None:
    # Five runs and three lifts on six days need two shared days, but a 06:00-09:00 window
    # cannot hold an easy run and a lift 6 h after it.
    morning = {day: ["06:00-09:00"] for day in WEEKDAYS if day != "friday"}
    profile = profile_with(run_days=5, strength_sessions=3, availability=morning)
    with pytest.raises(PlanInfeasible) as caught:
        generate_plan(profile, SOLVER)
    text = str(caught.value)
    assert "monday 06:00-09:00" in text
    assert "schedule.availability" in text
    # The same days with an evening window as well plan fine.
    both = {day: ["06:00-09:00", "17:00-21:00"] for day in WEEKDAYS if day != "friday"}
    plan = generate_plan(profile_with(run_days=5, strength_sessions=3, availability=both), SOLVER)
    assert check_plan(plan) == []


def test_heavy_lifts_keep_24_hours_from_hard_runs_when_times_move() -> None:
    # Evening runs and morning lifts: a heavy lift the morning after a hard evening run would
    # start < 24 h after it; the planner moves the time or the day, never the rule.
    profile = profile_with(run_time="20:00", strength_time="06:00", strength_sessions=3)
    plan = generate_plan(profile, SOLVER)
    assert [v for v in check_plan(plan) if v.rule in ("R3", "SAME-DAY")] == []
    heavy = [s for s in plan.sessions if s.is_heavy_strength]
    assert heavy
    hard = [s for s in plan.sessions if s.is_hard_run]
    for lift in heavy:
        for run in hard:
            first, second = sorted((lift, run), key=lambda s: s.start)
            assert second.start - first.end >= timedelta(hours=24)


def test_more_run_days_than_free_days_plans_the_free_days_and_says_so() -> None:
    """6 runs a week with Tuesday and Friday unavailable: runs never double up, so the coach plans
    5 run days and tells the athlete which day to free — a plan, not "no plan"."""
    profile = profile_with(run_days=6, unavailable=["tuesday", "friday"])
    plan = generate_plan(profile, SOLVER)
    assert check_plan(plan) == []
    assert plan.rules.run_days == 5
    warning = plan.warnings[0]
    assert "6 run days asked" in warning
    assert "planned 5 run days" in warning
    assert "schedule.unavailable" in warning
    for week in plan.weeks:
        run_dates = [s.date for s in week.sessions if s.sport is Sport.RUN]
        assert len(run_dates) == len(set(run_dates)) <= 5
        assert not {WEEKDAYS[d.weekday()] for d in run_dates} & {"tuesday", "friday"}


def _shared_day_athlete(**schedule: object) -> AthleteProfile:
    """59 km on 3 runs beside 3 lifts and 2 days off: an easy run must share a lift's day."""
    data = maya_mapping()
    data["fitness"].update(weekly_km=59.0, long_run_km=25.6)
    data["schedule"].update(
        run_days=3,
        strength_sessions=3,
        long_run_day="wednesday",
        unavailable=["tuesday", "friday"],
        run_time="10:00",
        strength_time="06:00",
        **schedule,
    )
    return AthleteProfile.from_mapping(data)


def test_a_long_easy_run_on_a_lifting_day_gets_the_room_it_needs() -> None:
    """The easy run beside the long run must hold ~20 km (2 h) for week 1 to keep the athlete's
    59 km: the planner moves the lift later (or the run earlier) on that day so the run still
    ends 6 h before it (SAME-DAY), instead of cutting the week."""
    plan = generate_plan(_shared_day_athlete(), SOLVER)
    assert check_plan(plan) == []
    first = plan.weeks[0]
    assert sum(s.distance_km or 0 for s in first.runs) >= 0.9 * 59.0
    shared = shared_day_runs(first)
    assert shared
    assert max(run.duration_min for run, _ in shared) > 90
    for run, lift in shared:
        assert lift.start - run.end >= timedelta(hours=6)
    assert not [w for w in plan.warnings if "does not fit" in w]


def test_a_volume_the_windows_cannot_hold_is_capped_with_the_fix_said() -> None:
    """The same athlete free only 10:00-10:30 and 17:30-18:00: a run on a lifting day ends 6 h
    before the lift, so it lasts 90 min at most and week 1 falls short of 59 km (the speed
    session's longer warm-up takes some of it); the plan says so and how to keep the volume."""
    windows = {
        day: ["10:00-10:30", "17:30-18:00"] for day in WEEKDAYS if day not in ("tuesday", "friday")
    }
    plan = generate_plan(_shared_day_athlete(availability=windows), SOLVER)
    assert check_plan(plan) == []
    first = plan.weeks[0]
    shared = shared_day_runs(first)
    assert shared
    assert max(run.duration_min for run, _ in shared) <= 90
    assert sum(s.distance_km or 0 for s in first.runs) < 0.95 * 59.0
    said = [w for w in plan.warnings if w.startswith("59 km does not fit 3 runs a week")]
    assert said
    assert "lifting day" in said[0]
    assert "schedule.run_days = 4" in said[0]
