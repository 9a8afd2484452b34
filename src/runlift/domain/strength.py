"""Strength prescriptions for runners: 1RM estimates, the RPE chart and session builders.

Sources and conventions (docs/science.md §1, §6):

- 1RM estimates: Epley ``w·(1 + r/30)`` and Brzycki ``w·36/(37 − r)`` (r ≤ 10).
- %1RM from reps and RPE: the RPE chart of Helms et al. (2016). The chart is indexed by
  reps + reps in reserve (RIR = 10 − RPE): 1→100, 2→95.5, 3→92.2, 4→89.2, 5→86.3, 6→83.7,
  7→81.1, 8→78.6, 9→76.2, 10→73.9 %. Half-RPE steps are interpolated linearly; beyond index
  10 the chart is extrapolated by −2.4 points per step (the slope of its last steps), a rough
  guide only.
- *Heavy strength* (docs/science.md §1): main lifts at RPE ≥ 7.5 or ≥ 75 % 1RM, or plyometric/power
  work. A light session keeps every RPE ≤ 7 and every %1RM < 75 (reps + RIR ≥ 10 on the
  chart) and has no plyometrics.
- Concurrent training for runners (moderate volume, compound and functional movements): base
  builds general and maximal strength (main lifts 3–4 × 5–6 at RPE 7.5–8); build adds power
  (3–4 × 3–5 at RPE 8 plus plyometrics); peak maintains with less volume (2 × 3–4 at RPE 8,
  or 2 × 6 at RPE 6 on light days); the taper keeps the patterns with little fatigue.
- De-load (science §6): the same exercises as the loading session (plyometrics dropped), about
  a third fewer sets and 1 RPE below the light loading prescription (more reps in reserve).

Every session, whatever its kind, covers the six required movement families by itself (squat,
hinge, lunge, bridge, core, upper), so any week with a strength session keeps rule R2.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Final

from runlift.domain.plan import Exercise, Pattern, Phase

# --- 1RM and the RPE chart --------------------------------------------------------------------

#: Helms et al. (2016): %1RM by reps + reps in reserve.
RPE_CHART: Final[Mapping[int, float]] = MappingProxyType(
    {1: 100.0, 2: 95.5, 3: 92.2, 4: 89.2, 5: 86.3, 6: 83.7, 7: 81.1, 8: 78.6, 9: 76.2, 10: 73.9}
)
#: Points of %1RM lost per step beyond the chart's last row (index 10).
RPE_CHART_EXTRAPOLATION_STEP: Final = 2.4

#: RPE at or above which a main lift is heavy, and the %1RM at or above which it is heavy.
HEAVY_RPE: Final = 7.5
HEAVY_PERCENT_1RM: Final = 75.0


def _check_weight_reps(weight: float, reps: int) -> None:
    if not math.isfinite(weight) or weight <= 0:
        raise ValueError(f"weight must be a positive number, got {weight!r}")
    if reps < 1 or reps != int(reps):
        raise ValueError(f"reps must be a whole number of at least 1, got {reps!r}")


def epley_1rm(weight: float, reps: int) -> float:
    """Epley's 1RM estimate ``w·(1 + r/30)``; a single rep is its own 1RM."""
    _check_weight_reps(weight, reps)
    if reps == 1:
        return float(weight)
    return weight * (1.0 + reps / 30.0)


def brzycki_1rm(weight: float, reps: int) -> float:
    """Brzycki's 1RM estimate ``w·36/(37 − r)``, valid up to 10 reps."""
    _check_weight_reps(weight, reps)
    if reps > 10:
        raise ValueError(f"Brzycki's formula holds up to 10 reps, got {reps}")
    return weight * 36.0 / (37.0 - reps)


def percent_1rm(reps: int, rpe: float) -> float:
    """%1RM (e.g. 81.1) for a set of ``reps`` at ``rpe``, from the Helms (2016) chart.

    The chart index is reps + RIR with RIR = 10 − RPE; fractional indices (half-RPE steps) are
    interpolated, indices beyond 10 extrapolated by −2.4 points per step.
    """
    if not 1 <= reps <= 30 or reps != int(reps):
        raise ValueError(f"reps must be a whole number from 1 to 30, got {reps!r}")
    if not math.isfinite(rpe) or not 1.0 <= rpe <= 10.0:
        raise ValueError(f"rpe must be between 1 and 10, got {rpe!r}")
    index = reps + (10.0 - rpe)
    last = max(RPE_CHART)
    if index >= last:
        value = RPE_CHART[last] - RPE_CHART_EXTRAPOLATION_STEP * (index - last)
    else:
        low = math.floor(index)
        fraction = index - low
        value = RPE_CHART[low] + fraction * (RPE_CHART[low + 1] - RPE_CHART[low])
    return round(value, 1)


