"""The plan generator against the numbers of docs/science.md (§1 R6, §2 paces, §3 volume)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from icalendar import Calendar

from runlift.adapters.exporters.ical import plan_to_ics
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible
from runlift.domain.plan import Phase, SessionKind, Sport, TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from tests.builders import maya_profile

SOLVER = CpSatPlacementSolver()


def plan_for(**sections: dict[str, object]) -> TrainingPlan:
    return generate_plan(maya_profile(**sections), SOLVER)


def loading_runs(plan: TrainingPlan) -> list[int]:
    """Lengths of the runs of loading weeks between de-loads/taper."""
    runs, current = [], 0
    for week in plan.weeks:
        if week.deload or week.phase is Phase.TAPER:
            if current:
                runs.append(current)
            current = 0
        else:
            current += 1
    if current:
        runs.append(current)
    return runs


def test_maya_deloads_every_third_or_fourth_week_with_20_to_30_percent_less() -> None:
    plan = plan_for()
    assert plan.rules.loading_weeks_per_block == 3
    assert all(2 <= n <= 3 for n in loading_runs(plan))
    deloads = [i for i, w in enumerate(plan.weeks) if w.deload]
    assert len(deloads) >= 3
    for i in deloads:
        before, week = plan.weeks[i - 1], plan.weeks[i]
        assert 0.70 <= week.run_km / before.run_km <= 0.80
        assert 0.70 <= week.load / before.load <= 0.80
        # Strength keeps its frequency with fewer sets and no heavy session (R6).
        assert len(week.strength) == len(before.strength)
        assert week.strength_sets < before.strength_sets
        assert not any(s.hard for s in week.strength)


@pytest.mark.parametrize(
    ("athlete", "experience", "per_block"),
    [
        ({}, "beginner", 2),
        ({"birth_date": date(1970, 1, 1)}, "intermediate", 2),
        ({}, "advanced", 3),
    ],
)
def test_beginners_and_athletes_over_50_get_a_2_to_1_cycle(
    athlete: dict[str, object], experience: str, per_block: int
) -> None:
    plan = plan_for(athlete={**athlete, "experience": experience})
    assert plan.rules.loading_weeks_per_block == per_block
    assert max(loading_runs(plan)) <= per_block


@pytest.mark.parametrize(
    ("event", "taper_weeks"), [("5k", 1), ("10k", 2), ("half-marathon", 2), ("marathon", 3)]
)
def test_taper_length_follows_the_distance(event: str, taper_weeks: int) -> None:
    plan = plan_for(goal={"event": event})
    assert sum(1 for w in plan.weeks if w.phase is Phase.TAPER) == taper_weeks
    # Phases run base → build → peak → taper, in that order.
    order = [w.phase for w in plan.weeks]
    assert order == sorted(order, key=[Phase.BASE, Phase.BUILD, Phase.PEAK, Phase.TAPER].index)
    # Taper weeks cut running volume and keep intensity (a speed session stays).
    last_loading = max(w.run_km for w in plan.weeks if w.phase is not Phase.TAPER)
    for week in plan.weeks:
        if week.phase is Phase.TAPER:
            km = sum(s.distance_km or 0 for s in week.runs if s.kind is not SessionKind.RACE)
            assert km <= last_loading * 0.85


def test_volume_starts_at_the_current_level_and_grows_at_most_ten_percent() -> None:
    plan = plan_for()
    assert 32.0 * 0.95 <= plan.weeks[0].run_km <= 32.0 * 1.10
    loading = [w.run_km for w in plan.weeks if not w.deload and w.phase is not Phase.TAPER]
    for before, after in itertools.pairwise(loading):
        assert after <= before * 1.10 + 0.1
    # Intermediate half-marathon: peaks at 55 km/week.
    assert max(loading) == pytest.approx(55.0, abs=0.6)


def test_the_first_long_run_starts_at_the_athletes_and_leads() -> None:
    plan = plan_for()  # Maya runs 32 km a week on 4 days with a 14 km long run
    week = plan.weeks[0]
    (long_run,) = [s for s in week.runs if s.kind is SessionKind.LONG]
    long_km = long_run.distance_km or 0
    assert long_run.date.strftime("%A") == "Sunday"
    assert 14.0 * 0.9 <= long_km <= 14.0 * 1.10  # her 14 km, +10 % at most (Frandsen)
    assert long_km <= 0.50 * week.run_km + 1e-9  # LONG-CAP with 4 runs (Higdon: 40–50 %)
    others = [s.distance_km or 0 for s in week.runs if s is not long_run]
    assert max(others) <= 0.80 * long_km + 0.05  # the long run leads


def test_starting_from_zero_is_a_run_walk_floor_with_a_warning() -> None:
    plan = plan_for(fitness={"weekly_km": 0.0, "long_run_km": 0.0})
    # From nothing, week 1 is one short session's worth (3 km, BEGINNER-START) spread over
    # the 4 run days as run/walk, not 3 km a run (12 km).
    assert plan.weeks[0].run_km <= 3.0 + 0.05
    assert all(run.run_walk is not None for run in plan.weeks[0].runs)
    assert any("run/walk" in w for w in plan.warnings)


def test_paces_come_from_vdot_when_a_recent_race_is_given() -> None:
    # 5K in 19:57 is VDOT 50 in Daniels' table: threshold 4:15/km.
    plan = plan_for(fitness={"recent_race": {"distance": "5k", "time": "19:57"}})
    assert plan.paces["threshold"] == "4:15/km"
    assert plan.paces["vdot"] == "50.0"


def test_without_a_race_runs_are_prescribed_by_effort_and_hr() -> None:
    data = maya_profile()
    data_no_race = AthleteProfile.from_mapping(
        {
            "athlete": {
                "name": "Ana",
                "sex": "female",
                "birth_date": date(1990, 4, 12),
                "weight_kg": 61.0,
                "height_cm": 168.0,
                "experience": "intermediate",
            },
            "goal": {"event": "10k", "date": date(2027, 3, 7)},
            "fitness": {"weekly_km": 25.0, "long_run_km": 8.0},
            "schedule": {
                "start": data.start,
                "run_days": 3,
                "strength_sessions": 2,
                "long_run_day": "saturday",
            },
        }
    )
    plan = generate_plan(data_no_race, SOLVER)
    assert "RPE" in plan.paces["easy"]
    # No max HR: estimated as 208 − 0.7 × age (Tanaka), age 36 → 183.
    assert "183" in plan.hr_zones["note"]
    easy = next(s for s in plan.sessions if s.kind is SessionKind.EASY)
    assert "by effort" in easy.description


def test_heavy_lifting_is_kept_off_the_days_before_hard_runs() -> None:
    plan = plan_for()
    hard_run_days = {s.date for s in plan.sessions if s.is_hard_run}
    heavy = [s for s in plan.sessions if s.is_heavy_strength]
    assert heavy, "Maya's schedule leaves room for heavy lifting"
    for lift in heavy:
        assert lift.date not in hard_run_days
        assert lift.date.toordinal() + 1 not in {d.toordinal() for d in hard_run_days}


def test_every_training_week_covers_the_six_movement_families() -> None:
    plan = plan_for()
    for week in plan.weeks:
        patterns = {e.pattern.value for s in week.strength for e in s.exercises}
        assert {"squat", "hinge", "lunge", "bridge", "core", "upper"} <= patterns


def test_two_free_days_cannot_hold_four_runs_and_three_lifts() -> None:
    profile = maya_profile(
        schedule={
            "unavailable": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "strength_sessions": 3,
        }
    )
    with pytest.raises(PlanInfeasible) as caught:
        generate_plan(profile, SOLVER)
    texts = " ".join(c.constraint + " " + c.relax for c in caught.value.conflicts)
    assert "4 runs a week" in texts
    assert "unavailable" in texts


def test_session_ids_are_stable_and_belong_to_the_athlete() -> None:
    first, again = plan_for(), plan_for()
    other = plan_for(athlete={"name": "Sam Ortiz"})
    assert [s.id for s in first.sessions] == [s.id for s in again.sessions]
    assert not {s.id for s in first.sessions} & {s.id for s in other.sessions}


def test_ics_carries_the_athlete_time_zone() -> None:
    plan = plan_for(athlete={"timezone": "Europe/Berlin"})
    calendar = Calendar.from_ical(plan_to_ics(plan))
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
    first = next(iter(calendar.walk("VEVENT")))
    assert str(first.decoded("DTSTART").tzinfo) == "Europe/Berlin"


def test_race_is_the_last_session_on_race_day() -> None:
    plan = plan_for()
    last = plan.sessions[-1]
    assert last.kind is SessionKind.RACE
    assert last.date == date(2027, 4, 18)
    assert last.distance_km == pytest.approx(21.1)
    # The day before the race is free.
    assert not [s for s in plan.sessions if s.date == date(2027, 4, 17)]
    assert [s.sport for s in plan.weeks[-1].strength] == [Sport.STRENGTH]


@pytest.mark.parametrize("run_days", [2, 3, 4])
def test_the_race_week_note_promises_only_the_sessions_that_are_there(run_days: int) -> None:
    plan = generate_plan(maya_profile(schedule={"run_days": run_days}), SOLVER)
    race_week = plan.weeks[-1]
    note = race_week.notes[0]
    kinds = {s.kind for s in race_week.runs}
    assert ("short easy runs" in note.lower()) == (SessionKind.EASY in kinds)
    assert ("sharpener" in note) == bool(kinds - {SessionKind.EASY, SessionKind.RACE})
    assert any("strength session" in n for n in race_week.notes) == bool(race_week.strength)


def new_runner(race: date, start: date, run_days: int, strength_time: str) -> AthleteProfile:
    """A beginner who does not run yet, racing a 5K soon: the shapes property tests found."""
    return AthleteProfile.from_mapping(
        {
            "athlete": {
                "name": "New Runner",
                "sex": "female",
                "birth_date": date(2000, 1, 1),
                "weight_kg": 55.0,
                "height_cm": 160.0,
                "experience": "beginner",
            },
            "goal": {"event": "5k", "date": race},
            "fitness": {"weekly_km": 0.0, "long_run_km": 0.0},
            "schedule": {
                "start": start,
                "run_days": run_days,
                "strength_sessions": 2,
                "long_run_day": "monday",
                "run_time": "05:00",
                "strength_time": strength_time,
            },
        }
    )


def test_a_race_on_its_weeks_first_day_has_no_heavy_lift_on_its_eve() -> None:
    """Found by the property test: a 2-week plan from a Friday to a Friday 5K left the race alone
    in its week and Thursday's lift of the week before heavy, 22 h before the start (R3, R4)."""
    from runlift.domain.rules import check_plan

    plan = generate_plan(new_runner(date(2026, 1, 16), date(2026, 1, 2), 2, "06:00"), SOLVER)
    race = next(s for s in plan.sessions if s.kind is SessionKind.RACE)
    eve = [s for s in plan.sessions if s.sport is Sport.STRENGTH and (race.date - s.date).days <= 2]
    assert eve, "the profile must put a lift within two days of the race"
    assert not any(s.hard for s in eve)
    assert check_plan(plan) == []


