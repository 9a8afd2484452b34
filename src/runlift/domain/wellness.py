"""Daily check-ins and the overtraining watch: signals, findings and a daily status.

Heuristics shown as guidance, never as a diagnosis (docs/science.md §1 R11, §4). Every finding names
its rule, the threshold, the data behind it and its source. The rules, each judged on one day
from the check-ins dated on or before it (``docs/overtraining-watch.md`` explains them):

============================  ==================================================================
rule id                       fires when (level)
============================  ==================================================================
``sleep-short``               sleep < 7 h on ≥ 3 of the last 5 days' check-ins (amber; R8)
``<item>-below-baseline``     an item's z-score against the previous 28 days < −1, with ≥ 7
                              baseline values, sample SD; SD = 0: ≥ 1 point below the constant
                              baseline (amber; red for each when ≥ 3 items fire; McLean 2010)
``soreness-lingering``        soreness ≤ 2 on ≥ 3 consecutive days up to today (amber; R11)
``mood-trend-down``,          least-squares slope over the last 14 days < −0.1 points/day with
``motivation-trend-down``     ≥ 7 values (amber; R11)
``illness``, ``injury``       the latest check-in of the last 7 days says ill / injured (red)
``resting-hr-high``           resting HR > 5 bpm above the mean of the 7 days before it, on ≥ 2
                              consecutive days up to today (amber; §4)
``hrv-low``                   7-day mean ln rMSSD (≥ 4 values) below the mean − 0.5 SD of the
                              28 days before those 7 (≥ 14 values, sample SD) (amber; Plews
                              2012, Vesterinen 2016)
``acwr-spike``                the load report's ``acwr_spike`` flag covers the day (amber; red
                              when the day's EWMA or rolling ACWR > 2.0)
``monotony-strain``           the load report's ``monotony_strain`` flag (amber; Foster 1998)
``tsb-low``                   the load report's ``tsb_low`` flag: form below −30 % of fitness
                              (amber)
``performance-decline``       easy-run efficiency factor down ≥ 3 % over 21 days (≥ 4 runs)
                              while load rises (amber; red with ≥ 2 other findings; R11, §4)
============================  ==================================================================

The day's level (:func:`status_level`): **red** if any finding is red or there are 3 or more
findings; **amber** with 1 or 2 (amber) findings; **green** with none.

:func:`assess_range` judges a stretch of days in one pass: every baseline is a difference of
prefix sums, so a day costs O(1) however long the history; :func:`assess_day` is the same for
one day. Item, resting-HR and HRV sums are kept in integers (ln rMSSD in millionths), so a
constant baseline has an SD of exactly 0 and no threshold flips on rounding noise.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import accumulate
from operator import mul, sub
from typing import Final

from runlift.domain.load import FORM_DEEP_FATIGUE_PCT, LoadFlag, LoadReport, efficiency_trend


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One athlete's check-in for one day. Items rated 1–5, 5 = best (McLean 2010):
    for fatigue and soreness 5 means fresh / not sore; for stress 5 means relaxed."""

    day: date
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    fatigue: int | None = None
    soreness: int | None = None
    stress: int | None = None
    mood: int | None = None
    motivation: int | None = None
    ill: bool = False
    injured: bool = False
    note: str = ""
    resting_hr: int | None = None
    hrv_rmssd_ms: float | None = None
    mass_kg: float | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One signal that fired: ``rule`` is a stable id (e.g. "sleep-short", "acwr-spike")."""

    rule: str
    level: Level
    message: str
    evidence: dict[str, object] = field(default_factory=dict)
    source: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "message": self.message,
            "evidence": dict(self.evidence),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class DayStatus:
    """The athlete's status on ``day``: see :func:`status_level` (green if no findings)."""

    day: date
    level: Level
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "level": self.level.value,
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids of the findings, in order."""
        return tuple(finding.rule for finding in self.findings)


# --- thresholds --------------------------------------------------------------------------------

ITEMS: Final = ("sleep_quality", "fatigue", "soreness", "stress", "mood", "motivation")
ITEM_MIN: Final = 1
ITEM_MAX: Final = 5

SLEEP_TARGET_H: Final = 7.0  # R8: 7–9 h
SLEEP_WINDOW_DAYS: Final = 5
SLEEP_SHORT_NIGHTS: Final = 3

BASELINE_DAYS: Final = 28
BASELINE_MIN_VALUES: Final = 7
Z_FLAG: Final = -1.0
ITEMS_FOR_RED: Final = 3  # this many items below baseline on one day make each of them red

SORE_AT_MOST: Final = 2  # soreness 1–2 of 5 = sore
SORE_DAYS: Final = 3  # "lingering beyond 2 days"

TREND_DAYS: Final = 14
TREND_MIN_VALUES: Final = 7
TREND_SLOPE_PER_DAY: Final = -0.1
TREND_ITEMS: Final = ("mood", "motivation")

SICK_CARRY_DAYS: Final = 7  # an ill/injured check-in holds until a newer one, for at most 7 days

RHR_BASELINE_DAYS: Final = 7
RHR_MIN_BASELINE: Final = 4
RHR_RISE_BPM: Final = 5
RHR_DAYS: Final = 2

HRV_WINDOW_DAYS: Final = 7
HRV_MIN_WINDOW: Final = 4
HRV_BASELINE_DAYS: Final = 28
HRV_MIN_BASELINE: Final = 14
HRV_BAND_SD: Final = 0.5
_HRV_SCALE: Final = 1_000_000  # ln rMSSD is summed in millionths, as integers

ACWR_RED: Final = 2.0

EF_DAYS: Final = 21
EF_MIN_POINTS: Final = 4
EF_DROP_PCT: Final = -3.0
LOAD_RISE_DAYS: Final = 21
LOAD_RISE_FACTOR: Final = 1.05  # "load rises": at least 5 % more than 21 days before
PERFORMANCE_RED_OTHERS: Final = 2

AMBER_FOR_RED: Final = 3  # this many findings on one day make the day red

# Ranges accepted by validate_checkin: (low, high, unit shown in the message)
SLEEP_HOURS_RANGE: Final = (0.0, 16.0)
RESTING_HR_RANGE: Final = (25, 150)
HRV_RANGE: Final = (1.0, 300.0)
MASS_RANGE: Final = (25.0, 250.0)

# How far before the first judged day the dense columns reach: the HRV baseline ends 7 days
# back and spans 28 more, so 34 days; every other window is shorter.
_LOOKBACK: Final = HRV_BASELINE_DAYS + HRV_WINDOW_DAYS - 1

_SRC_R8: Final = "docs/science.md R8 (sleep target 7–9 h)"
_SRC_ITEMS: Final = "docs/science.md §4; McLean et al. 2010"
_SRC_R11: Final = "docs/science.md R11"
_SRC_RHR: Final = "docs/science.md §4"
_SRC_HRV: Final = "docs/science.md §4; Plews et al. 2012; Vesterinen et al. 2016"
_SRC_ACWR: Final = (
    "docs/science.md §3–4; Williams et al. 2017 (contested: Impellizzeri et al. 2020)"
)
_SRC_MONOTONY: Final = "docs/science.md §4; Foster 1998"
_SRC_TSB: Final = "docs/science.md §4; Coggan's Performance Manager Chart (form as % of fitness)"
_SRC_PERFORMANCE: Final = "docs/science.md R11, §4"

_R11_RESPONSE: Final = (
    "an extra rest day, lower intensity, or a hard session replaced by easy cross-training "
    "or mobility"
)

_LABELS: Final = {
    "sleep_quality": "sleep quality",
    "fatigue": "fatigue (5 = fresh)",
    "soreness": "soreness (5 = not sore)",
    "stress": "stress (5 = relaxed)",
    "mood": "mood",
    "motivation": "motivation",
}

_RANK: Final = {Level.GREEN: 0, Level.AMBER: 1, Level.RED: 2}


def item_rule(item: str) -> str:
    """The rule id of an item's below-baseline finding, e.g. "sleep-quality-below-baseline"."""
    return f"{item.replace('_', '-')}-below-baseline"


