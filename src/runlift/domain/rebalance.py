"""Rebuilding the weeks after an eased week, so that nothing that follows is a spike.

When a week is eased for the athlete's status (an easy run instead of intervals, a cancelled
day, a shorter long run), the weeks planned after it were planned to grow from the week *as
planned*. :func:`rebalance` rebuilds them from the week as it now stands — the last completed
loading week — with the plan's own limits (docs/science.md §1; docs/plan-rules.md):

- a loading week runs at most 10 % more than the last loading week before it, and at most 30 %
  more than the larger of the two weeks before it (VOLUME), never below the restart floor of
  3 km per run; a taper week no more than the last loading week;
- a de-load stays 20–30 % below the loading week before it (R6), rebuilt when that week was
  eased;
- no run is more than 10 % longer than the longest run of the 30 days before it (LONGEST), and
  the long run keeps its share of the week (LONG-CAP).

Each rebuilt week keeps its days, sessions and ids; its runs are scaled down (never up: a week
already on or below its limits is left as planned), so the athlete returns to the planned curve
at ≤ +10 % a week. Weeks with a session before ``today`` are never touched. The week's notes
are rewritten to say what it is now.

The base of the growth is the km **actually run**: ``actual`` maps a week's index to the
running km the athlete's activities logged in it (for a week under way: run so far plus the
runs still to come as planned). A week that ran less than planned counts with the km run; one
that ran more counts as planned (extra km never raise what follows above the plan). An athlete
who ran 20 of a planned 40 km runs at most 22 km the week after, then ≤ +10 % a week back to
the curve (docs/adjustments.md, "Growth from the km actually run").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType

from runlift.domain.plan import Phase, PlannedSession, PlanWeek, SessionKind, Sport, TrainingPlan
from runlift.domain.rules import check_plan, long_run_share

__all__ = [
    "RESTART_KM_PER_RUN",
    "base_km",
    "fit_long_cap",
    "rebalance",
    "scaled_run",
    "training_km",
    "week_limit_km",
    "week_notes",
]

WEEK_GROWTH = 0.10
TWO_WEEK_GROWTH = 0.30
#: The floor a week may always run: 3 km per planned run (the run-walk start of docs/planning.md).
RESTART_KM_PER_RUN = 3.0
LONGEST_GROWTH = 0.10
LONGEST_WINDOW_DAYS = 30
DELOAD_LEAST_CUT = 0.20
_EPS = 1e-9
_NONE_RUN: Mapping[int, float] = MappingProxyType({})


def _floor1(value: float) -> float:
    return math.floor(value * 10 + _EPS) / 10


def _retitle(title: str, old_km: float, new_km: float) -> str:
    old = f"{old_km:g} km"
    if title.endswith(old):
        return title[: -len(old)] + f"{new_km:g} km"
    return title


def scaled_run(session: PlannedSession, factor: float) -> PlannedSession:
    """``session`` (a run) with its distance, time and faster minutes times ``factor``."""
    km = session.distance_km or 0.0
    distance = _floor1(km * factor)
    description = session.description
    if description.startswith(f"{km:g} km"):
        description = f"{distance:g} km" + description[len(f"{km:g} km") :]
    return replace(
        session,
        distance_km=distance,
        duration_min=max(10, round(session.duration_min * factor)),
        intensity_min=round(session.intensity_min * factor),
        title=_retitle(session.title, km, distance),
        description=description,
    )


def fit_long_cap(runs: list[PlannedSession]) -> list[PlannedSession]:
    """Shorten the long run by 0.1 km steps until it keeps its share of the week (LONG-CAP)."""
    for _ in range(200):
        km = round(sum(s.distance_km or 0.0 for s in runs), 1)
        longs = [s for s in runs if s.kind is SessionKind.LONG]
        if not longs:
            return runs
        long = longs[0]
        distance = long.distance_km or 0.0
        if distance <= 0.1 or distance <= long_run_share(km, len(runs)) * km + _EPS:
            return runs
        shorter = scaled_run(long, (distance - 0.1) / distance)
        runs = [shorter if s is long else s for s in runs]
    return runs


def training_km(week: PlanWeek) -> float:
    """The week's running km without the race (as VOLUME counts it)."""
    return round(sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE), 1)


def base_km(week: PlanWeek, actual: Mapping[int, float] = _NONE_RUN) -> float:
    """The km week ``week`` counts for as the base of what follows: the km run (``actual``, by
    week index) when that is less than planned, else the km planned (race left out)."""
    planned = training_km(week)
    ran = actual.get(week.index)
    return planned if ran is None else min(planned, _floor1(max(ran, 0.0)))


def _ran_less(week: PlanWeek, actual: Mapping[int, float]) -> bool:
    return base_km(week, actual) < training_km(week) - _EPS


def _loading(week: PlanWeek) -> bool:
    return not week.deload and week.phase is not Phase.TAPER


def _last_loading(plan: TrainingPlan, position: int) -> PlanWeek | None:
    for week in reversed(plan.weeks[:position]):
        if _loading(week):
            return week
    return None


