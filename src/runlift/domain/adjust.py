"""Adjusting the upcoming days of a plan to the athlete's status (docs/science.md §1 R9, R11; §4).

:func:`propose` turns a :class:`~runlift.domain.wellness.DayStatus` into explained
:class:`Proposal` values for the days from ``today`` on; :func:`apply` carries them out and
returns an :class:`AdjustedPlan` whose plan is checked with :func:`check_plan` again. Every rule
that cannot hold after a change (a week one strength session short after a swap, say) is
reported in ``AdjustedPlan.violations`` with the reason it broke, never hidden.
``docs/adjustments.md`` has the policy table; in short:

- **amber** — the next hard session within 3 days (today and the 2 days after) is eased, by
  the finding behind the status: soreness → a heavy lift becomes mobility, a hard run easy
  cross-training; a load spike (ACWR, monotony) → the next hard run becomes easy
  cross-training; sleep, HRV, resting HR and the other signs → lower intensity (a speed
  session becomes an easy run of the same distance at RPE ≤ 4; a heavy lift becomes light).
- **red** — an extra rest day (the first day from today on that has sessions), then every
  hard session of the next 3 days eased (7 days when red on ≥ 3 of the last 7 days).
- **repeated red** (red on ≥ 3 of the last 7 days) — the de-load comes forward: the next
  week, when it is a loading week, becomes a de-load 20–30 % below the week before it.
- **illness or injury** — every session of today and tomorrow is cancelled: rest until a
  green check-in.

Choices the issue left open:

- Today's sessions count as upcoming (a morning check-in can still cancel them); sessions
  before today are never touched. The race is never changed.
- A long run is never turned into an easy run, which would leave the week without its long
  run (R7 a): it is shortened to 70 % at RPE ≤ 4 with no faster segment and stays ``long``
  (still a hard run, so nothing gets worse for R3, R4 or HARD-ADJ). When 70 % would break a
  rule (a following loading week more than 10 % above it, say), the shortest length that keeps
  every rule is used, up to the full distance at the lower effort, and the reason says so.
- Every change is chosen from a short list of variants (for a speed session: same distance,
  then same duration; RPE 3, then 4; for a lift: fewer or more sets kept): the first variant
  that adds no violation to the plan wins, else the one adding the fewest (the earliest on a
  tie), and what it breaks is reported.
- A session cancelled for a red rest day moves to the nearest later day of the same week
  (eased when hard) where every rule still holds; failing that, to a day where it breaks only
  some of what dropping it would; otherwise it is dropped and reported in ``dropped``. A long
  run never moves (its day is fixed, R7 a). Illness and injury cancel without moving
  anything: the athlete may still be ill, and the next check-in decides.
- Session ids never change: a lowered, swapped or moved session keeps its id, so a calendar
  updates the event.
- Applying is idempotent: a proposal whose change is already in the plan is skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from statistics import median
from typing import Literal, TypeAlias

from runlift.domain.errors import RunliftError
from runlift.domain.plan import (
    HARD_RUN_KINDS,
    SPEED_KINDS,
    WEEKDAYS,
    Exercise,
    Pattern,
    Phase,
    PlannedSession,
    PlanWeek,
    SessionKind,
    Sport,
    TrainingPlan,
)
from runlift.domain.rebalance import fit_long_cap as _fit_long_cap
from runlift.domain.rebalance import rebalance, week_notes
from runlift.domain.rebalance import scaled_run as _scaled_run
from runlift.domain.rules import Violation, check_plan, waived_violations
from runlift.domain.wellness import DayStatus, Finding, Level

__all__ = [
    "ACTIONS",
    "Action",
    "AdjustedPlan",
    "ContinuedPlan",
    "PlanUnderWay",
    "Proposal",
    "Signal",
    "apply",
    "classify",
    "continued",
    "km_run",
    "propose",
    "rebalanced",
]

Action: TypeAlias = Literal[
    "lower_intensity", "swap_cross", "swap_mobility", "rest", "deload_forward"
]
ACTIONS: tuple[Action, ...] = (
    "lower_intensity",
    "swap_cross",
    "swap_mobility",
    "rest",
    "deload_forward",
)

# --------------------------------------------------------------------------- numbers of the policy

#: Amber: the next hard session in this many days, today included.
AMBER_WINDOW_DAYS = 3
#: Red: days eased after the rest day, for one red day and for repeated red.
EASY_DAYS_AFTER_RED = 3
EASY_DAYS_AFTER_REPEATED_RED = 7
#: Repeated red: red on at least this many of the last ``REPEATED_RED_WINDOW_DAYS`` days.
REPEATED_RED_DAYS = 3
REPEATED_RED_WINDOW_DAYS = 7
#: Illness and injury: the days cancelled in a proposal (rest goes on until a green check-in).
ILLNESS_REST_DAYS = 2
#: How far ahead a red rest day is looked for.
REST_DAY_SEARCH_DAYS = 7
#: A lowered long run: its share of the distance (first choice) and its effort.
LONG_RUN_KEPT = 0.70
LONG_RUN_SHARES = (0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.0)
LOWERED_LONG_RPE = 4.0
#: A speed session lowered to an easy run: RPE (first choice, then the ceiling).
EASY_RPES = (3.0, 4.0)
#: An easy run of the same distance may last this much longer than the session it replaces.
SIMILAR_DURATION = 1.10
#: A light lift: exercise RPE ceiling and %1RM ceiling (below the heavy 7.5 / 75 %).
LIGHT_EXERCISE_RPE = 6.5
LIGHT_PERCENT_1RM = 70.0
#: Swaps: effort and longest duration.
CROSS_RPE, CROSS_MAX_MIN = 3.0, 60
MOBILITY_RPE, MOBILITY_MAX_MIN = 2.0, 30
#: De-load brought forward: km and load this share of the week before (R6: 20–30 % lower).
DELOAD_FACTOR = 0.75

_EPS = 1e-9


# --------------------------------------------------------------------------- findings


class Signal(StrEnum):
    """What a finding is about, read from its rule id (see :func:`classify`)."""

    ILLNESS = "illness"
    INJURY = "injury"
    SORENESS = "soreness"
    LOAD = "load"
    SLEEP = "sleep"
    HRV = "hrv"
    RESTING_HR = "resting-hr"
    OTHER = "other"


_SIGNAL_WORDS: tuple[tuple[Signal, tuple[str, ...]], ...] = (
    (Signal.ILLNESS, ("ill", "illness", "sick", "fever")),
    (Signal.INJURY, ("injury", "injured")),
    (Signal.SORENESS, ("soreness", "sore", "doms")),
    (Signal.LOAD, ("acwr", "monotony", "strain", "spike", "ramp")),
    (Signal.SLEEP, ("sleep",)),
    (Signal.HRV, ("hrv", "rmssd")),
    (Signal.RESTING_HR, ("resting", "rhr")),
)

_SIGNAL_WORDING = {
    Signal.ILLNESS: "illness",
    Signal.INJURY: "an injury",
    Signal.SORENESS: "lingering soreness",
    Signal.LOAD: "a spike in training load",
    Signal.SLEEP: "short or poor sleep",
    Signal.HRV: "HRV below its usual range",
    Signal.RESTING_HR: "a raised resting heart rate",
    Signal.OTHER: "a warning sign",
}


def classify(rule: str) -> Signal:
    """The signal of a finding's rule id, by its words: ``"sleep-short"`` → SLEEP,
    ``"soreness-lingering"`` → SORENESS, ``"acwr-spike"`` → LOAD, ``"illness"`` → ILLNESS...
    Ids without a known word (fatigue, mood, stress, ``tsb-low``...) are OTHER."""
    words = set(re.split(r"[^a-z0-9]+", rule.lower()))
    for signal, known in _SIGNAL_WORDS:
        if words & set(known):
            return signal
    return Signal.OTHER


_REST_SIGNALS = frozenset({Signal.ILLNESS, Signal.INJURY})


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Proposal:
    """One explained change to one session (``session_id``) on ``day``.

    ``finding`` is the rule id of the finding that caused it; ``before`` summarises the
    session as planned and ``after`` as changed (``None`` when it is cancelled). A
    ``deload_forward`` proposal changes a whole week: its ``session_id`` is empty, ``day`` is the
    week's first day and ``before``/``after`` summarise the week. ``cause`` is the why alone (the
    finding in words), kept so that :func:`apply` can restate the reason for what it did.
    """

    session_id: str
    action: Action
    reason: str
    finding: str
    day: date
    before: dict[str, object]
    after: dict[str, object] | None
    cause: str = ""
    #: The why in plain words for the athlete, from the finding's message (no rule ids).
    because: str = ""
    #: What changes and why, in plain words for the athlete: "Wednesday 30 Dec: the tempo run
    #: becomes an easy 6.7 km run (42 min) because short sleep: under 7 h on 3 of the last 5
    #: nights."
    plain: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "session_id": self.session_id,
            "action": self.action,
            "reason": self.reason,
            "plain": self.plain,
            "finding": self.finding,
            "day": self.day.isoformat(),
            "before": dict(self.before),
            "after": None if self.after is None else dict(self.after),
            "cause": self.cause,
            "because": self.because,
        }


@dataclass(frozen=True, slots=True)
class AdjustedPlan:
    """The plan after :func:`apply`.

    ``applied``: the proposals carried out, restated (their ``after`` and ``reason`` say what was
    done, e.g. a cancelled session moved to another day); ``dropped``: sessions cancelled and not
    moved, with the rules that cannot hold because of it; ``violations``: every violation of the
    adjusted plan (``check_plan(plan)`` is exactly this list) and ``reasons[i]`` why
    ``violations[i]`` could not be avoided; ``skipped``: proposals not applied and why (already in
    the plan, session not found).
    """

    plan: TrainingPlan
    applied: list[Proposal]
    dropped: list[str]
    violations: list[Violation]
    reasons: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: Weeks rebuilt after the eased ones so that none grows more than the rules allow.
    rebuilt: list[int] = field(default_factory=list)
    #: Minimums left unmet in the eased weeks (a strength session or a run short), on purpose.
    waived: list[Violation] = field(default_factory=list)

    def report(self) -> list[dict[str, object]]:
        """The violations with their reasons, as JSON-ready mappings."""
        return [
            {**violation.to_dict(), "reason": reason}
            for violation, reason in zip(self.violations, self.reasons, strict=True)
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "applied": [proposal.to_dict() for proposal in self.applied],
            "dropped": list(self.dropped),
            "violations": self.report(),
            "skipped": list(self.skipped),
            "rebuilt_weeks": list(self.rebuilt),
            "minimums_left_unmet": [violation.to_dict() for violation in self.waived],
            "plan": self.plan.to_dict(),
        }


# --------------------------------------------------------------------------- words


def _day(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()][:3].title()} {day.isoformat()}"


_NOUNS = {
    SessionKind.EASY: "easy run",
    SessionKind.LONG: "long run",
    SessionKind.TEMPO: "tempo run",
    SessionKind.INTERVALS: "intervals session",
    SessionKind.HILLS: "hills session",
    SessionKind.RECOVERY: "recovery run",
    SessionKind.RACE: "race",
    SessionKind.MOBILITY: "mobility session",
    SessionKind.CROSS: "cross-training session",
}


def _noun(session: PlannedSession) -> str:
    if session.sport is Sport.STRENGTH:
        return "heavy strength session" if session.hard else "strength session"
    return _NOUNS.get(session.kind, f"{session.kind.value} session")


def _named(session: PlannedSession) -> str:
    """``tempo run “Tempo run 9.3 km”``."""
    return f"{_noun(session)} “{session.title}”" if session.title else _noun(session)


def _cause(finding: Finding, *, also: Sequence[Finding] = ()) -> str:
    signal = classify(finding.rule)
    text = f"{_SIGNAL_WORDING[signal]} ({finding.rule}, {finding.level.value})"
    if finding.message:
        text += f": {finding.message.rstrip('.')}"
    others = [f.rule for f in also if f is not finding]
    if others:
        text += f" (also {', '.join(others)})"
    return text


def _summary(session: PlannedSession) -> dict[str, object]:
    return {
        "date": session.date.isoformat(),
        "start": session.start.strftime("%H:%M"),
        "sport": session.sport.value,
        "kind": session.kind.value,
        "title": session.title,
        "hard": session.hard,
        "rpe": session.rpe,
        "duration_min": session.duration_min,
        "distance_km": session.distance_km,
        "intensity_min": session.intensity_min,
        "sets": session.strength_sets,
        "load": session.load,
    }


def _week_summary(week: PlanWeek) -> dict[str, object]:
    return {
        "week": week.index,
        "start": week.start.isoformat(),
        "deload": week.deload,
        "run_km": week.run_km,
        "load": week.load,
        "strength_sets": week.strength_sets,
    }


# --------------------------------------------------------------------------- plan edits


def _floor1(value: float) -> float:
    return math.floor(value * 10 + _EPS) / 10


def _locate(plan: TrainingPlan, session_id: str) -> tuple[int, PlannedSession] | None:
    for position, week in enumerate(plan.weeks):
        for session in week.sessions:
            if session.id == session_id:
                return position, session
    return None


def _week_of(plan: TrainingPlan, day: date) -> int | None:
    for position, week in enumerate(plan.weeks):
        if week.start <= day <= week.end:
            return position
    return None


def _with_week(plan: TrainingPlan, position: int, week: PlanWeek) -> TrainingPlan:
    weeks = list(plan.weeks)
    weeks[position] = week
    return replace(plan, weeks=tuple(weeks))


def _with_session(
    plan: TrainingPlan, position: int, session_id: str, new: PlannedSession | None
) -> TrainingPlan:
    """``plan`` with the session ``session_id`` of week ``position`` replaced (or removed)."""
    week = plan.weeks[position]
    sessions = [s for s in week.sessions if s.id != session_id]
    if new is not None:
        sessions.append(new)
    sessions.sort(key=lambda s: s.start)
    return _with_week(plan, position, replace(week, sessions=tuple(sessions)))


def _is_hard(session: PlannedSession) -> bool:
    return session.is_hard_run or session.is_heavy_strength


def _retitle(title: str, old_km: float, new_km: float) -> str:
    old = f"{old_km:g} km"
    if title.endswith(old):
        return title[: -len(old)] + f"{new_km:g} km"
    return title


def _easy_pace(plan: TrainingPlan, session: PlannedSession) -> float:
    """Minutes per km of the plan's easy runs (the session's own pace, +15 %, without any)."""
    paces = [
        s.duration_min / s.distance_km
        for s in plan.sessions
        if s.sport is Sport.RUN and s.kind is SessionKind.EASY and s.distance_km
    ]
    if paces:
        return float(median(paces))
    if session.distance_km:
        return session.duration_min / session.distance_km * 1.15
    return 6.5


# --------------------------------------------------------------------------- session variants

_Variant: TypeAlias = tuple[PlannedSession, str]  # the changed session, what changed in words


def _easy_run_variants(plan: TrainingPlan, session: PlannedSession) -> list[_Variant]:
    """A speed session as an easy run: same distance (if the time stays similar), else the same
    time; RPE 3, then 4 (a higher RPE keeps more of the week's planned load, see R6)."""
    pace = _easy_pace(plan, session)
    km = session.distance_km or 0.0
    shapes: list[tuple[float, int]] = []
    same_km_min = max(10, round(km * pace))
    if km and same_km_min <= session.duration_min * SIMILAR_DURATION:
        shapes.append((km, same_km_min))
    if km:
        shapes.append((min(km, _floor1(session.duration_min / pace)), session.duration_min))
    else:
        shapes.append((0.0, session.duration_min))
    variants: list[_Variant] = []
    for rpe in EASY_RPES:
        for distance, minutes in shapes:
            new = replace(
                session,
                kind=SessionKind.EASY,
                hard=False,
                rpe=rpe,
                distance_km=distance or None,
                duration_min=minutes,
                intensity_min=0,
                title=f"Easy run {distance:g} km" if distance else "Easy run",
                description=(
                    f"{distance:g} km easy, conversational throughout (RPE ≤ {rpe:g}), in place "
                    f"of the {_named(session)}."
                ),
            )
            variants.append(
                (
                    new,
                    f"the {_named(session)} becomes an easy run of {distance:g} km "
                    f"({minutes} min, RPE {rpe:g}) on the same day",
                )
            )
    return variants


def _long_run_variants(session: PlannedSession) -> list[_Variant]:
    """A long run shortened to 70 % (then 75 %... up to the full distance) at RPE 4."""
    km = session.distance_km or 0.0
    variants: list[_Variant] = []
    for share in LONG_RUN_SHARES:
        distance = _floor1(km * share)
        new = replace(
            session,
            rpe=min(session.rpe, LOWERED_LONG_RPE),
            distance_km=distance,
            duration_min=max(10, round(session.duration_min * share)),
            intensity_min=0,
            title=_retitle(session.title, km, distance),
            description=(
                f"{distance:g} km steady and easy (RPE ≤ {LOWERED_LONG_RPE:g}), no faster "
                f"segment: the long run eased from {km:g} km."
            ),
        )
        if share < 1.0:
            what = (
                f"the long run shortens from {km:g} to {distance:g} km ({share * 100:.0f} %) at "
                f"RPE ≤ {LOWERED_LONG_RPE:g} with no faster segment; it stays the week's long run "
                "(R7)"
            )
        else:
            what = (
                f"the long run keeps its {km:g} km but at RPE ≤ {LOWERED_LONG_RPE:g} with no "
                "faster segment; it stays the week's long run (R7)"
            )
        variants.append((new, what))
    return variants


def _lighter_sets(exercises: Sequence[Exercise], target: int) -> list[int]:
    """Sets per exercise, one removed at a time from the exercise with the most, down to
    ``target`` in all, never below one per exercise."""
    sets = [exercise.sets for exercise in exercises]
    while sum(sets) > target:
        index = max(range(len(sets)), key=lambda i: (sets[i], -i))
        if sets[index] <= 1:
            break
        sets[index] -= 1
    return sets


def _light_exercise(exercise: Exercise, sets: int, drop: float) -> Exercise:
    rpe = None if exercise.rpe is None else min(exercise.rpe - drop, LIGHT_EXERCISE_RPE)
    percent = (
        None if exercise.percent_1rm is None else min(exercise.percent_1rm - 7.0, LIGHT_PERCENT_1RM)
    )
    load = exercise.load_kg
    if load is not None and exercise.percent_1rm and percent is not None:
        load = round(load * percent / exercise.percent_1rm / 2.5) * 2.5
    return replace(exercise, sets=sets, rpe=rpe, percent_1rm=percent, load_kg=load)


def _lift_minutes(exercises: Iterable[Exercise]) -> int:
    minutes = 10 + sum(e.sets * (40 + e.rest_s) for e in exercises) / 60
    return max(20, int(5 * round(minutes / 5)))


def _lightened(
    session: PlannedSession,
    kept: float,
    session_rpe: float,
    *,
    names: frozenset[str] | None = None,
    exercise_drop: float = 1.5,
) -> PlannedSession:
    """A lift made light: no plyometrics (and only exercises in ``names`` when given), about
    ``kept`` of the sets (at least one fewer in all), exercises at RPE ≤ 6.5 and < 75 % 1RM."""
    exercises = [e for e in session.exercises if e.pattern is not Pattern.PLYOMETRIC]
    if names is not None:
        exercises = [e for e in exercises if e.name.strip().casefold() in names] or exercises
    total = sum(e.sets for e in exercises)
    target = min(session.strength_sets - 1, max(len(exercises), round(total * kept)))
    sets = _lighter_sets(exercises, target)
    light = [
        _light_exercise(e, count, exercise_drop) for e, count in zip(exercises, sets, strict=True)
    ]
    title = session.title
    for word in ("heavy", "light"):
        title = title.replace(f"— {word}", "— light")
    if "light" not in title and "de-load" not in title:
        title = f"{title} (light)"
    return replace(
        session,
        hard=False,
        rpe=max(2.0, min(session_rpe, LIGHT_EXERCISE_RPE)),
        exercises=tuple(light),
        duration_min=min(session.duration_min, _lift_minutes(light)),
        title=title,
        description=(
            f"Light: the same lifts with {sum(sets)} sets in all, exercises at RPE ≤ "
            f"{LIGHT_EXERCISE_RPE:g} (3–4 reps in reserve), no plyometrics. Move well, leave fresh."
        ),
    )


#: Light-lift variants: (share of the sets kept, session RPE below the planned one).
_LIFT_VARIANTS = (
    (0.7, 1.5),
    (0.8, 1.5),
    (0.9, 1.5),
    (0.7, 1.0),
    (0.8, 1.0),
    (0.9, 1.0),
    (1.0, 0.5),
)


def _light_lift_variants(session: PlannedSession) -> list[_Variant]:
    variants: list[_Variant] = []
    for kept, below in _LIFT_VARIANTS:
        new = _lightened(session, kept, session.rpe - below)
        variants.append(
            (
                new,
                f"the {_named(session)} becomes light: {new.strength_sets} sets instead of "
                f"{session.strength_sets}, exercises at RPE ≤ {LIGHT_EXERCISE_RPE:g}, no "
                f"plyometrics (session RPE {new.rpe:g})",
            )
        )
    return variants


def _lowered_variants(plan: TrainingPlan, session: PlannedSession) -> list[_Variant]:
    if session.sport is Sport.STRENGTH:
        return _light_lift_variants(session)
    if session.kind is SessionKind.LONG:
        return _long_run_variants(session)
    return _easy_run_variants(plan, session)


_MOBILITY_ROUTINE = (
    Exercise("hip flexor stretch", Pattern.MOBILITY, 2, "45s/side", rest_s=15),
    Exercise("thoracic rotation", Pattern.MOBILITY, 2, "8/side", rest_s=15),
    Exercise("ankle rocks", Pattern.MOBILITY, 2, "10/side", rest_s=15),
    Exercise("foam roll quads, calves and glutes", Pattern.MOBILITY, 1, "5 min", rest_s=0),
)


def _swap_variants(session: PlannedSession, action: Action) -> list[_Variant]:
    if action == "swap_mobility":
        minutes = min(session.duration_min, MOBILITY_MAX_MIN)
        new = replace(
            session,
            sport=Sport.MOBILITY,
            kind=SessionKind.MOBILITY,
            hard=False,
            rpe=MOBILITY_RPE,
            duration_min=minutes,
            distance_km=None,
            exercises=_MOBILITY_ROUTINE,
            intensity_min=0,
            title=f"Mobility {minutes} min",
            description=(
                f"{minutes} min of easy mobility and foam rolling in place of the "
                f"{_named(session)}: nothing should hurt."
            ),
        )
        return [(new, f"a {minutes}-min mobility session (RPE 2) replaces the {_named(session)}")]
    minutes = min(session.duration_min, CROSS_MAX_MIN)
    new = replace(
        session,
        sport=Sport.CROSS,
        kind=SessionKind.CROSS,
        hard=False,
        rpe=CROSS_RPE,
        duration_min=minutes,
        distance_km=None,
        exercises=(),
        intensity_min=0,
        title=f"Easy cross-training {minutes} min",
        description=(
            f"{minutes} min easy on the bike, in the pool or on the elliptical (RPE ≤ 3, "
            f"conversational) in place of the {_named(session)}."
        ),
    )
    return [(new, f"{minutes} min of easy cross-training (RPE 3) replace the {_named(session)}")]


def _already_done(session: PlannedSession, action: Action) -> bool:
    if action == "lower_intensity":
        if session.sport is Sport.STRENGTH:
            return not session.hard
        if session.kind is SessionKind.LONG:
            return session.rpe <= LOWERED_LONG_RPE and session.intensity_min == 0
        return session.kind not in HARD_RUN_KINDS
    if action == "swap_cross":
        return session.sport is Sport.CROSS
    if action == "swap_mobility":
        return session.sport is Sport.MOBILITY
    return False


# --------------------------------------------------------------------------- de-load week


def _deloaded(plan: TrainingPlan, position: int, cause: str) -> PlanWeek:
    """Week ``position`` as a de-load: running km and planned load near 75 % of the week before
    (R6 b), lifts light with fewer sets than that week and only its exercises (R6 c)."""
    week = plan.weeks[position]
    reference = plan.weeks[position - 1] if position > 0 else week
    ref_km, ref_load, ref_sets = reference.run_km, reference.load, reference.strength_sets
    names = frozenset(e.name.strip().casefold() for s in reference.strength for e in s.exercises)
    runs = [s for s in week.runs if s.kind is not SessionKind.RACE]
    lifts = list(week.strength)
    others = [s for s in week.sessions if s not in runs and s not in lifts]
    week_km = sum(s.distance_km or 0.0 for s in runs)
    base = min(1.0, DELOAD_FACTOR * ref_km / week_km) if week_km else 1.0
    best: tuple[float, list[PlannedSession]] | None = None
    for step in (0.0, -0.01, 0.01, -0.02, 0.02, -0.03, 0.03):
        factor = min(1.0, base + step)
        scaled = _fit_long_cap([_scaled_run(s, factor) for s in runs])
        km = sum(s.distance_km or 0.0 for s in scaled)
        fixed_load = sum(s.load for s in scaled) + sum(s.load for s in others)
        for kept in (0.7, 0.75, 0.65, 0.8, 0.6, 0.85, 0.5, 0.9):
            light = [
                _lightened(s, kept, s.rpe - 1.5, names=names if names else None) for s in lifts
            ]
            if ref_sets and light and sum(s.strength_sets for s in light) >= ref_sets:
                continue
            ceiling = sum(s.duration_min * s.rpe for s in light)
            if ceiling > 0:
                budget = DELOAD_FACTOR * ref_load - fixed_load
                share = min(1.0, max(0.0, budget) / ceiling)
                light = [replace(s, rpe=max(2.0, round(s.rpe * share * 2) / 2)) for s in light]
            load = fixed_load + sum(s.load for s in light)
            miss = abs(load / ref_load - DELOAD_FACTOR) if ref_load else 0.0
            miss += abs(km / ref_km - DELOAD_FACTOR) if ref_km else 0.0
            if best is None or miss < best[0] - _EPS:
                best = (miss, [*scaled, *light, *others])
    sessions = best[1] if best is not None else list(week.sessions)
    lifts_done = [
        replace(
            s,
            title=s.title.replace("— light", "— de-load").replace(" (light)", " (de-load)"),
            description=(
                f"De-load: the same exercises with fewer sets ({s.strength_sets} in all) and "
                "more reps in reserve. Move well, leave fresh."
            ),
        )
        if s.sport is Sport.STRENGTH
        else s
        for s in sessions
    ]
    new = replace(
        week, deload=True, sessions=tuple(sorted(lifts_done, key=lambda s: s.start)), notes=()
    )
    km_cut = (1 - new.run_km / ref_km) * 100 if ref_km else 0.0
    load_cut = (1 - new.load / ref_load) * 100 if ref_load else 0.0
    notes = (
        f"De-load brought forward ({cause}): running {new.run_km:g} km ({km_cut:.0f} % below "
        f"week {reference.index}), planned load {new.load} ({load_cut:.0f} % below) — R6 asks "
        "for 20–30 %.",
        "Strength keeps its days and exercises with fewer sets and more reps in reserve; no "
        "heavy lifting this week.",
    )
    return replace(new, notes=notes)


# --------------------------------------------------------------------------- applying


_Key: TypeAlias = tuple[str, int | None, tuple[str, ...], bool]


def _key(violation: Violation) -> _Key:
    return (violation.rule, violation.week, violation.session_ids, violation.minimum)


@dataclass(frozen=True, slots=True)
class _Checked:
    plan: TrainingPlan
    violations: list[Violation]
    keys: Counter[_Key]
    #: The minimums left unmet in eased weeks (not violations: ``waived_violations``).
    waived: list[Violation] = field(default_factory=list)

    @classmethod
    def of(cls, plan: TrainingPlan, horizon: int | None = None) -> _Checked:
        """``plan`` checked; with ``horizon``, the violations of the weeks after week
        ``horizon`` are left out (:func:`rebalance` rebuilds those weeks at the end)."""
        strict = check_plan(plan, strict=True)
        eased = {week.index for week in plan.weeks if week.eased}
        waived = [v for v in strict if v.minimum and v.week in eased]
        violations = [v for v in strict if not (v.minimum and v.week in eased)]
        if horizon is not None:
            violations = [
                v
                for v in violations
                if v.week is None
                or v.week <= horizon
                or not (v.rule in _REBUILT_RULES or (v.rule == "R6" and v.minimum))
            ]
        return cls(plan, violations, Counter(_key(v) for v in violations), waived)


def _eased(plan: TrainingPlan, position: int, note: str) -> TrainingPlan:
    """``plan`` with ``note`` added to week ``position``'s record of how it was eased."""
    week = plan.weeks[position]
    if note in week.eased:
        return plan
    return _with_week(plan, position, replace(week, eased=(*week.eased, note)))


def _because(finding: Finding) -> str:
    """The why of a change in plain words: the finding's message, else what it is about."""
    message = finding.message.strip()
    first = re.split(r"(?<=[a-z0-9)%])\.\s", message, maxsplit=1)[0].rstrip(".")
    if not first:
        return _SIGNAL_WORDING[classify(finding.rule)]
    return first[0].lower() + first[1:]


_PLAIN_NOUNS = {
    SessionKind.EASY: "easy run",
    SessionKind.LONG: "long run",
    SessionKind.TEMPO: "tempo run",
    SessionKind.INTERVALS: "intervals",
    SessionKind.HILLS: "hill repeats",
    SessionKind.RECOVERY: "recovery run",
}


def _plain_noun(session: PlannedSession) -> str:
    if session.sport is Sport.STRENGTH:
        return "strength session"
    return _PLAIN_NOUNS.get(session.kind, f"{session.kind.value} session")


def _plain(
    before: PlannedSession, after: PlannedSession | None, because: str, *, ill: bool = False
) -> str:
    """What changes, for the athlete: ``Thursday 10 Dec: the intervals become 30 minutes of
    easy cycling, swimming or elliptical because …``."""
    day = f"{WEEKDAYS[before.date.weekday()].title()} {before.date.day} {before.date:%b}"
    noun = _plain_noun(before)
    plural = noun.endswith("s") and noun != "strength session"
    verb = "become" if plural else "becomes"
    if after is None:
        change = f"{'are' if plural else 'is'} cancelled" + (
            " (rest until you feel well again)" if ill else " (an extra rest day)"
        )
    elif after.date != before.date:
        change = f"{'move' if plural else 'moves'} to {WEEKDAYS[after.date.weekday()].title()}"
        if after.hard != before.hard:
            change += " in an easy version"
    elif after.sport is Sport.CROSS:
        change = f"{verb} {after.duration_min} minutes of easy cycling, swimming or elliptical"
    elif after.sport is Sport.MOBILITY:
        change = f"{verb} {after.duration_min} minutes of easy mobility and foam rolling"
    elif after.sport is Sport.STRENGTH:
        change = f"{verb} a light session ({after.strength_sets} sets, nothing near your limit)"
    elif after.kind is SessionKind.LONG:
        if (after.distance_km or 0) < (before.distance_km or 0):
            change = f"{'are' if plural else 'is'} shortened to {after.distance_km:g} km, run easy,"
        else:
            change = f"stays {after.distance_km:g} km but is run easy,"
    else:
        change = f"{verb} an easy {after.distance_km or 0:g} km run ({after.duration_min} min)"
    return f"{day}: the {noun} {change} because {because}."


def _rules_text(violations: Sequence[Violation]) -> str:
    return ", ".join(dict.fromkeys(v.rule for v in violations))


#: Rules that :func:`rebalance` keeps by rebuilding the weeks after the eased ones.
_REBUILT_RULES = frozenset({"VOLUME", "LONGEST", "LONG-CAP"})

_PHASE = {
    "lower_intensity": 0,
    "swap_cross": 0,
    "swap_mobility": 0,
    "rest": 1,
    "deload_forward": 2,
}


class _Engine:
    """Applies proposals one at a time, checking the plan after each change."""

    def __init__(
        self,
        plan: TrainingPlan,
        *,
        today: date | None = None,
        done: Collection[str] = (),
        ran: Mapping[date, float] | None = None,
    ) -> None:
        self.original = plan
        self.today = today
        self.done = frozenset(done)
        self.ran = ran
        self.horizon: int | None = None
        self.state = _Checked.of(plan)
        self.base = self.state
        self.rebuilt: list[int] = []
        self.causes: dict[_Key, list[str]] = {}
        self.applied: dict[int, Proposal] = {}
        self.dropped: list[str] = []
        self.skipped: list[str] = []

    # -- checking ------------------------------------------------------------------------------
    def _added(self, checked: _Checked) -> list[Violation]:
        """The violations of ``checked`` that the current plan does not have."""
        extra = checked.keys - self.state.keys
        added = []
        for violation in checked.violations:
            key = _key(violation)
            if extra[key] > 0:
                extra[key] -= 1
                added.append(violation)
        return added

    def _commit(self, checked: _Checked, why: str) -> list[Violation]:
        added = self._added(checked)
        for violation in added:
            self.causes.setdefault(_key(violation), []).append(why)
        self.state = checked
        return added

    def _choose(self, plans: Sequence[TrainingPlan]) -> tuple[int, _Checked, _Checked]:
        """The first plan that adds no violation (else the one adding the fewest, the earliest
        on a tie), and the first plan, checked."""
        first: _Checked | None = None
        best: tuple[int, int, _Checked] | None = None
        for index, plan in enumerate(plans):
            checked = self._check(plan)
            if first is None:
                first = checked
            added = len(self._added(checked))
            if added == 0:
                return index, checked, first
            if best is None or added < best[0]:
                best = (added, index, checked)
        assert first is not None
        assert best is not None
        return best[1], best[2], first

    # -- running -------------------------------------------------------------------------------
    def _left_short(self, checked: _Checked) -> list[Violation]:
        """The minimums ``checked`` leaves unmet in its eased weeks that the current plan
        meets."""
        before = Counter(_key(v) for v in self.state.waived)
        short = []
        for violation in checked.waived:
            key = _key(violation)
            if before[key] > 0:
                before[key] -= 1
            else:
                short.append(violation)
        return short

    def _check(self, plan: TrainingPlan) -> _Checked:
        return _Checked.of(plan, self.horizon)

    def _locked(self, session: PlannedSession) -> str | None:
        """Why ``session`` may not change (done, or before today), or None."""
        if session.id in self.done:
            return f"the {_named(session)} on {_day(session.date)} is already done"
        if self.today is not None and session.date < self.today:
            return f"the {_named(session)} on {_day(session.date)} is in the past"
        return None

    def run(self, proposals: Sequence[Proposal]) -> None:
        if self.today is None and proposals:
            self.today = min(p.day for p in proposals)
        weeks = [_week_of(self.original, p.day) for p in proposals]
        known = [self.original.weeks[w].index for w in weeks if w is not None]
        self.horizon = min(known) if known else None
        self.state = self._check(self.original)
        order = sorted(range(len(proposals)), key=lambda i: _PHASE[proposals[i].action])
        for index in order:
            proposal = proposals[index]
            if proposal.action == "rest":
                done = self._rest(proposal)
            elif proposal.action == "deload_forward":
                done = self._deload(proposal)
            else:
                done = self._change(proposal)
            if done is not None:
                self.applied[index] = done

    def rebalance(self) -> None:
        """Rebuild the weeks after the eased ones (:func:`rebalanced`), then check the whole
        plan: ``state`` holds every violation again."""
        plan = self.state.plan
        if self.applied:
            plan, self.rebuilt = rebalanced(
                plan,
                self.original,
                today=self.today or plan.start,
                waive=False,
                done=self.done,
                ran=self.ran,
            )
        self.horizon = None
        before = self.base
        after = _Checked.of(plan)
        if self.applied:  # the waiver lines change no verdict: the weeks are eased already
            after = replace(after, plan=_with_waivers(plan, after.waived))
        for violation in self._added_to(before, after):
            self.causes.setdefault(_key(violation), []).append(
                "the weeks after the eased week could not be rebuilt to keep it"
            )
        self.state = after

    @staticmethod
    def _added_to(before: _Checked, after: _Checked) -> list[Violation]:
        extra = after.keys - before.keys
        added = []
        for violation in after.violations:
            key = _key(violation)
            if extra[key] > 0:
                extra[key] -= 1
                added.append(violation)
        return added

    def result(self, proposals: Sequence[Proposal]) -> AdjustedPlan:
        self.rebalance()
        used: dict[_Key, int] = {}
        reasons = []
        for violation in self.state.violations:
            key = _key(violation)
            causes = self.causes.get(key, [])
            count = self.state.keys[key]
            # the latest causes explain the violations still standing
            nth = used.get(key, 0)
            used[key] = nth + 1
            offset = len(causes) - count + nth
            reasons.append(
                causes[offset]
                if 0 <= offset < len(causes)
                else "already in the plan before the adjustment"
            )
        return AdjustedPlan(
            plan=self.state.plan,
            applied=[self.applied[i] for i in range(len(proposals)) if i in self.applied],
            dropped=self.dropped,
            violations=list(self.state.violations),
            reasons=reasons,
            skipped=self.skipped,
            rebuilt=self.rebuilt,
            waived=list(self.state.waived),
        )

    @staticmethod
    def _because(proposal: Proposal) -> str:
        return proposal.because or _SIGNAL_WORDING[classify(proposal.finding)]

    @staticmethod
    def _why(proposal: Proposal) -> str:
        return proposal.cause or f"finding {proposal.finding}"

    def _explain(self, proposal: Proposal, what: str) -> str:
        return f"{what[0].upper()}{what[1:]}. Why: {self._why(proposal)}."

    def _skip(self, proposal: Proposal, why: str) -> None:
        self.skipped.append(f"{proposal.action} {proposal.session_id or proposal.day}: {why}")

    # -- lower / swap --------------------------------------------------------------------------
    def _change(self, proposal: Proposal) -> Proposal | None:
        plan = self.state.plan
        found = _locate(plan, proposal.session_id)
        if found is None:
            self._skip(proposal, "not in the plan")
            return None
        position, session = found
        if session.kind is SessionKind.RACE:
            self._skip(proposal, "the race is never changed")
            return None
        locked = self._locked(session)
        if locked is not None:
            self._skip(proposal, f"{locked}: it is never changed")
            return None
        if _already_done(session, proposal.action):
            self._skip(proposal, "already applied")
            return None
        if proposal.action == "lower_intensity":
            variants = _lowered_variants(plan, session)
        else:
            variants = _swap_variants(session, proposal.action)
        because = self._because(proposal)
        index, checked, first = self._choose(
            [
                _eased(
                    _with_session(plan, position, session.id, new),
                    position,
                    _plain(session, new, because),
                )
                for new, _ in variants
            ]
        )
        new, what = variants[index]
        what = f"{_day(session.date)}: {what}"
        if index > 0:
            broken = self._added(first)
            keeps = (
                "this is the nearest change that keeps every rule"
                if not self._added(checked)
                else "this change breaks fewer rules"
            )
            what += (
                f" (the first choice would break {_rules_text(broken)}: "
                f"{broken[0].message}; {keeps})"
            )
        reason = self._explain(proposal, what)
        short = self._left_short(checked)
        added = self._commit(checked, f"{proposal.action}: {reason}")
        if added:
            reason += f" Reported: {_rules_text(added)} cannot hold after this change."
        if short:
            reason += f" Left short on purpose this week: {_rules_text(short)}."
        return replace(
            proposal,
            reason=reason,
            before=_summary(session),
            after=_summary(new),
            plain=_plain(session, new, because),
        )

    # -- rest ----------------------------------------------------------------------------------
    def _rest(self, proposal: Proposal) -> Proposal | None:
        plan = self.state.plan
        found = _locate(plan, proposal.session_id)
        if found is None or found[1].date != proposal.day:
            self._skip(proposal, f"not in the plan on {_day(proposal.day)} (already applied)")
            return None
        position, session = found
        if session.kind is SessionKind.RACE:
            self._skip(proposal, "the race is never changed")
            return None
        locked = self._locked(session)
        if locked is not None:
            self._skip(proposal, f"{locked}: it is never changed")
            return None
        week = plan.weeks[position]
        ill = classify(proposal.finding) in _REST_SIGNALS
        if ill:
            what = (
                f"rest until a green check-in: the {_named(session)} on "
                f"{_day(session.date)} is cancelled"
            )
        else:
            what = (
                f"{_day(session.date)} becomes an extra rest day: the {_named(session)} is "
                "cancelled"
            )
        because = self._because(proposal)
        note = _plain(session, None, because, ill=ill)
        dropped = self._check(
            _eased(_with_session(plan, position, session.id, None), position, note)
        )
        if not ill:
            move = self._best_move(position, session, week, dropped, because)
            if move is not None:
                checked, moved = move
                eased = " in an easy version" if moved.hard != session.hard else ""
                what += f"; it moves to {_day(moved.date)}{eased}"
                added = self._added(checked)
                if added:
                    what += (
                        f", which breaks fewer rules than dropping it ({_rules_text(added)} "
                        "cannot hold either way)"
                    )
                else:
                    what += ", where every rule still holds, so the week keeps its sessions"
                reason = self._explain(proposal, what)
                self._commit(checked, f"rest (session moved): {reason}")
                return replace(
                    proposal,
                    reason=reason,
                    before=_summary(session),
                    after=_summary(moved),
                    plain=_plain(session, moved, because),
                )
        reason = self._explain(proposal, what)
        short = self._left_short(dropped)
        added = self._commit(dropped, f"rest (session dropped): {reason}")
        purpose = "for illness" if ill else "to keep the rest day"
        if short and not added:
            rules = _rules_text(short)
            self.dropped.append(
                f"{_named(session)} on {_day(session.date)} dropped {purpose}: week "
                f"{week.index} is left short on purpose ({rules})"
            )
            reason += f" Left short on purpose this week: {rules}."
        elif added:
            rules = _rules_text(added)
            self.dropped.append(
                f"{_named(session)} on {_day(session.date)} dropped {purpose}: {rules} cannot "
                f"hold in week {week.index} — reported"
            )
            reason += f" Reported: {rules} cannot hold in week {week.index} without it."
        else:
            self.dropped.append(
                f"{_named(session)} on {_day(session.date)} dropped {purpose}; every rule "
                "still holds"
            )
        return replace(
            proposal,
            reason=reason,
            before=_summary(session),
            after=None,
            plain=_plain(session, None, because, ill=ill),
        )

    def _best_move(
        self,
        position: int,
        session: PlannedSession,
        week: PlanWeek,
        dropped: _Checked,
        because: str,
    ) -> tuple[_Checked, PlannedSession] | None:
        """``session`` on a later day of its week (eased when hard), nearest day first: the
        first placement that adds no violation; else the one adding the fewest, when those are
        some of the violations that dropping the session would add (never a new kind)."""
        if session.kind is SessionKind.LONG:  # its day is fixed (R7 a)
            return None
        plan = self.state.plan
        base = _with_session(plan, position, session.id, None)
        if_dropped = Counter(_key(v) for v in self._added(dropped))
        best: tuple[int, _Checked, PlannedSession] | None = None
        day = session.date + timedelta(days=1)
        while day <= week.end:
            shifted = replace(session, start=session.start + (day - session.date))
            versions = (
                [new for new, _ in _lowered_variants(plan, shifted)]
                if _is_hard(shifted)
                else [shifted]
            )
            for version in versions:
                note = _plain(session, version, because)
                checked = self._check(
                    _eased(_with_session(base, position, session.id, version), position, note)
                )
                added = Counter(_key(v) for v in self._added(checked))
                if not added:
                    return checked, version
                count = added.total()
                fewer = not added - if_dropped and count < if_dropped.total()
                if fewer and (best is None or count < best[0]):
                    best = (count, checked, version)
            day += timedelta(days=1)
        return None if best is None else (best[1], best[2])

    # -- de-load -------------------------------------------------------------------------------
    def _deload(self, proposal: Proposal) -> Proposal | None:
        plan = self.state.plan
        position = _week_of(plan, proposal.day)
        if position is None:
            self._skip(proposal, "no week on that day")
            return None
        week = plan.weeks[position]
        if week.deload or week.phase is Phase.TAPER:
            self._skip(proposal, f"week {week.index} is already lighter (already applied)")
            return None
        held = [why for s in week.sessions if (why := self._locked(s)) is not None]
        if held:
            self._skip(proposal, f"{held[0]}: week {week.index} is not rebuilt")
            return None
        why = self._why(proposal)
        deload = _deloaded(plan, position, "repeated red check-ins")
        deload = replace(
            deload,
            eased=(
                f"This week becomes a lighter week (a de-load brought forward) because "
                f"{self._because(proposal)}, on several days.",
            ),
        )
        moved = _with_week(plan, position, deload)
        as_deload = _Checked.of(moved)
        chosen = as_deload
        follow = ""
        nxt = position + 1
        if nxt < len(plan.weeks) and plan.weeks[nxt].deload:
            old = plan.weeks[nxt]
            relabelled = replace(
                old,
                deload=False,
                notes=(
                    *old.notes,
                    f"Counts as a loading week: the de-load came forward to week {week.index}.",
                ),
            )
            as_loading = _Checked.of(_with_week(moved, nxt, relabelled))
            worse = as_loading.keys - as_deload.keys
            if not worse:
                chosen = as_loading
                follow = (
                    f" Week {old.index}, the planned de-load, now counts as a loading week "
                    "(every rule, R6 included, still holds that way)."
                )
            else:
                broken = [v for v in as_loading.violations if _key(v) in worse]
                follow = (
                    f" Week {old.index}, the planned de-load, stays a de-load: as a loading week "
                    f"it would break {_rules_text(broken)} ({broken[0].message})."
                )
        unfixable = [
            v for v in self._added_to(_Checked.of(plan), chosen) if v.rule not in _REBUILT_RULES
        ]
        if unfixable:
            self._skip(
                proposal,
                f"as a de-load week {week.index} would break {_rules_text(unfixable)} "
                f"({unfixable[0].message}); the weeks after the eased days are rebuilt from them "
                "instead",
            )
            return None
        chosen = self._check(chosen.plan)
        reference = plan.weeks[position - 1] if position > 0 else week
        new = chosen.plan.weeks[position]
        km_cut = (1 - new.run_km / reference.run_km) * 100 if reference.run_km else 0.0
        load_cut = (1 - new.load / reference.load) * 100 if reference.load else 0.0
        what = (
            f"week {week.index} ({_day(week.start)} – {_day(week.end)}) becomes a de-load: "
            f"running {new.run_km:g} km and planned load {new.load}, {km_cut:.0f} % and "
            f"{load_cut:.0f} % below week {reference.index} (R6: 20–30 %), lifting light with "
            f"fewer sets ({new.strength_sets} instead of {week.strength_sets}) and no "
            "plyometrics"
        )
        reason = f"{what[0].upper()}{what[1:]}.{follow} Why: {why}."
        added = self._commit(chosen, f"deload_forward: {reason}")
        if added:
            reason += (
                f" Reported: {_rules_text(added)} cannot hold — the weeks after it were planned "
                "for the old block; re-plan from the next check-in to realign them."
            )
        plain = (
            f"The week of {new.start:%A %d %B} becomes a lighter week ({new.run_km:g} km, light "
            f"lifting) because {self._because(proposal)}, on several days."
        )
        after = _week_summary(new)
        after.update(
            km_drop_pct=round(km_cut, 1),
            load_drop_pct=round(load_cut, 1),
            compared_with_week=reference.index,
            session_ids=[s.id for s in new.sessions],
        )
        if nxt < len(plan.weeks) and plan.weeks[nxt].deload:
            after["planned_deload_week"] = plan.weeks[nxt].index
            after["planned_deload_kept"] = chosen.plan.weeks[nxt].deload
        return replace(
            proposal, reason=reason, before=_week_summary(week), after=after, plain=plain
        )


def rebalanced(
    plan: TrainingPlan,
    original: TrainingPlan,
    *,
    today: date,
    waive: bool = True,
    done: Collection[str] = (),
    ran: Mapping[date, float] | None = None,
) -> tuple[TrainingPlan, list[int]]:
    """``plan`` (``original`` with some weeks eased: their ``eased`` record grew) with the
    eased weeks' notes rewritten, the weeks after the first of them rebuilt
    (:func:`rebalance`) and each eased week saying which minimum it leaves unmet; and the
    indexes of the rebuilt weeks. With ``ran`` (running km by the athlete's local day) the
    weeks begun before ``today`` count with the km actually run when that is less than
    planned (:func:`km_run`), as in a regeneration."""
    pairs = list(zip(plan.weeks, original.weeks, strict=False))
    eased = [position for position, (week, was) in enumerate(pairs) if week.eased != was.eased]
    if not eased:
        return plan, []
    for position in eased:
        week = plan.weeks[position]
        planned = original.weeks[position]
        head = (
            f"Eased for how you are: {week.run_km:g} km instead of the {planned.run_km:g} km "
            "planned (what changed and why is listed with the week)."
        )
        plan = _with_week(plan, position, replace(week, notes=week_notes(plan, position, head)))
    begun = [week for week in plan.weeks if week.start < today]
    actual = {} if ran is None else km_run(begun, ran, today=today, done=done)
    plan, rebuilt = rebalance(
        plan,
        eased[0] + 1,
        today=today,
        deload=lambda p, position: _deloaded(p, position, "the week before it was eased"),
        actual=actual,
    )
    return (_with_waivers(plan) if waive else plan), rebuilt


def _with_waivers(plan: TrainingPlan, waived: list[Violation] | None = None) -> TrainingPlan:
    """Each eased week also says which minimum it leaves unmet (in words, on purpose);
    ``waived`` is ``waived_violations(plan)`` when known already."""
    if waived is None:
        waived = waived_violations(plan)
    weeks = []
    for week in plan.weeks:
        lines = [f"Left short on purpose: {v.message}." for v in waived if v.week == week.index]
        kept = tuple(n for n in week.eased if not n.startswith("Left short on purpose: "))
        weeks.append(replace(week, eased=(*kept, *dict.fromkeys(lines))) if week.eased else week)
    return replace(plan, weeks=tuple(weeks))


# --------------------------------------------------------------------------- regenerating


class PlanUnderWay(RunliftError, ValueError):
    """A regenerated plan cannot continue the stored one (its weeks do not fit the weeks kept)."""


@dataclass(frozen=True, slots=True)
class ContinuedPlan:
    """A freshly generated plan continued from the stored one (:func:`continued`).

    ``plan`` holds the stored weeks before ``cut`` exactly as stored and the fresh plan's weeks
    from ``cut`` on (None: nothing of the stored plan is behind, ``plan`` is the fresh plan);
    ``kept`` is the number of stored weeks kept; ``rebuilt`` the indexes of fresh weeks scaled
    down to grow from the weeks kept; ``deloaded`` those turned into a de-load because the
    weeks kept already ran the block's loading weeks.
    """

    plan: TrainingPlan
    cut: date | None
    kept: int
    rebuilt: tuple[int, ...] = ()
    deloaded: tuple[int, ...] = ()


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()].title()