def is_heavy_strength(exercises: Iterable[Exercise]) -> bool:
    """Whether a session is heavy (docs/science.md §1): RPE ≥ 7.5, ≥ 75 % 1RM or plyometrics."""
    return any(
        exercise.pattern is Pattern.PLYOMETRIC
        or (exercise.rpe is not None and exercise.rpe >= HEAVY_RPE)
        or (exercise.percent_1rm is not None and exercise.percent_1rm >= HEAVY_PERCENT_1RM)
        for exercise in exercises
    )


# --- The exercise catalogue -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Movement:
    """A catalogue exercise.

    ``one_rm_key`` names the athlete's 1RM it is loaded from, at ``one_rm_fraction`` of it
    (a Romanian deadlift at ~70 % of the deadlift's). ``per`` is "leg"/"side" for unilateral
    dosing; ``dose`` is the fixed reps or hold of core and plyometric work ("30s", "5").
    """

    name: str
    pattern: Pattern
    one_rm_key: str | None = None
    one_rm_fraction: float = 1.0
    per: str = ""
    dose: str = ""
    cue: str = ""


#: Athlete 1RM keys that loads are computed from.
ONE_RM_KEYS: Final = frozenset({"squat", "deadlift", "bench_press", "overhead_press", "hip_thrust"})

_MOVEMENTS: Final = (
    # squat family
    Movement("back squat", Pattern.SQUAT, "squat", cue="brace, sit between the hips"),
    Movement("goblet squat", Pattern.SQUAT, cue="dumbbell at the chest, elbows inside the knees"),
    # the front squat is loaded at ~85 % of the back squat's 1RM
    Movement("front squat", Pattern.SQUAT, "squat", 0.85, cue="elbows high, upright torso"),
    # hinge
    Movement("deadlift", Pattern.HINGE, "deadlift", cue="bar over mid-foot, push the floor away"),
    Movement(
        "trap-bar deadlift", Pattern.HINGE, "deadlift", cue="hips and shoulders rise together"
    ),
    Movement(
        "Romanian deadlift", Pattern.HINGE, "deadlift", 0.70, cue="soft knees, hips back, flat back"
    ),
    Movement("single-leg Romanian deadlift", Pattern.HINGE, per="leg", cue="square hips"),
    # lunge / single leg
    Movement("Bulgarian split squat", Pattern.LUNGE, per="leg", cue="rear foot on a bench"),
    Movement("walking lunge", Pattern.LUNGE, per="leg", cue="knee tracks over the toes"),
    Movement("step-up", Pattern.LUNGE, per="leg", cue="knee-high box, drive through the heel"),
    Movement("reverse lunge", Pattern.LUNGE, per="leg", cue="step back, front shin vertical"),
    # bridge
    Movement("hip thrust", Pattern.BRIDGE, "hip_thrust", cue="chin tucked, ribs down, 1 s lockout"),
    Movement("glute bridge", Pattern.BRIDGE, cue="squeeze the glutes at the top"),
    Movement("single-leg glute bridge", Pattern.BRIDGE, per="leg", cue="level pelvis"),
    # core
    Movement("plank", Pattern.CORE, dose="40s", cue="straight line from head to heels"),
    Movement("side plank", Pattern.CORE, per="side", dose="30s", cue="hips high"),
    Movement("Pallof press", Pattern.CORE, per="side", dose="10", cue="resist the rotation"),
    Movement("dead bug", Pattern.CORE, per="side", dose="8", cue="lower back on the floor"),
    Movement("Copenhagen plank", Pattern.CORE, per="side", dose="20s", cue="top leg on a bench"),
    # upper body
    Movement("push-up", Pattern.UPPER, cue="elevate the hands to scale"),
    Movement("bench press", Pattern.UPPER, "bench_press", cue="shoulder blades pinned"),
    Movement("bent-over row", Pattern.UPPER, cue="flat back, pull to the lower ribs"),
    Movement("overhead press", Pattern.UPPER, "overhead_press", cue="glutes tight, no lean back"),
    Movement("pull-up", Pattern.UPPER, cue="use a band if needed"),
    Movement("inverted row", Pattern.UPPER, cue="body straight, chest to the bar"),
    # plyometric
    Movement("box jump", Pattern.PLYOMETRIC, dose="5", cue="land softly, step down"),
    Movement("pogo hops", Pattern.PLYOMETRIC, dose="15", cue="stiff ankles, quick contacts"),
    Movement("bounding", Pattern.PLYOMETRIC, per="leg", dose="6", cue="tall, powerful push-off"),
    Movement("jump squat", Pattern.PLYOMETRIC, dose="5", cue="bodyweight, stick the landing"),
)

