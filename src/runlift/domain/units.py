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
from enum import StrEnum
from typing import Final

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
