"""Completed activities: what an athlete actually did, from a file or a manual entry.

``CompletedActivity`` is runlift's single internal model of a completed session: every importer
(FIT, GPX, TCX) and the manual log produce it, and storage and the load metrics consume it.
Units are SI (seconds, metres, metres/second); instants are aware UTC datetimes.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: The earliest and latest activity start runlift accepts: a clock outside these years is a
#: device that was never set or a damaged file, not a session.
EARLIEST_START = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_START = datetime(2100, 1, 1, tzinfo=UTC)
#: The longest an activity may last (elapsed or timer time): thirty days, in seconds.
MAX_DURATION_S = 30 * 86400.0
#: The longest distance an activity may cover, in metres (a multi-day ultra stays well below).
MAX_DISTANCE_M = 5_000_000.0


class ActivitySport:
    """Sport names runlift stores (a FIT ``sport`` is mapped onto these)."""

    RUN = "run"
    STRENGTH = "strength"
    CROSS = "cross"  # cycling, swimming, rowing, skiing, elliptical, ...
    MOBILITY = "mobility"  # yoga, stretching, pilates
    WALK = "walk"
    OTHER = "other"

    ALL = (RUN, STRENGTH, CROSS, MOBILITY, WALK, OTHER)


@dataclass(frozen=True, slots=True)
class Lap:
    start: datetime | None
    elapsed_s: float | None
    timer_s: float | None
    distance_m: float | None
    avg_hr: float | None = None
    max_hr: float | None = None


@dataclass(frozen=True, slots=True)
class StrengthSet:
    """One active set: ``exercise`` is a name or a FIT exercise category; weight in kg."""

    exercise: str
    reps: int | None
    weight_kg: float | None
    duration_s: float | None = None
    rpe: float | None = None


@dataclass(frozen=True, slots=True)
class Streams:
    """Per-record series, all the same length; ``t_s`` is seconds since the activity start.

    A value the device did not record is ``None`` at that index.
    """

    t_s: tuple[float, ...] = ()
    hr: tuple[float | None, ...] = ()
    speed_mps: tuple[float | None, ...] = ()
    cadence: tuple[float | None, ...] = ()
    power_w: tuple[float | None, ...] = ()
    altitude_m: tuple[float | None, ...] = ()
    distance_m: tuple[float | None, ...] = ()
    lat: tuple[float | None, ...] = ()
    lon: tuple[float | None, ...] = ()

    def __len__(self) -> int:
        return len(self.t_s)


@dataclass(frozen=True, slots=True)
class CompletedActivity:
    """One completed session. ``start`` is None when the device clock was never set."""

    sport: str
    start: datetime | None
    elapsed_s: float
    timer_s: float | None = None
    distance_m: float | None = None
    sub_sport: str | None = None
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    laps: tuple[Lap, ...] = ()
    streams: Streams = field(default_factory=Streams)
    strength_sets: tuple[StrengthSet, ...] = ()
    device: str | None = None
    source_file: str | None = None
    source_format: str | None = None  # "fit" | "gpx" | "tcx" | "manual"
    rpe: float | None = None  # session RPE, CR-10
    notes: str = ""
    warnings: tuple[str, ...] = ()
    source_sport: str | None = None  # the sport exactly as the file names it ("cycling", "Biking")
    leg_index: int | None = None  # position of this leg in a multisport file, from 0

    @property
    def end(self) -> datetime | None:
        return None if self.start is None else self.start + timedelta(seconds=self.elapsed_s)

    @property
    def moving_s(self) -> float:
        return self.timer_s if self.timer_s is not None else self.elapsed_s

    def is_duplicate_of(self, other: CompletedActivity) -> bool:
        """Same sport, starts within 60 s and durations within 5 % (an overlapping copy)."""
        if self.sport != other.sport or self.start is None or other.start is None:
            return False
        if abs((self.start - other.start).total_seconds()) > 60:
            return False
        longer = max(self.elapsed_s, other.elapsed_s)
        return longer == 0 or abs(self.elapsed_s - other.elapsed_s) <= 0.05 * longer


def activity_problem(activity: CompletedActivity) -> str | None:
    """What makes ``activity`` impossible to store, in words, or None when it can be stored.

    The start must be aware and within ``EARLIEST_START``–``LATEST_START`` (so every date
    sum on it stays in range), the durations finite, at least 0 and at most
    ``MAX_DURATION_S``, the distance finite and at most ``MAX_DISTANCE_M``, and every other
    summary number finite. An infinite distance or a year-9999 start never reaches a store.
    """
    what = f"the {activity.sport} activity"
    start = activity.start
    aware = start is not None and start.tzinfo is not None and start.utcoffset() is not None
    if aware and start is not None and not EARLIEST_START <= start < LATEST_START:
        return (
            f"{what} starts on {start.date().isoformat()}, outside the years "
            f"{EARLIEST_START.year}–{LATEST_START.year - 1} a device clock can show"
        )
    for name in ("elapsed_s", "timer_s"):
        value = getattr(activity, name)
        if value is None:
            continue
        if not math.isfinite(value) or value < 0 or value > MAX_DURATION_S:
            return (
                f"{name} of {what} is {value:g} s; it must be between 0 and "
                f"{MAX_DURATION_S:g} s (30 days)"
            )
    distance = activity.distance_m
    if distance is not None and not (math.isfinite(distance) and distance <= MAX_DISTANCE_M):
        return (
            f"distance_m of {what} is {distance:g} m; it must be a finite number of at most "
            f"{MAX_DISTANCE_M / 1000:,.0f} km"
        )
    for name in ("ascent_m", "avg_hr", "max_hr", "rpe"):
        value = getattr(activity, name)
        if value is not None and not math.isfinite(value):
            return f"{name} of {what} is {value}; give a finite number or nothing"
    return None


def _finite_or_none(values: tuple[float | None, ...]) -> tuple[tuple[float | None, ...], int]:
    dropped = sum(1 for v in values if v is not None and not math.isfinite(v))
    if not dropped:
        return values, 0
    return tuple(v if v is None or math.isfinite(v) else None for v in values), dropped


def without_non_finite_readings(activity: CompletedActivity) -> CompletedActivity:
    """``activity`` with every infinite or NaN stream reading made a missing one (None), and a
    warning saying how many were dropped; the same activity when there were none."""
    streams = activity.streams
    changes: dict[str, Any] = {}
    dropped = 0
    for name in ("hr", "speed_mps", "cadence", "power_w", "altitude_m", "distance_m", "lat", "lon"):
        cleaned, count = _finite_or_none(getattr(streams, name))
        if count:
            changes[name] = cleaned
            dropped += count
    if not dropped:
        return activity
    note = f"{dropped} infinite or not-a-number readings were dropped"
    return dataclasses.replace(
        activity,
        streams=dataclasses.replace(streams, **changes),
        warnings=(*activity.warnings, note),
    )