#: Every exercise runlift prescribes, by name.
EXERCISE_CATALOGUE: Final[Mapping[str, Movement]] = MappingProxyType(
    {movement.name: movement for movement in _MOVEMENTS}
)

EXPERIENCE_LEVELS: Final = ("beginner", "intermediate", "advanced")

# Session slots, in the order they are done: plyometrics first, while fresh.
_SLOTS: Final = ("plyo", "main", "main2", "lunge", "bridge", "push", "pull", "core")
_SLOT_DOSE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "plyo": "plyo",
        "main": "main",
        "main2": "main2",
        "lunge": "lower",
        "bridge": "lower",
        "push": "upper",
        "pull": "upper",
        "core": "core",
    }
)

#: Sessions A, B and C (intermediate athletes).
_VARIANTS: Final[tuple[Mapping[str, str], ...]] = (
    MappingProxyType(
        {
            "plyo": "box jump",
            "main": "back squat",
            "main2": "Romanian deadlift",
            "lunge": "Bulgarian split squat",
            "bridge": "hip thrust",
            "push": "push-up",
            "pull": "bent-over row",
            "core": "Pallof press",
        }
    ),
    MappingProxyType(
        {
            "plyo": "pogo hops",
            "main": "trap-bar deadlift",
            "main2": "goblet squat",
            "lunge": "reverse lunge",
            "bridge": "single-leg glute bridge",
            "push": "overhead press",
            "pull": "inverted row",
            "core": "side plank",
        }
    ),
    MappingProxyType(
        {
            "plyo": "bounding",
            "main": "front squat",
            "main2": "deadlift",
            "lunge": "step-up",
            "bridge": "glute bridge",
            "push": "bench press",
            "pull": "pull-up",
            "core": "dead bug",
        }
    ),
)

#: Simpler alternatives for beginners, harder ones for advanced athletes.
_SUBSTITUTES: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "beginner": MappingProxyType(
            {
                "back squat": "goblet squat",
                "front squat": "goblet squat",
                "deadlift": "trap-bar deadlift",
                "Bulgarian split squat": "walking lunge",
                "bench press": "push-up",
                "pull-up": "inverted row",
                "bounding": "jump squat",
            }
        ),
        "intermediate": MappingProxyType({}),
        "advanced": MappingProxyType({"side plank": "Copenhagen plank", "inverted row": "pull-up"}),
    }
)

#: The race-week session: short, light activation with bodyweight or light dumbbells.
_RACE_WEEK: Final = (
    ("goblet squat", 2, "5", 5.0),
    ("single-leg Romanian deadlift", 2, "5", 5.0),
    ("walking lunge", 1, "6", 5.0),
    ("glute bridge", 2, "10", 5.0),
    ("push-up", 1, "8", 5.0),
    ("plank", 2, "", 4.0),
)


@dataclass(frozen=True, slots=True)
class _Dose:
    sets: int
    reps: int  # ignored for core and plyometrics, which use the movement's dose
    rpe: float | None
    rest_s: int