_ITEM_RULES: Final = {item: item_rule(item) for item in ITEMS}


def level_rank(level: Level) -> int:
    """0 for green, 1 for amber, 2 for red: ``max(..., key=level_rank)`` is the worst."""
    return _RANK[level]


def status_level(findings: Sequence[Finding]) -> Level:
    """The day's level: red if any finding is red or there are ≥ 3 findings, amber with 1–2
    (amber) findings, green with none. Adding a finding never lowers it."""
    if not findings:
        return Level.GREEN
    if len(findings) >= AMBER_FOR_RED or any(f.level is Level.RED for f in findings):
        return Level.RED
    return Level.AMBER


# --- validation --------------------------------------------------------------------------------


def _in_range(value: float, low: float, high: float) -> bool:
    return low <= value <= high  # False for NaN


def validate_checkin(checkin: CheckIn) -> None:
    """ValueError naming the first impossible value, e.g. "fatigue must be 1–5, got 7".

    Items are whole numbers 1–5; sleep_hours 0–16; resting_hr a whole number 25–150 bpm;
    hrv_rmssd_ms 1–300 ms; mass_kg 25–250 kg. None means "not reported" and is always valid.
    """
    c = checkin
    items = (c.sleep_quality, c.fatigue, c.soreness, c.stress, c.mood, c.motivation)
    for name, v in zip(ITEMS, items, strict=True):
        if v is None or (type(v) is int and ITEM_MIN <= v <= ITEM_MAX):
            continue
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"{name} must be a whole number 1–5, got {v!r}")
        if not ITEM_MIN <= v <= ITEM_MAX:
            raise ValueError(f"{name} must be 1–5, got {v!r}")
    hours = checkin.sleep_hours
    if hours is not None and not _in_range(hours, *SLEEP_HOURS_RANGE):
        raise ValueError(f"sleep_hours must be 0–16 h, got {hours!r}")
    hr = checkin.resting_hr
    if hr is not None:
        if isinstance(hr, bool) or not isinstance(hr, int):
            raise ValueError(f"resting_hr must be a whole number 25–150 bpm, got {hr!r}")
        if not _in_range(hr, *RESTING_HR_RANGE):
            raise ValueError(f"resting_hr must be 25–150 bpm, got {hr!r}")
    hrv = checkin.hrv_rmssd_ms
    if hrv is not None and not _in_range(hrv, *HRV_RANGE):
        raise ValueError(f"hrv_rmssd_ms must be 1–300 ms, got {hrv!r}")
    mass = checkin.mass_kg
    if mass is not None and not _in_range(mass, *MASS_RANGE):
        raise ValueError(f"mass_kg must be 25–250 kg, got {mass!r}")


