"""A simulated past: the sessions an athlete did and the check-ins they gave, from their plan.

Demo accounts and benchmarks need months of believable data behind every chart and status.
:func:`simulate_history` walks day by day from ``first`` to ``last`` and decides, with one
``random.Random(seed)`` and nothing else (the same arguments always give the same history),
which planned sessions the athlete did and how, and how they felt each morning:

- **Sessions** start at the planned local time (the profile's ``run_time`` and
  ``strength_time``, a few minutes either way) in the athlete's time zone and are stored as
  UTC instants. A run has a distance from its planned pace, a mean heart rate from its
  intensity (a share of the heart-rate reserve between the profile's resting and maximum HR)
  and an RPE near the planned one; a strength session has the planned sets. ``load`` is
  session RPE × moving minutes (:func:`runlift.application.activities.session_load`, the
  logbook's formula). A session that fulfils a planned one carries its ``planned_session_id``.
  Days outside the plan (before its start, after its race) follow the plan's first week as a
  base routine: the same days and times, every run easy except the long one, unlinked.
- **Easy runs** (easy, recovery, long and base runs) keep a steady efficiency (speed per
  heartbeat) that improves slowly with fitness, so the efficiency trend reads true.
- **Check-ins** hold sleep, the six 1–5 items (5 = best), resting HR, HRV (rMSSD) and body
  mass. Items sit at the athlete's own level or one better; resting HR and HRV answer the
  day before's training (a hard day: HR a beat up, HRV lower; a rest day: HRV higher).

A :class:`Persona` sets the pattern: :data:`STEADY` (about 90 % of sessions, check-ins most
days, green), :data:`OVERREACHING` (good for months, then the last :attr:`Persona.overreach_days`
days pile on extra hard sessions while sleep, soreness, fatigue, resting HR and HRV worsen, so
the watch says red or amber on the last day) and :data:`SPORADIC` (about 55 % of sessions,
check-ins on about 40 % of days, none in the last few days).
"""

from __future__ import annotations

import math
import random
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from runlift.application.activities import local_zone, session_load
from runlift.domain.activities import ActivitySport, CompletedActivity, StrengthSet
from runlift.domain.plan import PlannedSession, SessionKind, Sport, TrainingPlan
from runlift.domain.profile import AthleteProfile
from runlift.domain.session_metrics import max_hr_on, session_metrics
from runlift.domain.wellness import CheckIn, validate_checkin

__all__ = [
    "OVERREACHING",
    "PERSONAS",
    "SPORADIC",
    "STEADY",
    "History",
    "Persona",
    "SimulatedActivity",
    "persona_named",
    "simulate_history",
]


@dataclass(frozen=True, slots=True)
class Persona:
    """How an athlete trains and reports, for :func:`simulate_history`.

    ``completion`` is the mean share of planned sessions done (``weekly_swing``: each week's
    share is drawn from ``completion ± weekly_swing``, so a sporadic athlete has good and bad
    weeks); ``checkin_rate`` the share of days with a check-in. ``dips`` is the chance an item
    of a check-in falls a point below the athlete's usual level (0: never). With
    ``overreach_days`` the last that many days turn into overreaching. ``quiet_days`` is the
    fewest days at the end without a check-in (the last check-in is at least that old).
    """

    name: str
    completion: float
    checkin_rate: float
    weekly_swing: float = 0.0
    dips: float = 0.0
    sleep_sd_h: float = 0.3
    overreach_days: int = 0
    quiet_days: int = 0
    description: str = ""


STEADY = Persona(
    "steady",
    completion=0.9,
    checkin_rate=0.92,
    description="does about 90 % of the sessions as planned, checks in most days, stays green",
)
OVERREACHING = Persona(
    "overreaching",
    completion=0.93,
    checkin_rate=0.9,
    overreach_days=10,
    description=(
        "trains well for months, then adds hard sessions in the last 10 days while sleep, "
        "soreness, resting HR and HRV worsen (red or amber)"
    ),
)
SPORADIC = Persona(
    "sporadic",
    completion=0.55,
    checkin_rate=0.4,
    weekly_swing=0.35,
    dips=0.08,
    sleep_sd_h=0.6,
    quiet_days=4,
    description=(
        "does about half the sessions in bursts, checks in on about 40 % of days and not in "
        "the last few"
    ),
)
PERSONAS: dict[str, Persona] = {p.name: p for p in (STEADY, OVERREACHING, SPORADIC)}


