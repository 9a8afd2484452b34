"""Units per person: metric (km, min/km, kg) or imperial (miles, min/mile, lb).

runlift stores and computes in SI (km, s/km, kg); this module converts and formats for the
reader, in one place for the CLI, the web pages, calendar text and FIT files. Exact factors:
1 mile = 1.609344 km, 1 lb = 0.45359237 kg (international yard and pound, 1959). Strength
loads shown in pounds are rounded to 5 lb steps (a pair of 2.5 lb plates), as kilograms are
rounded to 2.5 kg.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from runlift.domain.profile import AthleteProfile

KM_PER_MILE: Final = 1.609344
KG_PER_LB: Final = 0.45359237
#: Smallest load step: 2.5 kg in metric, 5 lb in imperial.
KG_STEP: Final = 2.5
LB_STEP: Final = 5.0


class Units(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"

    @classmethod
    def parse(cls, text: object) -> Units:
        """``"metric"`` or ``"imperial"`` (any case); ValueError naming the choices otherwise."""
        value = str(text).strip().lower() if isinstance(text, str) else None
        for units in cls:
            if value == units.value:
                return units
        raise ValueError(f"units must be 'metric' or 'imperial', got {text!r}")

    @property
    def distance_unit(self) -> str:
        return "mi" if self is Units.IMPERIAL else "km"

    @property
    def load_unit(self) -> str:
        return "lb" if self is Units.IMPERIAL else "kg"

    def distance(self, km: float) -> float:
        """``km`` in this system's distance unit (not rounded)."""
        return km / KM_PER_MILE if self is Units.IMPERIAL else km

    def pace(self, s_per_km: float) -> float:
        """Seconds per km → seconds per this system's distance unit."""
        return s_per_km * KM_PER_MILE if self is Units.IMPERIAL else s_per_km

    def load(self, kg: float) -> float:
        """The load as it is put on the bar: kg to 2.5 kg steps, or lb to 5 lb steps."""
        if self is Units.IMPERIAL:
            return _round_step(kg / KG_PER_LB, LB_STEP)
        return _round_step(kg, KG_STEP)

    def load_kg(self, kg: float) -> float:
        """The loadable load of :meth:`load` back in kg (what a FIT file stores)."""
        if self is Units.IMPERIAL:
            return self.load(kg) * KG_PER_LB
        return self.load(kg)


def _round_step(value: float, step: float) -> float:
    return step * math.floor(value / step + 0.5)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(math.floor(seconds + 0.5), 60)
    return f"{minutes}:{secs:02d}"


def format_distance(km: float, units: Units, *, digits: int = 1) -> str:
    """ "7.6 km" or "4.7 mi"."""
    return f"{round(units.distance(km), digits):g} {units.distance_unit}"


def format_pace(s_per_km: float, units: Units) -> str:
    """ "4:57/km" or "7:58/mi"."""
    return f"{_clock(units.pace(s_per_km))}/{units.distance_unit}"


def format_pace_range(slow_s_per_km: float, fast_s_per_km: float, units: Units) -> str:
    """ "5:56–6:32/km" (fast first, as Daniels' tables print it) or "9:33–10:31/mi"."""
    return (
        f"{_clock(units.pace(fast_s_per_km))}–{_clock(units.pace(slow_s_per_km))}"
        f"/{units.distance_unit}"
    )


def format_load(kg: float, units: Units) -> str:
    """ "65 kg" or "145 lb", rounded to a loadable step."""
    return f"{units.load(kg):g} {units.load_unit}"


# --- quantities with a unit (profile inputs) ------------------------------------------------

_QUANTITY: Final = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]+)\s*$")
_DISTANCE_UNITS: Final = {
    "km": 1.0,
    "kms": 1.0,
    "kilometer": 1.0,
    "kilometers": 1.0,
    "kilometre": 1.0,
    "kilometres": 1.0,
    "mi": KM_PER_MILE,
    "mile": KM_PER_MILE,
    "miles": KM_PER_MILE,
}
_LOAD_UNITS: Final = {
    "kg": 1.0,
    "kgs": 1.0,
    "kilo": 1.0,
    "kilos": 1.0,
    "lb": KG_PER_LB,
    "lbs": KG_PER_LB,
    "pound": KG_PER_LB,
    "pounds": KG_PER_LB,
}


def _quantity(text: str, table: dict[str, float], example: str) -> float:
    match = _QUANTITY.match(text)
    if match is None or match[2].lower() not in table:
        raise ValueError(f"{text!r} is not a number with a unit, e.g. {example}")
    return float(match[1]) * table[match[2].lower()]


