"""Daily fuel targets for a runner who lifts: energy, macronutrients, fluids and refuelling.

Defaults for guidance (docs/science.md §1 R10 and §5), not a diet prescription. Every number below
comes from the source named next to it; where the sources give a range, the point runlift
picks inside it is stated here and in ``docs/recovery-and-fuel.md``.

- **BMR** — Mifflin-St Jeor (1990): men ``10W + 6.25H − 5A + 5``, women
  ``10W + 6.25H − 5A − 161`` (W kg, H cm, A whole years on the day).
- **Daily energy** — ``BMR × activity factor + session energy``. The activity factor covers
  daily life *without* training and defaults to 1.4, the low end of the FAO/WHO/UNU (2004)
  "sedentary or light activity" physical activity levels (1.40–1.69): training is added
  session by session, so a higher factor would count it twice. It is a parameter.
- **Session energy, net of rest** — running ≈ 1 kcal per kg per km (the classic net cost of
  running, Margaria 1963; docs/science.md §5), so ``kg × km``; a run without a planned distance is
  taken at :data:`ASSUMED_RUN_SPEED_KMH`. Other sessions by METs (Ainsworth et al., Compendium
  of Physical Activities 2011): heavy strength 6.0 (vigorous), light strength 5.0, mobility or
  yoga 2.5, easy cross-training 5.0 (hard 6.0). A MET-hour is ``MET × kg × hours`` kcal; one
  MET of it is the resting metabolism already inside BMR × factor, so a session counts
  ``(MET − 1) × kg × hours``.
- **Protein** — 1.6–2.2 g/kg/day (Morton et al. 2018): 1.6 on rest days (no session), 1.8 on
  easy days, 2.0 on days with a hard or a strength session; eaten as portions of ~0.3 g/kg every
  3–4 h while awake: ``ceil(protein / (0.3 × kg))`` portions, at least 3.
- **Carbohydrate** — g/kg/day by the day's training (Thomas, Erdman & Burke, ACSM 2016): light
  3–5, about 1 h/day 5–7, 1–3 h/day 6–10, more than 4 h/day 8–12. See :func:`classify_day`.
  The target is the middle of the band, or three quarters up it when the day has a hard
  session.
- **Fat** — at least 20 % of energy (ACSM 2016): fat is what is left after protein and
  carbohydrate, but never below 20 %. When the carbohydrate target leaves less, carbohydrate
  is trimmed to keep fat at 20 %; if that would take it below the band's low end it stays at
  the low end, fat stays at 20 %, and the energy reported is their sum (higher than the
  estimate). So ``energy ≈ 4·P + 4·C + 9·F`` always (to rounding).
- **Fluids** — a baseline of 35 ml/kg/day (a common rule of thumb for adults, 30–35 ml/kg) plus
  sweat losses: 0.75 l per hour of running (the middle of 0.5–1.0 l/h), 0.5 l/h for strength
  and cross-training. Avoid losing more than 2 % of body mass in a session; afterwards drink
  125–150 % of the mass lost (ACSM 2016; Sawka et al. 2007).
- **Refuel** — within 1 h of hard or long work, 1.0–1.2 g/kg carbohydrate and 0.25–0.3 g/kg
  protein (ACSM 2016): 1.0 g/kg (1.2 after a long run or race) and 0.3 g/kg, on days with a
  hard session or a run of at least 75 min.
- **During long runs** — 30–60 g carbohydrate per hour for runs over 75–90 min (ACSM 2016):
  from 75 min on, 30 g per hour beyond the first hour up to 150 min, 60 g/h for longer runs.
- **Energy availability** — ``(intake − exercise energy) / fat-free mass``; below 30 kcal/kg
  FFM/day is low (Loucks; ACSM 2016), a warning to show, not a diagnosis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from runlift.domain.plan import PlannedSession, SessionKind, Sport
from runlift.domain.profile import AthleteProfile, Sex

# --- constants ----------------------------------------------------------------------------------

#: Non-exercise activity factor: BMR × this is a day of daily life without training.
DEFAULT_ACTIVITY_FACTOR = 1.4
ACTIVITY_FACTOR_RANGE = (1.0, 2.5)

#: Net energy cost of running, kcal per kg of body mass per km (docs/science.md §5).
RUN_KCAL_PER_KG_KM = 1.0
#: Speed assumed for a planned run without a distance (6:00 min/km, an easy recreational pace).
ASSUMED_RUN_SPEED_KMH = 10.0

#: Compendium of Physical Activities (2011) METs.
MET_HEAVY_STRENGTH = 6.0  # resistance training, vigorous effort
MET_LIGHT_STRENGTH = 5.0
MET_MOBILITY = 2.5  # hatha yoga; stretching and mobility work are 2.3–2.5
MET_CROSS_EASY = 5.0
MET_CROSS_HARD = 6.0  # the lower bound of "vigorous"
#: The resting metabolism inside every MET value, already counted in BMR × activity factor.
RESTING_MET = 1.0

#: Protein g/kg/day by the kind of day, inside Morton et al. (2018)'s 1.6–2.2.
PROTEIN_REST = 1.6
PROTEIN_EASY = 1.8
PROTEIN_HARD = 2.0
PROTEIN_RANGE = (1.6, 2.2)
#: One protein portion, g/kg, eaten every 3–4 h while awake.
PROTEIN_PER_MEAL = 0.3
MIN_PROTEIN_MEALS = 3

#: Fat may not fall below this share of energy.
MIN_FAT_SHARE = 0.2
KCAL_PER_G_PROTEIN = 4.0
KCAL_PER_G_CARBS = 4.0
KCAL_PER_G_FAT = 9.0

#: Fluids: baseline ml/kg/day, and sweat losses in litres per hour of training.
FLUID_BASELINE_ML_PER_KG = 35.0
SWEAT_L_PER_H = {
    Sport.RUN: 0.75,
    Sport.STRENGTH: 0.5,
    Sport.CROSS: 0.5,
    Sport.MOBILITY: 0.0,
}
#: Body-mass loss in one session to stay under, and how much of the loss to drink back.
MAX_MASS_LOSS_SHARE = 0.02
REHYDRATION_RANGE = (1.25, 1.5)

#: Refuelling within an hour of hard or long work.
REFUEL_WITHIN_MIN = 60
REFUEL_CARBS = 1.0
REFUEL_CARBS_LONG = 1.2
REFUEL_PROTEIN = 0.3
#: A run at least this long earns a refuel (and in-run fuel) even when it is easy.
LONG_WORK_MIN = 75
#: A run at least this long counts as long for the refuel, whatever its kind.
LONG_RUN_MIN = 90

#: Carbohydrate during runs: g per hour beyond the first hour, and where the higher rate starts.
DURING_RUN_FROM_MIN = 75
DURING_CARBS_PER_H = 30
DURING_CARBS_PER_H_LONG = 60
DURING_LONG_AFTER_MIN = 150

#: Energy availability below this (kcal per kg fat-free mass per day) is low.
LOW_ENERGY_AVAILABILITY = 30.0


class DayClass(StrEnum):
    """The day's training as the carbohydrate bands of Thomas/ACSM (2016) name it."""

    LIGHT = "light"  # rest, low intensity or skill work, under 1 h
    MODERATE = "moderate"  # about 1 h/day
    HIGH = "high"  # 1–3 h/day of moderate to high intensity
    VERY_HIGH = "very_high"  # more than 4 h/day


