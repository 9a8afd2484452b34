"""The plan checker: every rule of ``docs/plan-rules.md``, each reported with its id.

``check_plan(plan)`` runs every rule in :data:`RULES` and returns the violations, each naming
the rule, the week and the sessions involved, with a message a person can act on. The checker
reads only the plan (and the ``PlanRules`` it carries), never the generator, so it is an
independent verification of generated plans and of hand-edited plan files.

Readings of the specification that are not spelled out there:

- The *race week* is the week holding the race (the race on the goal date if there are
  several); with a goal date but no race session, it is the last week.
- A *long-run day* (R4) is a day with a long run; a *speed day* is a day with a run of a
  ``SPEED_KINDS`` kind.
- A violation that involves sessions of two weeks (R3, HARD-ADJ) belongs to the week of the
  earlier session.
- R2 counts the exercises of strength sessions only.
- R6(c) compares a de-load with the last loading week before it; "uses only exercises of the
  loading week before" means every de-load exercise (by name, case-insensitive) appears in that
  week; dropping any exercise is allowed.
- LONGEST: the reference is the longest run of the 30 calendar days before the run's day, never
  below ``min_long_run_km``; when those 30 days reach back before the plan's start, the
  profile's ``start_long_run_km`` counts as a run of that window.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypeAlias

from runlift.domain.plan import (
    REQUIRED_PATTERNS,
    SPEED_KINDS,
    WEEKDAYS,
    Pattern,
    Phase,
    PlannedSession,
    PlanWeek,
    SessionKind,
    Sport,
    TrainingPlan,
)

__all__ = [
    "LIMIT",
    "MINIMUM",
    "RULES",
    "RULE_DESCRIPTIONS",
    "RULE_KINDS",
    "Violation",
    "check_plan",
    "check_plan_dict",
    "waived_violations",
]

#: What a rule protects. A *limit* guards against doing too much (spacing, growth, spikes,
#: shares): it always holds, whatever happened. A *minimum* asks for some work (strength count,
#: weekly coverage, runs, de-load depth): a week eased for the athlete's status may leave it
#: unmet, and says so in ``PlanWeek.eased`` (docs/adjustments.md).
LIMIT, MINIMUM = "limit", "minimum"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its id, a message for a person, the week and the sessions involved.

    ``minimum`` is true when the broken part asks for a minimum of work (see :data:`LIMIT`);
    :func:`check_plan` sets it from :data:`RULE_KINDS` unless the rule set it itself.
    """

    rule: str
    message: str
    week: int | None
    session_ids: tuple[str, ...]
    minimum: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "week": self.week,
            "sessions": list(self.session_ids),
            "message": self.message,
            "kind": MINIMUM if self.minimum else LIMIT,
        }


# --------------------------------------------------------------------------- numbers of the spec

_STRENGTH_SESSIONS_ALLOWED = (2, 3)
_LOADING_WEEKS_ALLOWED = (2, 3)
_HARD_GAP = timedelta(hours=24)  # R3
_SAME_DAY_GAP = timedelta(hours=6)  # SAME-DAY
_DELOAD_MIN_PCT, _DELOAD_MAX_PCT, _DELOAD_TOL_PCT = 20.0, 30.0, 0.5  # R6(b)
_WEEK_GROWTH = 0.10  # VOLUME (a), (b)
_TWO_WEEK_GROWTH = 0.30  # VOLUME (c)
_RESTART_KM_PER_RUN = 3.0  # VOLUME (a): the run-walk floor of docs/planning.md
_VOLUME_TOL_KM = 0.1
_LONGEST_GROWTH = 0.10
_LONGEST_WINDOW_DAYS = 30
_LONGEST_TOL_KM = 0.05
_LONG_CAP_HIGH_KM = 64.0
#: The long run's largest share of the week by runs in the week (LONG-CAP).
_LONG_CAP_SHARES = {2: 0.60, 3: 0.50, 4: 0.50, 5: 0.40}
_LONG_CAP_SHARE_MANY = 0.35  # 6 or more runs
_LONG_CAP_HIGH_MIN = 150
_LONG_CAP_MARATHON_MIN = 180
_RACE_WEEK_MAX_DAYS = 7  # WEEK-DAYS
_SHORT_RACE_WEEK_DAYS = 3  # R7 (a): the week before such a race week needs no long run
_EASY80_MIN_RUNS = 3
_EASY80_SHARE = 0.25
_EPS = 1e-9  # float noise only; the spec's tolerances are applied explicitly

_EASY_KINDS = frozenset({SessionKind.EASY, SessionKind.RECOVERY})

_KIND_NOUNS = {
    SessionKind.EASY: "easy run",
    SessionKind.LONG: "long run",
    SessionKind.TEMPO: "tempo run",
    SessionKind.INTERVALS: "intervals session",
    SessionKind.HILLS: "hills session",
    SessionKind.RECOVERY: "recovery run",
    SessionKind.RACE: "race",
    SessionKind.STRENGTH: "strength session",
    SessionKind.MOBILITY: "mobility session",
    SessionKind.CROSS: "cross-training session",
}


