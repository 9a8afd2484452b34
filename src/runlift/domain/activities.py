"""Completed activities: what an athlete actually did, from a file or a manual entry.

``CompletedActivity`` is runlift's single internal model of a completed session: every importer
(FIT, GPX, TCX) and the manual log produce it, and storage and the load metrics consume it.
Units are SI (seconds, metres, metres/second); instants are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


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
