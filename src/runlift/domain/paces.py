"""Running paces, race equivalents and heart-rate zones.

Sources and conventions (docs/science.md §2):

- **VDOT** — Daniels & Gilbert, *Oxygen Power* (1979). With velocity ``v`` in m/min and race
  duration ``t`` in min, the oxygen cost of running is
  ``VO2(v) = -4.60 + 0.182258·v + 0.000104·v²`` and the fraction of VO2max sustainable for
  ``t`` minutes is ``F(t) = 0.8 + 0.1894393·e^(-0.012778·t) + 0.2989558·e^(-0.1932605·t)``;
  ``VDOT = VO2(d/t) / F(t)``. Race-equivalent times solve ``VDOT(d, t) = vdot`` for ``t``
  (the function is monotonic in ``t``), by bisection.
- **Training paces** — Daniels' *Running Formula*: easy E = v(0.62·VDOT)…v(0.70·VDOT),
  marathon M = the race-equivalent marathon pace, threshold T = v(0.88·VDOT),
  interval I = v(0.975·VDOT), repetition R = I − 6 s per 400 m, where v(x) inverts VO2(v) = x.
  This matches the published tables within about 1 s/km for VDOT ≥ 40; below VDOT ≈ 39 the
  tables drift, and without a recent race effort (RPE, :data:`EFFORT_RPE`) is the better guide.
- **Riegel** — Riegel, "Athletic records and human endurance", *American Scientist* (1981):
  ``T2 = T1·(D2/D1)^1.06``; optimistic for the marathon in low-mileage runners.
- **Maximum heart rate** — Tanaka, Monahan & Seals (2001): ``HRmax = 208 − 0.7·age``.
- **Heart-rate zones** — with a resting heart rate, the heart-rate-reserve method of Karvonen
  (1957): ``HR = HRrest + p·(HRmax − HRrest)``, with easy 59–74 %, marathon 75–84 %,
  threshold 83–88 % and interval 95–100 % of the reserve. Without one, Daniels' percentages
  of HRmax: easy 65–79 %, marathon 80–89 %, threshold 88–92 %, interval 98–100 %.

Paces are seconds per kilometre; race times and durations are seconds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

# --- VDOT (Daniels & Gilbert 1979) ------------------------------------------------------------

_VO2_A: Final = 0.000104  # coefficient of v²
_VO2_B: Final = 0.182258  # coefficient of v
_VO2_C: Final = -4.60  # constant

MILE_M: Final = 1609.344


def _check_positive(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number, got {value!r}")


def _vo2(velocity_m_per_min: float) -> float:
    v = velocity_m_per_min
    return _VO2_C + _VO2_B * v + _VO2_A * v * v


def _fraction(duration_min: float) -> float:
    t = duration_min
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def _vdot(distance_m: float, time_s: float) -> float:
    minutes = time_s / 60.0
    return _vo2(distance_m / minutes) / _fraction(minutes)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT of a race over ``distance_m`` metres run in ``time_s`` seconds."""
    _check_positive(distance_m, "distance_m")
    _check_positive(time_s, "time_s")
    return _vdot(distance_m, time_s)


def race_time_s(vdot: float, distance_m: float) -> float:
    """Race-equivalent time in seconds over ``distance_m`` for a runner of ``vdot``."""
    _check_positive(vdot, "vdot")
    _check_positive(distance_m, "distance_m")
    # VDOT(d, t) falls as t grows: bracket the root, then bisect.
    low = distance_m / 1000.0 * 60.0  # 1000 m/min: far faster than any human
    high = distance_m / 100.0 * 60.0  # 100 m/min: a slow walk
    while _vdot(distance_m, low) < vdot:
        low /= 2.0
    while _vdot(distance_m, high) > vdot:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _vdot(distance_m, middle) > vdot:
            low = middle
        else:
            high = middle
        if high - low < 1e-7:
            break
    return (low + high) / 2.0


def velocity_for_vo2(vo2: float) -> float:
    """Running velocity in m/min whose oxygen cost is ``vo2`` (ml/kg/min): VO2(v) inverted."""
    if not math.isfinite(vo2) or vo2 <= _VO2_C:
        raise ValueError(f"vo2 must be a number above {_VO2_C}, got {vo2!r}")
    c = _VO2_C - vo2
    return (-_VO2_B + math.sqrt(_VO2_B * _VO2_B - 4.0 * _VO2_A * c)) / (2.0 * _VO2_A)


def _s_per_km(velocity_m_per_min: float) -> float:
    return 60_000.0 / velocity_m_per_min


