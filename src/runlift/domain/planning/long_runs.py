"""The long run's progression: from the athlete's current long run to the event's peak.

- Target peak by event and experience from the reference table of published plans
  (``runlift.domain.plan_shape.PEAK_LONG_RUN_KM``), trimmed to Daniels' time cap (150 min,
  180 min for the marathon) but never below the table's sensible minimum; an athlete already
  above the target holds the target.
- Week 1 starts at the athlete's current long run (within ±10 %: +10 % only when the weeks are
  too few to reach the peak otherwise).
- The loading weeks grow it evenly, at most +10 % a week (Frandsen 2025), so the peak falls in
  the last loading week, three weeks out for a marathon as in Higdon's and Pfitzinger's plans.
  De-load weeks step back with the rest of the week (they scale the loading week before).
- The weekly volume's peak is raised, when needed, so that the long run keeps its share of the
  week (LONG-CAP) at the peak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from runlift.domain.plan_shape import (
    LEAD_RATIO,
    event_top_long_run_km,
    peak_long_run_reference,
)
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import long_run_minutes_cap, long_run_share

#: The target peak long run (km) of a general fitness block, by experience.
GENERAL_PEAK_KM = {"beginner": 10.0, "intermediate": 14.0, "advanced": 18.0}
GROWTH = 1.10
LONG_RUN_FLOOR_KM = 3.0
#: Weekly km from which Daniels' time cap applies to the long run (LONG-CAP).
TIME_CAP_FROM_KM = 64.0


@dataclass(frozen=True, slots=True)
class LongRunPlan:
    """The long run of each loading week, in order, and the peak it aims at."""

    target_km: float
    minimum_km: float | None  # the reference's sensible minimum; None for general plans
    by_loading_week: tuple[float, ...]

    @property
    def peak_km(self) -> float:
        return max(self.by_loading_week, default=0.0)


def target_peak_km(
    profile: AthleteProfile, long_pace_s_per_km: float
) -> tuple[float, float | None]:
    """(target peak long run, sensible minimum) for the athlete's event and level. An athlete
    whose long run is already longer keeps it, up to the event's top peak (an advanced
    runner's)."""
    reference = peak_long_run_reference(profile.event.value, profile.experience.value)
    current = max(profile.long_run_km, LONG_RUN_FLOOR_KM)
    if reference is None:
        target = GENERAL_PEAK_KM[profile.experience.value]
        return max(target, min(current, max(GENERAL_PEAK_KM.values()))), None
    low, target = reference
    minutes = long_run_minutes_cap(profile.event.value)
    by_time = minutes * 60 / long_pace_s_per_km
    target = max(low, math.floor(min(target, by_time) * 10) / 10)
    # Held up to the event's top; all of it when the athlete's volume would not fit the run
    # days with a shorter long run leading (no new load: the athlete runs it today).
    top = event_top_long_run_km(profile.event.value) or target
    # As in periodization.peak_km: with 3 or more runs one is a speed session, shorter than
    # 80 % of the long run, so the week holds 90 % of the lead bound.
    shorter = 0.9 if profile.run_days >= 3 else 1.0
    if profile.weekly_km > shorter * top * (1 + LEAD_RATIO * max(profile.run_days - 1, 0)):
        # Up to +10 % on it (LONGEST), for the long run to lead beside a short speed session,
        # within Daniels' minutes from 64 km a week (LONG-CAP).
        held = current * GROWTH
        if profile.weekly_km >= TIME_CAP_FROM_KM:
            held = min(held, by_time)
        return max(target, held), low
    return max(target, min(current, top)), low


def start_long_km(profile: AthleteProfile, target: float) -> float:
    """Week 1's long run before any +10 %: the athlete's current one, held at the target."""
    return min(max(profile.long_run_km, LONG_RUN_FLOOR_KM), target)


def plan_long_runs(
    profile: AthleteProfile,
    loading_weeks: int,
    long_pace_s_per_km: float,
    first_week_km: float = 0.0,
) -> LongRunPlan:
    """The long run of each of ``loading_weeks`` loading weeks (before the weekly caps).

    Week 1 may add up to 10 % to the athlete's long run when the weeks are too few to reach
    the peak otherwise, or when ``first_week_km`` (week 1's volume) needs a longer long run
    to keep every other run ≤ 80 % of it."""
    target, low = target_peak_km(profile, long_pace_s_per_km)
    if loading_weeks <= 0:
        return LongRunPlan(target, low, ())
    current = start_long_km(profile, target)
    first = current
    steps = loading_weeks - 1
    if first * GROWTH**steps < target * 1.02:
        first = current * GROWTH  # week 1 may add 10 % when time is short
    leading = first_week_km / (1 + LEAD_RATIO * max(profile.run_days - 1, 0))
    first = min(max(first, min(leading, current * GROWTH)), target)
    growth = GROWTH if steps == 0 else min(GROWTH, (target / first) ** (1 / steps))
    growth = max(growth, 1.0)
    runs = tuple(min(target, first * growth**k) for k in range(loading_weeks))
    return LongRunPlan(target, low, runs)


def weekly_peak_for_long(target_long_km: float, runs: int) -> float:
    """The weekly km at which a ``target_long_km`` long run keeps its share (LONG-CAP)."""
    return target_long_km / long_run_share(target_long_km, runs)


def max_week_with_lead(long_km: float, runs: int) -> float:
    """The most a week of ``runs`` runs can hold while every other run is ≤ 80 % of the long
    run."""
    return long_km * (1 + LEAD_RATIO * max(runs - 1, 0))


def weeks_to_reach(
    profile: AthleteProfile,
    need_long_km: float,
    per_block: int,
    taper_weeks: int,
    weekly_peak_km: float,
) -> int | None:
    """Weeks (taper included) the safe progression needs for a ``need_long_km`` long run:
    the long run +10 % a loading week from the athlete's current one, within its share of a
    weekly volume that grows +10 % a loading week; a de-load after every ``per_block`` loading
    weeks. None beyond a year."""
    runs = profile.run_days
    long_km = max(profile.long_run_km, LONG_RUN_FLOOR_KM)
    week_km = max(profile.weekly_km, 1.0)
    share = long_run_share(week_km, runs)
    position = 0
    for week in range(1, 53):
        if position == per_block:
            position = 0
            continue
        if week > 1:
            week_km = min(weekly_peak_km, week_km * GROWTH)
        long_km = min(long_km * GROWTH, share * week_km)
        position += 1
        if long_km + 0.05 >= need_long_km:
            total = week + taper_weeks
            return total if total <= 52 else None
    return None
