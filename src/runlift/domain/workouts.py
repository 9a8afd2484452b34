"""Structured workouts: a planned session as the steps a watch runs (docs/workouts.md).

A :class:`Workout` is a list of :class:`Step` and :class:`Repeat` items, independent of any file
format (the FIT encoder lives in the adapters). :func:`build_workout` makes one from a planned
session and the plan's own paces and heart-rate zones, so the numbers on the watch are the
numbers printed on the plan:

- easy, recovery and long runs: one distance step at the easy pace range (the easy HR zone
  without a recent race); a long run with a marathon-pace finish gets a second step for it;
- tempo, intervals, hills and the race-week sharpener: a warm-up, a repeat block of
  (work, recovery) and a cool-down. The work is the session's rep length at threshold or
  interval pace (hills: the interval HR zone, by effort); the number of repetitions follows the
  session's minutes above easy (``intensity_min``), so de-loaded, tapered or shortened sessions
  get fewer reps; warm-up and cool-down share the rest of the session's time, so the workout
  lasts exactly ``duration_min``;
- the race: an open warm-up (press lap at the start line), then the race distance at the
  predicted race pace;
- strength: a 10-minute warm-up, then per exercise a repeat block of (the set, the rest) ×
  sets, with reps (or the hold's time), the load and the effort in the notes;
- mobility and cross-training: timed steps.

Run/walk sessions (a planned run with ``run_walk``) are a repeat block of (run, walk) steps,
``repeats`` × (run ``run_s`` at easy effort, walk ``walk_s``): :func:`run_walk_block` builds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from runlift.domain.plan import (
    Exercise,
    Pattern,
    PlannedSession,
    SessionKind,
    Sport,
    TrainingPlan,
)


class Intensity(StrEnum):
    WARMUP = "warmup"
    ACTIVE = "active"
    RECOVERY = "recovery"
    REST = "rest"
    COOLDOWN = "cooldown"


class Duration(StrEnum):
    TIME = "time"  # seconds
    DISTANCE = "distance"  # metres
    REPS = "reps"  # repetitions
    OPEN = "open"  # until the lap button


@dataclass(frozen=True, slots=True)
class PaceTarget:
    """A pace range in seconds per km: ``slow`` ≥ ``fast``."""

    slow_s_per_km: float
    fast_s_per_km: float
    zone: str = ""


@dataclass(frozen=True, slots=True)
class HeartRateTarget:
    low_bpm: int
    high_bpm: int
    zone: str = ""


Target = PaceTarget | HeartRateTarget | None


@dataclass(frozen=True, slots=True)
class Step:
    """One step. ``value`` is seconds, metres or reps by ``duration`` (0 when open)."""

    name: str
    intensity: Intensity
    duration: Duration
    value: float = 0.0
    target: Target = None
    #: Strength and mobility: the runlift exercise name (mapped to the FIT exercise lists).
    exercise: str | None = None
    pattern: Pattern | None = None
    weight_kg: float | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Repeat:
    """``steps`` done ``times`` times in all."""

    times: int
    steps: tuple[Step, ...]


Item = Step | Repeat


@dataclass(frozen=True, slots=True)
class Workout:
    session_id: str
    name: str
    sport: Sport
    items: tuple[Item, ...]
    description: str = ""

    def expanded(self) -> Iterator[Step]:
        """Every step as it is done, repeats unrolled."""
        for item in self.items:
            if isinstance(item, Repeat):
                for _ in range(item.times):
                    yield from item.steps
            else:
                yield item

    @property
    def total_time_s(self) -> float:
        return sum(s.value for s in self.expanded() if s.duration is Duration.TIME)

    @property
    def total_distance_m(self) -> float:
        return sum(s.value for s in self.expanded() if s.duration is Duration.DISTANCE)


# --------------------------------------------------------------------------- zones of a plan

#: Half-width of the pace band around a single prescribed pace (marathon, threshold,
#: interval), in s/km: 4:57/km becomes 4:52–5:02/km on the watch (about ±8 s/mile).
PACE_BAND_S_PER_KM = 5.0

_CLOCK = r"(\d{1,2}):([0-5]\d)"
_PACE_RANGE = re.compile(rf"^{_CLOCK}\s*[–-]\s*{_CLOCK}/km$")
_PACE = re.compile(rf"^{_CLOCK}/km$")
_HR_RANGE = re.compile(r"^(\d{2,3})\s*[–-]\s*(\d{2,3}) bpm$")


def _clock_s(minutes: str, seconds: str) -> int:
    return int(minutes) * 60 + int(seconds)


@dataclass(frozen=True, slots=True)
class Zones:
    """The paces (s/km) and heart-rate zones (bpm) a plan prints, as numbers."""

    paces: Mapping[str, PaceTarget] = field(default_factory=dict)
    heart_rate: Mapping[str, HeartRateTarget] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: TrainingPlan) -> Zones:
        """Read ``plan.paces`` ("5:56–6:32/km", "4:57/km") and ``plan.hr_zones``
        ("132–153 bpm"); entries in other forms (effort descriptions) are left out."""
        paces: dict[str, PaceTarget] = {}
        for name, text in plan.paces.items():
            text = text.strip()
            if match := _PACE_RANGE.match(text):
                fast = _clock_s(match[1], match[2])
                slow = _clock_s(match[3], match[4])
                paces[name] = PaceTarget(max(slow, fast), min(slow, fast), name)
            elif match := _PACE.match(text):
                pace = _clock_s(match[1], match[2])
                paces[name] = PaceTarget(pace + PACE_BAND_S_PER_KM, pace - PACE_BAND_S_PER_KM, name)
        heart_rate: dict[str, HeartRateTarget] = {}
        for name, text in plan.hr_zones.items():
            if match := _HR_RANGE.match(text.strip()):
                low, high = sorted((int(match[1]), int(match[2])))
                heart_rate[name] = HeartRateTarget(low, high, name)
        return cls(paces, heart_rate)

    def run_target(self, zone: str) -> Target:
        """The pace range of ``zone`` when the plan has paces, else its heart-rate zone."""
        return self.paces.get(zone) or self.heart_rate.get(zone)

    def effort_target(self, zone: str) -> Target:
        """The heart-rate zone (for warm-ups, cool-downs and hills: by effort, not pace)."""
        return self.heart_rate.get(zone)


# --------------------------------------------------------------------------- the builder

#: The strength warm-up every prescription opens with ("Warm up 10 min: easy cardio...").
STRENGTH_WARMUP_S = 600
#: Recovery between repetitions when the text names none: 1 min jog (tempo), as planned.
TEMPO_RECOVERY_S = 60
#: Hill repeats: jog back down, 1.5 min per repetition as planned.
HILL_RECOVERY_S = 90
#: Shortest warm-up (and cool-down) a session with work keeps before reps are dropped.
MIN_WARMUP_S = 120
#: Mobility: seconds per repetition for exercises given in reps.
MOBILITY_S_PER_REP = 3

_NUMBER = r"(\d+(?:\.\d+)?)"
_TEMPO = re.compile(rf"(\d+) × {_NUMBER} min at threshold")
_INTERVALS = re.compile(rf"(\d+) × {_NUMBER} min at interval pace")
_JOG_BETWEEN = re.compile(rf"{_NUMBER} min jog between")
_HILLS = re.compile(r"(\d+) × (\d+) s hard uphill")
_STRIDES = re.compile(r"(\d+) strides")
_MP_FINISH = re.compile(rf"the last {_NUMBER} km at marathon pace")
_PREDICTED = re.compile(r"predicted (\d+(?::\d\d){1,2})")
_DOSE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:[-–]\s*(\d+(?:\.\d+)?))?\s*(s|min)?\s*(?:/\s*(\w+))?$")


def build_workout(session: PlannedSession, zones: Zones) -> Workout:
    """The workout a watch runs for ``session`` (see the module's docstring)."""
    items: list[Item]
    if session.sport is Sport.STRENGTH:
        items = _strength(session)
    elif session.sport is Sport.MOBILITY:
        items = _mobility(session)
    elif session.sport is Sport.CROSS:
        items = [
            Step(
                "Easy cross-training",
                Intensity.ACTIVE,
                Duration.TIME,
                session.duration_min * 60,
                zones.effort_target("easy"),
            )
        ]
    elif session.kind in (SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.HILLS):
        items = _quality(session, zones)
    elif session.run_walk is not None:
        walk = session.run_walk
        items = [run_walk_block(walk.repeats, walk.run_s, walk.walk_s, zones)]
    elif session.kind is SessionKind.RACE:
        items = _race(session)
    elif session.kind is SessionKind.LONG:
        items = _long(session, zones)
    else:
        name = "Recovery run" if session.kind is SessionKind.RECOVERY else "Easy run"
        items = [_steady(session, name, zones)]
    return Workout(
        session_id=session.id,
        name=session.title or session.kind.value,
        sport=session.sport,
        items=tuple(items),
        description=session.description,
    )


def run_walk_block(times: int, run_s: float, walk_s: float, zones: Zones) -> Repeat:
    """Run/walk intervals: (run ``run_s`` at easy effort, walk ``walk_s``) × ``times``."""
    return Repeat(
        times,
        (
            Step("Run", Intensity.ACTIVE, Duration.TIME, run_s, zones.effort_target("easy")),
            Step("Walk", Intensity.RECOVERY, Duration.TIME, walk_s),
        ),
    )


def _distance_m(session: PlannedSession) -> float:
    return round((session.distance_km or 0.0) * 1000.0)


def _steady(session: PlannedSession, name: str, zones: Zones) -> Step:
    if session.distance_km:
        return Step(
            name,
            Intensity.ACTIVE,
            Duration.DISTANCE,
            _distance_m(session),
            zones.run_target("easy"),
        )
    return Step(
        name, Intensity.ACTIVE, Duration.TIME, session.duration_min * 60, zones.run_target("easy")
    )


def _long(session: PlannedSession, zones: Zones) -> list[Item]:
    total = _distance_m(session)
    match = _MP_FINISH.search(session.description)
    finish = round(float(match[1]) * 1000) if match and session.intensity_min else 0
    if not total or not 0 < finish < total:
        return [_steady(session, "Long run", zones)]
    return [
        Step(
            "Long run, easy",
            Intensity.ACTIVE,
            Duration.DISTANCE,
            total - finish,
            zones.run_target("easy"),
        ),
        Step(
            "Marathon-pace finish",
            Intensity.ACTIVE,
            Duration.DISTANCE,
            finish,
            zones.run_target("marathon"),
        ),
    ]


def _race(session: PlannedSession) -> list[Item]:
    distance = _distance_m(session)
    target: Target = None
    match = _PREDICTED.search(session.description)
    if match and distance:
        parts = [int(p) for p in match[1].split(":")]
        seconds = (
            parts[0] * 3600 + parts[1] * 60 + parts[2]
            if len(parts) == 3
            else parts[0] * 60 + parts[1]
        )
        pace = seconds / (distance / 1000)
        target = PaceTarget(pace + PACE_BAND_S_PER_KM, pace - PACE_BAND_S_PER_KM, "race")
    return [
        Step(
            "Warm-up",
            Intensity.WARMUP,
            Duration.OPEN,
            notes="10–15 min easy with a few strides; press lap at the start line",
        ),
        Step(session.title or "Race", Intensity.ACTIVE, Duration.DISTANCE, distance, target),
    ]


def _quality(session: PlannedSession, zones: Zones) -> list[Item]:
    text = session.description
    recovery_s: float
    if session.kind is SessionKind.HILLS:
        match = _HILLS.search(text)
        reps, rep_s = (int(match[1]), float(match[2])) if match else (6, 75.0)
        recovery_s = HILL_RECOVERY_S
        work = Step(
            "Hill repeat",
            Intensity.ACTIVE,
            Duration.TIME,
            rep_s,
            zones.effort_target("interval"),
            notes="hard uphill, RPE 8; jog back down",
        )
        recovery_name = "Jog back down"
    elif session.kind is SessionKind.INTERVALS:
        match = _INTERVALS.search(text)
        reps, rep_s = (int(match[1]), float(match[2]) * 60) if match else (5, 180.0)
        jog = _JOG_BETWEEN.search(text)
        recovery_s = float(jog[1]) * 60 if jog else rep_s * 0.8
        work = Step(
            "Interval", Intensity.ACTIVE, Duration.TIME, rep_s, zones.run_target("interval")
        )
        recovery_name = "Jog"
    else:
        match = _TEMPO.search(text)
        if match:
            reps, rep_s = int(match[1]), float(match[2]) * 60
        else:  # a tempo in other words: one block of its minutes above easy
            reps, rep_s = 1, float(max(session.intensity_min, 5) * 60)
        jog = _JOG_BETWEEN.search(text)
        recovery_s = float(jog[1]) * 60 if jog else TEMPO_RECOVERY_S
        work = Step(
            "Threshold", Intensity.ACTIVE, Duration.TIME, rep_s, zones.run_target("threshold")
        )
        recovery_name = "Jog"
    if session.intensity_min > 0:
        reps = max(1, min(reps, round(session.intensity_min * 60 / rep_s)))
    total_s = session.duration_min * 60
    while reps > 1 and total_s - reps * (rep_s + recovery_s) < 2 * MIN_WARMUP_S:
        reps -= 1
    recovery = Step(recovery_name, Intensity.RECOVERY, Duration.TIME, recovery_s)
    spare = max(0.0, total_s - reps * (rep_s + recovery_s))
    warm_s = float(60 * int(spare // 120)) if spare >= 120 else float(int(spare // 2))
    cool_s = spare - warm_s
    strides = _STRIDES.search(text)
    items: list[Item] = []
    if warm_s > 0:
        items.append(
            Step(
                "Warm-up",
                Intensity.WARMUP,
                Duration.TIME,
                warm_s,
                zones.effort_target("easy"),
                notes=f"easy, finish with {strides[1]} strides" if strides else "easy",
            )
        )
    items.append(Repeat(reps, (work, recovery)) if reps > 1 else work)
    if reps == 1:
        items.append(recovery)
    if cool_s > 0:
        items.append(
            Step(
                "Cool-down",
                Intensity.COOLDOWN,
                Duration.TIME,
                cool_s,
                zones.effort_target("easy"),
                notes="easy",
            )
        )
    return items


def _dose(exercise: Exercise) -> tuple[Duration, float, str]:
    """(TIME seconds | REPS count, value, "per side" note) from reps text such as "8",
    "8-10", "5/leg", "40s", "30s/side", "5 min"."""
    match = _DOSE.match(exercise.reps.strip())
    if match is None:
        return Duration.OPEN, 0.0, exercise.reps
    low = float(match[1])
    unit = match[3]
    sides = 2 if match[4] else 1
    side_note = f"{exercise.reps}" if match[4] else ""
    if unit == "s":
        return Duration.TIME, low * sides, side_note
    if unit == "min":
        return Duration.TIME, low * 60 * sides, side_note
    return Duration.REPS, low * sides, side_note


def _effort_note(exercise: Exercise) -> str:
    bits = []
    if exercise.rpe is not None:
        bits.append(f"RPE {exercise.rpe:g}")
    if exercise.percent_1rm is not None:
        bits.append(f"{exercise.percent_1rm:g} % 1RM")
    if exercise.note:
        bits.append(exercise.note)
    return "; ".join(bits)


def _strength(session: PlannedSession) -> list[Item]:
    items: list[Item] = [
        Step(
            "Warm-up",
            Intensity.WARMUP,
            Duration.TIME,
            STRENGTH_WARMUP_S,
            exercise="warm-up",
            notes="easy cardio, dynamic mobility and ramp-up sets",
        )
    ]
    for exercise in session.exercises:
        duration, value, side = _dose(exercise)
        notes = "; ".join(bit for bit in (side, _effort_note(exercise)) if bit)
        work = Step(
            exercise.name,
            Intensity.ACTIVE,
            duration,
            value,
            exercise=exercise.name,
            pattern=exercise.pattern,
            weight_kg=exercise.load_kg,
            notes=notes,
        )
        steps: tuple[Step, ...] = (work,)
        if exercise.rest_s > 0:
            steps = (work, Step("Rest", Intensity.REST, Duration.TIME, exercise.rest_s))
        items.append(Repeat(exercise.sets, steps) if exercise.sets > 1 else steps[0])
        if exercise.sets <= 1 and len(steps) > 1:
            items.append(steps[1])
    return items


def _mobility(session: PlannedSession) -> list[Item]:
    items: list[Item] = []
    for exercise in session.exercises:
        duration, value, side = _dose(exercise)
        seconds = value * MOBILITY_S_PER_REP if duration is Duration.REPS else value
        if seconds <= 0:
            continue
        work = Step(
            exercise.name,
            Intensity.ACTIVE,
            Duration.TIME,
            seconds,
            exercise=exercise.name,
            pattern=exercise.pattern,
            notes=side or exercise.reps,
        )
        steps: tuple[Step, ...] = (work,)
        if exercise.rest_s > 0:
            steps = (work, Step("Rest", Intensity.REST, Duration.TIME, exercise.rest_s))
        items.append(Repeat(exercise.sets, steps) if exercise.sets > 1 else steps[0])
        if exercise.sets <= 1 and len(steps) > 1:
            items.append(steps[1])
    done = sum(_item_time(item) for item in items)
    spare = session.duration_min * 60 - done
    if spare >= 60 or not items:
        items.append(
            Step(
                "Easy mobility" if items else session.title or "Mobility",
                Intensity.ACTIVE,
                Duration.TIME,
                max(spare, 0.0) if items else session.duration_min * 60,
                notes="easy mobility and foam rolling: nothing should hurt",
            )
        )
    return items


def _item_time(item: Item) -> float:
    if isinstance(item, Repeat):
        return item.times * sum(s.value for s in item.steps if s.duration is Duration.TIME)
    return item.value if item.duration is Duration.TIME else 0.0