# --- the timeline: check-ins as dense columns --------------------------------------------------


def _r(x: float, digits: int = 3) -> float:
    return round(x, digits)


def _prefix_int(values: Iterable[int]) -> list[int]:
    return list(accumulate(values, initial=0))


def _sums(values: Sequence[int | None]) -> tuple[list[int], list[int], list[int]]:
    """Prefix sums of the count, the values and their squares (None counts as absent):
    the sum over days ``lo … hi − 1`` is ``p[hi] − p[lo]``."""
    present = [v is not None for v in values]
    filled = [0 if v is None else v for v in values]
    return (
        _prefix_int(present),
        _prefix_int(filled),
        _prefix_int(map(mul, filled, filled)),
    )


@dataclass(slots=True)
class _Timeline:
    """Check-ins on dense day indices ``0 … n−1`` from ``origin``; days ``first … n−1`` are
    judged. ``by_ordinal`` holds every check-in up to the last day, older ones included."""

    origin: int  # ordinal of index 0
    n: int
    first: int  # index of the first judged day
    days: list[CheckIn | None]
    by_ordinal: dict[int, CheckIn]

    def day(self, i: int) -> date:
        return date.fromordinal(self.origin + i)

    def column(self, name: str) -> list[int | None]:
        return [None if c is None else getattr(c, name) for c in self.days]


def _timeline(start: date, end: date, checkins: Iterable[CheckIn]) -> _Timeline:
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    origin = start.toordinal() - _LOOKBACK
    last = end.toordinal()
    n = last - origin + 1
    by_ordinal: dict[int, CheckIn] = {}
    for checkin in checkins:
        k = checkin.day.toordinal()
        if k > last:
            continue  # after the last judged day: not seen
        if k in by_ordinal:
            raise ValueError(f"two check-ins for {checkin.day.isoformat()}")
        validate_checkin(checkin)
        by_ordinal[k] = checkin
    days: list[CheckIn | None] = [None] * n
    for k, checkin in by_ordinal.items():
        if k >= origin:
            days[k - origin] = checkin
    return _Timeline(origin, n, _LOOKBACK, days, by_ordinal)


# --- the rules ---------------------------------------------------------------------------------

_Found = dict[int, list[Finding]]  # day index → findings, in rule order


def _add(found: _Found, i: int, finding: Finding) -> None:
    found.setdefault(i, []).append(finding)


