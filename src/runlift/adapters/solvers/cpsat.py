"""OR-Tools CP-SAT placement of the week template. The only module that imports ortools.

Every hard constraint is guarded by an assumption literal named after its ``Constraint``. When
the week is infeasible, runlift shrinks the set of guards to a minimal conflicting set (deletion
filter: drop a guard, re-solve, keep it dropped while still infeasible) and reports that set
with how to relax each member.

The model has two modes over the same run and strength days: *base* weeks (fewer speed
sessions) and *build* weeks (build, peak, taper). Base quality days are a subset of build
quality days, so a heavy session allowed in base may sit the day before a build-only quality
day; the one place the two modes meet, the boundary between two plan weeks, is constrained too.

Start times are variables too: each weekday has a run start and a lift start (the same in every
week), inside the availability windows, with the same-day and 24 h gaps enforced only where the
days make them bind. The objective keeps the speed and heavy sessions first, then weighs the
placement's soft penalties against the minutes moved from the preferred times.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from ortools.sat.python import cp_model

from runlift.domain.planning.placement import (
    DAY_MIN,
    HARD_GAP_MIN,
    LIFT_MAX_MIN,
    SAME_DAY_GAP_MIN,
    Constraint,
    PlacementRequest,
    PlacementResult,
    WeekTemplate,
)

_DAYS = range(7)

#: Deletion order for conflict minimisation: rules first, the athlete's own choices last, so the
#: conflict reported is phrased in what the athlete can change.
_DELETION_ORDER = (
    Constraint.ONE_PER_DAY,
    Constraint.NO_CONSECUTIVE_HARD,
    Constraint.STRENGTH_OFF_HARD_DAYS,
    Constraint.SHARED_DAYS,
    Constraint.QUALITY_RUNS,
    Constraint.REST_DAY,
    Constraint.LONG_RUN_DAY,
    Constraint.STRENGTH_SESSIONS,
    Constraint.RUN_DAYS,
    Constraint.AVAILABILITY,
    Constraint.UNAVAILABLE,
)

#: Minutes moved from the preferred times that one unit of placement penalty is worth: a shared
#: day or a heavy lift the day after a hard run (1 unit) against 2 h of moving, two lifts on
#: consecutive days (3 units) against 6 h. Keeping the athlete's times beats a tidier week.
_PENALTY_MIN = 120
#: Weight of the speed and heavy sessions kept: any one of them beats every penalty and move.
_KEEP_WEIGHT = 2 * 7 * DAY_MIN + _PENALTY_MIN * 5 * 7 + 1


class CpSatPlacementSolver:
    """``PlacementSolver`` on CP-SAT. Results are memoised per request (requests are values)."""

    def __init__(self, time_limit_s: float = 5.0) -> None:
        self.time_limit_s = time_limit_s

    def place(self, request: PlacementRequest) -> PlacementResult:
        return _place(request, self.time_limit_s)


@lru_cache(maxsize=4096)
def _place(request: PlacementRequest, time_limit_s: float) -> PlacementResult:
    result = _solve(request, frozenset(Constraint), time_limit_s)
    if result is not None:
        return PlacementResult(template=result)
    active = set(Constraint)
    for constraint in _DELETION_ORDER:
        trial = frozenset(active - {constraint})
        if _solve(request, trial, time_limit_s, feasibility_only=True) is None:
            active = set(trial)
    return PlacementResult(template=None, conflicts=tuple(c for c in Constraint if c in active))


def _solve(
    request: PlacementRequest,
    active: frozenset[Constraint],
    time_limit_s: float,
    *,
    feasibility_only: bool = False,
) -> WeekTemplate | None:
    model = cp_model.CpModel()
    run = [model.new_bool_var(f"run{d}") for d in _DAYS]
    strength = [model.new_bool_var(f"strength{d}") for d in _DAYS]
    quality = [model.new_bool_var(f"quality{d}") for d in _DAYS]  # build weeks
    quality_b = [model.new_bool_var(f"quality_base{d}") for d in _DAYS]  # base weeks
    heavy = [model.new_bool_var(f"heavy{d}") for d in _DAYS]
    heavy_b = [model.new_bool_var(f"heavy_base{d}") for d in _DAYS]
    hard = [model.new_bool_var(f"hard{d}") for d in _DAYS]
    hard_b = [model.new_bool_var(f"hard_base{d}") for d in _DAYS]
    long_day = request.long_run_day
    on = active.__contains__

    for d in _DAYS:
        model.add_implication(quality[d], run[d])
        model.add_implication(quality_b[d], quality[d])
        model.add_implication(heavy[d], strength[d])
        model.add_implication(heavy_b[d], strength[d])
        if d == long_day:
            model.add(quality[d] == 0)
            model.add(hard[d] == run[d])
            model.add(hard_b[d] == run[d])
        else:
            model.add(hard[d] == quality[d])
            model.add(hard_b[d] == quality_b[d])

    if on(Constraint.RUN_DAYS):
        model.add(sum(run) == request.run_days)
    if on(Constraint.STRENGTH_SESSIONS):
        model.add(sum(strength) == request.strength_sessions)
    if on(Constraint.LONG_RUN_DAY):
        model.add(run[long_day] == 1)
    if on(Constraint.UNAVAILABLE):
        for d in request.unavailable:
            model.add(run[d] == 0)
            model.add(strength[d] == 0)
    if on(Constraint.QUALITY_RUNS) and request.run_days >= 3 and request.quality_runs >= 1:
        model.add(sum(quality) >= 1)
        if request.quality_runs_base >= 1:
            model.add(sum(quality_b) >= 1)
    model.add(sum(quality) <= request.quality_runs)
    model.add(sum(quality_b) <= request.quality_runs_base)
    if on(Constraint.REST_DAY):
        model.add(sum(run) + sum(strength) <= 13)  # cheap necessary condition
        rest = []
        for d in _DAYS:
            is_rest = model.new_bool_var(f"rest{d}")
            model.add_implication(is_rest, run[d].Not())
            model.add_implication(is_rest, strength[d].Not())
            rest.append(is_rest)
        model.add(sum(rest) >= 1)

    last_day = (request.week_start_day + 6) % 7
    for d in _DAYS:
        nxt = (d + 1) % 7
        if on(Constraint.NO_CONSECUTIVE_HARD):
            model.add(hard[d] + hard[nxt] <= 1)
            model.add(hard_b[d] + hard_b[nxt] <= 1)
        if on(Constraint.STRENGTH_OFF_HARD_DAYS):
            model.add(strength[d] + hard[d] <= 1)
        # R3/R4 per mode: heavy never on a hard-run day or the day before one; the day after
        # one only when the start times leave 24 h (below).
        for hv, hd in ((heavy, hard), (heavy_b, hard_b)):
            model.add(hv[d] + hd[nxt] <= 1)
            model.add(hv[d] + hd[d] <= 1)
        # Where a base week meets a build week: base heavy on the week's last day must not
        # precede a build-week hard run on the next day (and the reverse for the day after).
        if d == last_day:
            model.add(heavy_b[d] + hard[nxt] <= 1)

    model.add(sum(heavy) <= request.heavy_wanted)
    model.add(sum(heavy_b) <= request.heavy_wanted_base)

    # Start times per weekday (minutes after midnight), the same in every week.
    windows = on(Constraint.AVAILABILITY)
    run_at = [_start_var(model, request, d, request.run_time, windows, "run") for d in _DAYS]
    lift_at = [_start_var(model, request, d, request.strength_time, windows, "lift") for d in _DAYS]
    for d in _DAYS:
        nxt, after = (d + 1) % 7, (d + 2) % 7
        if on(Constraint.SHARED_DAYS):
            # SAME-DAY: easy run first, the lift ≥ 6 h after it ends.
            model.add(
                lift_at[d] - run_at[d] >= request.shared_run_min + SAME_DAY_GAP_MIN
            ).only_enforce_if([run[d], strength[d]])
        # R3: heavy strength ≥ 24 h after a hard run the day before ends …
        pairs = [(hard, heavy), (hard_b, heavy_b)]
        if d == last_day:
            pairs += [(hard_b, heavy), (hard, heavy_b)]
        for hd, hv in pairs:
            model.add(
                lift_at[nxt] + DAY_MIN - run_at[d] - request.hard_run_min >= HARD_GAP_MIN
            ).only_enforce_if([hd[d], hv[nxt]])
        # … and two days apart either way (binds only at extreme clock times).
        for hd in (hard, hard_b):
            for hv in (heavy, heavy_b):
                model.add(
                    lift_at[after] + 2 * DAY_MIN - run_at[d] - request.hard_run_min >= HARD_GAP_MIN
                ).only_enforce_if([hd[d], hv[after]])
                model.add(
                    run_at[after] + 2 * DAY_MIN - lift_at[d] - LIFT_MAX_MIN >= HARD_GAP_MIN
                ).only_enforce_if([hv[d], hd[after]])

    if not feasibility_only:
        penalties = []
        for d in _DAYS:
            nxt = (d + 1) % 7
            pair = model.new_bool_var(f"strength_pair{d}")
            model.add(pair >= strength[d] + strength[nxt] - 1)
            penalties.append(3 * pair)
            shared = model.new_bool_var(f"shared{d}")
            model.add(shared >= strength[d] + run[d] - 1)
            penalties.append(shared)
            after_hard = model.new_bool_var(f"heavy_after_hard{d}")
            model.add(after_hard >= hard[d] + heavy[nxt] - 1)
            penalties.append(after_hard)
        moved = []
        for d in _DAYS:
            for var, clock in ((run_at[d], request.run_time), (lift_at[d], request.strength_time)):
                distance = model.new_int_var(0, DAY_MIN, f"moved_{var.name}")
                model.add_abs_equality(distance, var - (clock.hour * 60 + clock.minute))
                moved.append(distance)
        model.maximize(
            _KEEP_WEIGHT * (5 * sum(quality) + 5 * sum(quality_b) + sum(heavy) + sum(heavy_b))
            - _PENALTY_MIN * sum(penalties)
            - sum(moved)
        )

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
    solver.parameters.random_seed = 7
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None

    def days(values: list[cp_model.IntVar]) -> tuple[int, ...]:
        return tuple(d for d in _DAYS if solver.value(values[d]))

    runs = days(run)
    quality_days = days(quality)
    return WeekTemplate(
        long_run=long_day,
        quality=quality_days,
        quality_base=days(quality_b),
        easy=tuple(d for d in runs if d not in quality_days and d != long_day),
        strength=days(strength),
        heavy_ok=days(heavy),
        heavy_ok_base=days(heavy_b),
        run_start=tuple(solver.value(v) for v in run_at),
        lift_start=tuple(solver.value(v) for v in lift_at),
    )


def _start_var(
    model: cp_model.CpModel,
    request: PlacementRequest,
    day: int,
    preferred: time,
    windows: bool,
    what: str,
) -> cp_model.IntVar:
    allowed = request.starts(day, preferred, windows=windows)
    domain = cp_model.Domain.from_intervals([[r.start, r.stop - 1] for r in allowed])
    return model.new_int_var_from_domain(domain, f"{what}_at{day}")