# --------------------------------------------------------------------------- message helpers


def _day(day: date) -> str:
    """``Sat 2026-12-26`` (locale-independent)."""
    return f"{WEEKDAYS[day.weekday()][:3].title()} {day.isoformat()}"


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _noun(session: PlannedSession) -> str:
    if session.sport is Sport.STRENGTH:
        noun = "heavy strength session" if session.hard else "strength session"
    else:
        noun = _KIND_NOUNS.get(session.kind, session.kind.value)
    return f'{noun} "{session.title}"' if session.title else noun


def _at(session: PlannedSession) -> str:
    """``long run "Long 18 km" on Sun 2026-12-27 07:00``."""
    return f"{_noun(session)} on {_day(session.date)} {_clock(session.start)}"


def _span(gap: timedelta) -> str:
    minutes = int(gap.total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d} min"


def _km(value: float) -> str:
    return f"{value:.1f} km"


def _pct(value: float) -> str:
    return f"{value:.1f} %"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _ids(*sessions: PlannedSession) -> tuple[str, ...]:
    return tuple(session.id for session in sessions)


def _names(items: Collection[str]) -> str:
    return ", ".join(items)


# --------------------------------------------------------------------------- shared facts


class _Slot(NamedTuple):
    week: PlanWeek
    session: PlannedSession


@dataclass(frozen=True, slots=True)
class _Facts:
    """What several rules need, computed once per plan."""

    plan: TrainingPlan
    by_date: dict[date, tuple[_Slot, ...]]  # each day's sessions by start time
    race_week: int | None  # position in plan.weeks
    loading: tuple[bool, ...]  # per position: neither de-load nor taper

    def on(self, day: date) -> tuple[_Slot, ...]:
        return self.by_date.get(day, ())

    def is_race_week(self, position: int) -> bool:
        return position == self.race_week

    @classmethod
    def of(cls, plan: TrainingPlan) -> _Facts:
        by_date: dict[date, list[_Slot]] = {}
        for week in plan.weeks:
            for session in week.sessions:
                by_date.setdefault(session.date, []).append(_Slot(week, session))
        ordered = {
            day: tuple(sorted(by_date[day], key=lambda slot: slot.session.start))
            for day in sorted(by_date)
        }
        loading = tuple(not week.deload and week.phase is not Phase.TAPER for week in plan.weeks)
        return cls(plan, ordered, _find_race_week(plan), loading)


def _find_race_week(plan: TrainingPlan) -> int | None:
    race_positions = [
        (position, session.date)
        for position, week in enumerate(plan.weeks)
        for session in week.sessions
        if session.kind is SessionKind.RACE
    ]
    if race_positions:
        on_goal = [position for position, day in race_positions if day == plan.goal_date]
        return on_goal[0] if on_goal else race_positions[-1][0]
    if plan.goal_date is not None and plan.weeks:
        return len(plan.weeks) - 1
    return None


_LAST: _Facts | None = None


def _facts(plan: TrainingPlan) -> _Facts:
    """The facts of ``plan``, shared by all rules of one ``check_plan`` call."""
    global _LAST
    last = _LAST
    if last is not None and last.plan is plan:
        return last
    facts = _Facts.of(plan)
    _LAST = facts
    return facts


def _is_run(session: PlannedSession) -> bool:
    return session.sport is Sport.RUN


def _is_long_run(session: PlannedSession) -> bool:
    return session.sport is Sport.RUN and session.kind is SessionKind.LONG


def _is_speed(session: PlannedSession) -> bool:
    return session.sport is Sport.RUN and session.kind in SPEED_KINDS


def _full(week: PlanWeek) -> bool:
    return week.days == 7


def _week_label(week: PlanWeek) -> str:
    if week.deload:
        return f"de-load week {week.index}"
    if week.phase is Phase.TAPER:
        return f"taper week {week.index}"
    return f"week {week.index}"


def _drop_pct(before: float, after: float) -> float:
    return (before - after) / before * 100.0


def _rise_pct(before: float, after: float) -> float:
    return (after - before) / before * 100.0 if before > 0 else float("inf")


# --------------------------------------------------------------------------- the rules


def _r1(plan: TrainingPlan) -> Iterator[Violation]:
    """Strength sessions per week."""
    facts = _facts(plan)
    wanted = plan.rules.strength_sessions
    if wanted not in _STRENGTH_SESSIONS_ALLOWED:
        yield Violation(
            "R1",
            f"the plan asks for {wanted} strength sessions a week; it must be 2 or 3",
            None,
            (),
        )
    for position, week in enumerate(plan.weeks):
        strength = week.strength
        count = len(strength)
        if facts.is_race_week(position):
            least = 1 if _race_week_has_lifting_day(plan, week) else 0
            if not least <= count <= wanted:
                yield Violation(
                    "R1",
                    f"race week {week.index} ({week.days} days) has "
                    f"{_n(count, 'strength session')}; allowed {least}–{wanted}",
                    week.index,
                    _ids(*strength),
                )
        elif _full(week) and count != wanted:
            yield Violation(
                "R1",
                f"{_week_label(week)} has {_n(count, 'strength session')}; the plan asks for "
                f"{wanted}",
                week.index,
                _ids(*strength),
            )


