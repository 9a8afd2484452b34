"""Daily check-ins and the overtraining watch: signals, findings and a daily status.

Heuristics shown as guidance, never as a diagnosis (docs/science.md §1 R11, §4). Every finding names
its rule, the threshold, the data behind it and its source. The rules, each judged on one day
from the check-ins dated on or before it (``docs/overtraining-watch.md`` explains them with
their numbers and sources):

============================  ==================================================================
rule id                       fires when (level)
============================  ==================================================================
``illness``, ``injury``       the latest check-in of the last 7 days says ill / injured (red)
``sleep-short``               sleep < 7 h on ≥ 3 of the last 5 days' check-ins (amber; R8)
``<item>-below-baseline``     against the item's robust usual (20 % trimmed mean of the 28 days
                              before the last 3): ≥ 1 point below on ≥ 2 of the last 3 days with
                              their mean ≥ 1 point below (lasting), or one day ≥ 2 points and
                              ≥ 3 spreads below (large) (amber; red for a 3-day mean ≥ 2.5
                              points down or ≥ 3 items at once; McLean 2010)
``soreness-lingering``        soreness ≤ 2 on ≥ 3 consecutive days up to today (amber; R11)
``mood-trend-down``,          least-squares slope over 14 days < −0.1 points/day and ≥ 3 SE
``motivation-trend-down``     below 0, ≥ 7 values (amber; R11)
``resting-hr-high``           > 5 bpm above the 7-day baseline on ≥ 2 consecutive days, or the
                              7-day mean above the 28-day baseline by > SWC + noise and ≥ 2 bpm
                              (amber; Buchheit 2014)
``hrv-low``                   7-day mean ln rMSSD below the 28-day mean − 0.5 SD (the SWC) − the
                              noise of a 7-day mean (amber; Plews 2012, 2013; Vesterinen 2016)
``load-spike``                while the load is learned: 7-day load > 1.5 × the profile's
                              starting week (amber; red > 2.0 ×)
``acwr-spike``                the load report's ``acwr_spike`` flag (amber; red > 2.0)
``monotony-strain``           the load report's flag, unless the week was done as planned
``tsb-low``                   form below −30 % of fitness, unless the week was done as planned
``load-above-plan``           7-day load ≥ 1.3 × the plan's (amber; Nielsen 2014)
``performance-decline``       easy-run efficiency down ≥ 3 % over 21 days (≥ 4 runs, slope ≥ 2
                              SE below 0) while load rises (amber; red with ≥ 2 other findings)
============================  ==================================================================

Thresholds are those of the athlete's :class:`Sensitivity` (:data:`THRESHOLDS`; standard
above). While a baseline is learned (fewer than 14 check-ins in the 28 days before a day, or
fewer than 28 days of training data) only the absolute rules fire and the day's ``learning``
says what is learned. The day's level (:func:`status_level`): **red** with a severe (red)
finding or several that agree (≥ 3 findings of ≥ 2 kinds of data; 2 when sensitive),
**amber** with any other finding, **green** with none.

:func:`assess_range` judges a stretch of days in one pass: baselines are differences of prefix
sums, so a day costs O(1) however long the history; :func:`assess_day` is the same for one day.
Resting-HR and HRV sums are kept in integers (ln rMSSD in millionths), so a constant baseline
has an SD of exactly 0 and no threshold flips on rounding noise.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate
from operator import mul
from typing import Final

from runlift.domain.load import FORM_DEEP_FATIGUE_PCT, LoadFlag, LoadReport, efficiency_trend


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Sensitivity(StrEnum):
    """How readily the watch speaks up for one athlete, as their trainer sets it."""

    CONSERVATIVE = "conservative"
    STANDARD = "standard"
    SENSITIVE = "sensitive"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The numbers a :class:`Sensitivity` sets (docs/overtraining-watch.md, "Sensitivity").

    ``item_lasting_drop``: the mean of an item over the last 3 days must be at least this many
    points below the athlete's usual (0: two low days of three suffice). ``item_large_drop`` and
    ``item_large_spreads``: one day this many points below the usual, and this many of the
    athlete's own spreads (0: no spread condition). ``swc_noise``: resting HR and HRV fire when
    the 7-day mean is beyond the smallest worthwhile change plus this many typical errors of a
    7-day mean. ``ef_t``: the easy-run efficiency slope must be this many standard errors below
    zero; ``trend_t`` the same for the mood and motivation trends. ``red_findings``: this
    many findings from at least two kinds of data make a day red.
    """

    item_lasting_drop: float
    item_large_drop: float
    item_large_spreads: float
    swc_noise: float
    ef_t: float
    trend_t: float
    red_findings: int