def test_no_long_run_on_the_eve_of_a_race_that_opens_its_week() -> None:
    """A Tuesday 5K with Monday long runs: the Monday before is free and no hard run falls in the
    three days before the race, as in a taper week (HARD-ADJ)."""
    from runlift.domain.rules import check_plan

    plan = generate_plan(new_runner(date(2026, 12, 8), date(2026, 11, 24), 2, "06:00"), SOLVER)
    close = [s for s in plan.sessions if s.sport is Sport.RUN and s.kind is not SessionKind.RACE]
    assert not [s for s in close if s.date == date(2026, 12, 7)], "the race's eve is free"
    assert not [s for s in close if s.hard and (date(2026, 12, 8) - s.date).days <= 3]
    assert check_plan(plan) == []


def test_a_new_runner_on_five_days_starts_within_one_short_session() -> None:
    """0 km a week and 5 run days: week 1 holds at most 3 km of running (one short session),
    the long run still leading (VOLUME start limit, BEGINNER-START)."""
    from runlift.domain.rules import check_plan

    plan = generate_plan(new_runner(date(2026, 1, 14), date(2026, 1, 1), 5, "00:00"), SOLVER)
    first = plan.weeks[0]
    assert sum(s.distance_km or 0 for s in first.runs) <= 3.0
    longest_other = max(s.distance_km or 0 for s in first.runs if s.kind is not SessionKind.LONG)
    long_km = next(s.distance_km or 0 for s in first.runs if s.kind is SessionKind.LONG)
    assert longest_other <= 0.8 * long_km
    assert check_plan(plan) == []


def test_the_medium_long_run_goes_midweek_not_the_day_after_the_long_run() -> None:
    """Pfitzinger's medium-long run sits midweek; the day after the long run is an easy day."""
    plan = generate_plan(
        maya_profile(
            fitness={"weekly_km": 50.0, "long_run_km": 20.0},
            goal={"event": "marathon", "date": date(2027, 5, 2)},
            schedule={"run_days": 5},
        ),
        SOLVER,
    )
    medium = [s for s in plan.sessions if s.title.startswith("Medium-long run")]
    assert medium, "a 5-run marathon plan at 50 km has medium-long runs"
    long_dates = {s.date for s in plan.sessions if s.kind is SessionKind.LONG}
    assert not [s for s in medium if any((s.date - d).days == 1 for d in long_dates)]
