"""Plan shape: what a running coach checks after the hard rules hold.

The hard rules (``runlift.domain.rules``) say whether a plan is safe to hand out. A plan can
keep all of them and still be shaped in a way a coach would not sign: an easy run as long as
the long run, a first week that ignores what the athlete runs today, a marathon build that
never gets near a marathon long run, a taper that barely tapers. ``check_shape(plan)``
reports those as *findings*, each with an id, separate from the rule violations: they are
warnings to read, not reasons to reject a plan. Like the rule checker it reads only the plan
(and the ``PlanRules`` it carries), so hand-edited plan files can be judged too.

The numbers and their sources are in docs/science.md §7 and docs/plan-rules.md ("Shape").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from runlift.domain.plan import Phase, PlannedSession, PlanWeek, SessionKind, Sport, TrainingPlan
from runlift.domain.rules import long_run_minutes_cap, long_run_share

__all__ = [
    "LEAD_RATIO",
    "PEAK_LONG_RUN_KM",
    "SHAPE_CHECKS",
    "SHAPE_DESCRIPTIONS",
    "ShapeFinding",
    "check_shape",
    "peak_long_run_reference",
]

#: Every other run of a loading week is at most this share of the long run. Higdon's Novice 1
#: keeps its midweek runs at 3–5 mi beside a 6–20 mi long run; Pfitzinger's medium-long runs
#: (11–15 mi) sit at 55–80 % of the 17–20 mi long runs beside them.
LEAD_RATIO = 0.80

#: Peak long run (km) a plan builds to, by event and experience: (sensible minimum, target).
#: Sources (docs/science.md §7): Higdon Novice 1 marathon 20 mi (32 km), Pfitzinger 18/55 20 mi
#: and 18/70 22 mi (35 km); Higdon half marathon Novice 1 10 mi (16 km) and Novice 2 12 mi
#: (19 km), Pfitzinger's half plans 15 mi (24 km); Higdon 10K and 5K plans 6–8 mi and
#: 5–7 mi for intermediates; Daniels caps the long run at ~150 min (the target is trimmed to
#: it, never below the minimum).
PEAK_LONG_RUN_KM: dict[str, dict[str, tuple[float, float]]] = {
    "5k": {"beginner": (6.0, 8.0), "intermediate": (9.0, 12.0), "advanced": (12.0, 16.0)},
    "10k": {"beginner": (8.0, 11.0), "intermediate": (12.0, 15.0), "advanced": (15.0, 19.0)},
    "half-marathon": {
        "beginner": (16.0, 17.0),
        "intermediate": (16.0, 19.0),
        "advanced": (19.0, 22.0),
    },
    "marathon": {
        "beginner": (29.0, 30.0),
        "intermediate": (29.0, 32.0),
        "advanced": (32.0, 35.0),
    },
}

#: Week 1 keeps the athlete's current long run and volume within ±10 % (START-LONG,
#: START-VOLUME); a beginner's week 1 adds at most 10 % or one short session (BEGINNER-START).
START_TOLERANCE = 0.10
BEGINNER_WEEKLY_KM = 15.0
EXTRA_SHORT_SESSION_KM = 3.0
#: The safe progression PEAK-LONG allows for: +10 % a loading week (Frandsen 2025, Nielsen
#: 2014), less 3 % for rounding each week's runs down to 0.1 km.
SAFE_GROWTH = 1.10
#: Weekly km from which LONG-CAP holds the long run to its minutes (docs/plan-rules.md).
LONG_CAP_FROM_KM = 64.0
REACH_ROUNDING = 0.03
#: … or 0.1 km a loading week, when more: each week's +10 % is on the last week's rounded km.
ROUNDING_KM_PER_WEEK = 0.1
#: Bosquet 2007: volume −41 to −60 % over the taper, intensity kept; 2 points for rounding.
TAPER_CUT = (0.40, 0.60)
TAPER_TOLERANCE = 0.02
_TOL_KM = 0.05


@dataclass(frozen=True, slots=True)
class ShapeFinding:
    """One shape warning: its id, a message for a person, the week and the sessions involved."""

    id: str
    message: str
    week: int | None
    session_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "week": self.week,
            "sessions": list(self.session_ids),
            "message": self.message,
        }


def peak_long_run_reference(event: str, experience: str | None) -> tuple[float, float] | None:
    """(sensible minimum, target) peak long run for the event and level; None for general
    plans. An unknown level (older plan files) counts as a beginner's."""
    by_level = PEAK_LONG_RUN_KM.get(event)
    if by_level is None:
        return None
    return by_level.get(experience or "beginner", by_level["beginner"])


