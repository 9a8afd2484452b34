"""Training load: one currency for runs and lifts, and the numbers derived from it.

Conventions (docs/science.md §3), implemented exactly:

- **Session RPE** — Foster et al. (2001): ``load = RPE × minutes`` with RPE on the CR-10 scale.
  It is the common currency for runs and lifts; every other number here is computed from the
  daily sums of it (rest days count as 0).
- **Monotony and strain** — Foster (1998): over the 7 daily loads ending on a day,
  ``monotony = mean / SD`` with the population SD; a week with ``SD = 0`` has monotony 10 when
  its mean is > 0 and 0 when every day is 0. ``strain = weekly load × monotony``. Monotony
  above 1.5 is a warning, above 2.0 high.
- **Fitness, fatigue, form** — Banister's impulse-response model as the Performance Manager
  Chart: ``X_t = X_{t−1} + k·(load_t − X_{t−1})`` with ``k = 1 − e^(−1/N)``, N = 42 days for
  fitness (CTL) and 7 for fatigue (ATL), both seeded at 0, as GoldenCheetah and intervals.icu
  do. Form (TSB) on day t is yesterday's ``CTL_{t−1} − ATL_{t−1}`` (TrainingPeaks' and
  GoldenCheetah's default), so a hard session shows in tomorrow's form, not today's.
- **ACWR** — acute:chronic workload ratio. EWMA form (Williams et al. 2017):
  ``E_t = E_{t−1} + λ·(load_t − E_{t−1})``, ``λ = 2/(N+1)``, N = 7 (acute) and 28 (chronic),
  both seeded with the first day's load (as pandas ``ewm(adjust=False)``); ratio acute/chronic.
  Coupled rolling form: 7-day mean / 28-day mean, the 28 days including the last 7. Both are
  reported only once 28 days of data exist (``None`` before); 0/0 (no load in the chronic
  window) is reported as 0. A ratio > 1.5 is a *spike*. The ACWR–injury link is contested
  (Impellizzeri et al. 2020): a signal to look at, never a verdict.
- **Banister TRIMP** — Banister (1991), per heart-rate sample:
  ``Σ Δt_min · x · a·e^(b·x)`` with ``x = (HR − HRrest)/(HRmax − HRrest)`` clamped to [0, 1];
  men a = 0.64, b = 1.92; women a = 0.86, b = 1.67. Each sample's heart rate holds until the
  next sample. Samples further apart than :data:`MAX_SAMPLE_GAP_S` (30 s) are a pause or a
  drop-out: the interval contributes its first 30 s and nothing beyond. ``None`` heart-rate
  samples contribute nothing.
- **rTSS** — ``hours × IF² × 100`` with ``IF = normalized speed / threshold speed`` (speeds, not
  paces), so 1 h at threshold = 100. The normalized speed is the mean moving speed
  (distance / moving time). With altitude and distance streams it is grade-adjusted with
  Minetti et al. (2002)'s energy cost of running on a slope (see :func:`minetti_cost_factor`).
- **Ramp rate** — the change of CTL over 7 days.
- **Efficiency factor** — on easy runs, speed (m/min) per heartbeat (bpm): mean speed / mean
  HR. Its 3-week trend is the least-squares slope per week over the last 21 days, with the
  percent change along the fitted line.

How other tools differ (their numbers are not interchangeable with runlift's):

- TrainingPeaks: ``k = 1/N`` (``CTL_t = CTL_{t−1} + (TSS_t − CTL_{t−1})/42``), form from
  yesterday's CTL and ATL.
- intervals.icu: ``k = 1 − e^(−1/N)`` as runlift, but form from the same day's values.
- GoldenCheetah: ``k = 1 − e^(−1/N)`` and yesterday-based form: the same as runlift.
- Runalyze: ``k = 2/(N+1)`` (the EWMA "span" convention), TRIMP as the load, form from the
  same day's values; fatigue is shown by default as a percentage of the athlete's maximum.

For N = 42, ``1 − e^(−1/42)`` = 0.02353, ``1/42`` = 0.02381 and ``2/43`` = 0.04651: TrainingPeaks'
curves are a hair faster than runlift's, Runalyze's react about twice as fast. Same-day form
already counts today's session, so it reads lower than yesterday-based form after a hard day.

Everything here is pure and O(days): the full :func:`load_report` for ten years of daily data
(3,653 days) takes a few milliseconds (``benchmarks/bench_load.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, compress, repeat
from operator import attrgetter, gt, lt, mul, sub, truediv
from typing import Final, Literal

from runlift.domain.activities import CompletedActivity

# --- constants ---------------------------------------------------------------------------------

CTL_DAYS: Final = 42
ATL_DAYS: Final = 7
ACWR_ACUTE_DAYS: Final = 7
ACWR_CHRONIC_DAYS: Final = 28
ACWR_SPIKE: Final = 1.5
MONOTONY_WARN: Final = 1.5
MONOTONY_HIGH: Final = 2.0
MONOTONY_SD_ZERO: Final = 10.0  # monotony of a week with SD = 0 and mean > 0
TSB_DEEP_FATIGUE: Final = -30.0  # TSS scale; runlift judges form as % of fitness (below)
FORM_DEEP_FATIGUE_PCT: Final = -30.0  # TSB below −30 % of the day's CTL (intervals.icu "Form %")
FORM_WARM_UP_DAYS: Final = 28  # form % is only judged once fitness has had time to build
STRAIN_BASELINE_DAYS: Final = 28  # "high strain": above its mean over this many earlier days
RAMP_DAYS: Final = 7
EF_TREND_DAYS: Final = 21
MAX_SAMPLE_GAP_S: Final = 30.0  # TRIMP: longer gaps between samples are pauses

# Banister TRIMP weighting a·e^(b·x)
TRIMP_MEN: Final = (0.64, 1.92)
TRIMP_WOMEN: Final = (0.86, 1.67)

# Minetti et al. (2002): measured for grades −0.45..+0.45; 3.6 J/kg/m on the flat.
MINETTI_MAX_GRADE: Final = 0.45
GRADE_SEGMENT_M: Final = 20.0  # distance over which a grade is measured (smooths altitude noise)

# Below this fraction of the running prefix sums, a window sum is recomputed from its own
# values, so that a quiet week after years of heavy ones keeps full precision.
_CANCEL: Final = 1e-7

MonotonyLevel = Literal["ok", "warn", "high"]
FlagKind = Literal["acwr_spike", "monotony_strain", "tsb_low"]


# --- validation --------------------------------------------------------------------------------


def _check_nonnegative(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number ≥ 0, got {value!r}")


def _check_positive(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number, got {value!r}")


def _loads(daily: Iterable[float]) -> list[float]:
    """The daily loads as a list of floats; ValueError on a negative or non-finite load."""
    values = list(map(float, daily))
    # min() alone can miss a NaN; the sum does not (and a NaN or infinity makes it non-finite).
    if values and not (min(values) >= 0 and math.isfinite(sum(values))):
        bad = next((x for x in values if not math.isfinite(x) or x < 0), None)
        if bad is None:
            raise ValueError("the daily loads are too large to add up")
        raise ValueError(f"a daily load must be a finite number ≥ 0, got {bad!r}")
    return values


def _trimp_weights(sex: str) -> tuple[float, float]:
    key = sex.strip().lower()
    if key in ("male", "m"):
        return TRIMP_MEN
    if key in ("female", "f"):
        return TRIMP_WOMEN
    raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")


# --- session RPE -------------------------------------------------------------------------------


def session_rpe_load(rpe: float, minutes: float) -> float:
    """Session-RPE load (Foster 2001): CR-10 ``rpe`` × ``minutes``."""
    if not math.isfinite(rpe) or not 0 <= rpe <= 10:
        raise ValueError(f"rpe must be between 0 and 10 (CR-10), got {rpe!r}")
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"minutes must be a finite number ≥ 0, got {minutes!r}")
    return rpe * minutes


# --- Banister TRIMP ----------------------------------------------------------------------------


def _trimp_intensity(hr: float, hr_rest: float, reserve: float, a: float, b: float) -> float:
    x = (hr - hr_rest) / reserve
    x = 0.0 if x < 0 else 1.0 if x > 1 else x
    return x * a * math.exp(b * x)


def _check_hr_bounds(hr_rest: float, hr_max: float) -> None:
    _check_nonnegative(hr_rest, "hr_rest")
    _check_positive(hr_max, "hr_max")
    if hr_max <= hr_rest:
        raise ValueError(f"hr_max must be above hr_rest, got hr_max={hr_max!r} ≤ {hr_rest!r}")


def banister_trimp(
    t_s: Sequence[float],
    hr: Sequence[float | None],
    *,
    hr_rest: float,
    hr_max: float,
    sex: str,
) -> float:
    """Banister TRIMP of a heart-rate stream: ``Σ Δt_min · x · a·e^(b·x)``.

    ``t_s`` (seconds, increasing) and ``hr`` (bpm) are parallel. Sample *i* covers the interval
    up to sample *i + 1* at heart rate ``hr[i]``; the last sample covers nothing. An interval
    longer than :data:`MAX_SAMPLE_GAP_S` counts as 30 s (a pause or drop-out), a ``None``
    heart rate or a non-increasing time contributes nothing. ``sex`` is "male" or "female"
    ("m"/"f" also accepted), for Banister's weighting constants.
    """
    if len(t_s) != len(hr):
        raise ValueError(f"t_s and hr must have the same length, got {len(t_s)} and {len(hr)}")
    _check_hr_bounds(hr_rest, hr_max)
    a, b = _trimp_weights(sex)
    reserve = hr_max - hr_rest
    total = 0.0
    for i in range(len(t_s) - 1):
        h = hr[i]
        if h is None:
            continue
        dt = t_s[i + 1] - t_s[i]
        if not dt > 0:
            continue
        dt = min(dt, MAX_SAMPLE_GAP_S)
        total += dt / 60.0 * _trimp_intensity(h, hr_rest, reserve, a, b)
    return total


def trimp_from_activity(
    activity: CompletedActivity, hr_rest: float, hr_max: float, sex: str
) -> float | None:
    """TRIMP of an activity: from its heart-rate stream, else from its average heart rate.

    Without a stream that holds a heart rate, Banister's original session form is used:
    moving minutes × x·a·e^(b·x) at the average heart rate. None without any heart rate.
    """
    streams = activity.streams
    if len(streams.hr) == len(streams.t_s) and any(h is not None for h in streams.hr):
        return banister_trimp(streams.t_s, streams.hr, hr_rest=hr_rest, hr_max=hr_max, sex=sex)
    if activity.avg_hr is None:
        return None
    _check_hr_bounds(hr_rest, hr_max)
    a, b = _trimp_weights(sex)
    minutes = activity.moving_s / 60.0
    return minutes * _trimp_intensity(activity.avg_hr, hr_rest, hr_max - hr_rest, a, b)


# --- rTSS --------------------------------------------------------------------------------------


def minetti_cost_factor(grade: float) -> float:
    """Energy cost of running at ``grade`` (rise/run) relative to the flat (Minetti 2002).

    ``C(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6`` J/kg/m, divided by C(0) = 3.6;
    the grade is clamped to ±0.45, the range measured. +10 % costs 1.658×, −10 % 0.598×.
    """
    i = max(-MINETTI_MAX_GRADE, min(MINETTI_MAX_GRADE, grade))
    cost = ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
    return cost / 3.6


def grade_adjustment(
    altitude: Sequence[float | None], distance_stream: Sequence[float | None]
) -> float:
    """Distance-weighted mean Minetti cost factor over a run (1.0 on the flat or without data).

    Samples missing either value are skipped. The grade is measured over stretches of at least
    :data:`GRADE_SEGMENT_M` metres, so that altitude noise does not pass for slope; the last,
    shorter stretch counts with its own grade.
    """
    if len(altitude) != len(distance_stream):
        raise ValueError(
            "altitude and distance_stream must have the same length, "
            f"got {len(altitude)} and {len(distance_stream)}"
        )
    weighted = 0.0
    covered = 0.0
    anchor: tuple[float, float] | None = None  # (distance, altitude) where the stretch began
    last: tuple[float, float] | None = None
    for h, d in zip(altitude, distance_stream, strict=True):
        if h is None or d is None:
            continue
        last = (d, h)
        if anchor is None:
            anchor = last
            continue
        run = d - anchor[0]
        if run >= GRADE_SEGMENT_M:
            weighted += run * minetti_cost_factor((h - anchor[1]) / run)
            covered += run
            anchor = last
    if anchor is not None and last is not None and last[0] - anchor[0] > 0:
        run = last[0] - anchor[0]
        weighted += run * minetti_cost_factor((last[1] - anchor[1]) / run)
        covered += run
    return weighted / covered if covered > 0 else 1.0


def rtss(
    duration_s: float,
    distance_m: float,
    threshold_speed_mps: float,
    *,
    altitude: Sequence[float | None] | None = None,
    distance_stream: Sequence[float | None] | None = None,
) -> float:
    """Running TSS: ``hours × IF² × 100``, ``IF = speed / threshold speed``.

    ``duration_s`` is the moving time and ``distance_m`` the distance; the speed is their ratio.
    With both ``altitude`` and ``distance_stream`` (parallel, metres) the speed is multiplied by
    :func:`grade_adjustment` (Minetti 2002), so climbing counts as faster running.
    """
    _check_nonnegative(duration_s, "duration_s")
    _check_nonnegative(distance_m, "distance_m")
    _check_positive(threshold_speed_mps, "threshold_speed_mps")
    if (altitude is None) != (distance_stream is None):
        raise ValueError("altitude and distance_stream must be given together")
    if duration_s == 0:
        return 0.0
    speed = distance_m / duration_s
    if altitude is not None and distance_stream is not None:
        speed *= grade_adjustment(altitude, distance_stream)
    intensity = speed / threshold_speed_mps
    return duration_s / 3600.0 * intensity * intensity * 100.0


# --- daily loads and the per-day series --------------------------------------------------------


def daily_loads(entries: Iterable[tuple[date, float]], start: date, end: date) -> list[float]:
    """One summed load per day from ``start`` to ``end`` inclusive; 0 for rest days.

    Entries dated outside the window are ignored.
    """
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    first = start.toordinal()
    n = end.toordinal() - first + 1
    out = [0.0] * n
    for day, load in entries:
        if not 0 <= load < math.inf:  # also false for NaN
            raise ValueError(
                f"the load on {day.isoformat()} must be a finite number ≥ 0, got {load!r}"
            )
        i = day.toordinal() - first
        if 0 <= i < n:
            out[i] += load
    return out


def _ewma(daily: list[float], alpha: float, seed: float) -> list[float]:
    out: list[float] = []
    append = out.append
    x = seed
    for load in daily:
        x += alpha * (load - x)
        append(x)
    return out


def _prefix(values: list[float]) -> list[float]:
    """``p[i] = values[0] + … + values[i−1]``; a window sum is a difference of two entries.

    Over a stretch of zeros the prefix is constant, so an all-rest window sums to exactly 0.
    """
    return list(accumulate(values, initial=0.0))


@dataclass(frozen=True, slots=True)
class PmcPoint:
    """One day of the Performance Manager Chart."""

    ctl: float  # fitness: 42-day exponentially weighted load
    atl: float  # fatigue: 7-day exponentially weighted load
    tsb: float  # form: yesterday's CTL − ATL


def _pmc_columns(
    daily: list[float], ctl_days: int, atl_days: int, ctl0: float, atl0: float
) -> tuple[list[float], list[float], list[float]]:
    if ctl_days < 1 or atl_days < 1:
        raise ValueError(f"ctl_days and atl_days must be ≥ 1, got {ctl_days} and {atl_days}")
    _check_nonnegative(ctl0, "ctl0")
    _check_nonnegative(atl0, "atl0")
    if not daily:
        return [], [], []
    ctl = _ewma(daily, 1.0 - math.exp(-1.0 / ctl_days), ctl0)
    atl = _ewma(daily, 1.0 - math.exp(-1.0 / atl_days), atl0)
    tsb = list(map(sub, [ctl0, *ctl[:-1]], [atl0, *atl[:-1]]))
    return ctl, atl, tsb


def fitness_fatigue(
    daily: Sequence[float],
    *,
    ctl_days: int = CTL_DAYS,
    atl_days: int = ATL_DAYS,
    ctl0: float = 0.0,
    atl0: float = 0.0,
) -> list[PmcPoint]:
    """CTL, ATL and yesterday-based TSB for each day.

    ``k = 1 − e^(−1/N)``; CTL and ATL start from ``ctl0`` and ``atl0`` (the values of the day
    before the first), so TSB on the first day is ``ctl0 − atl0``.
    """
    ctl, atl, tsb = _pmc_columns(_loads(daily), ctl_days, atl_days, ctl0, atl0)
    return [PmcPoint(c, a, t) for c, a, t in zip(ctl, atl, tsb, strict=True)]


_ACWR_SKIP: Final = ACWR_CHRONIC_DAYS - 1  # days without a ratio


def _acwr_ewma_tail(daily: list[float]) -> list[float]:
    """EWMA ratios from day 28 (index 27) on."""
    if len(daily) <= _ACWR_SKIP:
        return []
    seed = daily[0]
    acute = _ewma(daily, 2.0 / (ACWR_ACUTE_DAYS + 1), seed)[_ACWR_SKIP:]
    chronic = _ewma(daily, 2.0 / (ACWR_CHRONIC_DAYS + 1), seed)[_ACWR_SKIP:]
    if min(chronic) > 0:  # the chronic EWMA is 0 only before the first load (and then 0/0)
        return list(map(truediv, acute, chronic))
    return [a / c if c > 0 else 0.0 for a, c in zip(acute, chronic, strict=True)]


def _acwr_rolling_tail(daily: list[float], prefix: list[float]) -> list[float]:
    """Coupled rolling ratios from day 28 (index 27) on."""
    short, long = ACWR_ACUTE_DAYS, ACWR_CHRONIC_DAYS
    if len(daily) < long:
        return []
    factor = long / short
    top = prefix[long:]  # prefix[i + 1] for i = 27, 28, …
    chronic = list(map(sub, top, prefix))
    acute = map(sub, top, prefix[long - short :])
    if min(chronic) > _CANCEL * top[-1]:  # no chronic sum is tiny against the running total
        return list(map(truediv, map(mul, acute, repeat(factor)), chronic))
    # −1 marks a chronic sum that is tiny against the running total: summed from its own days.
    ratios = [
        factor * a / c if c > _CANCEL * t else -1.0
        for a, c, t in zip(acute, chronic, top, strict=False)
    ]
    for k in compress(range(len(ratios)), map(lt, ratios, repeat(0.0))):
        c = math.fsum(daily[k : k + long])
        a = math.fsum(daily[k + long - short : k + long])
        ratios[k] = factor * a / c if c > 0 else 0.0
    return ratios


def _with_warm_up(tail: list[float], n: int, skip: int) -> list[float | None]:
    out: list[float | None] = [None] * min(skip, n)
    out.extend(tail)
    return out


def acwr_ewma(daily: Sequence[float]) -> list[float | None]:
    """EWMA acute:chronic ratio per day (Williams 2017); None for the first 27 days."""
    values = _loads(daily)
    return _with_warm_up(_acwr_ewma_tail(values), len(values), _ACWR_SKIP)


def acwr_rolling(daily: Sequence[float]) -> list[float | None]:
    """Coupled rolling ratio per day: 7-day mean / 28-day mean; None for the first 27 days."""
    values = _loads(daily)
    return _with_warm_up(_acwr_rolling_tail(values, _prefix(values)), len(values), _ACWR_SKIP)


@dataclass(frozen=True, slots=True)
class MonotonyPoint:
    """Foster's monotony and strain for the 7 days ending on one day."""

    weekly_load: float
    mean: float
    sd: float  # population SD
    monotony: float
    strain: float

    @property
    def level(self) -> MonotonyLevel:
        """High above 2.0, warn above 1.5, else ok."""
        if self.monotony > MONOTONY_HIGH:
            return "high"
        return "warn" if self.monotony > MONOTONY_WARN else "ok"


_WEEK: Final = 7


def _monotony_tail(
    daily: list[float], prefix: list[float]
) -> tuple[list[float], list[float], list[float]]:
    """Weekly load ``S``, ``√(7 · spread)`` (= 7 × the SD) and monotony for each full 7-day
    window, from day 7 (index 6) on; spread is ``Σx² − S²/7``, 7 × the population variance.

    Sums come from prefix sums, O(1) a day, and monotony = mean / SD = ``S / √(7 · spread)``.
    Where the spread is tiny against the running sum of squares (a near-constant or empty week,
    where that difference loses its digits) the week is summed again from its own days in two
    passes, and a constant week has SD exactly 0.
    """
    w = _WEEK
    if len(daily) < w:
        return [], [], []
    sqrt = math.sqrt
    sq_prefix = list(accumulate(map(mul, daily, daily), initial=0.0))
    sums = list(map(sub, prefix[w:], prefix))
    scaled_sd = [
        sqrt(w * v) if (v := (q1 - q0) - s * s / w) > _CANCEL * q1 else -1.0  # −1: sum again
        for s, q1, q0 in zip(sums, sq_prefix[w:], sq_prefix, strict=False)
    ]
    flat: list[int] = []  # weeks with SD = 0
    for j in compress(range(len(scaled_sd)), map(lt, scaled_sd, repeat(0.0))):
        if sums[j] == 0:  # a week of rest: exactly 0 from the prefix sums
            scaled_sd[j] = 0.0
            flat.append(j)
            continue
        week = daily[j : j + w]
        sums[j] = math.fsum(week)
        if max(week) == min(week):
            scaled_sd[j] = 0.0
            flat.append(j)
        else:
            mean = sums[j] / w
            scaled_sd[j] = sqrt(w * math.fsum((x - mean) * (x - mean) for x in week))
            if scaled_sd[j] == 0:  # differences too small for a float (subnormal loads)
                flat.append(j)
    if not flat:
        return sums, scaled_sd, list(map(truediv, sums, scaled_sd))
    divisors = scaled_sd.copy()
    for j in flat:
        divisors[j] = 1.0
    monotony = list(map(truediv, sums, divisors))
    for j in flat:
        monotony[j] = MONOTONY_SD_ZERO if sums[j] > 0 else 0.0
    return sums, scaled_sd, monotony


def monotony_strain(daily: Sequence[float]) -> list[MonotonyPoint | None]:
    """Monotony and strain for each day that ends a full 7-day window (None for days 1–6)."""
    values = _loads(daily)
    weekly, scaled_sd, monotony = _monotony_tail(values, _prefix(values))
    w = _WEEK
    out: list[MonotonyPoint | None] = [None] * min(w - 1, len(values))
    out.extend(
        MonotonyPoint(s, s / w, d / w, mo, s * mo)
        for s, d, mo in zip(weekly, scaled_sd, monotony, strict=True)
    )
    return out


def ramp_rate(ctl: Sequence[float], days: int = RAMP_DAYS) -> list[float | None]:
    """``CTL_t − CTL_{t−days}`` per day; None for the first ``days`` days."""
    if days < 1:
        raise ValueError(f"days must be ≥ 1, got {days}")
    values = list(ctl)
    out: list[float | None] = [None] * min(days, len(values))
    out.extend(map(sub, values[days:], values))
    return out


# --- efficiency factor -------------------------------------------------------------------------


def efficiency_factor(speed_mps: float, hr_bpm: float) -> float:
    """Speed in m/min per heartbeat: ``speed_mps × 60 / hr_bpm`` (e.g. 3 m/s at 150 → 1.2)."""
    _check_nonnegative(speed_mps, "speed_mps")
    _check_positive(hr_bpm, "hr_bpm")
    return speed_mps * 60.0 / hr_bpm


@dataclass(frozen=True, slots=True)
class Trend:
    """Least-squares trend of the efficiency factor over a window of days."""

    slope_per_week: float  # EF units per week
    percent_change: float | None  # along the fitted line, first to last run; None if not > 0
    n: int  # runs in the window


def efficiency_trend(
    points: Sequence[tuple[date, float]],
    end: date,
    days: int = EF_TREND_DAYS,
    *,
    min_points: int = 3,
) -> Trend | None:
    """Trend of (date, EF) points dated ``end − (days − 1)`` … ``end``.

    The slope is fitted by least squares against the day and given per week; the percent
    change compares the fitted line at the last run's date with it at the first run's date.
    None with fewer than ``min_points`` runs or fewer than two distinct dates.
    """
    if days < 1:
        raise ValueError(f"days must be ≥ 1, got {days}")
    first = end - timedelta(days=days - 1)
    window = [(float((d - first).days), ef) for d, ef in points if first <= d <= end]
    n = len(window)
    if n < max(2, min_points):
        return None
    mean_x = math.fsum(x for x, _ in window) / n
    mean_y = math.fsum(y for _, y in window) / n
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in window)
    if sxx == 0:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in window)
    slope = sxy / sxx  # per day
    x_first = min(x for x, _ in window)
    x_last = max(x for x, _ in window)
    fit_first = mean_y + slope * (x_first - mean_x)
    fit_last = mean_y + slope * (x_last - mean_x)
    percent = 100.0 * (fit_last - fit_first) / fit_first if fit_first > 0 else None
    return Trend(slope_per_week=slope * 7.0, percent_change=percent, n=n)


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadDay:
    """One day's row of a :class:`LoadSeries`."""

    date: date
    load: float
    ctl: float
    atl: float
    tsb: float
    acwr_ewma: float | None
    acwr_rolling: float | None
    monotony: float | None
    strain: float | None
    ramp: float | None