def week_limit_km(
    plan: TrainingPlan, position: int, actual: Mapping[int, float] = _NONE_RUN
) -> float | None:
    """The most km week ``position`` may run after the weeks before it (None: no limit), the
    weeks before counted with :func:`base_km` (the km run when less than planned)."""
    week = plan.weeks[position]
    limit = math.inf
    last = _last_loading(plan, position)
    if last is not None:
        was = base_km(last, actual)
        if _loading(week):
            limit = max((1 + WEEK_GROWTH) * was, RESTART_KM_PER_RUN * plan.rules.run_days)
        elif week.phase is Phase.TAPER:
            limit = was
        elif week.deload:
            limit = (1 - DELOAD_LEAST_CUT) * was
    if position >= 2:
        weeks = plan.weeks[position - 2 : position]
        before = max(base_km(w, actual) for w in weeks)
        planned = max(training_km(w) for w in weeks)
        # two weeks run at (almost) nothing may still be followed by the restart floor, as
        # far as the checker's +30 % on the km planned allows
        floor = min((1 + TWO_WEEK_GROWTH) * planned, RESTART_KM_PER_RUN * plan.rules.run_days)
        limit = min(limit, max((1 + TWO_WEEK_GROWTH) * before, floor))
    return None if limit == math.inf else limit


def _longest_before(plan: TrainingPlan, run: PlannedSession, runs: list[PlannedSession]) -> float:
    """The longest run of the 30 days before ``run`` (the profile's long run before the plan,
    never below the floor), as LONGEST reads it."""
    rules = plan.rules
    first = run.date - timedelta(days=LONGEST_WINDOW_DAYS)
    reference = rules.min_long_run_km
    if first < plan.start:
        reference = max(reference, rules.start_long_run_km)
    for other in runs:
        if first <= other.date < run.date:
            reference = max(reference, other.distance_km or 0.0)
    return reference


def _runs_of(plan: TrainingPlan) -> list[PlannedSession]:
    return [s for s in plan.sessions if s.sport is Sport.RUN and s.distance_km is not None]


def _with_week(plan: TrainingPlan, position: int, week: PlanWeek) -> TrainingPlan:
    weeks = list(plan.weeks)
    weeks[position] = week
    return replace(plan, weeks=tuple(weeks))


def _with_runs(week: PlanWeek, runs: list[PlannedSession]) -> PlanWeek:
    by_id = {s.id: s for s in runs}
    sessions = tuple(by_id.get(s.id, s) for s in week.sessions)
    return replace(week, sessions=sessions)


def _capped_longest(plan: TrainingPlan, position: int) -> PlanWeek:
    """Week ``position`` with every run cut to ≤ +10 % on the longest of its 30 days."""
    week = plan.weeks[position]
    everything = _runs_of(plan)
    changed: list[PlannedSession] = []
    for run in sorted(week.runs, key=lambda s: s.start):
        if run.kind is SessionKind.RACE or not run.distance_km:
            continue
        allowed = _floor1((1 + LONGEST_GROWTH) * _longest_before(plan, run, everything))
        if run.distance_km > allowed + 0.05:
            shorter = scaled_run(run, allowed / run.distance_km)
            changed.append(shorter)
            everything = [shorter if s.id == run.id else s for s in everything]
    return _with_runs(week, changed) if changed else week


def _scaled_week(week: PlanWeek, limit: float) -> PlanWeek:
    runs = [s for s in week.runs if s.kind is not SessionKind.RACE]
    km = training_km(week)
    factor = limit / km if km else 1.0
    scaled = [scaled_run(s, factor) for s in runs]
    while round(sum(s.distance_km or 0.0 for s in scaled), 1) > limit + _EPS and factor > 0.05:
        factor -= 0.005
        scaled = [scaled_run(s, factor) for s in runs]
    races = [s for s in week.runs if s.kind is SessionKind.RACE]
    return _with_runs(week, fit_long_cap(scaled) + races)


def week_notes(
    plan: TrainingPlan, position: int, head: str, actual: Mapping[int, float] = _NONE_RUN
) -> tuple[str, ...]:
    """The notes of week ``position`` as it stands: ``head`` (what happened to it), then its
    volume against the last loading week (as run, when it ran less than planned), the long run
    and the strength days."""
    week = plan.weeks[position]
    last = _last_loading(plan, position)
    km = training_km(week)
    notes = [head]
    was = 0.0 if last is None else base_km(last, actual)
    if last is not None and was:
        change = (km / was - 1) * 100
        of = (
            f"{was:g} km run ({training_km(last):g} km planned)"
            if _ran_less(last, actual)
            else f"{was:g} km"
        )
        if week.deload:
            notes.append(
                f"De-load: running {km:g} km, {-change:.0f} % below week {last.index}'s "
                f"{of} (R6 asks for 20–30 %)."
            )
        else:
            notes.append(
                f"Running {km:g} km, {change:+.0f} % on week {last.index}'s "
                f"{of}, the last loading week (limit +10 %)."
            )
    longs = [s for s in week.runs if s.kind is SessionKind.LONG]
    if longs and km:
        long = longs[0]
        share = (long.distance_km or 0.0) / km * 100
        notes.append(
            f"Long run {long.distance_km:g} km on {long.date:%a} ({share:.0f} % of the week), "
            "≤ +10 % on the longest run of the 30 days before."
        )
    lifts = week.strength
    if lifts:
        heavy = ", ".join(f"{s.date:%a}" for s in lifts if s.hard)
        light = ", ".join(f"{s.date:%a}" for s in lifts if not s.hard)
        parts = []
        if heavy:
            parts.append(f"heavy on {heavy}")
        if light:
            parts.append(f"light on {light}")
        notes.append(f"Strength {' and '.join(parts)}.")
    else:
        notes.append("No strength session this week.")
    return tuple(notes)