def _race_week_has_lifting_day(plan: TrainingPlan, week: PlanWeek) -> bool:
    """Whether the race week has an available day two or more days before the race."""
    races = [s.date for s in week.sessions if s.kind is SessionKind.RACE]
    race_day = races[0] if races else week.end
    off = {name.strip().lower() for name in plan.rules.unavailable}
    return any(
        WEEKDAYS[day.weekday()] not in off for day in week.dates() if (race_day - day).days >= 2
    )


def _r2(plan: TrainingPlan) -> Iterator[Violation]:
    """Movement patterns covered each week."""
    for week in plan.weeks:
        strength = week.strength
        if not strength:
            continue
        covered = {exercise.pattern for s in strength for exercise in s.exercises}
        missing = [p.value for p in Pattern if p in REQUIRED_PATTERNS and p not in covered]
        if missing:
            yield Violation(
                "R2",
                f"the strength sessions of {_week_label(week)} miss {_names(missing)} "
                f"(each week needs squat, hinge, lunge, bridge, core and upper body)",
                week.index,
                _ids(*strength),
            )


def _r3(plan: TrainingPlan) -> Iterator[Violation]:
    """24 h between heavy strength and hard runs, either way."""
    facts = _facts(plan)
    for week in plan.weeks:
        for lift in week.sessions:
            if not lift.is_heavy_strength:
                continue
            for offset in range(-2, 3):
                for other in facts.on(lift.date + timedelta(days=offset)):
                    run = other.session
                    if not run.is_hard_run:
                        continue
                    if lift.start <= run.start:
                        first, first_week, second = lift, week, run
                    else:
                        first, first_week, second = run, other.week, lift
                    gap = second.start - first.end
                    if gap < _HARD_GAP:
                        yield Violation(
                            "R3",
                            f"{_at(second)} starts {_span(gap)} after the {_at(first)} ends at "
                            f"{_clock(first.end)}; heavy strength and hard runs need ≥ 24 h "
                            f"between them",
                            first_week.index,
                            _ids(first, second),
                        )


def _r4(plan: TrainingPlan) -> Iterator[Violation]:
    """No heavy strength the day before a speed day or a long-run day."""
    facts = _facts(plan)
    for week in plan.weeks:
        for lift in week.sessions:
            if not lift.is_heavy_strength:
                continue
            for slot in facts.on(lift.date + timedelta(days=1)):
                run = slot.session
                if _is_speed(run) or _is_long_run(run):
                    day_kind = "long-run day" if _is_long_run(run) else "speed day"
                    yield Violation(
                        "R4",
                        f"heavy strength on {_day(lift.date)} is the day before the "
                        f"{_noun(run)} on {_day(run.date)} (no heavy strength before a "
                        f"{day_kind})",
                        week.index,
                        _ids(lift, run),
                    )


def _r5(plan: TrainingPlan) -> Iterator[Violation]:
    """A free day every week."""
    facts = _facts(plan)
    for week in plan.weeks:
        if week.days < 2:
            continue
        if all(facts.on(day) for day in week.dates()):
            yield Violation(
                "R5",
                f"{_week_label(week)} has a session on every day ({_day(week.start)} – "
                f"{_day(week.end)}); at least one day must stay free",
                week.index,
                (),
            )


def _r6(plan: TrainingPlan) -> Iterator[Violation]:
    """De-load cycle: block length, de-load depth, de-load strength."""
    facts = _facts(plan)
    limit = plan.rules.loading_weeks_per_block
    if limit not in _LOADING_WEEKS_ALLOWED:
        yield Violation(
            "R6", f"loading_weeks_per_block is {limit}; it must be 2 (2:1) or 3 (3:1)", None, ()
        )
    weeks = plan.weeks
    streak = 0  # loading weeks in a row up to the current position
    last_loading: int | None = None
    for position, week in enumerate(weeks):
        if facts.loading[position]:
            streak += 1
            if streak == limit + 1:
                first = weeks[position - limit]
                yield Violation(
                    "R6",
                    f"weeks {first.index}–{week.index} are {streak} loading weeks in a row; at "
                    f"most {limit} before a de-load",
                    week.index,
                    (),
                )
            last_loading = position
            continue
        if week.deload:
            yield from _r6_deload(plan, position, streak, last_loading)
        streak = 0