# (phase, heavy) → dose by slot group. Heavy and light sessions of one phase have the same sets
# per exercise (plyometrics aside), so a de-load's set cut is the same against either.
_LOADS: Final[Mapping[tuple[Phase, bool], Mapping[str, _Dose]]] = MappingProxyType(
    {
        (Phase.BASE, True): {
            "main": _Dose(4, 5, 8.0, 180),
            "main2": _Dose(3, 6, 7.5, 150),
            "lower": _Dose(3, 8, 7.0, 90),
            "upper": _Dose(2, 8, 7.0, 90),
            "core": _Dose(3, 0, 6.0, 45),
        },
        (Phase.BASE, False): {
            "main": _Dose(4, 8, 6.0, 120),
            "main2": _Dose(3, 10, 6.0, 120),
            "lower": _Dose(3, 10, 6.5, 90),
            "upper": _Dose(2, 10, 6.5, 90),
            "core": _Dose(3, 0, 5.5, 45),
        },
        (Phase.BUILD, True): {
            "plyo": _Dose(3, 0, None, 90),
            "main": _Dose(4, 4, 8.0, 180),
            "main2": _Dose(3, 5, 8.0, 150),
            "lower": _Dose(3, 6, 7.0, 90),
            "upper": _Dose(2, 6, 7.0, 90),
            "core": _Dose(3, 0, 6.0, 45),
        },
        (Phase.BUILD, False): {
            "main": _Dose(4, 6, 6.0, 120),
            "main2": _Dose(3, 8, 6.0, 120),
            "lower": _Dose(3, 8, 6.5, 90),
            "upper": _Dose(2, 8, 6.5, 90),
            "core": _Dose(3, 0, 5.5, 45),
        },
        (Phase.PEAK, True): {
            "plyo": _Dose(2, 0, None, 90),
            "main": _Dose(2, 3, 8.0, 180),
            "main2": _Dose(2, 4, 8.0, 150),
            "lower": _Dose(2, 6, 7.0, 90),
            "upper": _Dose(2, 6, 7.0, 90),
            "core": _Dose(2, 0, 6.0, 45),
        },
        (Phase.PEAK, False): {
            "main": _Dose(2, 6, 6.0, 120),
            "main2": _Dose(2, 6, 6.0, 120),
            "lower": _Dose(2, 8, 6.0, 90),
            "upper": _Dose(2, 8, 6.0, 90),
            "core": _Dose(2, 0, 5.5, 45),
        },
        # Taper: 2 × 5 at RPE 5 keeps reps + RIR at 10 (73.9 % 1RM), below the heavy line.
        (Phase.TAPER, False): {
            "main": _Dose(2, 5, 5.0, 120),
            "main2": _Dose(2, 5, 5.0, 120),
            "lower": _Dose(2, 6, 5.5, 90),
            "upper": _Dose(2, 6, 5.5, 90),
            "core": _Dose(2, 0, 5.0, 45),
        },
    }
)

_PHASE_FOCUS: Final[Mapping[Phase, str]] = MappingProxyType(
    {
        Phase.BASE: "Base phase: general and maximal strength, controlled lowering, solid "
        "positions.",
        Phase.BUILD: "Build phase: maximal strength and power, lift the bar fast on the way up.",
        Phase.PEAK: "Peak phase: maintain strength with little volume and leave the gym fresh.",
        Phase.TAPER: "Taper: keep the movement patterns and some snap with very little fatigue.",
    }
)

#: CR-10 session RPE for each kind of session (Foster 2001 load = session RPE × minutes).
SESSION_RPE: Final[Mapping[str, float]] = MappingProxyType(
    {"heavy": 7.0, "light": 5.0, "deload": 4.0, "race_week": 3.0}
)

WARM_UP_MIN: Final = 10
WORK_S_PER_SET: Final = 40
DELOAD_SET_FRACTION: Final = 0.65  # keep 60–70 % of the sets (a 30–40 % cut)
DELOAD_RPE_DROP: Final = 1.0
_MIN_RPE: Final = 3.0


@dataclass(frozen=True, slots=True)
class StrengthPrescription:
    """One prescribed strength session."""

    title: str
    exercises: tuple[Exercise, ...]
    duration_min: int
    session_rpe: float
    hard: bool
    description: str

    @property
    def total_sets(self) -> int:
        return sum(exercise.sets for exercise in self.exercises)

    @property
    def patterns(self) -> frozenset[Pattern]:
        return frozenset(exercise.pattern for exercise in self.exercises)


# --- Building sessions ------------------------------------------------------------------------


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _reps_text(movement: Movement, reps: str) -> str:
    return f"{reps}/{movement.per}" if movement.per else reps


def _loaded(
    movement: Movement,
    reps: int | None,
    rpe: float | None,
    one_rep_max: Mapping[str, float],
) -> tuple[float | None, float | None]:
    """(percent_1rm, load_kg) when the athlete's 1RM for this lift is known."""
    key = movement.one_rm_key
    if key is None or key not in one_rep_max or reps is None or rpe is None:
        return None, None
    percent = percent_1rm(reps, rpe)
    load = one_rep_max[key] * movement.one_rm_fraction * percent / 100.0
    return percent, 2.5 * _round_half_up(load / 2.5)