def persona_named(name: str) -> Persona:
    """The persona called ``name``. Raises ``ValueError`` naming the known ones."""
    try:
        return PERSONAS[name]
    except KeyError:
        known = ", ".join(PERSONAS)
        raise ValueError(f"no persona {name!r}; known: {known}") from None


@dataclass(frozen=True, slots=True)
class SimulatedActivity:
    """One simulated session, ready for ``ActivityRepository.add``.

    ``load`` is session RPE × moving minutes; ``trimp`` and ``rtss`` are what
    :func:`runlift.domain.session_metrics.session_metrics` gives for it (None when unknown).
    """

    activity: CompletedActivity
    load: float
    planned_session_id: str | None
    trimp: float | None = None
    rtss: float | None = None

    @property
    def start(self) -> datetime:
        start = self.activity.start
        assert start is not None
        return start


@dataclass(frozen=True, slots=True)
class History:
    """An athlete's simulated days ``first`` … ``last``: activities by start, check-ins by
    day (at most one a day, each passing ``validate_checkin``)."""

    first: date
    last: date
    persona: Persona
    seed: int
    activities: list[SimulatedActivity] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)


# --------------------------------------------------------------------------- tuning

#: Share of the heart-rate reserve a run kind is done at (easy kinds use the efficiency).
_HRR_SHARE: dict[SessionKind, float] = {
    SessionKind.TEMPO: 0.82,
    SessionKind.INTERVALS: 0.80,
    SessionKind.HILLS: 0.78,
    SessionKind.RACE: 0.90,
}
#: Runs whose heart rate follows the athlete's easy-run efficiency.
_EASY_KINDS = frozenset({SessionKind.EASY, SessionKind.RECOVERY, SessionKind.LONG})
_EASY_HRR = 0.62  # an easy run's heart rate, as a share of the reserve
_DEFAULT_RESTING_HR = 60
_DEFAULT_EASY_SPEED = 2.6  # m/s, when the plan has no easy run with a distance
_FITNESS_PER_DAY = 0.0002  # efficiency gained a day of training (≈ 7 % a year)
_EF_SD = 0.005  # day-to-day scatter of the easy-run efficiency
_HRV_GAIN_PER_DAY = 0.0005  # ln rMSSD gained a day of training (≈ +5 % in 100 days)
_OVERREACH_EF = 0.96  # efficiency while overreaching (a higher HR at the same pace)
_JITTER_MIN = 10  # start up to this many minutes either side of the planned time
_GAP = timedelta(minutes=10)  # between two sessions of one day
#: A missed session is this much likelier than average to be an easy run (the one people
#: drop), and the others this much less likely.
_EASY_SKIP = 1.8
_OTHER_SKIP = 0.6
#: How far the athlete's RPE is from the planned one: easy sessions feel easier, hard ones
#: harder than prescribed (weights of −1, 0, +1).
_RPE_STEPS = (-1.0, 0.0, 1.0)
_ITEMS = ("sleep_quality", "fatigue", "soreness", "stress", "mood", "motivation")


@dataclass(frozen=True, slots=True)
class _Slot:
    """A session to do on a day: planned (with its id) or from the base routine (no id)."""

    session: PlannedSession
    planned_id: str | None


@dataclass(frozen=True, slots=True)
class _Athlete:
    """The athlete's fixed numbers, drawn once."""

    zone: tzinfo
    resting_hr: int
    hrv_ms: float
    sleep_h: float
    mass_kg: float
    items: dict[str, int]
    easy_ef: float  # speed (m/min) per beat on easy runs at the start
    routine: dict[int, tuple[PlannedSession, ...]]  # weekday → base sessions