def _loading_streak(weeks: Sequence[PlanWeek]) -> int:
    """The loading weeks in a row at the end of ``weeks``."""
    streak = 0
    for week in reversed(weeks):
        if week.deload or week.phase is Phase.TAPER:
            break
        streak += 1
    return streak


def _kept_under_old_schedule(plan: TrainingPlan, stored: TrainingPlan, kept: int) -> TrainingPlan:
    """``plan`` with each kept week that misses a minimum of the new schedule (fewer runs or
    strength sessions than it now asks for) saying so in its ``eased`` record: it was planned
    with the earlier schedule and is never changed, so the minimum is waived there. A limit
    the kept weeks break (a new unavailable day they trained on) is not waived."""
    old, new = stored.rules, plan.rules
    if (old.run_days, old.strength_sessions) == (new.run_days, new.strength_sessions):
        return plan
    indexes = {week.index for week in plan.weeks[:kept]}
    short = {
        v.week
        for v in check_plan(plan, only={"RUNS", "R1"}, strict=True)
        if v.minimum and v.week in indexes
    }
    if not short:
        return plan
    line = (
        f"Planned with the earlier schedule ({old.run_days} runs and {old.strength_sessions} "
        "strength sessions a week) and kept as it was."
    )
    weeks = tuple(
        replace(week, eased=(*week.eased, line)) if week.index in short else week
        for week in plan.weeks
    )
    return replace(plan, weeks=weeks)