THRESHOLDS: Final = {
    Sensitivity.SENSITIVE: Thresholds(0.0, 2.0, 0.0, 0.0, 1.5, 2.0, 2),
    Sensitivity.STANDARD: Thresholds(1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3),
    Sensitivity.CONSERVATIVE: Thresholds(1.5, 3.0, 3.0, 2.0, 2.5, 3.5, 3),
}


def parse_sensitivity(text: str) -> Sensitivity:
    """``"standard"`` → :attr:`Sensitivity.STANDARD`; ValueError naming the choices."""
    try:
        return Sensitivity(text.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in Sensitivity)
        raise ValueError(f"sensitivity must be one of {choices}, got {text!r}") from None


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
    #: What the watch is still learning on this day: "checkins" (fewer than 14 check-ins in
    #: the 28 days before it) and/or "load" (fewer than 28 days of training data). While it
    #: learns a baseline, only the absolute rules that need none are judged.
    learning: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "level": self.level.value,
            "findings": [finding.to_dict() for finding in self.findings],
            "learning": list(self.learning),
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
BASELINE_MIN_VALUES: Final = 10  # of an item in its 28-day baseline
ITEM_WINDOW_DAYS: Final = 3  # "lasting": judged on the last 3 days
ITEM_LOW_POINTS: Final = 1  # a low day: at least 1 point below the usual
ITEM_LOW_DAYS: Final = 2  # ... on at least 2 of the last 3 days
ITEM_SEVERE_DROP: Final = 2.5  # the 3-day mean 2.5 points below the usual: red
ITEM_TRIM: Final = 0.2  # the usual is the 20 % trimmed mean; the spread the 20 % winsorized SD
ITEM_MIN_SPREAD: Final = 0.5  # half a point: an answer's own rounding
ITEMS_FOR_RED: Final = 3  # this many items below baseline on one day make each of them red

LEARN_CHECKINS: Final = 14  # check-ins in the 28 days before a day: the baseline is known
LEARN_LOAD_DAYS: Final = 28  # days of training data before the load rules are judged

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
SWC_SD: Final = 0.5  # smallest worthwhile change: 0.5 × the baseline SD (Plews 2012, 2013)
RHR_MIN_RISE_BPM: Final = 2.0  # a 7-day mean rise of 1–2 beats is within a reading's error

HRV_WINDOW_DAYS: Final = 7
HRV_MIN_WINDOW: Final = 4
HRV_BASELINE_DAYS: Final = 28
HRV_MIN_BASELINE: Final = 14
HRV_BAND_SD: Final = 0.5
_HRV_SCALE: Final = 1_000_000  # ln rMSSD is summed in millionths, as integers

ACWR_RED: Final = 2.0
START_SPIKE: Final = 1.5  # the week's load against the profile's starting week (learning)
START_SPIKE_RED: Final = 2.0

EF_DAYS: Final = 21
EF_MIN_POINTS: Final = 4
EF_DROP_PCT: Final = -3.0
LOAD_RISE_DAYS: Final = 21
LOAD_RISE_FACTOR: Final = 1.05  # "load rises": at least 5 % more than 21 days before
PERFORMANCE_RED_OTHERS: Final = 2

AMBER_FOR_RED: Final = 3  # this many findings of ≥ 2 kinds of data on one day: red (standard)

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