@dataclass(slots=True)
class _Day:
    """What the simulation carries from one day to the next."""

    load: float = 0.0
    hard: bool = False
    week_mean: float = 0.0  # mean daily load of the 7 days up to this one


# --------------------------------------------------------------------------- the simulation


def simulate_history(
    profile: AthleteProfile,
    plan: TrainingPlan | None,
    *,
    first: date,
    last: date,
    persona: Persona,
    seed: int,
) -> History:
    """The athlete's sessions and check-ins from ``first`` to ``last`` (local days, both
    included), following ``plan`` where it covers a day and the base routine elsewhere.

    Deterministic: the same arguments give the same history.

    Raises:
        ValueError: ``last`` is before ``first``.
    """
    if last < first:
        raise ValueError(f"last {last.isoformat()} is before first {first.isoformat()}")
    rng = random.Random(seed)
    athlete = _athlete(profile, plan, rng)
    by_day: dict[date, list[PlannedSession]] = {}
    if plan is not None:
        for session in plan.sessions:
            by_day.setdefault(session.date, []).append(session)
    days = (last - first).days + 1
    overreach_from = last - timedelta(days=persona.overreach_days - 1)
    quiet_from = last - timedelta(days=persona.quiet_days - 1 + rng.randint(0, 3))
    activities: list[SimulatedActivity] = []
    checkins: list[CheckIn] = []
    yesterday = _Day()
    recent: deque[float] = deque(maxlen=7)
    week_share = persona.completion
    owed_extra = False
    for offset in range(days):
        day = first + timedelta(days=offset)
        if offset == 0 or day.weekday() == 0:
            week_share = persona.completion + rng.uniform(-1, 1) * persona.weekly_swing
        overreach = persona.overreach_days > 0 and day >= overreach_from
        stage = (day - overreach_from).days if overreach else -1
        checked = overreach or rng.random() < persona.checkin_rate
        if persona.quiet_days and day >= quiet_from:
            checked = False
        if checked:
            checkins.append(_checkin(day, athlete, persona, yesterday, stage, offset, rng))
        slots = _slots(day, plan, by_day, athlete)
        # An extra hard run every other overreaching day; a day that already has a run passes
        # it on to the next day without one.
        wants_extra = overreach and (stage % 2 == 1 or owed_extra)
        done = _sessions(
            day, slots, profile, athlete, week_share, stage, offset, rng, extra=wants_extra
        )
        owed_extra = wants_extra and not any(a.planned_session_id is None for a in done)
        activities.extend(done)
        load = sum(a.load for a in done)
        recent.append(load)
        yesterday = _Day(
            load=load,
            hard=any(a.activity.rpe is not None and a.activity.rpe >= 6 for a in done),
            week_mean=sum(recent) / len(recent),
        )
    return History(first, last, persona, seed, activities, checkins)


def _athlete(profile: AthleteProfile, plan: TrainingPlan | None, rng: random.Random) -> _Athlete:
    resting = profile.resting_hr if profile.resting_hr is not None else _DEFAULT_RESTING_HR
    max_hr = max_hr_on(profile, profile.start)
    easy_hr = resting + _EASY_HRR * (max_hr - resting)
    speed = _easy_speed(plan)
    items = dict.fromkeys(_ITEMS, 4)
    items["stress"] = rng.choice((3, 4))
    items["fatigue"] = rng.choice((3, 4, 4))
    return _Athlete(
        zone=local_zone(profile),
        resting_hr=resting,
        hrv_ms=round(rng.uniform(45.0, 85.0), 1),
        sleep_h=round(rng.uniform(7.4, 8.1), 2),
        mass_kg=profile.weight_kg,
        items=items,
        easy_ef=speed * 60.0 / easy_hr,
        routine=_routine(plan),
    )


def _easy_speed(plan: TrainingPlan | None) -> float:
    """The planned easy pace (m/s) of the plan's first easy run with a distance."""
    for session in () if plan is None else plan.sessions:
        if session.kind is SessionKind.EASY and session.distance_km and session.duration_min:
            return session.distance_km * 1000.0 / (session.duration_min * 60.0)
    return _DEFAULT_EASY_SPEED