def _sleep_short(t: _Timeline, found: _Found) -> None:
    hours = [None if c is None else c.sleep_hours for c in t.days]
    short = _prefix_int(h is not None and h < SLEEP_TARGET_H for h in hours)
    w = SLEEP_WINDOW_DAYS
    for i in range(t.first, t.n):
        count = short[i + 1] - short[i + 1 - w]
        if count < SLEEP_SHORT_NIGHTS:
            continue
        nights = {t.day(j).isoformat(): hours[j] for j in range(i + 1 - w, i + 1)}
        shown = ", ".join(f"{h:g} h" for h in nights.values() if h is not None)
        _add(
            found,
            i,
            Finding(
                "sleep-short",
                Level.AMBER,
                f"short sleep: under {SLEEP_TARGET_H:g} h on {count} of the last {w} nights "
                f"({shown}); the target is 7–9 h a night.",
                {
                    "short_nights": count,
                    "nights": w,
                    "threshold_h": SLEEP_TARGET_H,
                    "sleep_hours": nights,
                },
                _SRC_R8,
            ),
        )


def _item_finding(item: str, today: int, nb: int, sb: int, qb: int, red: bool) -> Finding:
    mean = sb / nb
    spread = nb * qb - sb * sb  # nb² × population variance, exact
    label = _LABELS[item]
    if spread == 0:
        sd, z = 0.0, None
        message = (
            f"{label} {today} is at least 1 point below your constant {BASELINE_DAYS}-day "
            f"baseline of {mean:g}."
        )
    else:
        sd = math.sqrt(spread / (nb * (nb - 1)))
        z = round((today - mean) / sd, 2)
        message = (
            f"{label} {today} is below your own {BASELINE_DAYS}-day baseline "
            f"(mean {mean:.2f}, SD {sd:.2f}, z = {z:.2f} < {Z_FLAG:g})."
        )
    evidence: dict[str, object] = {
        "item": item,
        "today": today,
        "baseline_mean": round(mean, 3),
        "baseline_sd": round(sd, 3),
        "z": z,  # None when the baseline is constant (SD = 0)
        "threshold_z": Z_FLAG,
        "baseline_values": nb,
        "baseline_days": BASELINE_DAYS,
    }
    if red:
        message += f" {ITEMS_FOR_RED} or more items are below baseline today."
    return Finding(
        _ITEM_RULES[item], Level.RED if red else Level.AMBER, message, evidence, _SRC_ITEMS
    )


def _below_baseline(t: _Timeline, found: _Found) -> None:
    """z = (today − mean) / sample SD of the previous 28 days, in exact integers:
    ``z < −1 ⇔ d > 0 and d²(n−1) > n·spread`` with ``d = Σ − n·today``, spread = nΣx² − (Σx)²."""
    hits: dict[int, list[tuple[str, int, int, int, int]]] = {}
    b = BASELINE_DAYS
    for item in ITEMS:
        values = t.column(item)
        count, total, squares = _sums(values)
        f, n = t.first, t.n
        nbs = map(sub, count[f:n], count[f - b : n - b])  # baseline values, days i−28 … i−1
        sbs = map(sub, total[f:n], total[f - b : n - b])
        for i, today, nb, sb in zip(range(f, n), values[f:], nbs, sbs, strict=True):
            if today is None or nb < BASELINE_MIN_VALUES:
                continue
            d = sb - today * nb  # nb × (mean − today)
            if d <= 0:
                continue
            qb = squares[i] - squares[i - b]
            spread = nb * qb - sb * sb
            if (d >= nb) if spread == 0 else (d * d * (nb - 1) > nb * spread):
                hits.setdefault(i, []).append((item, today, nb, sb, qb))
    for i in sorted(hits):
        day_hits = hits[i]
        red = len(day_hits) >= ITEMS_FOR_RED
        for item, today, nb, sb, qb in day_hits:
            _add(found, i, _item_finding(item, today, nb, sb, qb, red))


def _streak_before(first_ordinal: int, holds: dict[int, bool]) -> int:
    """Consecutive days ending the day before ``first_ordinal`` on which ``holds`` is true."""
    k = first_ordinal - 1
    while holds.get(k, False):
        k -= 1
    return first_ordinal - 1 - k


def _soreness_lingering(t: _Timeline, found: _Found) -> None:
    sore = [c is not None and c.soreness is not None and c.soreness <= SORE_AT_MOST for c in t.days]
    before = {
        k: c.soreness is not None and c.soreness <= SORE_AT_MOST for k, c in t.by_ordinal.items()
    }
    streak = _streak_before(t.origin, before)
    for i in range(t.n):
        streak = streak + 1 if sore[i] else 0
        if i < t.first or streak < SORE_DAYS:
            continue
        values = [c.soreness for c in t.days[i - SORE_DAYS + 1 : i + 1] if c is not None]
        _add(
            found,
            i,
            Finding(
                "soreness-lingering",
                Level.AMBER,
                f"soreness lingering beyond 2 days: sore (≤ {SORE_AT_MOST} of 5) on {streak} "
                f"days in a row. Consider {_R11_RESPONSE}.",
                {
                    "consecutive_days": streak,
                    "threshold_days": SORE_DAYS,
                    "soreness_max": SORE_AT_MOST,
                    "last_values": values,
                },
                _SRC_R11,
            ),
        )