_KINDS: Final = (
    ("illness", "health"),
    ("injury", "health"),
    ("sleep-", "sleep"),
    ("resting-hr", "heart"),
    ("hrv", "heart"),
    ("acwr", "load"),
    ("load-", "load"),
    ("monotony", "load"),
    ("tsb", "load"),
    ("performance", "performance"),
)


def finding_kind(rule: str) -> str:
    """The kind of data behind a rule: health, sleep, heart, load, performance, or checkin
    (the 1–5 items, soreness, mood and motivation trends)."""
    for prefix, kind in _KINDS:
        if rule.startswith(prefix):
            return kind
    return "checkin"


def status_level(
    findings: Sequence[Finding], sensitivity: Sensitivity = Sensitivity.STANDARD
) -> Level:
    """The day's level: red if any finding is red (a severe one), or with several findings
    that agree: at least 3 (2 when sensitive) from at least two kinds of data
    (:func:`finding_kind`); amber with any other finding; green with none. A single mild
    finding is amber at most, and adding a finding never lowers the level."""
    if not findings:
        return Level.GREEN
    if any(f.level is Level.RED for f in findings):
        return Level.RED
    kinds = {finding_kind(f.rule) for f in findings}
    if len(findings) >= THRESHOLDS[sensitivity].red_findings and len(kinds) >= 2:
        return Level.RED
    return Level.AMBER


# --- the starting load ---------------------------------------------------------------------

START_RUN_RPE: Final = 4.0  # a week of mostly easy running (Seiler: ~80 % easy), session RPE
START_STRENGTH_MIN: Final = 60.0
START_STRENGTH_RPE: Final = 6.0
START_EASY_MIN_PER_KM: Final = 6.5  # without a planned easy pace


def starting_week_load(
    weekly_km: float,
    strength_sessions: int,
    *,
    easy_min_per_km: float | None = None,
    planned_first_week: float | None = None,
) -> float:
    """The week's session-RPE load an athlete's profile describes, to judge load spikes
    against while runlift has under 28 days of their data: ``weekly_km`` at the easy pace
    (default 6.5 min/km) and RPE 4, plus each strength session as 60 min at RPE 6 (Foster
    2001: load = RPE × minutes). A plan's first week, made from the same profile, is never a
    spike: the larger of the two is taken."""
    pace = easy_min_per_km if easy_min_per_km and easy_min_per_km > 0 else START_EASY_MIN_PER_KM
    profile = weekly_km * pace * START_RUN_RPE
    profile += strength_sessions * START_STRENGTH_MIN * START_STRENGTH_RPE
    return max(profile, planned_first_week or 0.0)


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
    thresholds: Thresholds = THRESHOLDS[Sensitivity.STANDARD]
    ready: list[bool] = field(default_factory=list)  # the check-in baseline is known

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
    # learning: fewer than 14 check-ins in the 28 days before a day
    seen = _prefix_int(c is not None for c in days)
    b = BASELINE_DAYS
    ready = [i >= b and seen[i] - seen[i - b] >= LEARN_CHECKINS for i in range(n)]
    return _Timeline(origin, n, _LOOKBACK, days, by_ordinal, ready=ready)


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


def _robust(counts: Sequence[int]) -> tuple[float, float]:
    """(usual, spread) of 1–5 answers given as counts of 1s … 5s: the 20 % trimmed mean and
    the 20 % winsorized sample SD, at least half a point. A bad week inside the baseline moves
    neither much, unlike the mean and SD."""
    n = sum(counts)
    k = int(ITEM_TRIM * n)
    values = [v for v, c in enumerate(counts, start=ITEM_MIN) for _ in range(c)]
    kept = values[k : n - k]
    usual = sum(kept) / len(kept)
    wins = [kept[0]] * k + kept + [kept[-1]] * k
    mean = sum(wins) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in wins) / (n - 1)) if n > 1 else 0.0
    return usual, max(sd, ITEM_MIN_SPREAD)