def _routine(plan: TrainingPlan | None) -> dict[int, tuple[PlannedSession, ...]]:
    """Weekday → the base routine's sessions: the plan's first week, every run easy except
    the long one (a race becomes a long run)."""
    routine: dict[int, list[PlannedSession]] = {}
    if plan is None or not plan.weeks:
        return {}
    week = next((w for w in plan.weeks if w.days == 7), plan.weeks[0])
    for session in week.sessions:
        base = session
        if session.sport is Sport.RUN and session.kind is not SessionKind.LONG:
            base = _as_easy(session)
        routine.setdefault(session.start.weekday(), []).append(base)
    return {weekday: tuple(sessions) for weekday, sessions in routine.items()}


def _as_easy(session: PlannedSession) -> PlannedSession:
    return PlannedSession(
        id=session.id,
        start=session.start,
        duration_min=session.duration_min,
        sport=session.sport,
        kind=SessionKind.EASY,
        hard=False,
        rpe=3.0,
        distance_km=session.distance_km,
        title="Easy run",
    )


def _slots(
    day: date,
    plan: TrainingPlan | None,
    by_day: dict[date, list[PlannedSession]],
    athlete: _Athlete,
) -> list[_Slot]:
    if plan is not None and plan.start <= day <= plan.end:
        return [_Slot(s, s.id) for s in sorted(by_day.get(day, []), key=lambda s: s.start)]
    slots = []
    for template in athlete.routine.get(day.weekday(), ()):
        start = datetime.combine(day, template.start.time())
        slots.append(_Slot(_moved(template, start), None))
    return slots


def _moved(session: PlannedSession, start: datetime) -> PlannedSession:
    return PlannedSession(
        id=session.id,
        start=start,
        duration_min=session.duration_min,
        sport=session.sport,
        kind=session.kind,
        hard=session.hard,
        rpe=session.rpe,
        distance_km=session.distance_km,
        exercises=session.exercises,
        title=session.title,
    )


# --------------------------------------------------------------------------- sessions


def _sessions(
    day: date,
    slots: list[_Slot],
    profile: AthleteProfile,
    athlete: _Athlete,
    share: float,
    stage: int,
    offset: int,
    rng: random.Random,
    *,
    extra: bool = False,
) -> list[SimulatedActivity]:
    """The day's sessions done; ``stage`` counts the overreaching days (−1: not); ``extra``:
    an unplanned hard run on top, when the day has no run."""
    overreach = stage >= 0
    todo: list[tuple[PlannedSession, str | None, bool]] = []  # session, planned id, extra
    for slot in slots:
        easy = slot.session.kind in (SessionKind.EASY, SessionKind.RECOVERY)
        skip = (1.0 - share) * (_EASY_SKIP if easy else _OTHER_SKIP)
        if overreach or rng.random() >= skip:
            todo.append((slot.session, slot.planned_id, False))
    if extra and not any(s.sport is Sport.RUN for s, _, _ in todo):
        todo.append((_extra_hard(day, profile, rng), None, True))
    done: list[SimulatedActivity] = []
    previous_end: datetime | None = None
    for session, planned_id, extra in sorted(todo, key=lambda item: item[0].start):
        jitter = timedelta(minutes=rng.randint(-_JITTER_MIN, _JITTER_MIN))
        start = datetime.combine(day, session.start.time(), athlete.zone) + jitter
        start = start.astimezone(UTC)
        if previous_end is not None and start < previous_end + _GAP:
            start = previous_end + _GAP
        activity = _activity(session, start, day, profile, athlete, stage, offset, extra, rng)
        trimp, rtss = session_metrics(activity, profile, day)
        assert activity.rpe is not None
        done.append(
            SimulatedActivity(
                activity=activity,
                load=session_load(activity.rpe, activity.moving_s),
                planned_session_id=planned_id,
                trimp=trimp,
                rtss=rtss,
            )
        )
        previous_end = activity.end
    return done