def _trend_down(t: _Timeline, found: _Found) -> None:
    """Least-squares slope against the day over the last 14 days, from exact integer sums:
    slope = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²) < −0.1 ⇔ 10·num < −den (den > 0)."""
    w = TREND_DAYS
    for item in TREND_ITEMS:
        values = t.column(item)
        count, sy, _ = _sums(values)
        xs = [x if v is not None else None for x, v in enumerate(values)]
        _, sx, sxx = _sums(xs)
        sxy = _prefix_int([0 if v is None else x * v for x, v in enumerate(values)])
        for i in range(t.first, t.n):
            lo, hi = i + 1 - w, i + 1
            n = count[hi] - count[lo]
            if n < TREND_MIN_VALUES:
                continue
            y, x = sy[hi] - sy[lo], sx[hi] - sx[lo]
            num = n * (sxy[hi] - sxy[lo]) - x * y
            den = n * (sxx[hi] - sxx[lo]) - x * x
            if not 10 * num < -den:  # TREND_SLOPE_PER_DAY = −1/10
                continue
            slope = num / den
            _add(
                found,
                i,
                Finding(
                    f"{item}-trend-down",
                    Level.AMBER,
                    f"{item} trending down: {slope:+.2f} points a day over the last {w} days "
                    f"({n} check-ins; flagged below {TREND_SLOPE_PER_DAY:g}). Consider "
                    f"{_R11_RESPONSE}.",
                    {
                        "item": item,
                        "slope_per_day": _r(slope),
                        "threshold_per_day": TREND_SLOPE_PER_DAY,
                        "values": n,
                        "days": w,
                    },
                    _SRC_R11,
                ),
            )


def _ill_or_injured(t: _Timeline, found: _Found) -> None:
    latest = -1  # index of the latest check-in so far (the columns start 34 days back)
    for i in range(t.n):
        if t.days[i] is not None:
            latest = i
        if i < t.first or latest < 0 or i - latest >= SICK_CARRY_DAYS:
            continue
        checkin = t.days[latest]
        assert checkin is not None
        evidence: dict[str, object] = {"reported_on": checkin.day.isoformat()}
        if checkin.note:
            evidence["note"] = checkin.note
        if checkin.ill:
            _add(
                found,
                i,
                Finding(
                    "illness",
                    Level.RED,
                    "illness: rest until a green check-in.",
                    {**evidence, "ill": True},
                    _SRC_R11,
                ),
            )
        if checkin.injured:
            _add(
                found,
                i,
                Finding(
                    "injury",
                    Level.RED,
                    "injury: no hard training until a green check-in; rest or train around it "
                    "only as cleared by a professional.",
                    {**evidence, "injured": True},
                    _SRC_R11,
                ),
            )


def _rhr_excess(t: _Timeline, ordinal: int) -> tuple[int, float] | None:
    """(resting HR, its excess over the mean of the 7 days before), from the dictionary."""
    checkin = t.by_ordinal.get(ordinal)
    if checkin is None or checkin.resting_hr is None:
        return None
    base = [
        c.resting_hr
        for k in range(ordinal - RHR_BASELINE_DAYS, ordinal)
        if (c := t.by_ordinal.get(k)) is not None and c.resting_hr is not None
    ]
    if len(base) < RHR_MIN_BASELINE:
        return None
    return checkin.resting_hr, checkin.resting_hr - sum(base) / len(base)