def _r6_deload(
    plan: TrainingPlan, position: int, streak: int, last_loading: int | None
) -> Iterator[Violation]:
    week = plan.weeks[position]
    if streak == 0:
        previous = (
            "it is the first week"
            if position == 0
            else f"{_week_label(plan.weeks[position - 1])} comes before it"
        )
        yield Violation(
            "R6",
            f"de-load week {week.index} does not follow a loading week ({previous})",
            week.index,
            (),
            minimum=True,
        )
    elif streak == 1:
        before = plan.weeks[position - 1]
        yield Violation(
            "R6",
            f"de-load week {week.index} ends a run of only 1 loading week (week {before.index}); "
            f"a de-load needs at least 2 loading weeks before it",
            week.index,
            (),
            minimum=True,
        )
    if streak >= 1:
        before = plan.weeks[position - 1]
        for what, was, now, unit in (
            ("runs", before.run_km, week.run_km, "km"),
            ("has a planned load of", float(before.load), float(week.load), "load"),
        ):
            if was <= 0:
                continue
            drop = _drop_pct(was, now)
            low, high = _DELOAD_MIN_PCT - _DELOAD_TOL_PCT, _DELOAD_MAX_PCT + _DELOAD_TOL_PCT
            if not low - _EPS <= drop <= high + _EPS:
                shown = (_km(now), _km(was)) if unit == "km" else (f"{now:.0f}", f"{was:.0f}")
                direction = f"{_pct(drop)} below" if drop >= 0 else f"{_pct(-drop)} above"
                yield Violation(
                    "R6",
                    f"de-load week {week.index} {what} {shown[0]}, {direction} week "
                    f"{before.index}'s {shown[1]} (a de-load is 20–30 % below the loading week)",
                    week.index,
                    (),
                    minimum=True,
                )
    if last_loading is not None:
        yield from _r6_strength(plan.weeks[last_loading], week)


def _r6_strength(loading: PlanWeek, week: PlanWeek) -> Iterator[Violation]:
    strength, before = week.strength, loading.strength
    # a loading week eased for the athlete's status lost sessions or sets: what the de-load
    # keeps of it is then asked only as a minimum (the de-load still has no heavy strength)
    eased = bool(loading.eased)
    if len(strength) != len(before):
        yield Violation(
            "R6",
            f"de-load week {week.index} has {_n(len(strength), 'strength session')}, loading week "
            f"{loading.index} has {len(before)}; a de-load keeps the number of sessions",
            week.index,
            _ids(*strength),
            minimum=True,
        )
    known = {exercise.name.strip().casefold() for s in before for exercise in s.exercises}
    for session in strength:
        new = [e.name for e in session.exercises if e.name.strip().casefold() not in known]
        if new:
            yield Violation(
                "R6",
                f"{_at(session)} in de-load week {week.index} has {_names(new)}, not in loading "
                f"week {loading.index}; a de-load uses only the loading week's exercises",
                week.index,
                (session.id,),
                minimum=eased,
            )
    if strength and week.strength_sets >= loading.strength_sets:
        yield Violation(
            "R6",
            f"de-load week {week.index} has {week.strength_sets} strength sets, loading week "
            f"{loading.index} has {loading.strength_sets}; a de-load has fewer sets",
            week.index,
            _ids(*strength),
            minimum=eased,
        )
    for session in strength:
        if session.hard:
            yield Violation(
                "R6",
                f"the {_at(session)} falls in de-load week {week.index}; a de-load has no heavy "
                f"strength",
                week.index,
                (session.id,),
            )


def _r7(plan: TrainingPlan) -> Iterator[Violation]:
    """Long run day, no strength beside hard runs, the race on the goal date."""
    facts = _facts(plan)
    long_day = plan.rules.long_run_day.strip().lower()
    if long_day not in WEEKDAYS:
        yield Violation(
            "R7", f"long_run_day {plan.rules.long_run_day!r} is not a day of the week", None, ()
        )
    for position, week in enumerate(plan.weeks):
        longs = [s for s in week.sessions if _is_long_run(s)]
        for run in longs:
            if long_day in WEEKDAYS and WEEKDAYS[run.date.weekday()] != long_day:
                yield Violation(
                    "R7",
                    f"{_at(run)} is not on the long-run day ({long_day})",
                    week.index,
                    (run.id,),
                )
        if len(longs) > 1 or (
            _full(week)
            and not facts.is_race_week(position)
            and week.phase is not Phase.TAPER
            and not _just_before_short_race_week(plan, position)
            and len(longs) != 1
        ):
            found = "no long run" if not longs else f"{len(longs)} long runs"
            yield Violation(
                "R7",
                f"{_week_label(week)} has {found}; every full week has exactly one",
                week.index,
                _ids(*longs),
                minimum=not longs,
            )
    for week in plan.weeks:
        for lift in week.strength:
            for slot in facts.on(lift.date):
                if slot.session.is_hard_run:
                    yield Violation(
                        "R7",
                        f"{_at(lift)} shares the day with the {_at(slot.session)}; no strength on "
                        f"a hard-run day",
                        week.index,
                        _ids(lift, slot.session),
                    )
    if plan.goal_date is not None:
        yield from _r7_race(plan, plan.goal_date)