@dataclass(frozen=True, slots=True)
class TrainingPaces:
    """Daniels' training paces for one VDOT, in seconds per km (R also per 400 m)."""

    vdot: float
    easy_slow_s_per_km: float
    easy_fast_s_per_km: float
    marathon_s_per_km: float
    threshold_s_per_km: float
    interval_s_per_km: float
    repetition_s_per_400m: float
    repetition_s_per_km: float

    @property
    def easy_s_per_km(self) -> tuple[float, float]:
        """The easy range as (slow, fast)."""
        return (self.easy_slow_s_per_km, self.easy_fast_s_per_km)

    def as_strings(self) -> dict[str, str]:
        """Paces as text, e.g. ``{"threshold": "5:06/km", "repetition": "1:52/400m"}``."""
        return {
            "easy": (
                f"{_format_clock(self.easy_fast_s_per_km)}–{format_pace(self.easy_slow_s_per_km)}"
            ),
            "marathon": format_pace(self.marathon_s_per_km),
            "threshold": format_pace(self.threshold_s_per_km),
            "interval": format_pace(self.interval_s_per_km),
            "repetition": format_pace(self.repetition_s_per_400m, unit="400m"),
        }


def training_paces(vdot: float) -> TrainingPaces:
    """Daniels' E, M, T, I and R paces for ``vdot``."""
    _check_positive(vdot, "vdot")
    interval = _s_per_km(velocity_for_vo2(0.975 * vdot))
    repetition_400 = interval * 0.4 - 6.0
    marathon = race_time_s(vdot, RACE_DISTANCE_M["marathon"]) / (
        RACE_DISTANCE_M["marathon"] / 1000.0
    )
    return TrainingPaces(
        vdot=vdot,
        easy_slow_s_per_km=_s_per_km(velocity_for_vo2(0.62 * vdot)),
        easy_fast_s_per_km=_s_per_km(velocity_for_vo2(0.70 * vdot)),
        marathon_s_per_km=marathon,
        threshold_s_per_km=_s_per_km(velocity_for_vo2(0.88 * vdot)),
        interval_s_per_km=interval,
        repetition_s_per_400m=repetition_400,
        repetition_s_per_km=repetition_400 * 2.5,
    )


# --- Riegel -----------------------------------------------------------------------------------


def riegel_time_s(t1_s: float, d1_m: float, d2_m: float, exponent: float = 1.06) -> float:
    """Riegel's prediction of the time over ``d2_m`` from ``t1_s`` over ``d1_m``."""
    _check_positive(t1_s, "t1_s")
    _check_positive(d1_m, "d1_m")
    _check_positive(d2_m, "d2_m")
    _check_positive(exponent, "exponent")
    return t1_s * float((d2_m / d1_m) ** exponent)


# --- Distances and durations ------------------------------------------------------------------

RACE_DISTANCE_M: Final[dict[str, float]] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half-marathon": 21097.5,
    "marathon": 42195.0,
}

_DISTANCE_NAMES: Final[dict[str, float]] = {
    **RACE_DISTANCE_M,
    "half": 21097.5,
    "half marathon": 21097.5,
    "halfmarathon": 21097.5,
    "hm": 21097.5,
    "full": 42195.0,
    "full marathon": 42195.0,
    "mile": MILE_M,
}

_UNIT_M: Final[dict[str, float]] = {
    "k": 1000.0,
    "km": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "mi": MILE_M,
    "mile": MILE_M,
    "miles": MILE_M,
}

_DISTANCE_RE: Final = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)")


def parse_distance(text: str) -> float:
    """Metres for "5k", "10k", "half", "half-marathon", "marathon", "15k", "3000m", "10 mi"..."""
    cleaned = " ".join(text.strip().lower().replace("_", " ").split())
    if cleaned in _DISTANCE_NAMES:
        return _DISTANCE_NAMES[cleaned]
    match = _DISTANCE_RE.fullmatch(cleaned)
    if match is not None and match.group(2) in _UNIT_M:
        metres = float(match.group(1)) * _UNIT_M[match.group(2)]
        if metres > 0:
            return metres
        raise ValueError(f"distance {text!r} must be greater than zero")
    raise ValueError(
        f"unknown distance {text!r}: use 5k, 10k, half-marathon or marathon, "
        "or a number with a unit such as 15k, 3000m or 10 mi"
    )


_CLOCK_PART_RE: Final = re.compile(r"\d{2}")
_CLOCK_LAST_RE: Final = re.compile(r"\d{2}(?:\.\d+)?")