def _item_finding(
    item: str,
    recent: dict[str, int],
    usual: float,
    spread: float,
    nb: int,
    how: str,
    severe: bool,
) -> Finding:
    label = _LABELS[item]
    shown = ", ".join(str(v) for v in recent.values())
    values = list(recent.values())
    mean = sum(values) / len(values)
    if how == "large":
        today = values[-1]
        message = (
            f"{label} {today} today, {usual - today:.1f} points below your usual {usual:.1f} "
            f"(a large one-day drop; your day-to-day spread is {spread:.1f})."
        )
    else:
        message = (
            f"{label} below your usual {usual:.1f} for days: {shown} over the last "
            f"{ITEM_WINDOW_DAYS} days (mean {mean:.1f}, {usual - mean:.1f} points down)."
        )
    evidence: dict[str, object] = {
        "item": item,
        "recent": recent,
        "recent_mean": _r(mean, 2),
        "usual": _r(usual, 2),
        "spread": _r(spread, 2),
        "drop": _r(usual - (values[-1] if how == "large" else mean), 2),
        "basis": how,
        "baseline_values": nb,
        "baseline_days": BASELINE_DAYS,
    }
    return Finding(
        _ITEM_RULES[item], Level.RED if severe else Level.AMBER, message, evidence, _SRC_ITEMS
    )


def _below_baseline(t: _Timeline, found: _Found) -> None:
    """Each 1–5 item against the athlete's usual (20 % trimmed mean of the 28 days before
    the last 3). It fires when the drop is large or lasting:

    - lasting: at least 1 point below the usual on ≥ 2 of the last 3 days, and the mean of
      those days at least ``item_lasting_drop`` points below (severe, red: 2.5 points);
    - large: today ``item_large_drop`` points below the usual and ``item_large_spreads`` of
      the athlete's own spreads.

    When 3 or more items fire on one day, each of them is red (they agree)."""
    th = t.thresholds
    w, b = ITEM_WINDOW_DAYS, BASELINE_DAYS
    hits: dict[int, list[tuple[str, dict[str, int], float, float, int, str, bool]]] = {}
    for item in ITEMS:
        values = t.column(item)
        counts = [
            _prefix_int(1 if v == answer else 0 for v in values)
            for answer in range(ITEM_MIN, ITEM_MAX + 1)
        ]
        for i in range(t.first, t.n):
            if not t.ready[i]:
                continue
            window = [(j, values[j]) for j in range(i - w + 1, i + 1) if values[j] is not None]
            if not window:
                continue
            hi, lo = i - w + 1, i - w + 1 - b
            hist = [c[hi] - c[lo] for c in counts]
            nb = sum(hist)
            if nb < BASELINE_MIN_VALUES:
                continue
            usual, spread = _robust(hist)
            got = [v for _, v in window if v is not None]
            mean = sum(got) / len(got)
            low = sum(1 for v in got if v <= usual - ITEM_LOW_POINTS)
            today = values[i]
            how = ""
            severe = False
            if low >= ITEM_LOW_DAYS and usual - mean >= th.item_lasting_drop - 1e-9:
                how = "lasting"
                severe = usual - mean >= ITEM_SEVERE_DROP - 1e-9
            elif (
                today is not None
                and usual - today >= th.item_large_drop - 1e-9
                and usual - today >= th.item_large_spreads * spread - 1e-9
            ):
                how = "large"
            if not how:
                continue
            recent = {t.day(j).isoformat(): int(v) for j, v in window if v is not None}
            hits.setdefault(i, []).append((item, recent, usual, spread, nb, how, severe))
    for i in sorted(hits):
        day_hits = hits[i]
        agree = len(day_hits) >= ITEMS_FOR_RED
        for item, recent, usual, spread, nb, how, severe in day_hits:
            finding = _item_finding(item, recent, usual, spread, nb, how, severe or agree)
            if agree and not severe:
                finding = Finding(
                    finding.rule,
                    Level.RED,
                    finding.message + f" {len(day_hits)} items are below your usual today.",
                    {**finding.evidence, "items_below": len(day_hits)},
                    finding.source,
                )
            _add(found, i, finding)


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
        count, sy, syy = _sums(values)
        xs = [x if v is not None else None for x, v in enumerate(values)]
        _, sx, sxx = _sums(xs)
        sxy = _prefix_int([0 if v is None else x * v for x, v in enumerate(values)])
        for i in range(t.first, t.n):
            lo, hi = i + 1 - w, i + 1
            n = count[hi] - count[lo]
            if n < TREND_MIN_VALUES or not t.ready[i]:
                continue
            y, x = sy[hi] - sy[lo], sx[hi] - sx[lo]
            num = n * (sxy[hi] - sxy[lo]) - x * y
            den = n * (sxx[hi] - sxx[lo]) - x * x
            if not 10 * num < -den:  # TREND_SLOPE_PER_DAY = −1/10
                continue
            slope = num / den
            # beyond the day-to-day scatter: the slope at least trend_t standard errors down
            ss_y = (syy[hi] - syy[lo]) - y * y / n
            ss_x = den / n
            sse = max(ss_y - slope * slope * ss_x, 0.0)
            t_stat = slope / math.sqrt(sse / (n - 2) / ss_x) if sse > 0 else -math.inf
            if t_stat > -t.thresholds.trend_t:
                continue
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
                        "t": None if math.isinf(t_stat) else _r(t_stat, 2),
                        "t_threshold": -t.thresholds.trend_t,
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
        if i < t.first or streak < RHR_DAYS or not t.ready[i]:
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
                    "basis": "consecutive days",
                    "consecutive_days": streak,
                    "threshold_bpm": RHR_RISE_BPM,
                    "threshold_days": RHR_DAYS,
                    "days": days,
                },
                _SRC_RHR,
            ),
        )