def event_top_long_run_km(event: str) -> float | None:
    """The longest target peak of the event over all levels (an advanced runner's): an athlete
    whose long run is longer holds this one."""
    by_level = PEAK_LONG_RUN_KM.get(event)
    return None if by_level is None else max(target for _, target in by_level.values())


# --------------------------------------------------------------------------- helpers


def _training_km(week: PlanWeek) -> float:
    return round(sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE), 1)


def _has_race(week: PlanWeek) -> bool:
    return any(s.kind is SessionKind.RACE for s in week.runs)


def _is_loading(week: PlanWeek) -> bool:
    return not week.deload and week.phase is not Phase.TAPER and not _has_race(week)


def _long_runs(week: PlanWeek) -> list[PlannedSession]:
    return [s for s in week.sessions if s.sport is Sport.RUN and s.kind is SessionKind.LONG]


def _km(value: float) -> str:
    return f"{value:.1f} km"


def _first_loading(plan: TrainingPlan) -> PlanWeek | None:
    if plan.weeks and _is_loading(plan.weeks[0]):
        return plan.weeks[0]
    return None


# --------------------------------------------------------------------------- the checks


def _long_leads(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """LONG-LEADS: in every loading week the long run leads; other runs ≤ 80 % of it."""
    for week in plan.weeks:
        if not _is_loading(week):
            continue
        longs = _long_runs(week)
        if not longs:
            continue
        long = max(longs, key=lambda s: s.distance_km or 0.0)
        long_km = long.distance_km or 0.0
        limit = LEAD_RATIO * long_km
        others = [
            s
            for s in week.runs
            if s is not long and s.kind is not SessionKind.RACE
            if (s.distance_km or 0.0) > limit + _TOL_KM
        ]
        if others:
            worst = max(others, key=lambda s: s.distance_km or 0.0)
            ratio = (worst.distance_km or 0.0) / long_km if long_km else float("inf")
            yield ShapeFinding(
                "LONG-LEADS",
                f"week {week.index}: the {worst.title or worst.kind.value} on "
                f"{worst.date:%a %Y-%m-%d} is {_km(worst.distance_km or 0.0)}, "
                f"{ratio * 100:.0f} % of the long run ({_km(long_km)}); other runs stay "
                f"≤ {LEAD_RATIO * 100:.0f} % of it ({_km(limit)})",
                week.index,
                (*(s.id for s in others), long.id),
            )


def _start_volume(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """START-VOLUME: week 1 runs at least 90 % of the athlete's current weekly km."""
    first = _first_loading(plan)
    start = plan.rules.start_weekly_km
    if first is None or start <= 0:
        return
    km = _training_km(first)
    floor = (1 - START_TOLERANCE) * start
    if km + _TOL_KM < floor:
        yield ShapeFinding(
            "START-VOLUME",
            f"week 1 runs {_km(km)}, {(1 - km / start) * 100:.0f} % below the athlete's "
            f"current {_km(start)} a week (a plan starts within ±10 % of it)",
            first.index,
        )


def _start_long(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """START-LONG: week 1's long run is within 10 % of the athlete's current long run (or of
    the event's target peak when the athlete already runs further, or of the most the hard
    rule LONG-CAP lets week 1 hold: its share of the athlete's weekly km, and from 64 km a week
    its minutes at the long run's own pace)."""
    first = _first_loading(plan)
    current = plan.rules.start_long_run_km
    if first is None or current <= 0:
        return
    top = event_top_long_run_km(plan.event)
    expected = current if top is None else min(current, top)
    longs = _long_runs(first)
    long_km = max((s.distance_km or 0.0 for s in longs), default=0.0)
    capped = _long_cap_km(plan, first)
    if capped < expected:
        expected = capped
    if long_km + _TOL_KM < (1 - START_TOLERANCE) * expected:
        what = (
            f"the athlete's current {_km(current)}"
            if expected == current
            else f"the {_km(expected)} LONG-CAP allows at the athlete's volume"
            if expected == capped
            else f"the event's {_km(expected)} top peak (the athlete already runs {_km(current)})"
        )
        yield ShapeFinding(
            "START-LONG",
            f"week 1's long run is {_km(long_km)}, {(1 - long_km / expected) * 100:.0f} % "
            f"below {what}; a plan starts the long run within ±10 % of it",
            first.index,
            tuple(s.id for s in longs),
        )


def _long_cap_km(plan: TrainingPlan, first: PlanWeek) -> float:
    """The longest long run the hard rule LONG-CAP allows in a week at the athlete's current
    volume with the plan's runs a week (docs/plan-rules.md; Daniels, docs/science.md §7)."""
    volume = plan.rules.start_weekly_km
    if volume <= 0:
        return float("inf")
    cap = long_run_share(volume, plan.rules.run_days) * volume
    longs = [s for s in _long_runs(first) if s.distance_km]
    if volume >= 64 and longs:
        pace_min = longs[0].duration_min / (longs[0].distance_km or 1.0)
        cap = min(cap, long_run_minutes_cap(plan.event) / pace_min)
    return cap


def safe_reach_km(plan: TrainingPlan) -> float:
    """The longest long run the plan's loading weeks can reach under the hard rules' safe
    progression (docs/plan-rules.md, docs/science.md §7): the athlete's long run +10 % a
    loading week (LONGEST), within LONG-CAP's share of a weekly volume that starts at the
    athlete's (START-VOLUME; the start floor from nothing) and grows ≤ 10 % a loading week
    (VOLUME), and within LONG-CAP's minutes from 64 km a week (at the plan's fastest long-run
    pace) or, for an athlete who runs less than 64 km a week today, its share of a week just
    under 64 km."""
    rules = plan.rules
    loading = sum(1 for week in plan.weeks if _is_loading(week))
    if loading == 0:
        return 0.0
    share = long_run_share(0.0, rules.run_days)
    by_long = max(rules.start_long_run_km, rules.min_long_run_km) * SAFE_GROWTH**loading
    first_week = max(rules.start_weekly_km, rules.min_start_weekly_km)
    by_volume = share * first_week * SAFE_GROWTH ** (loading - 1)
    reach = min(by_long, by_volume)
    longs = [s for w in plan.weeks for s in _long_runs(w) if s.distance_km and s.duration_min]
    if longs:
        minutes = long_run_minutes_cap(plan.event)
        pace_min = min(s.duration_min / (s.distance_km or 1.0) for s in longs)
        by_time = minutes / pace_min
        # An athlete below 64 km a week could hold the peak weeks just under it, where the
        # minutes do not bind; one already at 64 km or more keeps them (no plan cuts volume
        # to lengthen the long run).
        if rules.start_weekly_km < LONG_CAP_FROM_KM:
            by_time = max(by_time, share * LONG_CAP_FROM_KM)
        reach = min(reach, by_time)
    return reach


def _peak_long(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """PEAK-LONG: a race plan's longest long run reaches the event's sensible minimum, or,
    when the safe progression cannot get there in the weeks given, what it can reach (less
    3 % or 0.1 km a loading week, the larger, for rounding each week down to 0.1 km): the
    hard rules come first, and the plan's warnings then say the goal needs more weeks."""
    if plan.goal_date is None:
        return
    reference = peak_long_run_reference(plan.event, plan.rules.experience)
    if reference is None:
        return
    low, target = reference
    longs = [s for w in plan.weeks for s in _long_runs(w)]
    if not longs:
        return
    peak = max(longs, key=lambda s: s.distance_km or 0.0)
    peak_km = peak.distance_km or 0.0
    loading = sum(1 for week in plan.weeks if _is_loading(week))
    full = safe_reach_km(plan)
    reach = full - max(REACH_ROUNDING * full, ROUNDING_KM_PER_WEEK * loading)
    expected = min(low, reach)
    if peak_km + _TOL_KM < expected:
        level = plan.rules.experience or "beginner"
        limit = (
            ""
            if expected == low
            else f"; the safe progression from the athlete's long run reaches {_km(reach)}"
        )
        yield ShapeFinding(
            "PEAK-LONG",
            f"the longest long run is {_km(peak_km)}; a {plan.event} plan for a {level} "
            f"builds to {low:g}–{target:g} km (published plans, docs/science.md §7){limit}",
            None,
            (peak.id,),
        )


def _beginner_start(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """BEGINNER-START: under 15 km a week, week 1 adds at most 10 % or one short session."""
    start = plan.rules.start_weekly_km
    if not plan.weeks or start >= BEGINNER_WEEKLY_KM:
        return
    first = plan.weeks[0]
    km = _training_km(first)
    limit = max((1 + START_TOLERANCE) * start, start + EXTRA_SHORT_SESSION_KM)
    if km > limit + _TOL_KM:
        rise = f"+{(km / start - 1) * 100:.0f} %" if start > 0 else "from nothing"
        yield ShapeFinding(
            "BEGINNER-START",
            f"week 1 runs {_km(km)} for an athlete running {_km(start)} a week ({rise}); "
            f"under {BEGINNER_WEEKLY_KM:g} km a week, week 1 adds at most 10 % or one short "
            f"session ({_km(limit)})",
            first.index,
        )


def _taper_depth(plan: TrainingPlan) -> Iterator[ShapeFinding]:
    """TAPER-DEPTH: the taper runs 40–60 % less per day than the last loading week."""
    if plan.goal_date is None:
        return
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    loading = [w for w in plan.weeks if _is_loading(w)]
    if not taper or not loading:
        return
    last_loading = loading[-1]
    before = _training_km(last_loading) / last_loading.days
    days = sum(w.days for w in taper) - sum(1 for w in taper if _has_race(w))
    if before <= 0 or days < 5:
        return
    during = sum(_training_km(w) for w in taper) / days
    cut = 1 - during / before
    low, high = TAPER_CUT
    if not low - TAPER_TOLERANCE <= cut <= high + TAPER_TOLERANCE:
        how = "too little" if cut < low else "too much"
        yield ShapeFinding(
            "TAPER-DEPTH",
            f"the taper (weeks {taper[0].index}–{taper[-1].index}) runs {cut * 100:.0f} % "
            f"less a day than week {last_loading.index}, the last loading week: {how} "
            "(Bosquet 2007: −40 to −60 %)",
            taper[0].index,
        )


ShapeCheck: TypeAlias = Callable[[TrainingPlan], Iterator[ShapeFinding]]

#: Every shape check by id, in the order of docs/plan-rules.md.
SHAPE_CHECKS: dict[str, ShapeCheck] = {
    "LONG-LEADS": _long_leads,
    "START-VOLUME": _start_volume,
    "START-LONG": _start_long,
    "PEAK-LONG": _peak_long,
    "BEGINNER-START": _beginner_start,
    "TAPER-DEPTH": _taper_depth,
}

SHAPE_DESCRIPTIONS: dict[str, str] = {
    "LONG-LEADS": "in loading weeks every other run is ≤ 80 % of the long run",
    "START-VOLUME": "week 1 runs at least 90 % of the athlete's current weekly km",
    "START-LONG": "week 1's long run is within 10 % of the athlete's current long run",
    "PEAK-LONG": "the longest long run reaches the event's reference peak",
    "BEGINNER-START": "under 15 km a week, week 1 adds ≤ 10 % or one short session",
    "TAPER-DEPTH": "the taper runs 40-60 % less than the last loading week (Bosquet 2007)",
}


def check_shape(plan: TrainingPlan) -> list[ShapeFinding]:
    """Every shape finding of ``plan``, check by check in :data:`SHAPE_CHECKS` order."""
    return [finding for check in SHAPE_CHECKS.values() for finding in check(plan)]