#: Carbohydrate bands, g/kg/day (Thomas/ACSM 2016).
CARB_BANDS: dict[DayClass, tuple[float, float]] = {
    DayClass.LIGHT: (3.0, 5.0),
    DayClass.MODERATE: (5.0, 7.0),
    DayClass.HIGH: (6.0, 10.0),
    DayClass.VERY_HIGH: (8.0, 12.0),
}
#: Training minutes from which a day is moderate, high, very high.
MODERATE_FROM_MIN = 60
HIGH_FROM_MIN = 90
VERY_HIGH_ABOVE_MIN = 240


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refuel:
    """Eat this within ``within_min`` minutes after the day's hard or long session(s)."""

    within_min: int
    carbs_g: float
    protein_g: float
    after: tuple[str, ...] = ()  # ids of the sessions that call for it

    def to_dict(self) -> dict[str, Any]:
        return {
            "within_min": self.within_min,
            "carbs_g": self.carbs_g,
            "protein_g": self.protein_g,
            "after": list(self.after),
        }


@dataclass(frozen=True, slots=True)
class DuringRun:
    """Carbohydrate to take during one long run: ``carbs_g`` in all, ``carbs_g_per_h`` after
    the first hour."""

    session_id: str
    duration_min: int
    carbs_g_per_h: int
    carbs_g: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "duration_min": self.duration_min,
            "carbs_g_per_h": self.carbs_g_per_h,
            "carbs_g": self.carbs_g,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class DayNutrition:
    """The fuel targets of one day. Grams are rounded to 0.1 g, energy to 1 kcal, fluid to 1 ml;
    ``4·protein_g + 4·carbs_g + 9·fat_g`` equals ``energy_kcal`` to rounding."""

    day: date
    mass_kg: float
    bmr_kcal: float
    exercise_kcal: float
    energy_kcal: int
    protein_g: float
    protein_g_per_kg: float
    protein_meals: int
    protein_per_meal_g: float
    carbs_g: float
    carbs_g_per_kg: float
    carbs_range_g_per_kg: tuple[float, float]
    fat_g: float
    fluid_ml: int
    day_class: DayClass
    refuel: Refuel | None
    during: tuple[DuringRun, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def fat_share(self) -> float:
        """Fat's share of ``energy_kcal`` (≥ 0.2 by construction)."""
        return KCAL_PER_G_FAT * self.fat_g / self.energy_kcal if self.energy_kcal else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "mass_kg": self.mass_kg,
            "bmr_kcal": round(self.bmr_kcal),
            "exercise_kcal": round(self.exercise_kcal),
            "energy_kcal": self.energy_kcal,
            "protein_g": self.protein_g,
            "protein_g_per_kg": self.protein_g_per_kg,
            "protein_meals": self.protein_meals,
            "protein_per_meal_g": self.protein_per_meal_g,
            "carbs_g": self.carbs_g,
            "carbs_g_per_kg": self.carbs_g_per_kg,
            "carbs_range_g_per_kg": list(self.carbs_range_g_per_kg),
            "fat_g": self.fat_g,
            "fluid_ml": self.fluid_ml,
            "day_class": self.day_class.value,
            "refuel": None if self.refuel is None else self.refuel.to_dict(),
            "during": [advice.to_dict() for advice in self.during],
            "notes": list(self.notes),
        }