def _rolling(
    t: _Timeline, name: str, scale: Callable[[float], int]
) -> Iterator[tuple[int, int, int, float, float, float]]:
    """For each judged day with enough data: (day index, readings in the 7-day window,
    readings in its baseline, 7-day mean, baseline mean, baseline sample SD), the baseline
    being the 28 days before the 7 (so the days judged never pull their own baseline), the
    values scaled to integers by ``scale`` so that sums are exact."""
    raw = [None if c is None else getattr(c, name) for c in t.days]
    values = [None if v is None else scale(v) for v in raw]
    count, total, squares = _sums(values)
    w, b = HRV_WINDOW_DAYS, HRV_BASELINE_DAYS
    for i in range(t.first, t.n):
        if not t.ready[i]:
            continue
        hi, mid, lo = i + 1, i + 1 - w, i + 1 - w - b
        n7 = count[hi] - count[mid]
        nb = count[mid] - count[lo]
        if n7 < HRV_MIN_WINDOW or nb < HRV_MIN_BASELINE:
            continue
        s7, sb = total[hi] - total[mid], total[mid] - total[lo]
        spread = nb * (squares[mid] - squares[lo]) - sb * sb
        sd = math.sqrt(max(spread, 0) / (nb * (nb - 1)))
        yield i, n7, nb, s7 / n7, sb / nb, sd


def _swc_band(sd: float, n7: int, noise: float) -> tuple[float, float]:
    """(smallest worthwhile change, the margin a 7-day mean must pass): SWC = 0.5 × SD
    (Plews 2012, 2013); the margin adds ``noise`` typical errors of a mean of ``n7`` daily
    values, SD / √n7 (Buchheit 2014: a change counts once it is larger than the SWC and the
    measure's own noise)."""
    swc = SWC_SD * sd
    return swc, swc + noise * sd / math.sqrt(n7)