def _extra_hard(day: date, profile: AthleteProfile, rng: random.Random) -> PlannedSession:
    """An unplanned hard run of an overreaching athlete."""
    minutes = rng.randint(45, 60)
    kind = rng.choice((SessionKind.TEMPO, SessionKind.INTERVALS))
    return PlannedSession(
        id="",
        start=datetime.combine(day, profile.run_time),
        duration_min=minutes,
        sport=Sport.RUN,
        kind=kind,
        hard=True,
        rpe=8.0,
        distance_km=round(minutes * 60 * 3.2 / 1000, 1),
        title=f"Extra {kind.value}",
    )


def _activity(
    session: PlannedSession,
    start: datetime,
    day: date,
    profile: AthleteProfile,
    athlete: _Athlete,
    stage: int,
    offset: int,
    extra: bool,
    rng: random.Random,
) -> CompletedActivity:
    overreach = stage >= 0
    stretch = rng.uniform(1.0, 1.15) if overreach else rng.uniform(0.92, 1.06)
    moving_s = float(round(session.duration_min * 60 * stretch))
    rpe = session.rpe + rng.choices(_RPE_STEPS, weights=_rpe_weights(session.rpe))[0]
    if overreach and not extra:
        rpe += 1.0
    rpe = float(min(10.0, max(1.0, round(rpe))))
    resting = athlete.resting_hr
    max_hr = max_hr_on(profile, day)
    if session.sport is Sport.RUN:
        fitness = 1.0 + _FITNESS_PER_DAY * offset
        speed = _DEFAULT_EASY_SPEED
        if session.distance_km and session.duration_min:
            speed = session.distance_km * 1000.0 / (session.duration_min * 60.0)
        speed *= fitness * (1.0 + rng.gauss(0.0, 0.01))
        distance = round(speed * moving_s, 1)
        if session.kind in _EASY_KINDS:
            ef = athlete.easy_ef * fitness * (1.0 + rng.gauss(0.0, _EF_SD))
            if overreach:
                ef *= _OVERREACH_EF
            avg_hr = speed * 60.0 / ef
        else:
            share = _HRR_SHARE.get(session.kind, 0.8)
            avg_hr = resting + share * (max_hr - resting) + rng.gauss(0.0, 2.0)
        avg = float(round(min(avg_hr, max_hr - 3)))
        peak = float(round(min(max_hr, avg + rng.uniform(8.0, 20.0))))
        return CompletedActivity(
            sport=ActivitySport.RUN,
            start=start,
            elapsed_s=moving_s + rng.randint(0, 180),
            timer_s=moving_s,
            distance_m=distance,
            avg_hr=avg,
            max_hr=peak,
            device="runlift demo watch",
            source_format="fit",
            rpe=rpe,
        )
    sport = {
        Sport.STRENGTH: ActivitySport.STRENGTH,
        Sport.MOBILITY: ActivitySport.MOBILITY,
        Sport.CROSS: ActivitySport.CROSS,
    }[session.sport]
    avg = float(round(resting + rng.uniform(0.3, 0.4) * (max_hr - resting)))
    return CompletedActivity(
        sport=sport,
        start=start,
        elapsed_s=moving_s,
        timer_s=moving_s,
        avg_hr=avg,
        max_hr=float(round(min(max_hr, avg + rng.uniform(25.0, 40.0)))),
        strength_sets=_sets(session),
        source_format="manual",
        rpe=rpe,
    )


def _rpe_weights(planned: float) -> tuple[int, int, int]:
    if planned <= 4:
        return (35, 55, 10)
    if planned >= 6:
        return (10, 55, 35)
    return (15, 70, 15)


_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


def _sets(session: PlannedSession) -> tuple[StrengthSet, ...]:
    """The planned exercises as done sets: "8/leg" → 8 reps, "30s/side" → a 30 s hold."""
    sets: list[StrengthSet] = []
    for exercise in session.exercises:
        match = _LEADING_NUMBER.match(exercise.reps)
        number = None if match is None else int(match.group(1))
        held = match is not None and exercise.reps[match.end() :].lstrip().startswith("s")
        for _ in range(exercise.sets):
            sets.append(
                StrengthSet(
                    exercise=exercise.name,
                    reps=None if held else number,
                    weight_kg=exercise.load_kg,
                    duration_s=float(number) if held and number is not None else None,
                    rpe=exercise.rpe,
                )
            )
    return tuple(sets)