def _just_before_short_race_week(plan: TrainingPlan, position: int) -> bool:
    """The week before a race week of 3 days or fewer (its last days are the race's eve)."""
    race_week = _facts(plan).race_week
    return (
        race_week is not None
        and position == race_week - 1
        and plan.weeks[race_week].days <= _SHORT_RACE_WEEK_DAYS
    )


def _r7_race(plan: TrainingPlan, goal: date) -> Iterator[Violation]:
    races = [
        _Slot(week, s) for week in plan.weeks for s in week.sessions if s.kind is SessionKind.RACE
    ]
    if not races:
        last = plan.weeks[-1].index if plan.weeks else None
        yield Violation(
            "R7", f"the plan has no race session; the goal is on {_day(goal)}", last, ()
        )
        return
    if len(races) > 1:
        yield Violation(
            "R7",
            f"the plan has {len(races)} race sessions ("
            f"{', '.join(_day(slot.session.date) for slot in races)}); it needs exactly one",
            races[-1].week.index,
            _ids(*(slot.session for slot in races)),
        )
    for slot in races:
        if slot.session.date != goal:
            yield Violation(
                "R7",
                f"the {_at(slot.session)} is not on the goal date {_day(goal)}",
                slot.week.index,
                (slot.session.id,),
            )
    on_goal = [slot for slot in races if slot.session.date == goal]
    race = (on_goal or races)[-1].session
    for week in plan.weeks:
        for session in week.sessions:
            if session.id != race.id and session.start > race.start:
                yield Violation(
                    "R7",
                    f"{_at(session)} comes after the {_at(race)}; nothing follows the race",
                    week.index,
                    _ids(race, session),
                )


def _avail(plan: TrainingPlan) -> Iterator[Violation]:
    """Nothing on unavailable days."""
    off: set[str] = set()
    for name in plan.rules.unavailable:
        day = name.strip().lower()
        if day in WEEKDAYS:
            off.add(day)
        else:
            yield Violation("AVAIL", f"unavailable day {name!r} is not a day of the week", None, ())
    if not off:
        return
    for week in plan.weeks:
        for session in week.sessions:
            weekday = WEEKDAYS[session.date.weekday()]
            if weekday in off and session.kind is not SessionKind.RACE:
                yield Violation(
                    "AVAIL",
                    f"{_at(session)} falls on a {weekday}, which is unavailable",
                    week.index,
                    (session.id,),
                )


def _runs(plan: TrainingPlan) -> Iterator[Violation]:
    """Runs per week."""
    facts = _facts(plan)
    wanted = plan.rules.run_days
    for position, week in enumerate(plan.weeks):
        runs = week.runs
        count = len(runs)
        if facts.is_race_week(position) or week.phase is Phase.TAPER:
            if not 1 <= count <= wanted:
                what = "race week" if facts.is_race_week(position) else "taper week"
                yield Violation(
                    "RUNS",
                    f"{what} {week.index} has {_n(count, 'run')}; allowed 1–{wanted}",
                    week.index,
                    _ids(*runs),
                )
        elif _full(week) and count != wanted:
            yield Violation(
                "RUNS",
                f"{_week_label(week)} has {_n(count, 'run')}; the plan asks for exactly {wanted}",
                week.index,
                _ids(*runs),
            )


def _hard_adj(plan: TrainingPlan) -> Iterator[Violation]:
    """No hard runs on consecutive days."""
    facts = _facts(plan)
    for week in plan.weeks:
        for run in week.sessions:
            if not run.is_hard_run:
                continue
            for slot in facts.on(run.date + timedelta(days=1)):
                if slot.session.is_hard_run:
                    yield Violation(
                        "HARD-ADJ",
                        f"hard runs on consecutive days: the {_at(run)} and the "
                        f"{_at(slot.session)}",
                        week.index,
                        _ids(run, slot.session),
                    )


def _same_day(plan: TrainingPlan) -> Iterator[Violation]:
    """One run and one strength session a day at most, easy run first, 6 h apart."""
    facts = _facts(plan)
    for day, slots in facts.by_date.items():
        week = slots[0].week.index
        runs = [slot.session for slot in slots if _is_run(slot.session)]
        lifts = [slot.session for slot in slots if slot.session.sport is Sport.STRENGTH]
        if len(runs) > 1:
            yield Violation(
                "SAME-DAY",
                f"{_day(day)} has {len(runs)} runs ({_names([_noun(r) for r in runs])}); at "
                f"most one a day",
                week,
                _ids(*runs),
            )
        if len(lifts) > 1:
            yield Violation(
                "SAME-DAY",
                f"{_day(day)} has {len(lifts)} strength sessions; at most one a day",
                week,
                _ids(*lifts),
            )
        for run in runs:
            for lift in lifts:
                yield from _same_day_pair(week, run, lift)