def parse_km(value: object, units: Units = Units.METRIC) -> float:
    """Kilometres from "25 mi", "40 km", or a bare number in ``units``' distance unit."""
    if isinstance(value, bool):
        raise ValueError(f"expected a distance, got {value!r}")
    if isinstance(value, int | float):
        return float(value) * (KM_PER_MILE if units is Units.IMPERIAL else 1.0)
    if isinstance(value, str):
        return _quantity(value, _DISTANCE_UNITS, '"25 mi" or "40 km"')
    raise ValueError(f'expected a distance such as "25 mi" or "40 km", got {value!r}')


def parse_kg(value: object, units: Units = Units.METRIC) -> float:
    """Kilograms from "185 lb", "80 kg", or a bare number in ``units``' load unit."""
    if isinstance(value, bool):
        raise ValueError(f"expected a load, got {value!r}")
    if isinstance(value, int | float):
        return float(value) * (KG_PER_LB if units is Units.IMPERIAL else 1.0)
    if isinstance(value, str):
        return _quantity(value, _LOAD_UNITS, '"185 lb" or "80 kg"')
    raise ValueError(f'expected a load such as "185 lb" or "80 kg", got {value!r}')


# --- plan text in the reader's units --------------------------------------------------------

_PACE_RANGE_KM: Final = re.compile(r"(\d{1,2}):([0-5]\d)\s*([–-])\s*(\d{1,2}):([0-5]\d)/km\b")
_PACE_KM: Final = re.compile(r"(\d{1,2}):([0-5]\d)/km\b")
_KM: Final = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(\s?)km\b")
_KG: Final = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(\s?)kg\b")


def localize(text: str, units: Units, exact: Mapping[str, float] | None = None) -> str:
    """Plan text (titles, descriptions, notes, warnings, pace strings) in ``units``: every
    "7.6 km", "4:57/km", "5:56–6:32/km" and strength load "65 kg" converted (distances to
    0.1 mi, paces to the second per mile, loads to 5 lb steps). Metric text is unchanged.

    ``exact`` maps a pace as printed per km ("4:57") to its unrounded seconds (see
    :func:`pace_book`), so a per-mile pace is the athlete's pace rounded once, as Daniels'
    tables print it (VDOT 50: threshold 4:15/km and 6:51/mi), not a rounded pace rounded again.
    """
    if units is Units.METRIC or not text:
        return text
    book = exact or {}

    def seconds(minutes: str, secs: str) -> float:
        return book.get(f"{int(minutes)}:{secs}", int(minutes) * 60 + int(secs))

    def pace_range(match: re.Match[str]) -> str:
        fast = seconds(match[1], match[2])
        slow = seconds(match[4], match[5])
        return (
            f"{_clock(units.pace(fast))}{match[3]}{_clock(units.pace(slow))}/{units.distance_unit}"
        )

    def pace(match: re.Match[str]) -> str:
        return format_pace(seconds(match[1], match[2]), units)

    def distance(match: re.Match[str]) -> str:
        return f"{round(units.distance(float(match[1])), 1):g}{match[2]}{units.distance_unit}"

    def load(match: re.Match[str]) -> str:
        return f"{units.load(float(match[1])):g}{match[2]}{units.load_unit}"

    text = _PACE_RANGE_KM.sub(pace_range, text)
    text = _PACE_KM.sub(pace, text)
    text = _KM.sub(distance, text)
    return _KG.sub(load, text)


def pace_book(profile: AthleteProfile | None) -> dict[str, float]:
    """The athlete's Daniels paces as printed per km ("4:57") → unrounded s/km; empty without
    a recent race (paces by effort) or a profile."""
    from runlift.domain.planning.generator import Paces  # the generator imports profiles

    if profile is None:
        return {}
    table = Paces.for_profile(profile).daniels
    if table is None:
        return {}
    values = (
        table.easy_fast_s_per_km,
        table.easy_slow_s_per_km,
        table.marathon_s_per_km,
        table.threshold_s_per_km,
        table.interval_s_per_km,
    )
    return {_clock(value): value for value in values}


@dataclass(frozen=True, slots=True)
class UnitView:
    """How one reader sees plan numbers: their units and, for exact per-mile paces, the
    athlete's pace book. ``UnitView()`` is metric and leaves every text as it is."""

    units: Units = Units.METRIC
    exact: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, units: Units, profile: AthleteProfile | None = None) -> UnitView:
        if units is Units.METRIC:
            return cls()
        return cls(units, pace_book(profile))

    def text(self, text: str) -> str:
        return localize(text, self.units, self.exact)

    def km(self, km: float, *, digits: int = 1) -> str:
        return format_distance(km, self.units, digits=digits)

    def kg(self, kg: float) -> str:
        return format_load(kg, self.units)


METRIC = UnitView()