# --------------------------------------------------------------------------- check-ins


def _checkin(
    day: date,
    athlete: _Athlete,
    persona: Persona,
    yesterday: _Day,
    stage: int,
    offset: int,
    rng: random.Random,
) -> CheckIn:
    """The morning's check-in; ``stage`` counts the overreaching days (−1: not)."""
    rested = yesterday.load == 0.0
    if stage >= 0:
        checkin = _overreaching(day, athlete, persona, stage, rng)
    else:
        up = 0.25 if rested else (0.08 if yesterday.hard else 0.15)
        items = {}
        for item, level in athlete.items.items():
            value = level
            draw = rng.random()
            if draw < persona.dips:
                value -= 1
            elif draw < persona.dips + up:
                value += 1
            items[item] = min(5, max(1, value))
        sleep = athlete.sleep_h + rng.gauss(0.0, persona.sleep_sd_h)
        hr = athlete.resting_hr + round(rng.gauss(0.0, 1.0)) + (1 if yesterday.hard else 0)
        # HRV answers yesterday's load against the week's usual: the swings cancel over a
        # week, so the 7-day mean stays in the athlete's band; fitness lifts it slowly.
        relative = yesterday.load / yesterday.week_mean - 1.0 if yesterday.week_mean else 0.0
        swing = _clamp(-0.06 * relative, -0.1, 0.08) + _HRV_GAIN_PER_DAY * offset
        hrv = athlete.hrv_ms * math.exp(swing + rng.gauss(0.0, 0.035))
        checkin = CheckIn(
            day,
            sleep_hours=_quarter(sleep),
            sleep_quality=items["sleep_quality"],
            fatigue=items["fatigue"],
            soreness=items["soreness"],
            stress=items["stress"],
            mood=items["mood"],
            motivation=items["motivation"],
            resting_hr=_clamp_int(hr, 30, 120),
            hrv_rmssd_ms=_clamp(round(hrv, 1), 5.0, 250.0),
            mass_kg=_mass(athlete, rng),
        )
    validate_checkin(checkin)
    return checkin


def _overreaching(
    day: date, athlete: _Athlete, persona: Persona, stage: int, rng: random.Random
) -> CheckIn:
    """A morning in the overreaching stretch: short sleep, sore and tired from the start;
    mood and motivation sag; HRV falls over five days; resting HR is up 7–8 bpm on the last
    two days (a step the 7-day baseline has not caught up with)."""
    remaining = persona.overreach_days - 1 - stage  # 0 on the last day
    early = stage < 2
    hr_rise = rng.choice((7, 8)) if remaining < 2 else rng.choice((0, 1))
    hrv_drop = 0.3 * min(1.0, (stage + 1) / 5)
    return CheckIn(
        day,
        sleep_hours=_quarter(rng.uniform(5.0, 6.0)),
        sleep_quality=rng.choice((2, 3)),
        fatigue=rng.choice((2, 3)) if early else rng.choice((1, 2)),
        soreness=rng.choice((1, 2)),
        stress=rng.choice((2, 3)),
        mood=3 if early else rng.choice((2, 3)),
        motivation=3 if early else rng.choice((2, 3)),
        resting_hr=_clamp_int(athlete.resting_hr + hr_rise, 30, 130),
        hrv_rmssd_ms=_clamp(
            round(athlete.hrv_ms * math.exp(-hrv_drop + rng.gauss(0.0, 0.03)), 1), 5.0, 250.0
        ),
        mass_kg=_mass(athlete, rng),
    )


def _mass(athlete: _Athlete, rng: random.Random) -> float:
    return round(_clamp(athlete.mass_kg + rng.gauss(0.0, 0.4), 26.0, 249.0), 1)


def _quarter(hours: float) -> float:
    return _clamp(round(hours * 4) / 4, 3.0, 11.0)


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _clamp_int(value: int, low: int, high: int) -> int:
    return min(high, max(low, value))