def parse_duration(text: str) -> float:
    """Seconds for "48:30" (m:ss), "1:45:00" (h:mm:ss) or "19:57.5"."""
    cleaned = text.strip()
    usage = "expected m:ss or h:mm:ss, e.g. 48:30 or 1:45:00"
    if not cleaned:
        raise ValueError(f"empty duration: {usage}")
    if cleaned.startswith("-"):
        raise ValueError(f"duration {text!r} cannot be negative")
    parts = cleaned.split(":")
    if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[0].isascii():
        raise ValueError(f"bad duration {text!r}: {usage}")
    middle, last = parts[1:-1], parts[-1]
    if not all(_CLOCK_PART_RE.fullmatch(part) for part in middle) or not _CLOCK_LAST_RE.fullmatch(
        last
    ):
        raise ValueError(f"bad duration {text!r}: {usage}")
    seconds = float(last)
    minutes = [int(part) for part in middle]
    if seconds >= 60 or any(value >= 60 for value in minutes):
        raise ValueError(f"bad duration {text!r}: minutes and seconds must be below 60")
    total = float(int(parts[0]))
    for value in minutes:
        total = total * 60 + value
    return total * 60 + seconds


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _check_non_negative(seconds: float) -> None:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a non-negative number, got {seconds!r}")


def format_duration(seconds: float) -> str:
    """ "1:45:00" from 6300 s, "48:30" from 2910 s (rounded to the second)."""
    _check_non_negative(seconds)
    whole = _round_half_up(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _format_clock(seconds: float) -> str:
    _check_non_negative(seconds)
    minutes, secs = divmod(_round_half_up(seconds), 60)
    return f"{minutes}:{secs:02d}"


def format_pace(s_per_km: float, unit: str = "km") -> str:
    """ "5:06/km" from 306 s/km; pass ``unit="400m"`` with seconds per 400 m for "1:52/400m"."""
    return f"{_format_clock(s_per_km)}/{unit}"


# --- Heart rate -------------------------------------------------------------------------------

#: Zone bands as fractions of heart-rate reserve (Karvonen), used when resting HR is known.
HRR_ZONES: Final[dict[str, tuple[float, float]]] = {
    "easy": (0.59, 0.74),
    "marathon": (0.75, 0.84),
    "threshold": (0.83, 0.88),
    "interval": (0.95, 1.00),
}

#: Zone bands as fractions of HRmax (Daniels), used without a resting HR.
HRMAX_ZONES: Final[dict[str, tuple[float, float]]] = {
    "easy": (0.65, 0.79),
    "marathon": (0.80, 0.89),
    "threshold": (0.88, 0.92),
    "interval": (0.98, 1.00),
}


def estimated_max_hr(age_years: float) -> int:
    """Age-predicted maximum heart rate, ``round(208 − 0.7·age)`` (Tanaka 2001)."""
    if not math.isfinite(age_years) or not 0 < age_years < 120:
        raise ValueError(f"age must be between 0 and 120 years, got {age_years!r}")
    return _round_half_up(208 - 0.7 * age_years)


def hr_zones(max_hr: int, resting_hr: int | None = None) -> dict[str, tuple[int, int]]:
    """Heart-rate zones (low, high) in bpm: easy, marathon, threshold, interval.

    With ``resting_hr`` the bands are fractions of heart-rate reserve (Karvonen); without it,
    fractions of ``max_hr`` (Daniels). Bounds are rounded to whole beats.
    """
    if not 100 <= max_hr <= 250:
        raise ValueError(f"max_hr must be between 100 and 250 bpm, got {max_hr!r}")
    if resting_hr is None:
        return {
            zone: (_round_half_up(low * max_hr), _round_half_up(high * max_hr))
            for zone, (low, high) in HRMAX_ZONES.items()
        }
    if not 20 <= resting_hr < max_hr:
        raise ValueError(
            f"resting_hr must be at least 20 bpm and below max_hr ({max_hr}), got {resting_hr!r}"
        )
    reserve = max_hr - resting_hr
    return {
        zone: (
            _round_half_up(resting_hr + low * reserve),
            _round_half_up(resting_hr + high * reserve),
        )
        for zone, (low, high) in HRR_ZONES.items()
    }


# --- Effort -----------------------------------------------------------------------------------

#: How each run should feel (CR-10 RPE), for athletes without a recent race or heart-rate data.
EFFORT_RPE: Final[dict[str, str]] = {
    "easy": "RPE 3–4, conversational",
    "long": "RPE 3–5, conversational; steady, never a race",
    "tempo": "RPE 6–7, comfortably hard",
    "intervals": "RPE 8–9",
    "hills": "RPE 8–9 uphill, easy jog or walk down",
    "recovery": "RPE 2–3, very easy",
}