def _resting_hr_rising(t: _Timeline, found: _Found) -> None:
    """The 7-day mean resting HR above its 28-day baseline by more than the margin."""
    noise = t.thresholds.swc_noise
    for i, n7, nb, mean7, mean_b, sd in _rolling(t, "resting_hr", int):
        swc, margin = _swc_band(sd, n7, noise)
        excess = mean7 - mean_b
        if (
            sd <= 0
            or excess <= max(margin, RHR_MIN_RISE_BPM)
            or any(f.rule == "resting-hr-high" for f in found.get(i, ()))
        ):
            continue
        _add(
            found,
            i,
            Finding(
                "resting-hr-high",
                Level.AMBER,
                f"resting heart rate up: the 7-day mean, {mean7:.1f} bpm, is {excess:.1f} bpm "
                f"above your usual {mean_b:.1f} (more than the smallest worthwhile change of "
                f"{swc:.1f} bpm and the day-to-day noise). Keep today easy.",
                {
                    "basis": "7-day mean",
                    "resting_hr_7d_mean": _r(mean7, 1),
                    "values_7d": n7,
                    "baseline_mean": _r(mean_b, 1),
                    "baseline_sd": _r(sd, 2),
                    "swc_bpm": _r(swc, 2),
                    "margin_bpm": _r(margin, 2),
                    "excess_bpm": _r(excess, 1),
                    "baseline_values": nb,
                    "baseline_days": HRV_BASELINE_DAYS,
                },
                _SRC_RHR,
            ),
        )


def _ln_millionths(ms: float) -> int:
    return round(math.log(ms) * _HRV_SCALE)


