"""Hand-made plans that keep every rule of docs/plan-rules.md, and one-line ways to break them.

``a_valid_plan()`` is four weeks (three loading weeks and a de-load) starting Monday
2026-12-07 for an athlete who runs 30 km a week with a 10 km long run, runs 4 days, lifts
twice, runs long on Sunday and is never free on Friday. Every week looks like this:

    Mon  -                          (free day, R5)
    Tue  07:00 intervals            (speed day; rpe 8)
    Wed  18:00 heavy strength, 75'  (all six patterns + box jumps; rpe 8 → load 600)
    Thu  07:00 easy run, 18:00 light strength, 30' (≥ 6 h after the run; rpe 5 → load 150)
    Fri  -                          (unavailable)
    Sat  08:00 easy run             (rpe 4)
    Sun  07:00 long run             (rpe 5)

De-load weeks swap the heavy Wednesday for the same lifts without the box jumps, 2 sets each
at rpe 6 for 60 min (load 360, not heavy). Session ids are ``w<week>-<mon..sun>-<run|strength>``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from typing import Any

from runlift.domain.plan import (
    HARD_RUN_KINDS,
    WEEKDAYS,
    Exercise,
    Pattern,
    Phase,
    PlannedSession,
    PlanRules,
    PlanWeek,
    SessionKind,
    Sport,
    TrainingPlan,
)

START = date(2026, 12, 7)  # a Monday

RULES = PlanRules(
    run_days=4,
    strength_sessions=2,
    long_run_day="sunday",
    unavailable=("friday",),
    loading_weeks_per_block=3,
    start_weekly_km=30.0,
    start_long_run_km=10.0,
)

# Loading-week Wednesday: 4+3+3+3+3+3+3 = 22 sets.
HEAVY_EXERCISES = (
    Exercise("Back squat", Pattern.SQUAT, 4, "5", rpe=8.0, rest_s=180),
    Exercise("Romanian deadlift", Pattern.HINGE, 3, "6", rpe=8.0, rest_s=150),
    Exercise("Bulgarian split squat", Pattern.LUNGE, 3, "8", rpe=7.5, rest_s=120),
    Exercise("Hip thrust", Pattern.BRIDGE, 3, "8", rpe=7.5, rest_s=120),
    Exercise("Pull-up", Pattern.UPPER, 3, "6", rpe=8.0, rest_s=150),
    Exercise("Plank", Pattern.CORE, 3, "45s", rest_s=60),
    Exercise("Box jump", Pattern.PLYOMETRIC, 3, "5", rest_s=90),
)
# Thursday: 2+2+2 = 6 sets, so a loading week has 22 + 6 = 28 sets.
LIGHT_EXERCISES = (
    Exercise("Single-leg glute bridge", Pattern.BRIDGE, 2, "12", rpe=6.0, rest_s=60),
    Exercise("Side plank", Pattern.CORE, 2, "30s", rest_s=45),
    Exercise("Push-up", Pattern.UPPER, 2, "12", rpe=6.0, rest_s=60),
)
# De-load Wednesday: the heavy lifts minus the box jumps, 6 × 2 = 12 sets at rpe 6;
# a de-load week has 12 + 6 = 18 sets < 28.
DELOAD_EXERCISES = tuple(
    dataclasses.replace(exercise, sets=2, rpe=None if exercise.rpe is None else 6.0)
    for exercise in HEAVY_EXERCISES
    if exercise.pattern is not Pattern.PLYOMETRIC
)

# Each row: de-load?, Tue intervals (km, min, intensity_min), Thu easy (km, min),
# Sat easy (km, min), Sun long (km, min).
# Loads: intervals rpe 8, easy rpe 4, long rpe 5; strength 600 + 150 (de-load 360 + 150).
# Long-run share (LONG-CAP ≤ 30 % with 4 runs), LONGEST reference (longest run of the 30 days
# before, or the 10 km pre-plan long run while the 30 days reach before 2026-12-07).
_Row = tuple[bool, tuple[float, int, int], tuple[float, int], tuple[float, int], tuple[float, int]]
_TABLE: tuple[_Row, ...] = (
    # wk1 Dec 07: 8.0+8.0+6.5+9.5 = 32.0 km ≤ 1.10 × 30 = 33.0 (VOLUME a)
    #   load 400+600+192+150+160+300 = 1802; long 9.5/32.0 = 29.7 %; longest ≤ 1.1 × 10 = 11.0
    #   intensity 12 of 50+48+40+60 = 198 min = 6.1 %
    (False, (8.0, 50, 12), (8.0, 48), (6.5, 40), (9.5, 60)),
    # wk2 Dec 14: 9.0+8.5+7.5+10.0 = 35.0 km ≤ 1.10 × 32.0 = 35.2
    #   load 440+600+204+150+180+320 = 1894; long 10.0/35.0 = 28.6 %; 14 of 215 min = 6.5 %
    (False, (9.0, 55, 14), (8.5, 51), (7.5, 45), (10.0, 64)),
    # wk3 Dec 21: 9.5+9.2+8.5+10.8 = 38.0 km ≤ 1.10 × 35.0 = 38.5 and ≤ 1.30 × 32.0 = 41.6
    #   load 480+600+220+150+200+350 = 2000; long 10.8/38.0 = 28.4 %, ≤ 11.0 (pre-plan 10 km)
    #   intensity 16 of 235 min = 6.8 %
    (False, (9.5, 60, 16), (9.2, 55), (8.5, 50), (10.8, 70)),
    # wk4 Dec 28, de-load: 7.0+7.0+7.0+7.5 = 28.5 km = 38.0 − 25 %; ≤ 1.30 × 35.0 = 45.5
    #   load 400+360+168+150+172+250 = 1500 = 2000 − 25 %; long 7.5/28.5 = 26.3 %
    (True, (7.0, 50, 10), (7.0, 42), (7.0, 43), (7.5, 50)),
    # wk5 Jan 04: 9.0+8.5+8.0+10.5 = 36.0 km ≤ 1.10 × 38.0 (wk3) = 41.8, ≤ 1.30 × 38.0 = 49.4
    #   load 440+600+204+150+192+335 = 1921; long 10.5/36.0 = 29.2 %; ≤ 1.1 × 10.8 = 11.88
    (False, (9.0, 55, 14), (8.5, 51), (8.0, 48), (10.5, 67)),
    # wk6 Jan 11: 9.0+8.7+8.0+10.8 = 36.5 km ≤ 1.30 × 28.5 (wk4) = 37.05, ≤ 1.10 × 36.0 = 39.6
    #   load 440+600+208+150+192+350 = 1940; long 10.8/36.5 = 29.6 %
    (False, (9.0, 55, 14), (8.7, 52), (8.0, 48), (10.8, 70)),
    # wk7 Jan 18: 10.0+9.5+8.7+11.8 = 40.0 km ≤ 1.10 × 36.5 = 40.15, ≤ 1.30 × 36.0 = 46.8
    #   load 496+600+228+150+208+380 = 2062; long 11.8/40.0 = 29.5 %;
    #   11.8 ≤ 1.1 × 10.8 (Sun Dec 27, Jan 17) = 11.88; intensity 18 of 247 min = 7.3 %
    (False, (10.0, 62, 18), (9.5, 57), (8.7, 52), (11.8, 76)),
    # wk8 Jan 25, de-load: 7.5+7.5+7.0+8.0 = 30.0 km = 40.0 − 25 %; ≤ 1.30 × 36.5 = 47.45
    #   load 400+360+180+150+168+260 = 1518 = 2062 − 26.4 %; long 8.0/30.0 = 26.7 %
    (True, (7.5, 50, 10), (7.5, 45), (7.0, 42), (8.0, 52)),
)
# Weeks 9–16 and on repeat the table: every week is at most the one eight weeks before, so the
# repeat keeps VOLUME (e.g. wk9 32.0 after wk7 40.0; wk10 35.0 ≤ 1.30 × 30.0 = 39.0).


def day_of(week: int, weekday: str) -> date:
    """The date of ``weekday`` ("monday"…) in plan week ``week`` (1-based)."""
    return START + timedelta(days=7 * (week - 1) + WEEKDAYS.index(weekday))


def at(day: date, clock: str) -> datetime:
    """``at(day, "07:00")``."""
    return datetime.combine(day, time.fromisoformat(clock))


def session_id(day: date, sport: Sport) -> str:
    week = (day - START).days // 7 + 1
    return f"w{week}-{WEEKDAYS[day.weekday()][:3]}-{sport.value}"


def a_run(
    day: date,
    kind: SessionKind,
    km: float,
    minutes: int,
    rpe: float,
    *,
    clock: str = "07:00",
    intensity_min: int = 0,
    id: str | None = None,
    title: str = "",
) -> PlannedSession:
    return PlannedSession(
        id=id or session_id(day, Sport.RUN),
        start=at(day, clock),
        duration_min=minutes,
        sport=Sport.RUN,
        kind=kind,
        hard=kind in HARD_RUN_KINDS,
        rpe=rpe,
        distance_km=km,
        intensity_min=intensity_min,
        title=title,
    )


def a_strength(
    day: date,
    heavy: bool,
    exercises: tuple[Exercise, ...] | None = None,
    *,
    clock: str = "18:00",
    minutes: int | None = None,
    rpe: float | None = None,
    id: str | None = None,
    title: str = "",
) -> PlannedSession:
    """Heavy: 75 min at rpe 8 (load 600); light: 30 min at rpe 5 (load 150)."""
    return PlannedSession(
        id=id or session_id(day, Sport.STRENGTH),
        start=at(day, clock),
        duration_min=minutes if minutes is not None else (75 if heavy else 30),
        sport=Sport.STRENGTH,
        kind=SessionKind.STRENGTH,
        hard=heavy,
        rpe=rpe if rpe is not None else (8.0 if heavy else 5.0),
        exercises=exercises
        if exercises is not None
        else (HEAVY_EXERCISES if heavy else LIGHT_EXERCISES),
        title=title,
    )


def a_mobility(day: date, *, clock: str = "12:00", minutes: int = 20) -> PlannedSession:
    """20 min of mobility at rpe 2 (load 40)."""
    return PlannedSession(
        id=session_id(day, Sport.MOBILITY),
        start=at(day, clock),
        duration_min=minutes,
        sport=Sport.MOBILITY,
        kind=SessionKind.MOBILITY,
        hard=False,
        rpe=2.0,
    )


def a_deload_strength(day: date) -> PlannedSession:
    """60 min at rpe 6: load 360, 12 sets, not heavy."""
    return a_strength(day, heavy=False, exercises=DELOAD_EXERCISES, minutes=60, rpe=6.0)


def _week(index: int) -> PlanWeek:
    deload, tue, thu, sat, sun = _TABLE[(index - 1) % len(_TABLE)]
    tue_km, tue_min, tue_intensity = tue

    def day(name: str) -> date:
        return day_of(index, name)

    wednesday = (
        a_deload_strength(day("wednesday")) if deload else a_strength(day("wednesday"), True)
    )
    sessions = (
        a_run(
            day("tuesday"), SessionKind.INTERVALS, tue_km, tue_min, 8.0, intensity_min=tue_intensity
        ),
        wednesday,
        a_run(day("thursday"), SessionKind.EASY, thu[0], thu[1], 4.0),
        a_strength(day("thursday"), False),
        a_run(day("saturday"), SessionKind.EASY, sat[0], sat[1], 4.0, clock="08:00"),
        a_run(day("sunday"), SessionKind.LONG, sun[0], int(sun[1]), 5.0),
    )
    phase = Phase.BASE if index <= 4 else Phase.BUILD
    return PlanWeek(index, day("monday"), 7, phase, deload, sessions)


def a_valid_plan(weeks: int = 4) -> TrainingPlan:
    """A plan without a race that keeps every rule (any length; the 8-week table repeats)."""
    return TrainingPlan(
        athlete_name="Test Runner",
        event="general",
        goal_date=None,
        start=START,
        weeks=tuple(_week(index) for index in range(1, weeks + 1)),
        rules=RULES,
    )


def a_valid_race_plan(race_week_days: int = 7) -> TrainingPlan:
    """Weeks 1–3 of ``a_valid_plan`` and a taper race week 4 ending with a 10 km race.

    7 days (race Sun 2027-01-03 09:00): Tue intervals 7.0, Wed de-load strength, Thu easy 7.0 +
    light strength, Sat easy 7.0, Sun race 10.0 → 31.0 km ≤ 38.0 (wk3, VOLUME d), 4 runs.
    3 days (race Wed 2026-12-30 09:00): Mon de-load strength covering all six patterns (R1:
    Monday is two days out and available), Tue rest (R5), Wed race 10.0.
    """
    week4 = 4
    if race_week_days == 7:
        race_day = day_of(week4, "sunday")
        sessions: tuple[PlannedSession, ...] = (
            a_run(day_of(week4, "tuesday"), SessionKind.INTERVALS, 7.0, 50, 8.0, intensity_min=10),
            a_deload_strength(day_of(week4, "wednesday")),
            a_run(day_of(week4, "thursday"), SessionKind.EASY, 7.0, 42, 4.0),
            a_strength(day_of(week4, "thursday"), False),
            a_run(day_of(week4, "saturday"), SessionKind.EASY, 7.0, 42, 4.0, clock="08:00"),
        )
    elif race_week_days == 3:
        race_day = day_of(week4, "wednesday")
        sessions = (a_deload_strength(day_of(week4, "monday")),)
    else:
        raise ValueError("race_week_days is 7 or 3")
    race = a_run(race_day, SessionKind.RACE, 10.0, 50, 9.0, clock="09:00", intensity_min=50)
    taper = PlanWeek(
        week4, day_of(week4, "monday"), race_week_days, Phase.TAPER, False, (*sessions, race)
    )
    plan = a_valid_plan(3)
    return dataclasses.replace(
        plan, event="10k", goal_date=race_day, weeks=(*plan.weeks, taper), target_time="0:50:00"
    )


# --------------------------------------------------------------------------- one-line breakers


def find_session(plan: TrainingPlan, session_id: str) -> PlannedSession:
    for session in plan.sessions:
        if session.id == session_id:
            return session
    raise KeyError(session_id)


def _map_sessions(plan: TrainingPlan, change: Any) -> TrainingPlan:
    weeks = tuple(
        dataclasses.replace(week, sessions=tuple(change(week, week.sessions)))
        for week in plan.weeks
    )
    return dataclasses.replace(plan, weeks=weeks)


def replace_session(
    plan: TrainingPlan,
    session_id: str,
    *,
    on: date | None = None,
    clock: str | None = None,
    **changes: Any,
) -> TrainingPlan:
    """The plan with one session changed; ``on``/``clock`` move it (it stays in its week)."""
    old = find_session(plan, session_id)
    if on is not None or clock is not None:
        changes["start"] = at(on or old.date, clock or old.start.strftime("%H:%M"))
    if "kind" in changes and "hard" not in changes and old.sport is Sport.RUN:
        changes["hard"] = changes["kind"] in HARD_RUN_KINDS
    new = dataclasses.replace(old, **changes)
    return _map_sessions(
        plan, lambda _week, sessions: (new if s.id == session_id else s for s in sessions)
    )


def remove_session(plan: TrainingPlan, session_id: str) -> TrainingPlan:
    find_session(plan, session_id)
    return _map_sessions(plan, lambda _week, sessions: (s for s in sessions if s.id != session_id))


def add_session(plan: TrainingPlan, week: int, session: PlannedSession) -> TrainingPlan:
    return _map_sessions(
        plan,
        lambda w, sessions: (*sessions, session) if w.index == week else sessions,
    )


def replace_week(plan: TrainingPlan, index: int, **changes: Any) -> TrainingPlan:
    """The plan with week ``index`` (1-based) changed, e.g. ``deload=False``."""
    weeks = tuple(
        dataclasses.replace(week, **changes) if week.index == index else week for week in plan.weeks
    )
    return dataclasses.replace(plan, weeks=weeks)


def with_weeks(plan: TrainingPlan, *weeks: PlanWeek) -> TrainingPlan:
    """The plan with exactly these weeks."""
    return dataclasses.replace(plan, weeks=weeks)


def with_rules(plan: TrainingPlan, **changes: Any) -> TrainingPlan:
    """The plan judged under changed ``PlanRules``, e.g. ``run_days=3``."""
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **changes))


# ------------------------------------------------------------------- reading generated plans


def training_km(week: PlanWeek) -> float:
    """The week's running km without the race (as VOLUME and the shape checks count it)."""
    return sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE)


def loading_weeks(plan: TrainingPlan) -> list[PlanWeek]:
    """The loading weeks: no de-load, no taper, no race."""
    return [
        w
        for w in plan.weeks
        if not w.deload
        and w.phase is not Phase.TAPER
        and not any(s.kind is SessionKind.RACE for s in w.runs)
    ]


def shared_day_runs(week: PlanWeek) -> list[tuple[PlannedSession, PlannedSession]]:
    """(run, lift) for every run that shares its day with a lift."""
    lifts = {s.date: s for s in week.strength}
    return [(run, lifts[run.date]) for run in week.runs if run.date in lifts]