def _exercise(
    movement: Movement,
    sets: int,
    reps: int | None,
    rpe: float | None,
    rest_s: int,
    one_rep_max: Mapping[str, float],
) -> Exercise:
    dose = movement.dose if movement.dose else str(reps)
    percent, load = _loaded(movement, None if movement.dose else reps, rpe, one_rep_max)
    return Exercise(
        name=movement.name,
        pattern=movement.pattern,
        sets=sets,
        reps=_reps_text(movement, dose),
        rpe=rpe,
        rest_s=rest_s,
        percent_1rm=percent,
        load_kg=load,
        note=movement.cue,
    )


def _adjust_rpe(rpe: float | None, *, drop: float, floor: float) -> float | None:
    if rpe is None:
        return None
    return max(floor, rpe - drop)


def _session_exercises(
    phase: Phase,
    variant: int,
    *,
    heavy: bool,
    experience: str,
    one_rep_max: Mapping[str, float],
    rpe_drop: float = 0.0,
) -> tuple[Exercise, ...]:
    doses = _LOADS[(phase, heavy)]
    names = _VARIANTS[variant % len(_VARIANTS)]
    substitutes = _SUBSTITUTES[experience]
    beginner = experience == "beginner"
    exercises: list[Exercise] = []
    for slot in _SLOTS:
        dose = doses.get(_SLOT_DOSE[slot])
        if dose is None:
            continue
        name = names[slot]
        movement = EXERCISE_CATALOGUE[substitutes.get(name, name)]
        rpe = dose.rpe
        if rpe is not None and beginner:
            # Beginners keep half a rep more in reserve, but heavy main lifts stay heavy.
            keep_heavy = heavy and slot in ("main", "main2") and rpe >= HEAVY_RPE
            rpe = max(rpe - 0.5, HEAVY_RPE) if keep_heavy else rpe - 0.5
        rpe = _adjust_rpe(rpe, drop=rpe_drop, floor=_MIN_RPE)
        exercises.append(_exercise(movement, dose.sets, dose.reps, rpe, dose.rest_s, one_rep_max))
    return tuple(exercises)


def _deload_sets(sets: list[int]) -> list[int]:
    """Cut the total by 30–40 % (about a third), keeping every exercise at ≥ 1 set."""
    total = sum(sets)
    low = -(-60 * total // 100)  # ceil(0.60 · total)
    high = 70 * total // 100
    target = min(max(_round_half_up(DELOAD_SET_FRACTION * total), low), high)
    target = max(target, len(sets))
    cut = [max(1, _round_half_up(DELOAD_SET_FRACTION * count)) for count in sets]
    while sum(cut) > target:
        index = max(range(len(cut)), key=lambda i: (cut[i], -i))
        if cut[index] <= 1:
            break
        cut[index] -= 1
    while sum(cut) < target:
        candidates = [i for i in range(len(cut)) if cut[i] < sets[i]]
        if not candidates:
            break
        index = max(candidates, key=lambda i: (sets[i] - cut[i], -i))
        cut[index] += 1
    return cut


def _duration_min(exercises: tuple[Exercise, ...]) -> int:
    work_s = sum(exercise.sets * (WORK_S_PER_SET + exercise.rest_s) for exercise in exercises)
    minutes = WARM_UP_MIN + work_s / 60.0
    return max(15, 5 * _round_half_up(minutes / 5.0))


def _format_rpe(rpe: float) -> str:
    return f"{rpe:g}"


def _rir_text(rpe: float) -> str:
    rir = 10.0 - rpe
    if rir == int(rir):
        whole = int(rir)
        return f"{whole} rep{'s' if whole != 1 else ''} in reserve"
    return f"{math.floor(rir)}–{math.ceil(rir)} reps in reserve"


def _main_rpe(exercises: tuple[Exercise, ...]) -> float | None:
    rpes = [
        e.rpe
        for e in exercises
        if e.pattern in (Pattern.SQUAT, Pattern.HINGE) and e.rpe is not None
    ]
    return max(rpes) if rpes else None


def _accessory_rpe(exercises: tuple[Exercise, ...]) -> float | None:
    rpes = [
        e.rpe
        for e in exercises
        if e.pattern in (Pattern.LUNGE, Pattern.BRIDGE, Pattern.UPPER) and e.rpe is not None
    ]
    return max(rpes) if rpes else None


def _describe(title: str, exercises: tuple[Exercise, ...], closing: str) -> str:
    parts = [f"{title}. Warm up 10 min: easy cardio, dynamic mobility and ramp-up sets."]
    if any(e.pattern is Pattern.PLYOMETRIC for e in exercises):
        parts.append(
            "Plyometrics first, while fresh: maximal intent, full recovery, stop when "
            "contacts slow down."
        )
    main = _main_rpe(exercises)
    accessory = _accessory_rpe(exercises)
    if main is not None:
        text = f"Main lifts at RPE {_format_rpe(main)} ({_rir_text(main)})"
        if accessory is not None:
            text += f", accessories at RPE {_format_rpe(accessory)}"
        parts.append(text + "; core to finish.")
    parts.append(closing)
    return " ".join(parts)


def _check_one_rep_max(one_rep_max: Mapping[str, float] | None) -> Mapping[str, float]:
    if one_rep_max is None:
        return {}
    for key, value in one_rep_max.items():
        if key not in ONE_RM_KEYS:
            known = ", ".join(sorted(ONE_RM_KEYS))
            raise ValueError(f"unknown 1RM lift {key!r}: expected one of {known}")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"1RM for {key!r} must be a positive number of kg, got {value!r}")
    return one_rep_max