def _same_day_pair(week: int, run: PlannedSession, lift: PlannedSession) -> Iterator[Violation]:
    if run.kind not in _EASY_KINDS:
        yield Violation(
            "SAME-DAY",
            f"the {_at(run)} shares the day with the {_at(lift)}; only an easy or recovery run may",
            week,
            _ids(run, lift),
        )
    if lift.start <= run.start:
        yield Violation(
            "SAME-DAY",
            f"the {_at(lift)} comes before the {_at(run)}; on a shared day the run comes first",
            week,
            _ids(run, lift),
        )
        return
    gap = lift.start - run.end
    if gap < _SAME_DAY_GAP:
        yield Violation(
            "SAME-DAY",
            f"the {_at(lift)} starts {_span(gap)} after the {_at(run)} ends at "
            f"{_clock(run.end)}; it needs ≥ 6 h",
            week,
            _ids(run, lift),
        )


def _training_km(week: PlanWeek) -> float:
    """The week's running km without the race itself (VOLUME leaves the race out)."""
    return round(sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE), 1)


def _volume(plan: TrainingPlan) -> Iterator[Violation]:
    """Weekly km progression (race excluded)."""
    facts = _facts(plan)
    rules = plan.rules
    weeks = plan.weeks
    if weeks:
        first = weeks[0]
        limit = max((1 + _WEEK_GROWTH) * rules.start_weekly_km, rules.min_start_weekly_km)
        if _training_km(first) > limit + _VOLUME_TOL_KM + _EPS:
            yield Violation(
                "VOLUME",
                f"week {first.index} runs {_km(_training_km(first))}, above the start limit "
                f"{_km(limit)} (max of 1.10 × the athlete's {_km(rules.start_weekly_km)} and the "
                f"floor {_km(rules.min_start_weekly_km)})",
                first.index,
                (),
            )
    last_loading: PlanWeek | None = None
    for position, week in enumerate(weeks):
        km = _training_km(week)
        if facts.loading[position] and last_loading is not None:
            was = _training_km(last_loading)
            # never below the restart floor: a week eased to (almost) nothing can be followed
            # by the run-walk volume of an athlete starting from nothing
            floor = _RESTART_KM_PER_RUN * rules.run_days
            if km > max((1 + _WEEK_GROWTH) * was, floor) + _VOLUME_TOL_KM + _EPS:
                yield Violation(
                    "VOLUME",
                    f"week {week.index} runs {_km(km)}, {_pct(_rise_pct(was, km))} above "
                    f"{_km(was)} in week {last_loading.index}, the loading week before it "
                    f"(limit +10 %)",
                    week.index,
                    (),
                )
        if position >= 2:
            earlier = max(weeks[position - 2 : position], key=_training_km)
            was = _training_km(earlier)
            if km > (1 + _TWO_WEEK_GROWTH) * was + _VOLUME_TOL_KM + _EPS:
                yield Violation(
                    "VOLUME",
                    f"{_week_label(week)} runs {_km(km)}, {_pct(_rise_pct(was, km))} above "
                    f"{_km(was)} in week {earlier.index}, the larger of the two weeks before "
                    "(limit +30 %)",
                    week.index,
                    (),
                )
        if week.phase is Phase.TAPER and last_loading is not None:
            was = _training_km(last_loading)
            if km > was + _VOLUME_TOL_KM + _EPS:
                yield Violation(
                    "VOLUME",
                    f"taper week {week.index} runs {_km(km)}, more than the {_km(was)} of week "
                    f"{last_loading.index}, the last loading week",
                    week.index,
                    (),
                )
        if facts.loading[position]:
            last_loading = week


def _longest(plan: TrainingPlan) -> Iterator[Violation]:
    """No run more than 10 % longer than the longest of the 30 days before."""
    rules = plan.rules
    runs = sorted(
        (
            (session.start, session, week)
            for week in plan.weeks
            for session in week.sessions
            if _is_run(session) and session.distance_km is not None
        ),
        key=lambda item: item[0],
    )
    ordinals = [start.toordinal() for start, _, _ in runs]
    distances = [session.distance_km or 0.0 for _, session, _ in runs]
    before_plan = max(rules.start_long_run_km, rules.min_long_run_km)
    plan_start = plan.start.toordinal()
    for position, (_, run, week) in enumerate(runs):
        if run.kind is SessionKind.RACE:
            continue
        day = ordinals[position]
        lo = bisect_left(ordinals, day - _LONGEST_WINDOW_DAYS)
        hi = bisect_left(ordinals, day, lo)
        best = max(range(lo, hi), key=distances.__getitem__, default=None)
        reference = rules.min_long_run_km
        source = "the floor for athletes with no recent runs"
        if day - _LONGEST_WINDOW_DAYS < plan_start and before_plan > reference:
            reference, source = before_plan, "the athlete's long run before the plan"
        if best is not None and distances[best] > reference:
            reference, source = distances[best], ""
        distance = distances[position]
        if distance > (1 + _LONGEST_GROWTH) * reference + _LONGEST_TOL_KM + _EPS:
            if best is not None and not source:
                source = f"the {_at(runs[best][1])}"
            yield Violation(
                "LONGEST",
                f"the {_at(run)} is {_km(distance)}, {_pct(_rise_pct(reference, distance))} "
                f"longer than the longest run of the 30 days before ({_km(reference)}, "
                f"{source}; limit +10 %)",
                week.index,
                (run.id,),
            )


