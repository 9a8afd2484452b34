"""Per-session load numbers stored beside the session-RPE load: Banister TRIMP and rTSS.

:func:`session_metrics` is the one place that decides, from an activity and the athlete's
profile, which of the two can be known (see :mod:`runlift.domain.load` for the formulas):

- **TRIMP** needs the profile's resting heart rate and a heart rate in the activity (a stream,
  else the mean). The maximum is the profile's ``max_hr``, else 208 − 0.7 × age (Tanaka 2001)
  on the day of the activity. The weighting constants follow the profile's sex.
- **rTSS** is for runs only, and needs a threshold pace: the profile's recent race gives a
  VDOT, and its Daniels threshold pace the threshold speed ``1000 / threshold s/km``. The
  speed is distance over moving time (timer time, else elapsed), grade-adjusted when the
  activity has altitude and distance streams.

Anything missing or out of range gives None for that number, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from runlift.domain.activities import ActivitySport, CompletedActivity
from runlift.domain.load import rtss, trimp_from_activity
from runlift.domain.paces import parse_distance, training_paces, vdot_from_race
from runlift.domain.profile import AthleteProfile

__all__ = ["max_hr_on", "session_metrics", "threshold_speed_mps"]


def max_hr_on(profile: AthleteProfile, on: date) -> float:
    """The profile's maximum heart rate, or Tanaka's 208 − 0.7 × age on ``on``."""
    if profile.max_hr is not None:
        return float(profile.max_hr)
    return 208.0 - 0.7 * profile.age_on(on)


def threshold_speed_mps(profile: AthleteProfile) -> float | None:
    """Daniels' threshold speed (m/s) from the profile's recent race; None without one."""
    race = profile.recent_race
    if race is None:
        return None
    try:
        paces = training_paces(vdot_from_race(parse_distance(race.distance), race.time_s))
    except ValueError:
        return None
    return 1000.0 / paces.threshold_s_per_km


def _trimp(activity: CompletedActivity, profile: AthleteProfile, on: date) -> float | None:
    if profile.resting_hr is None:
        return None
    try:
        return trimp_from_activity(
            activity, float(profile.resting_hr), max_hr_on(profile, on), str(profile.sex)
        )
    except ValueError:  # e.g. a maximum at or below the resting heart rate
        return None


def _has_values(series: Sequence[float | None]) -> bool:
    return any(value is not None for value in series)


def _rtss(activity: CompletedActivity, profile: AthleteProfile) -> float | None:
    if activity.sport != ActivitySport.RUN or activity.distance_m is None:
        return None
    threshold = threshold_speed_mps(profile)
    moving_s = activity.moving_s
    if threshold is None or not moving_s > 0:
        return None
    streams = activity.streams
    altitude, distance = streams.altitude_m, streams.distance_m
    grade = len(altitude) == len(distance) and _has_values(altitude) and _has_values(distance)
    try:
        if grade:
            return rtss(
                moving_s,
                activity.distance_m,
                threshold,
                altitude=altitude,
                distance_stream=distance,
            )
        return rtss(moving_s, activity.distance_m, threshold)
    except ValueError:  # e.g. a negative distance
        return None


def session_metrics(
    activity: CompletedActivity, profile: AthleteProfile, on: date
) -> tuple[float | None, float | None]:
    """``(trimp, rtss)`` of ``activity`` for the athlete of ``profile``; ``on`` is the day of
    the activity (for the age behind an estimated maximum heart rate). None when unknown."""
    return _trimp(activity, profile, on), _rtss(activity, profile)