def prescribe_strength(
    phase: Phase,
    variant: int,
    *,
    heavy: bool,
    deload: bool = False,
    race_week: bool = False,
    experience: str = "intermediate",
    one_rep_max: Mapping[str, float] | None = None,
) -> StrengthPrescription:
    """The strength session for ``phase``; ``variant`` 0/1/2 picks session A/B/C (mod 3).

    ``heavy=True`` gives the phase's heavy session (main lifts at RPE ≥ 7.5, plyometrics in
    build and peak); it cannot be combined with ``deload``, ``race_week`` or the taper.
    ``heavy=False`` gives a light session. ``deload`` gives the de-load of the phase's loading
    session: the same exercises without plyometrics, a third fewer sets, 1 RPE lower than the
    light version. ``race_week`` gives one short activation session (and wins over
    ``deload``). ``one_rep_max`` (kg, keys in :data:`ONE_RM_KEYS`) adds %1RM and loads rounded
    to 2.5 kg.
    """
    phase = Phase(phase)
    if experience not in EXPERIENCE_LEVELS:
        raise ValueError(
            f"experience must be one of {', '.join(EXPERIENCE_LEVELS)}, got {experience!r}"
        )
    if heavy and (deload or race_week or phase is Phase.TAPER):
        why = "a de-load" if deload else "race week" if race_week else "the taper"
        raise ValueError(f"a heavy strength session is not allowed in {why}")
    maxes = _check_one_rep_max(one_rep_max)
    letter = "ABC"[variant % 3]
    phase_name = phase.value.capitalize()

    if race_week:
        return _race_week_session(experience)

    if deload:
        light = _session_exercises(
            phase,
            variant,
            heavy=False,
            experience=experience,
            one_rep_max=maxes,
            rpe_drop=DELOAD_RPE_DROP,
        )
        cut = _deload_sets([exercise.sets for exercise in light])
        exercises = tuple(
            replace(exercise, sets=sets) for exercise, sets in zip(light, cut, strict=True)
        )
        title = f"{phase_name} strength {letter} — de-load"
        closing = (
            "De-load: the same exercises with about a third fewer sets and more reps in reserve."
        )
        session_rpe = SESSION_RPE["deload"]
    else:
        exercises = _session_exercises(
            phase, variant, heavy=heavy, experience=experience, one_rep_max=maxes
        )
        title = f"{phase_name} strength {letter} — {'heavy' if heavy else 'light'}"
        closing = _PHASE_FOCUS[phase]
        session_rpe = SESSION_RPE["heavy" if heavy else "light"]

    return StrengthPrescription(
        title=title,
        exercises=exercises,
        duration_min=_duration_min(exercises),
        session_rpe=session_rpe,
        hard=is_heavy_strength(exercises),
        description=_describe(title, exercises, closing),
    )


def _race_week_session(experience: str) -> StrengthPrescription:
    drop = 0.5 if experience == "beginner" else 0.0
    exercises = tuple(
        _exercise(
            EXERCISE_CATALOGUE[name],
            sets,
            int(reps) if reps else None,
            _adjust_rpe(rpe, drop=drop, floor=_MIN_RPE),
            90 if EXERCISE_CATALOGUE[name].pattern is not Pattern.CORE else 45,
            {},
        )
        for name, sets, reps, rpe in _RACE_WEEK
    )
    title = "Race-week strength — activation"
    closing = "Race week: short and crisp; nothing should feel hard."
    return StrengthPrescription(
        title=title,
        exercises=exercises,
        duration_min=_duration_min(exercises),
        session_rpe=SESSION_RPE["race_week"],
        hard=is_heavy_strength(exercises),
        description=_describe(title, exercises, closing),
    )