def long_run_share(week_km: float, runs: int) -> float:
    """The long run's largest share of the week (LONG-CAP), by the runs in the week.

    Daniels' 25–30 % assumes six or seven runs a week; published plans with fewer runs give the
    long run more of the week so that it can lead: Higdon's Novice 1 (4 runs) peaks at 50 %,
    Pfitzinger's 18/55 (5–6 runs) at 37 %. So: 60 % with 2 runs, 50 % with 3 or 4, 40 % with
    5, 35 % with 6 or more (docs/plan-rules.md). ``week_km`` is kept for the callers; the
    share does not depend on it.
    """
    del week_km
    if runs <= 2:
        return _LONG_CAP_SHARES[2]
    return _LONG_CAP_SHARES.get(runs, _LONG_CAP_SHARE_MANY)


def long_run_minutes_cap(event: str) -> int:
    """The long run's longest duration in weeks from 64 km (Daniels: 150 min; 180 min in a
    marathon plan)."""
    return _LONG_CAP_MARATHON_MIN if event == "marathon" else _LONG_CAP_HIGH_MIN


def _long_cap(plan: TrainingPlan) -> Iterator[Violation]:
    """The long run's share of the week, and its duration from 64 km a week."""
    minutes_cap = long_run_minutes_cap(plan.event)
    for week in plan.weeks:
        km = week.run_km
        runs = week.runs
        for run in runs:
            if not _is_long_run(run):
                continue
            distance = run.distance_km or 0.0
            share = long_run_share(km, len(runs))
            why = f"{share * 100:.0f} % with {len(runs)} runs in a week"
            if km >= _LONG_CAP_HIGH_KM and run.duration_min > minutes_cap:
                yield Violation(
                    "LONG-CAP",
                    f"the {_at(run)} lasts {run.duration_min} min; in weeks from 64 km "
                    f"(week {week.index} runs {_km(km)}) the long run is ≤ {minutes_cap} min",
                    week.index,
                    (run.id,),
                )
            if distance > share * km + _EPS:
                actual = distance / km * 100 if km > 0 else float("inf")
                yield Violation(
                    "LONG-CAP",
                    f"the {_at(run)} is {_km(distance)}, {_pct(actual)} of week {week.index}'s "
                    f"{_km(km)} (limit {why}: {_km(share * km)})",
                    week.index,
                    (run.id,),
                    # in an eased week the share grows only because other runs were cut
                    minimum=bool(week.eased),
                )


def _week_days(plan: TrainingPlan) -> Iterator[Violation]:
    """Weeks of seven days from the start; only the last (race) week may be shorter."""
    expected = plan.start
    last = len(plan.weeks) - 1
    for position, week in enumerate(plan.weeks):
        if week.start != expected:
            yield Violation(
                "WEEK-DAYS",
                f"week {week.index} starts on {_day(week.start)}, expected {_day(expected)} "
                "(weeks run seven days from the plan's start)",
                week.index,
                (),
            )
        if week.days > _RACE_WEEK_MAX_DAYS or (position < last and week.days != 7):
            yield Violation(
                "WEEK-DAYS",
                f"week {week.index} has {week.days} days; every week has 7 (only the last, "
                "race, week may be shorter)",
                week.index,
                (),
            )
        outside = [s for s in week.sessions if not week.start <= s.date <= week.end]
        if outside:
            yield Violation(
                "WEEK-DAYS",
                f"{_n(len(outside), 'session')} of week {week.index} fall outside its days "
                f"{_day(week.start)} – {_day(week.end)}",
                week.index,
                _ids(*outside),
            )
        expected = week.start + timedelta(days=week.days)


def _easy_80(plan: TrainingPlan) -> Iterator[Violation]:
    """At most 25 % of running minutes above easy intensity."""
    facts = _facts(plan)
    for position, week in enumerate(plan.weeks):
        runs = week.runs
        if len(runs) < _EASY80_MIN_RUNS or facts.is_race_week(position):
            continue
        total = sum(run.duration_min for run in runs)
        hard = sum(run.intensity_min for run in runs)
        if hard > _EASY80_SHARE * total + _EPS:
            share = hard / total * 100 if total > 0 else float("inf")
            yield Violation(
                "EASY-80",
                f"{_week_label(week)} has {hard} min above easy intensity in {total} min of "
                f"running ({_pct(share)}; limit 25 %)",
                week.index,
                tuple(run.id for run in runs if run.intensity_min > 0),
            )


# --------------------------------------------------------------------------- the table

Rule: TypeAlias = Callable[[TrainingPlan], Iterator[Violation]]