def _resting_hr_high(t: _Timeline, found: _Found) -> None:
    """High on a day: ``n·hr − Σ > 5·n`` over the ≥ 4 readings of the 7 days before (exact)."""
    values = t.column("resting_hr")
    count, total, _ = _sums(values)
    b = RHR_BASELINE_DAYS

    def high_by_dict(k: int) -> bool:
        got = _rhr_excess(t, k)
        return got is not None and got[1] > RHR_RISE_BPM

    # the streak on the day before index b, from the dictionary (it may reach further back)
    k = t.origin + b - 1
    streak = 0
    while high_by_dict(k - streak):
        streak += 1
    for i in range(b, t.n):
        hr = values[i]
        nb = count[i] - count[i - b]
        high = (
            hr is not None
            and nb >= RHR_MIN_BASELINE
            and nb * hr - (total[i] - total[i - b]) > RHR_RISE_BPM * nb
        )
        streak = streak + 1 if high else 0
        if i < t.first or streak < RHR_DAYS:
            continue
        days = {}
        for j in range(i - streak + 1, i + 1):
            got = _rhr_excess(t, t.origin + j)
            assert got is not None
            days[t.day(j).isoformat()] = {"resting_hr": got[0], "above_baseline": _r(got[1], 1)}
        assert hr is not None
        excess = nb * hr - (total[i] - total[i - b])
        _add(
            found,
            i,
            Finding(
                "resting-hr-high",
                Level.AMBER,
                f"resting heart rate {hr} bpm, {excess / nb:.1f} bpm above the mean of the 7 "
                f"days before; more than {RHR_RISE_BPM} bpm above on {streak} days in a row: "
                "take care, keep today easy.",
                {
                    "consecutive_days": streak,
                    "threshold_bpm": RHR_RISE_BPM,
                    "threshold_days": RHR_DAYS,
                    "days": days,
                },
                _SRC_RHR,
            ),
        )


def _hrv_low(t: _Timeline, found: _Found) -> None:
    """7-day mean of ln rMSSD below mean − 0.5·SD (sample) of the 28 days before the 7, in
    integer millionths: ``D > 0 and 4D²(nb−1) > n7²·nb·spread`` with ``D = n7·Σb − nb·Σ7``."""
    raw = [None if c is None else c.hrv_rmssd_ms for c in t.days]
    logs = [None if h is None else round(math.log(h) * _HRV_SCALE) for h in raw]
    count, total, squares = _sums(logs)
    w, b = HRV_WINDOW_DAYS, HRV_BASELINE_DAYS
    for i in range(t.first, t.n):
        hi, mid, lo = i + 1, i + 1 - w, i + 1 - w - b
        n7 = count[hi] - count[mid]
        if n7 < HRV_MIN_WINDOW:
            continue
        nb = count[mid] - count[lo]
        if nb < HRV_MIN_BASELINE:
            continue
        s7, sb = total[hi] - total[mid], total[mid] - total[lo]
        d = n7 * sb - nb * s7
        if d <= 0:
            continue
        spread = nb * (squares[mid] - squares[lo]) - sb * sb
        if not 4 * d * d * (nb - 1) > n7 * n7 * nb * spread:
            continue
        scale = _HRV_SCALE
        mean7, mean_b = s7 / n7 / scale, sb / nb / scale
        sd = math.sqrt(spread / (nb * (nb - 1))) / scale
        low, high = mean_b - HRV_BAND_SD * sd, mean_b + HRV_BAND_SD * sd
        _add(
            found,
            i,
            Finding(
                "hrv-low",
                Level.AMBER,
                f"HRV low: the 7-day mean of ln rMSSD, {mean7:.3f} (≈ {math.exp(mean7):.0f} ms), "
                f"is below your normal band {low:.3f}–{high:.3f} (mean ± {HRV_BAND_SD:g} SD "
                f"of the {b} days before). An easy day or rest.",
                {
                    "ln_rmssd_7d_mean": _r(mean7),
                    "rmssd_7d_geometric_mean_ms": _r(math.exp(mean7), 1),
                    "values_7d": n7,
                    "baseline_mean": _r(mean_b),
                    "baseline_sd": _r(sd),
                    "band_low": _r(low),
                    "band_high": _r(high),
                    "baseline_values": nb,
                    "baseline_days": b,
                },
                _SRC_HRV,
            ),
        )