def km_run(
    weeks: Iterable[PlanWeek],
    ran: Mapping[date, float],
    *,
    today: date,
    done: Collection[str] = (),
) -> dict[int, float]:
    """The running km of each of ``weeks`` as the athlete ran it, by week index: the km logged
    on its days (``ran``: running km by local day, every run activity, matched or not) plus
    the runs still to come as planned (dated ``today`` or later and not done). Empty when
    nothing at all is logged in these weeks: with no activity there is nothing to measure, and
    the weeks count as planned (docs/adjustments.md, "Growth from the km actually run")."""
    weeks = list(weeks)
    if not any(ran.get(day, 0.0) > 0 for week in weeks for day in week.dates()):
        return {}
    result: dict[int, float] = {}
    for week in weeks:
        logged = sum(ran.get(day, 0.0) for day in week.dates())
        to_come = sum(
            s.distance_km or 0.0
            for s in week.runs
            if s.kind is not SessionKind.RACE and s.date >= today and s.id not in done
        )
        result[week.index] = round(logged + to_come, 1)
    return result


def continued(
    stored: TrainingPlan,
    fresh: TrainingPlan,
    *,
    today: date,
    done: Collection[str] = (),
    ran: Mapping[date, float] | None = None,
) -> ContinuedPlan:
    """``fresh`` (a plan just generated from the profile) continuing ``stored`` (the plan under
    way): the past is read-only (docs/adjustments.md, "Regenerating").

    Every stored session dated before ``today`` and every done one (``done``: ids of the
    sessions an activity is matched to) is kept exactly as stored, with the rest of its week;
    the stored weeks are kept up to the first week start (on the stored plan's seven-day grid)
    after all of them, and the fresh plan's weeks follow from there, renumbered. The fresh
    weeks are rebuilt with :func:`~runlift.domain.rebalance.rebalance`: their volume grows from
    the last kept loading week at ≤ +10 % a week back to the fresh curve (measured from the
    km it actually ran when that is less than planned: ``ran``, running km by the athlete's
    local day, read with :func:`km_run`), no run is more than
    10 % longer than the longest of the 30 days before it, and a de-load stays 20–30 % below
    the week before it. When the kept weeks already ran the block's loading weeks, the first
    fresh loading week becomes the de-load (R6). The plan keeps the stored plan's start and
    starting volume (its first week is the stored one).

    When nothing of ``stored`` is behind (it starts after ``today`` and nothing is done), or it
    ended before ``today`` and ``fresh`` starts after it, ``fresh`` is returned as it is.

    Raises:
        PlanUnderWay: the fresh plan's weeks do not fall on the stored plan's grid, or it
            leaves a gap after the weeks kept (names the dates).
    """
    frozen_until = today
    for session in stored.sessions:
        if session.id in done and session.date >= frozen_until:
            frozen_until = session.date + timedelta(days=1)
    if not stored.weeks or stored.start >= frozen_until:
        return ContinuedPlan(fresh, None, 0)
    if stored.end < today and fresh.start > stored.end:
        return ContinuedPlan(fresh, None, 0)
    if (fresh.start - stored.start).days % 7:
        raise PlanUnderWay(
            f"the plan under way runs in weeks from {_weekday(stored.start)} (it started on "
            f"{stored.start.isoformat()}); a new plan start must be a {_weekday(stored.start)}, "
            f"not {_weekday(fresh.start)} {fresh.start.isoformat()}"
        )
    behind = (frozen_until - stored.start).days
    cut = max(stored.start + timedelta(days=7 * -(-behind // 7)), fresh.start)
    kept = [week for week in stored.weeks if week.start < cut]
    new = [week for week in fresh.weeks if week.start >= cut]
    if not new:
        raise PlanUnderWay(
            f"the plan from this profile ends on {fresh.end.isoformat()}, before "
            f"{cut.isoformat()} (the first week not yet under way); move the goal later"
        )
    last = kept[-1]
    if last.end + timedelta(days=1) != new[0].start or last.days != 7:
        raise PlanUnderWay(
            f"the plan under way ends on {stored.end.isoformat()} and the new one would go on "
            f"from {new[0].start.isoformat()}; a plan's weeks follow each other without a gap "
            f"(start the new plan on {(last.end + timedelta(days=1)).isoformat()} or earlier)"
        )
    new = [replace(week, index=last.index + 1 + offset) for offset, week in enumerate(new)]
    rules = replace(
        fresh.rules,
        start_weekly_km=stored.rules.start_weekly_km,
        start_long_run_km=stored.rules.start_long_run_km,
        min_start_weekly_km=stored.rules.min_start_weekly_km,
    )
    plan = _kept_under_old_schedule(
        replace(fresh, start=stored.start, weeks=(*kept, *new), rules=rules), stored, len(kept)
    )
    first = len(kept)
    deloaded: list[int] = []
    if new[0].deload:
        # a de-load measured against a week of the fresh plan that is not in this plan:
        # remade against the kept week before it (its exercises, fewer sets, 20-30 % lighter)
        remade = _deloaded(plan, first, "")
        head = f"De-load after week {last.index}, the last week kept as it was planned."
        plan = _with_week(plan, first, remade)
        plan = _with_week(plan, first, replace(remade, notes=week_notes(plan, first, head)))
    block = rules.loading_weeks_per_block
    streak = _loading_streak(kept)
    for position in range(first, len(plan.weeks)):
        week = plan.weeks[position]
        if week.deload or week.phase is Phase.TAPER:
            streak = 0
            continue
        if streak < block:
            streak += 1
            continue
        cause = (
            f"weeks {plan.weeks[position - block].index}–{plan.weeks[position - 1].index} "
            f"ran {block} loading weeks already"
        )
        plan = _with_week(plan, position, _deloaded(plan, position, cause))
        deloaded.append(week.index)
        streak = 0
    actual = {} if ran is None else km_run(kept, ran, today=today, done=done)
    plan, rebuilt = rebalance(
        plan,
        first,
        today=cut,
        deload=lambda p, position: _deloaded(p, position, "the weeks kept were lighter"),
        after="the weeks already behind",
        actual=actual,
    )
    return ContinuedPlan(plan, cut, len(kept), tuple(rebuilt), tuple(deloaded))


def apply(
    plan: TrainingPlan,
    proposals: Sequence[Proposal],
    *,
    today: date | None = None,
    done: Collection[str] = (),
    ran: Mapping[date, float] | None = None,
) -> AdjustedPlan:
    """Carry out ``proposals`` on ``plan`` and check the result.

    Changes to sessions come first, then rest days, then a de-load brought forward (which is
    measured against the week before it as adjusted). Each change takes the first of its
    variants that adds no violation; what still breaks is reported in ``violations`` (with
    ``reasons``) and, for a cancelled session, in ``dropped``. A proposal already carried out is
    skipped, so applying the same proposals twice changes nothing. With ``ran`` (running km
    by the athlete's local day) the weeks after the eased ones grow from the km actually run
    in the weeks begun before ``today`` when that is less than planned (:func:`rebalanced`).
    """
    engine = _Engine(plan, today=today, done=done, ran=ran)
    engine.run(proposals)
    return engine.result(proposals)


# --------------------------------------------------------------------------- proposing


def _upcoming(
    plan: TrainingPlan, first: date, last: date, done: Collection[str] = ()
) -> list[PlannedSession]:
    """Sessions from ``first`` to ``last`` (inclusive) in start order, the race and the sessions
    already done left out."""
    return sorted(
        (
            s
            for s in plan.sessions
            if first <= s.date <= last and s.kind is not SessionKind.RACE and s.id not in done
        ),
        key=lambda s: s.start,
    )


def _done_text(plan: TrainingPlan, first: date, last: date, done: Collection[str]) -> str:
    """`` (the intervals session “Intervals 9.5 km” on Thu 2026-12-10 is already done and
    stays as it is)`` for the hard sessions done between ``first`` and ``last``."""
    held = [
        s
        for s in plan.sessions
        if first <= s.date <= last and s.id in done and s.kind is not SessionKind.RACE
    ]
    if not held:
        return ""
    names = ", ".join(f"the {_named(s)} on {_day(s.date)}" for s in held)
    verb = "is" if len(held) == 1 else "are"
    return f" ({names} {verb} already done and stay{'s' if len(held) == 1 else ''} as done)"


def _proposal(session: PlannedSession, action: Action, finding: Finding, cause: str) -> Proposal:
    return Proposal(
        session_id=session.id,
        action=action,
        reason="",
        finding=finding.rule,
        day=session.date,
        before=_summary(session),
        after=None,
        cause=cause,
        because=_because(finding),
    )


def _amber(
    plan: TrainingPlan, status: DayStatus, today: date, done: Collection[str]
) -> list[Proposal]:
    findings = [f for f in status.findings if f.level is not Level.GREEN]
    if not findings:
        findings = [Finding("status-amber", Level.AMBER, "amber check-in")]
    by_signal = {classify(f.rule): f for f in reversed(findings)}
    last = today + timedelta(days=AMBER_WINDOW_DAYS - 1)
    hard = [s for s in _upcoming(plan, today, last, done) if _is_hard(s)]
    if not hard:
        return []
    if Signal.SORENESS in by_signal:
        finding = by_signal[Signal.SORENESS]
        target = hard[0]
        if target.sport is Sport.STRENGTH:
            action: Action = "swap_mobility"
        elif target.kind is SessionKind.LONG:
            action = "lower_intensity"
        else:
            action = "swap_cross"
    elif Signal.LOAD in by_signal:
        finding = by_signal[Signal.LOAD]
        runs = [s for s in hard if s.is_hard_run]
        target = runs[0] if runs else hard[0]
        speed = target.sport is Sport.RUN and target.kind in SPEED_KINDS
        action = "swap_cross" if speed else "lower_intensity"
    else:
        finding = findings[0]
        target = hard[0]
        action = "lower_intensity"
    cause = _cause(finding, also=findings) + " — amber: ease the next hard session"
    cause += _done_text(plan, today, target.date, done)
    return [_proposal(target, action, finding, cause)]


def _red_days(status: DayStatus, today: date, recent: Sequence[DayStatus]) -> int:
    first = today - timedelta(days=REPEATED_RED_WINDOW_DAYS - 1)
    days = {s.day for s in recent if s.level is Level.RED and first <= s.day <= today}
    if status.level is Level.RED:
        days.add(today)
    return len(days)


def _deload_forward(
    plan: TrainingPlan, today: date, finding: Finding, red_days: int
) -> list[Proposal]:
    """Bring the de-load forward when this week and the next are both loading weeks."""
    position = _week_of(plan, today)
    if position is None or position + 1 >= len(plan.weeks):
        return []
    current, nxt = plan.weeks[position], plan.weeks[position + 1]

    def loading(week: PlanWeek) -> bool:
        return not week.deload and week.phase is not Phase.TAPER

    if not (loading(current) and loading(nxt)) or nxt.days != 7:
        return []
    cause = (
        f"red on {red_days} of the last {REPEATED_RED_WINDOW_DAYS} days, latest "
        f"{_cause(finding)} — repeated red: bring the de-load forward"
    )
    return [
        Proposal(
            session_id="",
            action="deload_forward",
            reason="",
            finding=finding.rule,
            day=nxt.start,
            before=_week_summary(nxt),
            after=None,
            cause=cause,
            because=_because(finding),
        )
    ]


def _rest_day(plan: TrainingPlan, today: date, done: Collection[str]) -> date | None:
    for offset in range(REST_DAY_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        if _upcoming(plan, day, day, done):
            return day
    return None


def _red(
    plan: TrainingPlan, status: DayStatus, today: date, red_days: int, done: Collection[str]
) -> list[Proposal]:
    findings = [f for f in status.findings if f.level is Level.RED] or list(status.findings)
    finding = findings[0] if findings else Finding("status-red", Level.RED, "red check-in")
    repeated = red_days >= REPEATED_RED_DAYS
    easy_days = EASY_DAYS_AFTER_REPEATED_RED if repeated else EASY_DAYS_AFTER_RED
    cause = _cause(finding, also=findings) + (
        f" — red on {red_days} of the last {REPEATED_RED_WINDOW_DAYS} days"
        if repeated
        else " — red"
    )
    rest = _rest_day(plan, today, done)
    proposals: list[Proposal] = []
    if rest is not None:
        rest_cause = f"{cause}: an extra rest day, then {easy_days} easy days"
        rest_cause += _done_text(plan, today, rest, done)
        proposals += [
            _proposal(s, "rest", finding, rest_cause) for s in _upcoming(plan, rest, rest, done)
        ]
        first = rest + timedelta(days=1)
    else:
        first = today
    last = first + timedelta(days=easy_days - 1)
    easy_cause = (
        f"{cause}: every hard session of the {easy_days} days after the rest day "
        f"({_day(first)} – {_day(last)}) is eased"
    )
    proposals += [
        _proposal(s, "lower_intensity", finding, easy_cause)
        for s in _upcoming(plan, first, last, done)
        if _is_hard(s)
    ]
    if repeated:
        proposals += _deload_forward(plan, today, finding, red_days)
    return proposals


def _ill(
    plan: TrainingPlan, finding: Finding, today: date, red_days: int, done: Collection[str]
) -> list[Proposal]:
    last = today + timedelta(days=ILLNESS_REST_DAYS - 1)
    cause = _cause(finding)
    if "green check-in" not in cause:
        cause += " — rest until a green check-in"
    cause += _done_text(plan, today, last, done)
    proposals = [_proposal(s, "rest", finding, cause) for s in _upcoming(plan, today, last, done)]
    if red_days >= REPEATED_RED_DAYS:
        proposals += _deload_forward(plan, today, finding, red_days)
    return proposals


def _raw(
    plan: TrainingPlan,
    status: DayStatus,
    today: date,
    recent: Sequence[DayStatus],
    done: Collection[str],
) -> list[Proposal]:
    if status.level is Level.GREEN:
        return []
    red_days = _red_days(status, today, recent)
    sick = [
        f
        for f in status.findings
        if f.level is not Level.GREEN and classify(f.rule) in _REST_SIGNALS
    ]
    if sick:
        return _ill(plan, sick[0], today, red_days, done)
    if status.level is Level.RED:
        return _red(plan, status, today, red_days, done)
    return _amber(plan, status, today, done)


def propose(
    plan: TrainingPlan,
    status: DayStatus,
    *,
    today: date,
    recent: Sequence[DayStatus] = (),
    done: Collection[str] = (),
) -> list[Proposal]:
    """Explained changes to the sessions from ``today`` on, for the athlete's ``status``.

    Sessions in ``done`` (matched to an activity or logged) and those before ``today`` are never
    changed: a proposal that would have eased a done session says so and eases the next one.

    ``recent`` holds the statuses of the days before (any order; those of the last 7 days count
    for *repeated red*). Green gives no proposals. Each proposal's ``after`` and ``reason`` are
    what :func:`apply` does with all of them together (a cancelled session moved to another day,
    a long run shortened less than 70 % to keep a rule...).
    """
    raw = _raw(plan, status, today, recent, done)
    if not raw:
        return []
    engine = _Engine(plan, today=today, done=done)
    engine.run(raw)
    return [engine.applied[i] for i in range(len(raw)) if i in engine.applied]