def _hrv_low(t: _Timeline, found: _Found) -> None:
    """The 7-day mean of ln rMSSD below the baseline mean by more than the margin: the
    smallest worthwhile change (0.5 SD, Plews 2012) plus the noise of a 7-day mean."""
    noise = t.thresholds.swc_noise
    scale = _HRV_SCALE
    for i, n7, nb, m7, mb, sd_raw in _rolling(t, "hrv_rmssd_ms", _ln_millionths):
        mean7, mean_b, sd = m7 / scale, mb / scale, sd_raw / scale
        swc, margin = _swc_band(sd, n7, noise)
        if sd <= 0 or mean_b - mean7 <= margin:
            continue
        low, high = mean_b - swc, mean_b + swc
        _add(
            found,
            i,
            Finding(
                "hrv-low",
                Level.AMBER,
                f"HRV low: the 7-day mean of ln rMSSD, {mean7:.3f} (≈ {math.exp(mean7):.0f} ms), "
                f"is below your normal band {low:.3f}–{high:.3f} (mean ± {HRV_BAND_SD:g} SD "
                f"of the {HRV_BASELINE_DAYS} days before) by more than a 7-day mean's noise. "
                "An easy day or rest.",
                {
                    "ln_rmssd_7d_mean": _r(mean7),
                    "rmssd_7d_geometric_mean_ms": _r(math.exp(mean7), 1),
                    "values_7d": n7,
                    "baseline_mean": _r(mean_b),
                    "baseline_sd": _r(sd),
                    "band_low": _r(low),
                    "band_high": _r(high),
                    "threshold": _r(mean_b - margin),
                    "baseline_values": nb,
                    "baseline_days": HRV_BASELINE_DAYS,
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


def _load_ready(report: LoadReport | None, day: date) -> bool:
    """Has the load report 28 days of data up to ``day``?"""
    return report is not None and (day - report.series.start).days + 1 >= LEARN_LOAD_DAYS


PLAN_MARGIN: Final = 1.1  # a week within 10 % of the planned load follows the plan


def _as_planned(report: LoadReport, day: date, planned: Mapping[date, float] | None) -> bool:
    """Did the 7 days up to ``day`` follow the plan: every day inside the plan and the done
    load at most 10 % above the planned load? Then their monotony is the plan's design
    (hard/easy days, a rest day: R3–R6), not a warning about the athlete."""
    if planned is None:
        return False
    days = [day - timedelta(days=k) for k in range(7)]
    if any(d not in planned for d in days):
        return False
    series = report.series
    done = math.fsum(
        series.load[series.index_of(d)] for d in days if series.start <= d <= series.end
    )
    return done <= PLAN_MARGIN * math.fsum(planned[d] for d in days)


def _load_flags(
    t: _Timeline,
    report: LoadReport | None,
    found: _Found,
    planned: Mapping[date, float] | None = None,
) -> None:
    if report is None or not len(report.series):
        return
    lo = max(t.origin + t.first, report.series.start.toordinal())
    hi = min(t.origin + t.n - 1, report.series.end.toordinal())
    per_day: dict[int, list[LoadFlag]] = {}
    for flag in report.flags:
        for k in range(max(lo, flag.start.toordinal()), min(hi, flag.end.toordinal()) + 1):
            per_day.setdefault(k, []).append(flag)
    for k in sorted(per_day):
        day = date.fromordinal(k)
        if not _load_ready(report, day):
            continue
        for flag in sorted(per_day[k], key=lambda f: _LOAD_ORDER[f.kind]):
            planned_kinds = ("monotony_strain", "tsb_low")
            if flag.kind in planned_kinds and _as_planned(report, day, planned):
                continue
            _add(found, k - t.origin, _load_finding(report, flag, day))


ABOVE_PLAN: Final = 1.3  # the last 7 days' load this share of the planned load: amber


def _above_plan(
    t: _Timeline, report: LoadReport | None, planned: Mapping[date, float] | None, found: _Found
) -> None:
    """The last 7 days' done load at least 30 % above what the plan prescribed for them
    (every day inside the plan): more training than planned, the plan's progression rules
    (docs/science.md §3: ≤ 10 % a week) no longer hold."""
    if report is None or planned is None:
        return
    series = report.series
    for i in range(t.first, t.n):
        day = t.day(i)
        days = [day - timedelta(days=k) for k in range(7)]
        if any(d not in planned for d in days) or not series.start <= day <= series.end:
            continue
        plan_week = math.fsum(planned[d] for d in days)
        done = math.fsum(series.load[(d - series.start).days] for d in days if d >= series.start)
        if plan_week <= 0 or done < ABOVE_PLAN * plan_week:
            continue
        _add(
            found,
            i,
            Finding(
                "load-above-plan",
                Level.AMBER,
                f"more training than planned: {done:.0f} load in the last 7 days against "
                f"{plan_week:.0f} planned ({100 * done / plan_week:.0f} %). Talk to your "
                "coach before adding more.",
                {
                    "load_7d": _r(done, 1),
                    "planned_7d": _r(plan_week, 1),
                    "ratio": _r(done / plan_week, 2),
                    "threshold": ABOVE_PLAN,
                },
                "docs/science.md §3 (progression ≤ 10 % a week)",
            ),
        )


def _load_spike_start(
    t: _Timeline, report: LoadReport | None, starting_week: float | None, found: _Found
) -> None:
    """While the load is learned (under 28 days of data), the last 7 days' load against the
    starting week the profile describes: above 1.5 × amber, above 2.0 × red (the ACWR's
    thresholds, with the profile's week standing in for the chronic load not yet known)."""
    if report is None or not starting_week or starting_week <= 0:
        return
    series = report.series
    prefix = list(accumulate(series.load, initial=0.0))
    for i in range(t.first, t.n):
        day = t.day(i)
        if not series.start <= day <= series.end or _load_ready(report, day):
            continue
        j = (day - series.start).days
        week = prefix[j + 1] - prefix[max(0, j - 6)]
        ratio = week / starting_week
        if ratio <= START_SPIKE:
            continue
        red = ratio > START_SPIKE_RED
        _add(
            found,
            i,
            Finding(
                "load-spike",
                Level.RED if red else Level.AMBER,
                f"load spike while runlift learns your load: {week:.0f} in the last 7 days, "
                f"{ratio:.1f} × the {starting_week:.0f} a week your profile describes "
                f"(above {START_SPIKE_RED if red else START_SPIKE:g} ×). Build up gradually.",
                {
                    "load_7d": _r(week, 1),
                    "starting_week_load": _r(starting_week, 1),
                    "ratio": _r(ratio, 2),
                    "threshold": START_SPIKE,
                    "red_above": START_SPIKE_RED,
                },
                _SRC_ACWR,
            ),
        )


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
    pyy = list(accumulate((y * y for y in ys), initial=0.0))
    for i in range(t.first, t.n):
        if not _load_ready(report, t.day(i)):
            continue
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
        # a clear decline, beyond the run-to-run scatter: slope / its standard error
        sxx = den / n
        syy = (pyy[b] - pyy[a]) - sy * sy / n
        sse = max(syy - slope * slope * sxx, 0.0)
        if n > 2 and sse > 0:
            t_stat = slope / math.sqrt(sse / (n - 2) / sxx)
            if t_stat > -t.thresholds.ef_t:
                continue
        else:
            t_stat = -math.inf
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
                    "t": None if math.isinf(t_stat) else _r(t_stat, 2),
                    "t_threshold": -t.thresholds.ef_t,
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
    sensitivity: Sensitivity = Sensitivity.STANDARD,
    starting_week_load: float | None = None,
    planned_loads: Mapping[date, float] | None = None,
) -> list[DayStatus]:
    """The status of every day from ``start`` to ``end`` inclusive, each as :func:`assess_day`
    would give it, in one pass over the data.

    ``checkins`` may be unsorted and sparse; each day sees only those dated on or before it,
    and those after ``end`` are ignored. Two check-ins on one day, or an impossible value
    (:func:`validate_checkin`), raise ValueError. ``load`` gives the load findings and the
    load trend for ``performance-decline``; ``efficiency`` holds (date, efficiency factor)
    points of easy runs (:func:`runlift.domain.load.efficiency_factor`). ``sensitivity`` sets
    the thresholds (:data:`THRESHOLDS`); ``starting_week_load`` is the week's load the
    athlete's profile describes, judged against while the load is learned;
    ``planned_loads`` the plan's load for each day it covers (rest days 0): a monotonous week
    done as planned is the plan's design and does not fire ``monotony-strain``.

    While the watch learns (fewer than 14 check-ins in the 28 days before a day; fewer than
    28 days of training data), the rules that compare with a personal baseline are silent and
    the day's ``learning`` says so; the absolute ones still fire (illness, injury, short sleep,
    lingering soreness, a load spike against the starting week).
    """
    t = _timeline(start, end, checkins)
    t.thresholds = THRESHOLDS[sensitivity]
    found: _Found = {}
    # rule order = the order of the findings on a day
    _ill_or_injured(t, found)
    _sleep_short(t, found)
    _below_baseline(t, found)
    _soreness_lingering(t, found)
    _trend_down(t, found)
    _resting_hr_high(t, found)
    _resting_hr_rising(t, found)
    _hrv_low(t, found)
    _load_spike_start(t, load, starting_week_load, found)
    _load_flags(t, load, found, planned_loads)
    _above_plan(t, load, planned_loads, found)
    _performance_decline(t, load, efficiency, found)
    out = []
    for i in range(t.first, t.n):
        day = t.day(i)
        learning = tuple(
            what
            for what, ready in (("checkins", t.ready[i]), ("load", _load_ready(load, day)))
            if not ready
        )
        findings = found.get(i)
        if findings is None:
            out.append(DayStatus(day, Level.GREEN, learning=learning))
        else:
            level = status_level(findings, sensitivity)
            out.append(DayStatus(day, level, tuple(findings), learning))
    return out


def assess_day(
    day: date,
    checkins: Iterable[CheckIn],
    *,
    load: LoadReport | None = None,
    efficiency: Sequence[tuple[date, float]] = (),
    sensitivity: Sensitivity = Sensitivity.STANDARD,
    starting_week_load: float | None = None,
    planned_loads: Mapping[date, float] | None = None,
) -> DayStatus:
    """The athlete's status on ``day``: every rule (module docstring) judged on the check-ins
    dated on or before it, ``load`` (a :class:`LoadReport` covering the day, for the load
    findings) and ``efficiency`` (dated easy-run efficiency factors)."""
    return assess_range(
        day,
        day,
        checkins,
        load=load,
        efficiency=efficiency,
        sensitivity=sensitivity,
        starting_week_load=starting_week_load,
        planned_loads=planned_loads,
    )[0]