def _load_finding(report: LoadReport, flag: LoadFlag, day: date) -> Finding:
    series = report.series
    j = series.index_of(day)
    since = flag.start.isoformat()
    if flag.kind == "acwr_spike":
        ewma, rolling = series.acwr_ewma[j] or 0.0, series.acwr_rolling[j] or 0.0
        top = max(ewma, rolling)
        red = top > ACWR_RED
        message = (
            f"load spike: acute:chronic workload ratio {top:.2f} (EWMA {ewma:.2f}, rolling "
            f"{rolling:.2f}; 7 vs 28 days), above {flag.threshold:g}"
            + (f" and above {ACWR_RED:g}" if red else "")
            + ". Its link to injury is contested: a signal to look at, not a verdict."
        )
        evidence: dict[str, object] = {
            "acwr_ewma": _r(ewma),
            "acwr_rolling": _r(rolling),
            "threshold": flag.threshold,
            "red_above": ACWR_RED,
            "since": since,
        }
        return Finding(
            "acwr-spike", Level.RED if red else Level.AMBER, message, evidence, _SRC_ACWR
        )
    if flag.kind == "monotony_strain":
        monotony, strain = series.monotony[j] or 0.0, series.strain[j] or 0.0
        return Finding(
            "monotony-strain",
            Level.AMBER,
            f"monotonous, heavy training: monotony {monotony:.2f} (> {flag.threshold:g}) with "
            "strain above its recent mean; illness has followed such weeks (Foster 1998). "
            "Vary the days: add an easy or rest day.",
            {
                "monotony": _r(monotony),
                "strain": _r(strain, 1),
                "threshold": flag.threshold,
                "since": since,
            },
            _SRC_MONOTONY,
        )
    tsb = series.tsb[j]
    fitness = series.ctl[j - 1] if j > 0 else None
    pct = 100 * tsb / fitness if fitness else None
    shown = f" ({pct:.0f} % of fitness, CTL {fitness:.0f})" if pct is not None and fitness else ""
    # the floor the report used: its threshold is the floor × fitness on the flag's first day
    k = series.index_of(flag.start)
    base = series.ctl[k - 1] if k > 0 else 0.0
    floor = 100 * flag.threshold / base if base > 0 else FORM_DEEP_FATIGUE_PCT
    return Finding(
        "tsb-low",
        Level.AMBER,
        f"deep fatigue: form (TSB) {tsb:.0f}{shown}, below {floor:.0f} % of fitness. Consider "
        f"{_R11_RESPONSE}.",
        {
            "tsb": _r(tsb, 1),
            "ctl_yesterday": None if fitness is None else _r(fitness, 1),
            "form_pct": None if pct is None else _r(pct, 1),
            "floor_pct": _r(floor, 1),
            "since": since,
        },
        _SRC_TSB,
    )


_LOAD_ORDER: Final = {"acwr_spike": 0, "monotony_strain": 1, "tsb_low": 2}


def _load_flags(t: _Timeline, report: LoadReport | None, found: _Found) -> None:
    if report is None or not len(report.series):
        return
    lo = max(t.origin + t.first, report.series.start.toordinal())
    hi = min(t.origin + t.n - 1, report.series.end.toordinal())
    per_day: dict[int, list[LoadFlag]] = {}
    for flag in report.flags:
        for k in range(max(lo, flag.start.toordinal()), min(hi, flag.end.toordinal()) + 1):
            per_day.setdefault(k, []).append(flag)
    for k in sorted(per_day):
        for flag in sorted(per_day[k], key=lambda f: _LOAD_ORDER[f.kind]):
            _add(found, k - t.origin, _load_finding(report, flag, date.fromordinal(k)))


def _load_rise(report: LoadReport, day: date) -> dict[str, object] | None:
    """Evidence that load rose over the last 21 days, or None: CTL today ≥ 5 % above CTL 21
    days ago, or the mean daily load of the last 21 days ≥ 5 % above that of the 21 before
    (a steady weekly pattern drifts CTL up a little; that is not "working harder")."""
    series = report.series
    j = (day - series.start).days
    if not 0 <= j < len(series):
        return None
    w = LOAD_RISE_DAYS
    evidence: dict[str, object] = {}
    if j >= w:
        now, then = series.ctl[j], series.ctl[j - w]
        evidence |= {"ctl": _r(now, 1), "ctl_21_days_ago": _r(then, 1)}
        if now >= then * LOAD_RISE_FACTOR and now > then:
            return evidence
    if j >= 2 * w - 1:
        recent = math.fsum(series.load[j - w + 1 : j + 1]) / w
        before = math.fsum(series.load[j - 2 * w + 1 : j - w + 1]) / w
        if recent >= before * LOAD_RISE_FACTOR and recent > before:
            evidence |= {"mean_load_21d": _r(recent, 1), "mean_load_previous_21d": _r(before, 1)}
            return evidence
    return None