@dataclass(frozen=True, slots=True)
class LoadSeries:
    """Per-day numbers from ``start``, stored by column; index or iterate it for
    :class:`LoadDay` rows, built on demand."""

    start: date
    load: tuple[float, ...]
    ctl: tuple[float, ...]
    atl: tuple[float, ...]
    tsb: tuple[float, ...]
    acwr_ewma: tuple[float | None, ...]
    acwr_rolling: tuple[float | None, ...]
    monotony: tuple[float | None, ...]
    strain: tuple[float | None, ...]
    ramp: tuple[float | None, ...]

    def __len__(self) -> int:
        return len(self.load)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.load) - 1)

    def date_of(self, i: int) -> date:
        return self.start + timedelta(days=i)

    def index_of(self, day: date) -> int:
        i = (day - self.start).days
        if not 0 <= i < len(self.load):
            raise KeyError(f"{day.isoformat()} is outside the series")
        return i

    def __getitem__(self, i: int) -> LoadDay:
        if i < 0:
            i += len(self.load)
        if not 0 <= i < len(self.load):
            raise IndexError(f"day index {i} out of range")
        return LoadDay(
            self.date_of(i),
            self.load[i],
            self.ctl[i],
            self.atl[i],
            self.tsb[i],
            self.acwr_ewma[i],
            self.acwr_rolling[i],
            self.monotony[i],
            self.strain[i],
            self.ramp[i],
        )

    def __iter__(self) -> Iterator[LoadDay]:
        return (self[i] for i in range(len(self.load)))

    def at(self, day: date) -> LoadDay:
        return self[self.index_of(day)]