# --- validation and rounding --------------------------------------------------------------------


def _check_positive(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number, got {value!r}")


def _check_nonnegative(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number ≥ 0, got {value!r}")


def _round1(value: float) -> float:
    return round(value, 1)


def _ceil1(value: float) -> float:
    """Up to the next 0.1 (a value already on a tenth stays put despite float noise)."""
    return math.ceil(round(value * 10, 6)) / 10


def _floor1(value: float) -> float:
    return math.floor(round(value * 10, 6)) / 10


def check_sessions_on(day: date, sessions: Sequence[PlannedSession]) -> None:
    """ValueError naming the first session that does not start on ``day``."""
    for session in sessions:
        if session.date != day:
            raise ValueError(
                f"session {session.id!r} is on {session.date.isoformat()}, not {day.isoformat()}"
            )


# --- the day's training -------------------------------------------------------------------------


def is_hard(session: PlannedSession) -> bool:
    """A hard run or heavy strength (docs/science.md §1), or any session planned as hard."""
    return session.hard or session.is_hard_run


def training_minutes(sessions: Sequence[PlannedSession]) -> int:
    """Minutes of training that costs fuel: every session except mobility work."""
    return sum(s.duration_min for s in sessions if s.sport is not Sport.MOBILITY)


def classify_day(sessions: Sequence[PlannedSession]) -> DayClass:
    """The day's carbohydrate class (Thomas/ACSM 2016) from its training minutes and intensity.

    By the minutes of :func:`training_minutes`: under 60 light, 60–89 moderate ("about 1 h"),
    90–240 high ("1–3 h"; the guidance leaves 3–4 h open, runlift keeps it high), over 240 very
    high. A hard session is not "low intensity", so it lifts a light day to moderate; inside a
    band it moves the target from the middle to three quarters up (:func:`carbs_target`).
    """
    minutes = training_minutes(sessions)
    if minutes > VERY_HIGH_ABOVE_MIN:
        return DayClass.VERY_HIGH
    if minutes >= HIGH_FROM_MIN:
        return DayClass.HIGH
    if minutes >= MODERATE_FROM_MIN or any(is_hard(s) for s in sessions):
        return DayClass.MODERATE
    return DayClass.LIGHT


def carbs_target(day_class: DayClass, *, hard: bool) -> float:
    """Carbohydrate g/kg/day: the middle of the band, three quarters up it on a hard day."""
    low, high = CARB_BANDS[day_class]
    return low + (0.75 if hard else 0.5) * (high - low)


def protein_target(sessions: Sequence[PlannedSession]) -> float:
    """Protein g/kg/day: 1.6 with no session, 2.0 with a hard or strength session, else 1.8."""
    if not sessions:
        return PROTEIN_REST
    if any(is_hard(s) or s.sport is Sport.STRENGTH for s in sessions):
        return PROTEIN_HARD
    return PROTEIN_EASY


def protein_meals(protein_g: float, mass_kg: float) -> int:
    """Portions of ~0.3 g/kg needed to eat ``protein_g``: ``ceil(P / (0.3 × kg))``, at least 3."""
    _check_nonnegative(protein_g, "protein_g")
    _check_positive(mass_kg, "mass_kg")
    portions = math.ceil(round(protein_g / (PROTEIN_PER_MEAL * mass_kg), 6))
    return max(MIN_PROTEIN_MEALS, portions)


# --- energy -------------------------------------------------------------------------------------


def bmr_kcal(sex: Sex | str, weight_kg: float, height_cm: float, age_years: int) -> float:
    """Basal metabolic rate, kcal/day (Mifflin-St Jeor 1990).

    Men ``10W + 6.25H − 5A + 5``, women ``10W + 6.25H − 5A − 161``.
    """
    _check_positive(weight_kg, "weight_kg")
    _check_positive(height_cm, "height_cm")
    if age_years < 0:
        raise ValueError(f"age_years must be ≥ 0, got {age_years!r}")
    base = 10 * weight_kg + 6.25 * height_cm - 5 * age_years
    key = str(sex).strip().lower()
    if key == Sex.MALE.value:
        return base + 5
    if key == Sex.FEMALE.value:
        return base - 161
    raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")


def profile_bmr_kcal(profile: AthleteProfile, day: date, *, mass_kg: float | None = None) -> float:
    """The athlete's BMR on ``day`` (age on that day), at ``mass_kg`` or the profile's weight."""
    mass = profile.weight_kg if mass_kg is None else mass_kg
    return bmr_kcal(profile.sex, mass, profile.height_cm, profile.age_on(day))


def met_of(session: PlannedSession) -> float:
    """The MET value runlift uses for a non-running session (Compendium 2011)."""
    if session.sport is Sport.STRENGTH:
        return MET_HEAVY_STRENGTH if session.hard else MET_LIGHT_STRENGTH
    if session.sport is Sport.MOBILITY:
        return MET_MOBILITY
    if session.sport is Sport.CROSS:
        return MET_CROSS_HARD if session.hard else MET_CROSS_EASY
    raise ValueError(f"session {session.id!r} is a run: runs are counted by distance")


def run_distance_km(session: PlannedSession) -> float:
    """The run's planned distance, or its minutes at :data:`ASSUMED_RUN_SPEED_KMH`."""
    if session.distance_km is not None:
        return session.distance_km
    return session.duration_min / 60 * ASSUMED_RUN_SPEED_KMH


def session_energy_kcal(session: PlannedSession, mass_kg: float) -> float:
    """Energy of one session above rest, kcal: runs ``1 × kg × km``; others
    ``(MET − 1) × kg × hours``."""
    _check_positive(mass_kg, "mass_kg")
    if session.sport is Sport.RUN:
        return RUN_KCAL_PER_KG_KM * mass_kg * run_distance_km(session)
    return (met_of(session) - RESTING_MET) * mass_kg * session.duration_min / 60


def energy_availability(intake_kcal: float, exercise_kcal: float, ffm_kg: float) -> float:
    """Energy availability, kcal per kg fat-free mass per day: ``(intake − exercise) / FFM``."""
    _check_nonnegative(intake_kcal, "intake_kcal")
    _check_nonnegative(exercise_kcal, "exercise_kcal")
    _check_positive(ffm_kg, "ffm_kg")
    return (intake_kcal - exercise_kcal) / ffm_kg


def is_low_energy_availability(kcal_per_kg_ffm: float) -> bool:
    """True below 30 kcal/kg FFM/day: too little energy left for health (warn, do not diagnose)."""
    return kcal_per_kg_ffm < LOW_ENERGY_AVAILABILITY


# --- fluids -------------------------------------------------------------------------------------


def fluid_ml(sessions: Sequence[PlannedSession], mass_kg: float) -> int:
    """Fluid for the day, ml: 35 ml/kg plus sweat losses of the sessions (0.75 l/h running,
    0.5 l/h strength and cross-training)."""
    _check_positive(mass_kg, "mass_kg")
    sweat_l = sum(SWEAT_L_PER_H[s.sport] * s.duration_min / 60 for s in sessions)
    return round(FLUID_BASELINE_ML_PER_KG * mass_kg + 1000 * sweat_l)


def rehydration_ml(mass_lost_kg: float) -> tuple[int, int]:
    """Fluid to drink back after a session that lost ``mass_lost_kg``: 125–150 % of it, ml."""
    _check_nonnegative(mass_lost_kg, "mass_lost_kg")
    low, high = REHYDRATION_RANGE
    return round(1000 * low * mass_lost_kg), round(1000 * high * mass_lost_kg)


def is_too_dry(mass_before_kg: float, mass_after_kg: float) -> bool:
    """True when a session cost more than 2 % of body mass (fluid not replaced enough)."""
    _check_positive(mass_before_kg, "mass_before_kg")
    _check_positive(mass_after_kg, "mass_after_kg")
    return (mass_before_kg - mass_after_kg) / mass_before_kg > MAX_MASS_LOSS_SHARE


# --- refuelling ---------------------------------------------------------------------------------


def _is_long_run(session: PlannedSession) -> bool:
    return session.sport is Sport.RUN and (
        session.kind in (SessionKind.LONG, SessionKind.RACE) or session.duration_min >= LONG_RUN_MIN
    )


def refuel_for(sessions: Sequence[PlannedSession], mass_kg: float) -> Refuel | None:
    """Post-session refuel (ACSM 2016) on days with a hard session or a run ≥ 75 min, else None.

    1.0 g/kg carbohydrate (1.2 after a long run, a race or any run ≥ 90 min) and 0.3 g/kg
    protein within 60 min.
    """
    _check_positive(mass_kg, "mass_kg")
    calling = [
        s
        for s in sessions
        if is_hard(s) or (s.sport is Sport.RUN and s.duration_min >= LONG_WORK_MIN)
    ]
    if not calling:
        return None
    carbs = REFUEL_CARBS_LONG if any(_is_long_run(s) for s in calling) else REFUEL_CARBS
    return Refuel(
        within_min=REFUEL_WITHIN_MIN,
        carbs_g=_round1(carbs * mass_kg),
        protein_g=_round1(REFUEL_PROTEIN * mass_kg),
        after=tuple(s.id for s in calling),
    )


def during_run(session: PlannedSession) -> DuringRun | None:
    """Carbohydrate during a run of at least 75 min: 30 g per hour beyond the first hour up to
    150 min, 60 g/h for longer runs (ACSM 2016: 30–60 g/h); None for shorter runs and non-runs."""
    if session.sport is not Sport.RUN or session.duration_min < DURING_RUN_FROM_MIN:
        return None
    rate = (
        DURING_CARBS_PER_H_LONG
        if session.duration_min > DURING_LONG_AFTER_MIN
        else DURING_CARBS_PER_H
    )
    grams = round(rate * (session.duration_min - 60) / 60)
    name = session.title or f"{session.kind.value} run"
    text = (
        f"{name} ({session.duration_min} min): about {grams} g carbohydrate during the run, "
        f"{rate} g per hour after the first hour (gels, chews or sports drink), with water."
    )
    return DuringRun(
        session_id=session.id,
        duration_min=session.duration_min,
        carbs_g_per_h=rate,
        carbs_g=grams,
        text=text,
    )


# --- the day ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Macros:
    energy_kcal: int
    carbs_g: float
    fat_g: float
    note: str | None


def _balance(energy_kcal: int, protein_g: float, carbs_g: float, carbs_low_g: float) -> _Macros:
    """Fat from what is left, never below 20 % of energy; see the module docstring."""
    fat_floor = _ceil1(MIN_FAT_SHARE * energy_kcal / KCAL_PER_G_FAT)
    protein_kcal = KCAL_PER_G_PROTEIN * protein_g
    room = (energy_kcal - protein_kcal - KCAL_PER_G_FAT * fat_floor) / KCAL_PER_G_CARBS
    if carbs_g <= room:
        rest = (energy_kcal - protein_kcal - KCAL_PER_G_CARBS * carbs_g) / KCAL_PER_G_FAT
        return _Macros(energy_kcal, carbs_g, max(fat_floor, _round1(rest)), None)
    if room >= carbs_low_g:
        trimmed = _floor1(room)
        note = (
            f"Carbohydrate trimmed from {carbs_g:g} g to {trimmed:g} g to keep fat at 20 % of "
            "energy."
        )
        return _Macros(energy_kcal, trimmed, fat_floor, note)
    # Even the band's low end leaves fat under 20 %: keep both and report their sum.
    energy = round((protein_kcal + KCAL_PER_G_CARBS * carbs_low_g) / (1 - MIN_FAT_SHARE))
    note = (
        f"Protein and the least carbohydrate for this training leave too little energy for 20 % "
        f"fat: energy raised from {energy_kcal} to {energy} kcal."
    )
    return _Macros(energy, carbs_low_g, _ceil1(MIN_FAT_SHARE * energy / KCAL_PER_G_FAT), note)


def day_nutrition(
    profile: AthleteProfile,
    day: date,
    sessions: Sequence[PlannedSession],
    *,
    mass_kg: float | None = None,
    activity_factor: float = DEFAULT_ACTIVITY_FACTOR,
) -> DayNutrition:
    """Fuel targets for ``day`` with its planned ``sessions`` (all must start on ``day``).

    ``mass_kg`` is today's body mass (e.g. from a check-in); the profile's weight otherwise.
    ``activity_factor`` multiplies BMR for daily life without training (1.0–2.5, default 1.4).
    """
    mass = profile.weight_kg if mass_kg is None else mass_kg
    _check_positive(mass, "mass_kg")
    low_factor, high_factor = ACTIVITY_FACTOR_RANGE
    if not low_factor <= activity_factor <= high_factor:
        raise ValueError(
            f"activity_factor must be between {low_factor:g} and {high_factor:g}, "
            f"got {activity_factor!r}"
        )
    check_sessions_on(day, sessions)

    bmr = profile_bmr_kcal(profile, day, mass_kg=mass)
    exercise = sum(session_energy_kcal(s, mass) for s in sessions)
    estimate = round(bmr * activity_factor + exercise)

    hard = any(is_hard(s) for s in sessions)
    day_class = classify_day(sessions)
    band = CARB_BANDS[day_class]
    protein_per_kg = protein_target(sessions)
    protein = _round1(protein_per_kg * mass)
    wanted_carbs = _round1(carbs_target(day_class, hard=hard) * mass)
    macros = _balance(estimate, protein, wanted_carbs, _ceil1(band[0] * mass))

    notes: list[str] = [
        "Carbohydrate mostly from fruit, vegetables and whole grains; fats mostly unsaturated "
        "(olive oil, nuts, seeds, oily fish) (R10)."
    ]
    if macros.note is not None:
        notes.append(macros.note)
    guessed = [s.id for s in sessions if s.sport is Sport.RUN and s.distance_km is None]
    if guessed:
        notes.append(
            f"No planned distance for {', '.join(guessed)}: energy assumes "
            f"{ASSUMED_RUN_SPEED_KMH:g} km/h."
        )
    long_or_strength = any(_is_long_run(s) or s.sport is Sport.STRENGTH for s in sessions)
    if long_or_strength:
        notes.append(
            "Long-run or strength day: hydrate well before, during and after the session (R10)."
        )
    if any(s.sport is not Sport.MOBILITY for s in sessions):
        low, high = REHYDRATION_RANGE
        notes.append(
            f"Avoid losing more than 2 % of body mass in a session "
            f"({_round1(MAX_MASS_LOSS_SHARE * mass):g} kg); afterwards drink "
            f"{low:.0%}–{high:.0%} of the mass lost ({low:g}–{high:g} l per kg)."
        )

    during = tuple(advice for s in sessions if (advice := during_run(s)) is not None)
    return DayNutrition(
        day=day,
        mass_kg=mass,
        bmr_kcal=bmr,
        exercise_kcal=exercise,
        energy_kcal=macros.energy_kcal,
        protein_g=protein,
        protein_g_per_kg=protein_per_kg,
        protein_meals=protein_meals(protein, mass),
        protein_per_meal_g=_round1(PROTEIN_PER_MEAL * mass),
        carbs_g=macros.carbs_g,
        carbs_g_per_kg=round(macros.carbs_g / mass, 2),
        carbs_range_g_per_kg=band,
        fat_g=macros.fat_g,
        fluid_ml=fluid_ml(sessions, mass),
        day_class=day_class,
        refuel=refuel_for(sessions, mass),
        during=during,
        notes=tuple(notes),
    )