#: Every rule of docs/plan-rules.md by id, in the order of that document.
RULES: dict[str, Rule] = {
    "R1": _r1,
    "R2": _r2,
    "R3": _r3,
    "R4": _r4,
    "R5": _r5,
    "R6": _r6,
    "R7": _r7,
    "AVAIL": _avail,
    "RUNS": _runs,
    "HARD-ADJ": _hard_adj,
    "SAME-DAY": _same_day,
    "VOLUME": _volume,
    "LONGEST": _longest,
    "LONG-CAP": _long_cap,
    "EASY-80": _easy_80,
    "WEEK-DAYS": _week_days,
}

#: Each rule's kind (:data:`LIMIT` or :data:`MINIMUM`). R6 and R7 are limits with a minimum
#: part: a de-load's depth and number of strength sessions (R6) and the week's long run (R7)
#: are set as minimums on the violation itself. A rule missing here is a limit.
RULE_KINDS: dict[str, str] = {
    "R1": MINIMUM,
    "R2": MINIMUM,
    "R3": LIMIT,
    "R4": LIMIT,
    "R5": LIMIT,
    "R6": LIMIT,
    "R7": LIMIT,
    "AVAIL": LIMIT,
    "RUNS": MINIMUM,
    "HARD-ADJ": LIMIT,
    "SAME-DAY": LIMIT,
    "VOLUME": LIMIT,
    "LONGEST": LIMIT,
    "LONG-CAP": LIMIT,
    "EASY-80": LIMIT,
}

#: One line per rule, for listing them to a user.
RULE_DESCRIPTIONS: dict[str, str] = {
    "R1": "each full week has exactly the planned 2 or 3 strength sessions (race week: fewer)",
    "R2": "each week's strength covers squat, hinge, lunge, bridge, core and upper body",
    "R3": "24 h between heavy strength and hard runs, in both orders",
    "R4": "no heavy strength the day before a speed day or a long-run day",
    "R5": "every week has at least one day with no session",
    "R6": "at most 2-3 loading weeks in a row; de-loads 20-30 % lighter, lighter strength",
    "R7": "long run on the long-run day once a week; no strength on hard-run days; one race",
    "AVAIL": "no session on an unavailable day",
    "RUNS": "the planned number of runs each week (taper and race weeks: 1 up to it)",
    "HARD-ADJ": "no hard runs on two consecutive days",
    "SAME-DAY": "at most one run and one strength a day; easy run first, strength ≥ 6 h later",
    "VOLUME": "weekly km grows ≤ 10 % per loading week, ≤ 30 % over two weeks; taper lower",
    "LONGEST": "no run more than 10 % longer than the longest of the previous 30 days",
    "LONG-CAP": "long run ≤ 60/50/40/35 % of the week by runs; ≤ 150 min from 64 km (180 marathon)",
    "EASY-80": "at most 25 % of running time above easy intensity",
    "WEEK-DAYS": "weeks of 7 days from the start; only the last (race) week may be shorter",
}


def _kinded(violation: Violation) -> Violation:
    if violation.minimum or RULE_KINDS.get(violation.rule, LIMIT) != MINIMUM:
        return violation
    return replace(violation, minimum=True)


def _all_violations(plan: TrainingPlan, only: Collection[str] | None) -> list[Violation]:
    if only is not None:
        unknown = sorted(set(only) - RULES.keys())
        if unknown:
            raise ValueError(f"unknown rule id(s): {', '.join(unknown)}")
    global _LAST
    _LAST = _Facts.of(plan)
    try:
        return [
            _kinded(violation)
            for rule_id, rule in RULES.items()
            if only is None or rule_id in only
            for violation in rule(plan)
        ]
    finally:
        _LAST = None


def _eased_weeks(plan: TrainingPlan) -> frozenset[int]:
    return frozenset(week.index for week in plan.weeks if week.eased)


def check_plan(
    plan: TrainingPlan, *, only: Collection[str] | None = None, strict: bool = False
) -> list[Violation]:
    """Every violation of the plan rules, rule by rule in :data:`RULES` order.

    A minimum left unmet in a week eased for the athlete's status (``PlanWeek.eased`` says how
    and why) is not a violation; ``strict`` reports those too (:func:`waived_violations` lists
    them alone). ``only`` limits the check to some rule ids; an unknown id raises ``ValueError``.
    """
    found = _all_violations(plan, only)
    eased = _eased_weeks(plan)
    if strict or not eased:
        return found
    return [v for v in found if not (v.minimum and v.week in eased)]


def waived_violations(plan: TrainingPlan) -> list[Violation]:
    """The minimums left unmet in eased weeks, which :func:`check_plan` does not report."""
    eased = _eased_weeks(plan)
    if not eased:
        return []
    return [v for v in _all_violations(plan, None) if v.minimum and v.week in eased]


def check_plan_dict(data: dict[str, Any]) -> list[Violation]:
    """Check a plan in its JSON form; a malformed document raises ``PlanFormatError``."""
    return check_plan(TrainingPlan.from_dict(data))