def _deload_fixes(
    plan: TrainingPlan,
    position: int,
    new: PlanWeek,
    deload: Callable[[TrainingPlan, int], PlanWeek],
    actual: Mapping[int, float] = _NONE_RUN,
) -> PlanWeek:
    """A rebuilt de-load: the scaled week or the de-load remade against the week before it,
    whichever breaks fewer of R6's minimums (never more km than the scaled week); a minimum
    still unmet is said in ``eased`` (the week is lighter because the weeks before it were, as
    eased or as run)."""

    def unmet(week: PlanWeek) -> list[str]:
        checked = check_plan(_with_week(plan, position, week), only={"R6"}, strict=True)
        return [v.message for v in checked if v.minimum and v.week == week.index]

    best, missing = new, unmet(new)
    if missing and position > 0 and _loading(plan.weeks[position - 1]):
        remade = replace(deload(_with_week(plan, position, new), position), eased=new.eased)
        left = unmet(remade)
        # Lighter lifts can cut the load past R6's 30 % while the km are 25 % down: the runs
        # then grow 0.1 km at a time (never past the scaled week) until the load is in band.
        if left:
            steps = round((training_km(new) - training_km(remade)) * 10)
            for step in range(1, steps + 1):
                grown = _scaled_week(remade, _floor1(training_km(remade) + step / 10))
                if not unmet(grown):
                    remade, left = grown, []
                    break
        if len(left) < len(missing) and training_km(remade) <= training_km(new) + _EPS:
            best, missing = remade, left
    if missing:
        line = (
            "The week before this de-load was eased, so the de-load is measured against it "
            "only as far as it can be."
        )
        previous = plan.weeks[position - 1] if position > 0 else None
        if previous is not None and _ran_less(previous, actual):
            line = (
                f"Week {previous.index} ran {base_km(previous, actual):g} km of the "
                f"{training_km(previous):g} km planned, so this de-load is measured against the "
                "km run, lighter than R6 asks of the week as planned."
            )
        if line not in best.eased:
            best = replace(best, eased=(*best.eased, line))
    return best


def rebalance(
    plan: TrainingPlan,
    first: int,
    *,
    today: date,
    deload: Callable[[TrainingPlan, int], PlanWeek],
    after: str = "an eased week",
    actual: Mapping[int, float] = _NONE_RUN,
) -> tuple[TrainingPlan, list[int]]:
    """The plan with weeks ``first`` onwards rebuilt from the weeks before them (see the module
    docstring), and the indexes of the weeks rebuilt. ``deload(plan, position)`` rebuilds a
    de-load against the week before it; ``after`` says in the rebuilt weeks' notes what they
    were rebuilt after ("an eased week", "the weeks already behind"). ``actual``: the running
    km logged in the weeks before ``today`` by week index (a week that ran less than planned
    is the base of what follows with the km run)."""
    rebuilt: list[int] = []
    for position in range(max(first, 0), len(plan.weeks)):
        week = plan.weeks[position]
        if any(s.date < today for s in week.sessions):
            continue
        new = week
        limit = week_limit_km(plan, position, actual)
        if limit is not None and training_km(new) > limit + 0.05:
            new = _scaled_week(new, _floor1(limit))
        new = _capped_longest(_with_week(plan, position, new), position)
        if week.deload:
            new = _deload_fixes(plan, position, new, deload, actual)
        if new != week:
            plan = _with_week(plan, position, new)
            head = (
                f"Rebuilt after {after}: {training_km(new):g} km instead of the "
                f"{training_km(week):g} km planned, back towards the plan at ≤ +10 % a week."
            )
            last = _last_loading(plan, position)
            if last is not None and _ran_less(last, actual):
                head += (
                    f" Week {last.index} ran {base_km(last, actual):g} km of the "
                    f"{training_km(last):g} km planned: growth is measured from the km run."
                )
            notes = week_notes(plan, position, head, actual)
            plan = _with_week(plan, position, replace(new, notes=notes))
            rebuilt.append(week.index)
    return plan, rebuilt