def _performance_decline(
    t: _Timeline,
    report: LoadReport | None,
    efficiency: Sequence[tuple[date, float]],
    found: _Found,
) -> None:
    """Efficiency down ≥ 3 % over 21 days while load rises. A fit from prefix sums screens the
    days; :func:`efficiency_trend` decides on those that pass (with a 0.5-point margin)."""
    points = sorted(efficiency)
    for day, ef in points:
        if not 0 <= ef < math.inf:
            raise ValueError(
                f"the efficiency factor on {day.isoformat()} must be a finite number ≥ 0, "
                f"got {ef!r}"
            )
    if report is None or not points:
        return
    xs = [d.toordinal() - t.origin for d, _ in points]
    ys = [float(ef) for _, ef in points]
    px = list(accumulate(map(float, xs), initial=0.0))
    py = list(accumulate(ys, initial=0.0))
    pxx = list(accumulate((float(x * x) for x in xs), initial=0.0))
    pxy = list(accumulate((x * y for x, y in zip(xs, ys, strict=True)), initial=0.0))
    for i in range(t.first, t.n):
        a, b = bisect_left(xs, i - EF_DAYS + 1), bisect_right(xs, i)
        n = b - a
        if n < EF_MIN_POINTS:
            continue
        sx, sy = px[b] - px[a], py[b] - py[a]
        den = n * (pxx[b] - pxx[a]) - sx * sx
        if den <= 0:
            continue
        slope = (n * (pxy[b] - pxy[a]) - sx * sy) / den
        fit_first = sy / n + slope * (xs[a] - sx / n)
        if fit_first <= 0 or 100 * slope * (xs[b - 1] - xs[a]) / fit_first > EF_DROP_PCT + 0.5:
            continue
        day = t.day(i)
        rise = _load_rise(report, day)
        if rise is None:
            continue
        trend = efficiency_trend(points[a:b], day, EF_DAYS, min_points=EF_MIN_POINTS)
        if trend is None or trend.percent_change is None or trend.percent_change > EF_DROP_PCT:
            continue
        others = len(found.get(i, ()))
        red = others >= PERFORMANCE_RED_OTHERS
        message = (
            "working harder but performing worse: efficiency on easy runs (speed per "
            f"heartbeat) fell {-trend.percent_change:.1f} % over {EF_DAYS} days ({trend.n} "
            f"runs) while the training load rose. Consider {_R11_RESPONSE}."
        )
        if red:
            message += f" With {others} other findings today."
        _add(
            found,
            i,
            Finding(
                "performance-decline",
                Level.RED if red else Level.AMBER,
                message,
                {
                    "ef_percent_change": _r(trend.percent_change, 2),
                    "ef_slope_per_week": _r(trend.slope_per_week, 4),
                    "runs": trend.n,
                    "days": EF_DAYS,
                    "threshold_pct": EF_DROP_PCT,
                    "other_findings": others,
                    **rise,
                },
                _SRC_PERFORMANCE,
            ),
        )


# --- the assessment ----------------------------------------------------------------------------


def assess_range(
    start: date,
    end: date,
    checkins: Iterable[CheckIn],
    *,
    load: LoadReport | None = None,
    efficiency: Sequence[tuple[date, float]] = (),
) -> list[DayStatus]:
    """The status of every day from ``start`` to ``end`` inclusive, each as :func:`assess_day`
    would give it, in one pass over the data.

    ``checkins`` may be unsorted and sparse; each day sees only those dated on or before it,
    and those after ``end`` are ignored. Two check-ins on one day, or an impossible value
    (:func:`validate_checkin`), raise ValueError. ``load`` gives the load findings and the
    load trend for ``performance-decline``; ``efficiency`` holds (date, efficiency factor)
    points of easy runs (:func:`runlift.domain.load.efficiency_factor`).
    """
    t = _timeline(start, end, checkins)
    found: _Found = {}
    # rule order = the order of the findings on a day
    _ill_or_injured(t, found)
    _sleep_short(t, found)
    _below_baseline(t, found)
    _soreness_lingering(t, found)
    _trend_down(t, found)
    _resting_hr_high(t, found)
    _hrv_low(t, found)
    _load_flags(t, load, found)
    _performance_decline(t, load, efficiency, found)
    out = []
    for i in range(t.first, t.n):
        findings = found.get(i)
        if findings is None:
            out.append(DayStatus(t.day(i), Level.GREEN))
        else:
            out.append(DayStatus(t.day(i), status_level(findings), tuple(findings)))
    return out


def assess_day(
    day: date,
    checkins: Iterable[CheckIn],
    *,
    load: LoadReport | None = None,
    efficiency: Sequence[tuple[date, float]] = (),
) -> DayStatus:
    """The athlete's status on ``day``: every rule (module docstring) judged on the check-ins
    dated on or before it, ``load`` (a :class:`LoadReport` covering the day, for the load
    findings) and ``efficiency`` (dated easy-run efficiency factors)."""
    return assess_range(day, day, checkins, load=load, efficiency=efficiency)[0]