@dataclass(frozen=True, slots=True)
class LoadFlag:
    """A rule that held on every day from ``start`` to ``end`` (inclusive).

    ``peak`` is the most extreme value over those days (highest ACWR or monotony, lowest TSB);
    ``message`` names the rule and its source.
    """

    kind: FlagKind
    start: date
    end: date
    peak: float
    threshold: float
    message: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class LoadReport:
    series: LoadSeries
    flags: tuple[LoadFlag, ...]  # by start date, then kind

    def flags_on(self, day: date) -> tuple[LoadFlag, ...]:
        return tuple(flag for flag in self.flags if flag.covers(day))


def _daily_from(
    daily: Mapping[date, float] | Sequence[float], start: date, end: date | None
) -> list[float]:
    if isinstance(daily, Mapping):
        return daily_loads(daily.items(), start, max(daily, default=start) if end is None else end)
    values = _loads(daily)
    if end is None:
        if not values:
            raise ValueError("no daily loads given")
        return values
    expected = (end - start).days + 1
    if expected < 1:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    if len(values) != expected:
        raise ValueError(
            f"{len(values)} daily loads given for {expected} days "
            f"({start.isoformat()} to {end.isoformat()})"
        )
    return values


def _runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Increasing indices grouped into runs of consecutive ones, as (first, last)."""
    runs: list[tuple[int, int]] = []
    first = last = -2
    for i in indices:
        if i != last + 1:
            if last >= 0:
                runs.append((first, last))
            first = i
        last = i
    if last >= 0:
        runs.append((first, last))
    return runs


def _acwr_flags(start: date, ewma: list[float], rolling: list[float]) -> list[LoadFlag]:
    origin = start.toordinal() + _ACWR_SKIP
    spike = ACWR_SPIKE
    spiking = [a > spike or r > spike for a, r in zip(ewma, rolling, strict=True)]
    flags = []
    for first, last in _runs(compress(range(len(spiking)), spiking)):
        top_ewma = max(ewma[first : last + 1])
        top_rolling = max(rolling[first : last + 1])
        message = (
            f"load spike: acute:chronic workload ratio above {spike} (up to {top_ewma:.2f} "
            f"EWMA, {top_rolling:.2f} rolling; 7 vs 28 days, Williams 2017). Its link to "
            "injury is contested (Impellizzeri 2020): a signal to look at, not a verdict."
        )
        flags.append(
            LoadFlag(
                "acwr_spike",
                date.fromordinal(origin + first),
                date.fromordinal(origin + last),
                max(top_ewma, top_rolling),
                spike,
                message,
            )
        )
    return flags


def _monotony_flags(start: date, strains: list[float], monotony: list[float]) -> list[LoadFlag]:
    candidates = list(compress(range(len(monotony)), map(gt, monotony, repeat(MONOTONY_HIGH))))
    if not candidates:
        return []
    origin = start.toordinal() + _WEEK - 1
    strain_prefix = _prefix(strains)
    baselines: dict[int, float] = {}
    for j in candidates:
        lo = max(0, j - STRAIN_BASELINE_DAYS)
        if j - lo >= _WEEK:  # at least a week of earlier strain values to compare with
            baseline = (strain_prefix[j] - strain_prefix[lo]) / (j - lo)
            if strains[j] > baseline:
                baselines[j] = baseline
    flags = []
    for first, last in _runs(baselines):
        days = range(first, last + 1)
        peak = max(monotony[j] for j in days)
        worst = max(days, key=lambda j: strains[j] - baselines[j])
        message = (
            f"monotonous, heavy training: monotony up to {peak:.2f} (> {MONOTONY_HIGH}) with "
            f"strain above its mean of the previous {STRAIN_BASELINE_DAYS} days (up to "
            f"{strains[worst]:.0f} against {baselines[worst]:.0f}). Foster 1998: illness "
            "followed weeks of high monotony and high strain."
        )
        flags.append(
            LoadFlag(
                "monotony_strain",
                date.fromordinal(origin + first),
                date.fromordinal(origin + last),
                peak,
                MONOTONY_HIGH,
                message,
            )
        )
    return flags


def _tsb_flags(
    start: date, tsb: list[float], ctl: list[float], ctl0: float, floor_pct: float
) -> list[LoadFlag]:
    """Days whose form (TSB = yesterday's CTL − ATL) is below ``floor_pct`` % of yesterday's
    CTL. "TSB < −30" (science §4) is on the TSS scale (1 h at threshold = 100); a session-RPE hour
    at threshold scores ~420, so runlift judges form as a share of fitness instead
    (intervals.icu's Form %, where −30 % starts its high-risk zone), which holds on any scale.
    Not judged in the first 28 days, while fitness is still near zero."""
    if not tsb:
        return []
    fitness = [ctl0, *ctl[:-1]]  # yesterday's CTL, the base of each day's TSB
    share = floor_pct / 100
    low_days = [
        i
        for i in range(FORM_WARM_UP_DAYS, len(tsb))
        if fitness[i] > 0 and tsb[i] < share * fitness[i]
    ]
    if not low_days:
        return []
    origin = start.toordinal()
    message = (
        f"deep fatigue: form (TSB) below {floor_pct:g} % of fitness (CTL) — the Performance "
        "Manager Chart's high-risk zone for overreaching (Coggan: TSB < −30 on the TSS scale; "
        "as a share of fitness, as intervals.icu shows it)."
    )
    flags = []
    for first, last in _runs(low_days):
        low = min(tsb[first : last + 1])
        a, b = date.fromordinal(origin + first), date.fromordinal(origin + last)
        flags.append(LoadFlag("tsb_low", a, b, low, share * fitness[first], message))
    return flags


def load_report(
    daily: Mapping[date, float] | Sequence[float],
    start: date,
    end: date | None = None,
    *,
    ctl0: float = 0.0,
    atl0: float = 0.0,
    form_floor_pct: float = FORM_DEEP_FATIGUE_PCT,
) -> LoadReport:
    """Every per-day number and the flags, from ``start`` to ``end`` inclusive.

    ``daily`` is either a mapping date → load (missing days are rest days, dates outside the
    window are ignored, ``end`` defaults to the last date) or one load per day from ``start``
    (``end`` defaults to the last one and must match the length when given). Loads before
    ``start`` are not seen: CTL and ATL start from ``ctl0`` and ``atl0``.

    A flag covers a stretch of consecutive days on which its rule held:

    - ``acwr_spike``: EWMA or rolling ACWR > 1.5 (Williams 2017; contested, Impellizzeri 2020);
    - ``monotony_strain``: monotony > 2.0 and that day's strain above the mean strain of the
      previous 28 days, with at least 7 of them (Foster 1998 judged strain against the
      athlete's own; there is no universal cut-off);
    - ``tsb_low``: TSB below ``form_floor_pct`` % (−30 by default) of yesterday's CTL, after
      28 days (Coggan's −30 is on the TSS scale; see ``_tsb_flags``).
    """
    values = _daily_from(daily, start, end)
    n = len(values)
    prefix = _prefix(values)
    ctl, atl, tsb = _pmc_columns(values, CTL_DAYS, ATL_DAYS, ctl0, atl0)
    ewma = _acwr_ewma_tail(values)
    rolling = _acwr_rolling_tail(values, prefix)
    weekly, _, monotony = _monotony_tail(values, prefix)
    strains = list(map(mul, weekly, monotony))
    week_lead: list[None] = [None] * min(_WEEK - 1, n)
    acwr_lead: list[None] = [None] * min(_ACWR_SKIP, n)
    series = LoadSeries(
        start=start,
        load=tuple(values),
        ctl=tuple(ctl),
        atl=tuple(atl),
        tsb=tuple(tsb),
        acwr_ewma=(*acwr_lead, *ewma),
        acwr_rolling=(*acwr_lead, *rolling),
        monotony=(*week_lead, *monotony),
        strain=(*week_lead, *strains),
        ramp=tuple(ramp_rate(ctl)),
    )
    flags = [
        *_acwr_flags(start, ewma, rolling),
        *_monotony_flags(start, strains, monotony),
        *_tsb_flags(start, tsb, ctl, ctl0, form_floor_pct),
    ]
    flags.sort(key=attrgetter("start"))  # stable: on the same day, in the order above
    return LoadReport(series, tuple(flags))
