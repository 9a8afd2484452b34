"""The overtraining watch: scenarios built day by day, hand-computed numbers, and properties.

Each scenario starts from a healthy block (a 4-day rhythm of normal check-ins, see
:func:`healthy`) and changes only what the scenario is about, then asserts the exact rule ids
and the level of the day.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runlift.domain.load import LoadReport, efficiency_factor, load_report
from runlift.domain.wellness import (
    ITEMS,
    CheckIn,
    DayStatus,
    Finding,
    Level,
    Sensitivity,
    assess_day,
    assess_range,
    item_rule,
    level_rank,
    status_level,
    validate_checkin,
)

D0 = date(2026, 1, 5)  # a Monday
WEEK = (300.0, 0.0, 450.0, 200.0, 0.0, 600.0, 250.0)  # session-RPE loads, a hybrid week
WEEK_MEAN = sum(WEEK) / 7


def day(k: int) -> date:
    return D0 + timedelta(days=k)


def healthy(k: int, **changes: Any) -> CheckIn:
    """Day ``k`` of a healthy block: normal values with a 4-day rhythm. A 4-day rhythm keeps
    every value within one SD of its 28-day mean, every 14-day slope near 0 and every 7-day
    HRV mean inside the ±0.5 SD band, so nothing fires."""
    j = k % 4
    base = CheckIn(
        day=day(k),
        sleep_hours=(7.5, 8.0, 7.2, 7.8)[j],
        sleep_quality=(4, 4, 5, 4)[j],
        fatigue=(4, 5, 4, 4)[j],
        soreness=(4, 4, 4, 5)[j],
        stress=(5, 4, 4, 4)[j],
        mood=(4, 4, 5, 4)[j],
        motivation=(4, 5, 4, 4)[j],
        resting_hr=(50, 51, 49, 50)[j],
        hrv_rmssd_ms=(60.0, 65.0, 55.0, 62.0)[j],
    )
    return replace(base, **changes)


def block(n: int, changes: dict[int, dict[str, Any]] | None = None) -> list[CheckIn]:
    """Days 0 … n−1 of healthy check-ins, with ``changes[k]`` applied on day k."""
    changes = changes or {}
    return [healthy(k, **changes.get(k, {})) for k in range(n)]


def steady_load(n: int, rise_per_day: float = 0.0) -> LoadReport:
    """``n`` days of the hybrid week (×(1 + rise·day)), fitness and fatigue seeded at its mean."""
    daily = [WEEK[k % 7] * (1 + rise_per_day * k) for k in range(n)]
    return load_report(daily, D0, ctl0=WEEK_MEAN, atl0=WEEK_MEAN)


def rules(status: DayStatus) -> tuple[str, ...]:
    return tuple(f.rule for f in status.findings)


# --- scenarios -----------------------------------------------------------------------------------


def test_a_healthy_block_with_steady_load_is_green() -> None:
    report = steady_load(70)
    assert report.flags == ()  # steady load: no spike, monotony ≈ 1.26, form ≥ −6 % of fitness
    checkins = block(70)
    statuses = assess_range(day(35), day(69), checkins, load=report)
    assert [s.level for s in statuses] == [Level.GREEN] * 35
    assert all(s.findings == () for s in statuses)
    assert assess_day(day(69), checkins, load=report) == DayStatus(day(69), Level.GREEN)


def test_a_load_spike_is_amber_with_acwr_spike() -> None:
    # six steady weeks, then day 42 jumps to 1800 (four hours at RPE 7.5)
    daily = [WEEK[k % 7] for k in range(42)] + [1800.0] + [WEEK[k % 7] for k in range(7)]
    report = load_report(daily, D0, ctl0=WEEK_MEAN, atl0=WEEK_MEAN)
    checkins = block(50)
    status = assess_day(day(42), checkins, load=report)
    assert rules(status) == ("acwr-spike",)
    assert status.level is Level.AMBER
    evidence = status.findings[0].evidence
    assert evidence["acwr_ewma"] == pytest.approx(1.784, abs=1e-3)
    assert evidence["acwr_rolling"] == pytest.approx(1.517, abs=1e-3)
    # rolling by hand: a normal week is 1800 and day 42 replaces a 300 with 1800, so the last
    # 7 days hold 1500 + 1800 = 3300 and the last 28 hold 4·1800 + 1500 = 8700:
    # (3300/7) / (8700/28) = 471.4 / 310.7 = 1.517
    assert evidence["threshold"] == 1.5
    assert "contested" in status.findings[0].message
    # the next day form (yesterday's CTL − ATL) falls below −30 % of fitness as well
    after = assess_day(day(43), checkins, load=report)
    assert rules(after) == ("acwr-spike", "tsb-low")
    assert after.level is Level.AMBER
    assert after.findings[1].evidence["form_pct"] < -30  # type: ignore[operator]


def test_an_acwr_above_two_is_red() -> None:
    daily = [WEEK[k % 7] for k in range(42)] + [3000.0]
    report = load_report(daily, D0, ctl0=WEEK_MEAN, atl0=WEEK_MEAN)
    status = assess_day(day(42), block(43), load=report)
    assert rules(status) == ("acwr-spike",)
    assert status.findings[0].level is Level.RED
    assert status.level is Level.RED
    assert status.findings[0].evidence["acwr_ewma"] == pytest.approx(2.120, abs=1e-3)


def test_a_poor_sleep_streak_is_amber() -> None:
    # 5.5 h on 3 of the last 5 nights (days 36, 38 and 40); 7.5 and 8 h between
    changes = {36: {"sleep_hours": 5.5}, 38: {"sleep_hours": 5.5}, 40: {"sleep_hours": 5.5}}
    checkins = block(41, changes)
    status = assess_day(day(40), checkins)
    assert rules(status) == ("sleep-short",)
    assert status.level is Level.AMBER
    finding = status.findings[0]
    assert finding.evidence["short_nights"] == 3
    assert finding.source == "docs/science.md R8 (sleep target 7–9 h)"
    # two short nights of five are not enough; a night of exactly 7 h is not short
    assert assess_day(day(38), checkins).level is Level.GREEN
    seven = block(41, {**changes, 40: {"sleep_hours": 7.0}})
    assert assess_day(day(40), seven).level is Level.GREEN


def test_lingering_soreness_is_amber() -> None:
    sore = {k: {"soreness": 2} for k in (38, 39, 40)}
    checkins = block(41, sore)
    # day 2 of the soreness: far below this athlete's usual 4–5, but not yet lingering
    assert rules(assess_day(day(39), checkins)) == ("soreness-below-baseline",)
    status = assess_day(day(40), checkins)
    assert rules(status) == ("soreness-below-baseline", "soreness-lingering")
    assert status.level is Level.AMBER
    lingering = status.findings[1]
    assert lingering.evidence["consecutive_days"] == 3
    assert lingering.evidence["last_values"] == [2, 2, 2]
    assert "beyond 2 days" in lingering.message
    # a day without a check-in breaks the streak
    gap = [c for c in checkins if c.day != day(39)]
    assert "soreness-lingering" not in rules(assess_day(day(40), gap))


def test_rising_resting_hr_with_falling_hrv_gives_two_findings() -> None:
    # the last 7 days rMSSD falls to 45 ms; the last 2 days resting HR is 57 (+7 bpm)
    changes: dict[int, dict[str, Any]] = {k: {"hrv_rmssd_ms": 45.0} for k in range(34, 41)}
    changes[39]["resting_hr"] = 57
    changes[40]["resting_hr"] = 57
    status = assess_day(day(40), block(41, changes))
    assert rules(status) == ("resting-hr-high", "hrv-low")
    assert status.level is Level.AMBER
    rhr, hrv = status.findings
    # day 39: the 7 days before (32–38) read 50 51 49 50 50 51 49: mean 50, so +7.0;
    # day 40: the 7 days before (33–39) hold the 57: mean 51, so +6.0
    assert rhr.evidence["consecutive_days"] == 2
    assert rhr.evidence["days"] == {
        day(39).isoformat(): {"resting_hr": 57, "above_baseline": 7.0},
        day(40).isoformat(): {"resting_hr": 57, "above_baseline": 6.0},
    }
    # HRV: the 7-day mean is ln 45 = 3.807; the 28 days before (6–33) are seven rounds of
    # 60, 65, 55, 62 ms: ln 4.0943, 4.1744, 4.0073, 4.1271, mean 4.1008 and sample SD 0.0621,
    # so the band is 4.1008 ± 0.0311 = 4.0697–4.1319
    logs = [math.log(ms) for ms in (60.0, 65.0, 55.0, 62.0) * 7]
    assert hrv.evidence["ln_rmssd_7d_mean"] == pytest.approx(math.log(45), abs=1e-3)
    assert hrv.evidence["baseline_mean"] == pytest.approx(statistics.mean(logs), abs=1e-3)
    assert hrv.evidence["baseline_sd"] == pytest.approx(statistics.stdev(logs), abs=1e-3)
    assert hrv.evidence["band_low"] == pytest.approx(4.0697, abs=1e-3)
    assert hrv.evidence["band_high"] == pytest.approx(4.1319, abs=1e-3)
    # one high day is not enough
    one_day = {39: {"resting_hr": 57}}
    assert rules(assess_day(day(39), block(40, one_day))) == ()


def test_illness_is_red_until_a_green_check_in() -> None:
    checkins = block(41, {40: {"ill": True, "note": "head cold"}})
    status = assess_day(day(40), checkins)
    assert rules(status) == ("illness",)
    assert status.level is Level.RED
    assert status.findings[0].message == "illness: rest until a green check-in."
    assert status.findings[0].evidence == {
        "reported_on": "2026-02-14",
        "note": "head cold",
        "ill": True,
    }
    # no check-in the next two days: still red; a check-in without illness ends it
    assert assess_day(day(42), checkins).level is Level.RED
    recovered = [*checkins, healthy(43)]
    assert assess_day(day(43), recovered).level is Level.GREEN
    # an injury is red too
    injured = assess_day(day(40), block(41, {40: {"injured": True}}))
    assert rules(injured) == ("injury",)
    assert injured.level is Level.RED


def test_working_harder_performing_worse_is_amber() -> None:
    # Easy runs at 140 bpm every other day, slowing from 3.0 to 2.8 m/s over the 3 weeks:
    # EF = speed (m/min) / HR = 3.0·60/140 = 1.2857 down to 2.8·60/140 = 1.2000, a straight
    # line, so the fitted change is (1.2 − 1.2857)/1.2857 = −6.67 %.
    assert efficiency_factor(3.0, 140) == pytest.approx(1.2857, abs=1e-4)
    assert efficiency_factor(2.8, 140) == pytest.approx(1.2000, abs=1e-4)
    runs = [(day(k), efficiency_factor(3.0 - 0.2 * (k - 50) / 20, 140)) for k in range(50, 71, 2)]
    assert len(runs) == 11  # days 50, 52, …, 70: the 21 days ending on day 70
    # meanwhile the load rises 0.4 % a day, and fitness (CTL) with it
    report = steady_load(71, rise_per_day=0.004)
    assert report.flags == ()
    status = assess_day(day(70), block(71), load=report, efficiency=runs)
    assert rules(status) == ("performance-decline",)
    assert status.level is Level.AMBER
    evidence = status.findings[0].evidence
    assert evidence["ef_percent_change"] == pytest.approx(-6.67, abs=0.01)
    assert evidence["runs"] == 11
    ctl = report.series.ctl
    assert evidence["ctl"] == pytest.approx(ctl[70], abs=0.05)
    assert evidence["ctl_21_days_ago"] == pytest.approx(ctl[49], abs=0.05)
    assert ctl[70] - ctl[49] == pytest.approx(16.9, abs=0.1)
    # the same runs while the load eases off (−0.2 % a day): no finding
    easing = steady_load(71, rise_per_day=-0.002)
    assert easing.series.ctl[70] < easing.series.ctl[49]
    assert rules(assess_day(day(70), block(71), load=easing, efficiency=runs)) == ()
    # and no finding without a load report, or with fewer than 4 runs in the 21 days
    assert rules(assess_day(day(70), block(71), efficiency=runs)) == ()
    few = runs[-3:]
    assert rules(assess_day(day(70), block(71), load=report, efficiency=few)) == ()
    # with two other findings it turns red
    short = {"sleep_hours": 5.5}
    worse = block(71, {66: short, 68: short, 70: {**short, "ill": True}})
    red = assess_day(day(70), worse, load=report, efficiency=runs)
    assert rules(red) == ("illness", "sleep-short", "performance-decline")
    assert red.findings[2].level is Level.RED
    assert red.findings[2].evidence["other_findings"] == 2


def test_mood_trending_down_is_amber() -> None:
    # mood 5 for a week, then 4 for a week: slope −24.5/227.5 = −0.108 a day (< −0.1), while
    # today's 4 is still within one SD of the 28-day baseline (z = −0.79)
    changes = {k: {"mood": 5 if k < 43 else 4} for k in range(36, 50)}
    status = assess_day(day(49), block(50, changes))
    assert rules(status) == ("mood-trend-down",)
    assert status.level is Level.AMBER
    assert status.findings[0].evidence["slope_per_day"] == pytest.approx(-24.5 / 227.5, abs=1e-3)
    # 6 values in 14 days are too few
    kept = {*range(36), 36, 38, 40, 44, 46, 49}
    sparse = [c for k, c in enumerate(block(50, changes)) if k in kept]
    assert "mood-trend-down" not in rules(assess_day(day(49), sparse))


# --- below the athlete's own baseline: hand-computed z ----------------------------------------


def test_one_low_answer_is_noise_two_of_three_days_a_point_down_are_a_finding() -> None:
    # fatigue alternates 4, 3 for the 28 days before the last 3 (days 10–37): the usual is
    # the 20 % trimmed mean 3.5, the spread the winsorized SD √(7/27) = 0.509
    changes: dict[int, dict[str, Any]] = {k: {"fatigue": 4 if k % 2 else 3} for k in range(10, 38)}
    # one day at 2 (1.5 below the usual, < 2 points): no finding
    one = block(41, {**changes, 38: {"fatigue": 3}, 39: {"fatigue": 4}, 40: {"fatigue": 2}})
    assert rules(assess_day(day(40), one)) == ()
    # 2, 3, 2: two days ≥ 1 point below 3.5 and the 3-day mean 2.33, 1.17 below → amber
    two = block(41, {**changes, 38: {"fatigue": 2}, 39: {"fatigue": 3}, 40: {"fatigue": 2}})
    status = assess_day(day(40), two)
    assert rules(status) == ("fatigue-below-baseline",)
    assert status.level is Level.AMBER
    evidence = status.findings[0].evidence
    assert evidence["usual"] == 3.5
    assert evidence["spread"] == pytest.approx(math.sqrt(7 / 27), abs=1e-2)
    assert evidence["recent_mean"] == pytest.approx(7 / 3, abs=1e-2)
    assert evidence["basis"] == "lasting"
    assert evidence["baseline_values"] == 28
    # 2, 4, 3: only one low day, mean 3.0 → nothing
    mixed = block(41, {**changes, 38: {"fatigue": 2}, 39: {"fatigue": 4}, 40: {"fatigue": 3}})
    assert rules(assess_day(day(40), mixed)) == ()


def test_a_large_one_day_drop_is_amber_and_a_large_lasting_one_is_red() -> None:
    # stress is 4 every day: usual 4, spread at its floor of 0.5 points
    constant = {k: {"stress": 4} for k in range(41)}
    # one day at 2: 2 points and 4 spreads below → amber ("large")
    status = assess_day(day(40), block(41, {**constant, 40: {"stress": 2}}))
    assert rules(status) == ("stress-below-baseline",)
    assert status.level is Level.AMBER
    assert status.findings[0].evidence["basis"] == "large"
    # one day at 3: a single point, once → nothing
    assert rules(assess_day(day(40), block(41, {**constant, 40: {"stress": 3}}))) == ()
    # 1, 2, 1: the 3-day mean 1.33 is 2.67 points below the usual → red on its own
    severe = block(41, {**constant, 38: {"stress": 1}, 39: {"stress": 2}, 40: {"stress": 1}})
    status = assess_day(day(40), severe)
    assert rules(status) == ("stress-below-baseline",)
    assert status.level is Level.RED


def test_while_learning_only_absolute_rules_fire() -> None:
    # 13 check-ins in the 28 days before: the baseline is still learned
    checkins = [healthy(k) for k in range(27, 40)] + [healthy(40, fatigue=1)]
    status = assess_day(day(40), checkins)
    assert rules(status) == ()
    assert status.learning == ("checkins", "load")
    assert status.to_dict()["learning"] == ["checkins", "load"]
    # 14 of them: the item rules judge
    checkins = [healthy(k) for k in range(26, 40)] + [healthy(40, fatigue=1)]
    status = assess_day(day(40), checkins)
    assert rules(status) == ("fatigue-below-baseline",)
    assert status.learning == ("load",)
    # an illness is judged from the first check-in on
    first = assess_day(day(0), [healthy(0, ill=True)])
    assert rules(first) == ("illness",)
    assert first.level is Level.RED


def test_a_new_athlete_is_never_red_from_missing_history() -> None:
    # two heavy gym sessions on the first two days: no chronic load to compare with, so the
    # ACWR rules are silent; against the profile's starting week (1,500) they are no spike
    report = load_report({day(0): 420.0, day(1): 420.0}, day(0), day(1))
    status = assess_day(day(1), [healthy(1, sleep_quality=3)], load=report, starting_week_load=1500)
    assert status.level is Level.GREEN
    assert status.learning == ("checkins", "load")
    # 3,400 in the first week is 2.3 × the starting week: red
    heavy = {day(k): 485.0 for k in range(7)}
    report = load_report(heavy, day(0), day(6))
    status = assess_day(day(6), [], load=report, starting_week_load=1500)
    assert rules(status) == ("load-spike",)
    assert status.level is Level.RED
    assert status.findings[0].evidence["ratio"] == pytest.approx(3395 / 1500, abs=1e-2)


def test_three_items_below_baseline_are_red() -> None:
    two = assess_day(day(40), block(41, {40: {"fatigue": 2, "mood": 2}}))
    assert rules(two) == ("fatigue-below-baseline", "mood-below-baseline")
    assert two.level is Level.AMBER
    three = assess_day(day(40), block(41, {40: {"fatigue": 2, "mood": 2, "motivation": 2}}))
    assert rules(three) == tuple(item_rule(i) for i in ("fatigue", "mood", "motivation"))
    assert all(f.level is Level.RED for f in three.findings)
    assert three.level is Level.RED


def test_item_rule_ids() -> None:
    assert [item_rule(i) for i in ITEMS] == [
        "sleep-quality-below-baseline",
        "fatigue-below-baseline",
        "soreness-below-baseline",
        "stress-below-baseline",
        "mood-below-baseline",
        "motivation-below-baseline",
    ]


# --- the level policy ----------------------------------------------------------------------------


def finding(level: Level = Level.AMBER) -> Finding:
    return Finding("x", level, "x")


def test_status_level_policy() -> None:
    mood, sleep, hrv = Finding("mood-trend-down", Level.AMBER, "x"), finding(), finding()
    sleep = Finding("sleep-short", Level.AMBER, "x")
    hrv = Finding("hrv-low", Level.AMBER, "x")
    assert status_level([]) is Level.GREEN
    assert status_level([mood]) is Level.AMBER  # a single mild finding: amber at most
    assert status_level([mood, sleep]) is Level.AMBER
    assert status_level([mood, sleep, hrv]) is Level.RED  # three that agree, of 3 kinds
    assert status_level([mood, mood, mood]) is Level.AMBER  # one kind of data only
    assert status_level([finding(Level.RED)]) is Level.RED
    # sensitive: two findings of two kinds are enough
    assert status_level([mood, sleep], Sensitivity.SENSITIVE) is Level.RED
    assert [level_rank(x) for x in (Level.GREEN, Level.AMBER, Level.RED)] == [0, 1, 2]


# --- input handling ------------------------------------------------------------------------------


def test_check_ins_may_be_unsorted_sparse_and_later_ones_are_ignored() -> None:
    checkins = block(41, {40: {"fatigue": 1}})
    expected = assess_day(day(40), checkins)
    shuffled = checkins[::2][::-1] + checkins[1::2]
    later = [healthy(k, ill=True) for k in range(41, 45)]
    assert assess_day(day(40), shuffled + later) == expected
    assert assess_day(day(40), []) == DayStatus(day(40), Level.GREEN, learning=("checkins", "load"))


def test_two_check_ins_on_one_day_are_refused() -> None:
    with pytest.raises(ValueError, match="two check-ins for 2026-01-06"):
        assess_day(day(3), [healthy(1), healthy(1)])


def test_range_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before start"):
        assess_range(day(3), day(2), [])


def test_status_serialises_to_json() -> None:
    status = assess_day(day(40), block(41, {40: {"fatigue": 1, "ill": True}}))
    data = json.loads(json.dumps(status.to_dict()))
    assert data["level"] == "red"
    assert [f["rule"] for f in data["findings"]] == ["illness", "fatigue-below-baseline"]
    assert all(f["source"].startswith("docs/science.md") for f in data["findings"])


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fatigue": 7}, "fatigue must be 1–5, got 7"),
        ({"mood": 0}, "mood must be 1–5, got 0"),
        ({"sleep_quality": 3.5}, "sleep_quality must be a whole number 1–5, got 3.5"),
        ({"stress": True}, "stress must be a whole number 1–5, got True"),
        ({"sleep_hours": 17.0}, "sleep_hours must be 0–16 h, got 17.0"),
        ({"sleep_hours": -1.0}, "sleep_hours must be 0–16 h, got -1.0"),
        ({"sleep_hours": math.nan}, "sleep_hours must be 0–16 h, got nan"),
        ({"resting_hr": 20}, "resting_hr must be 25–150 bpm, got 20"),
        ({"resting_hr": 151}, "resting_hr must be 25–150 bpm, got 151"),
        ({"resting_hr": 55.5}, "resting_hr must be a whole number 25–150 bpm, got 55.5"),
        ({"hrv_rmssd_ms": 0.5}, "hrv_rmssd_ms must be 1–300 ms, got 0.5"),
        ({"hrv_rmssd_ms": 301.0}, "hrv_rmssd_ms must be 1–300 ms, got 301.0"),
        ({"mass_kg": 24.9}, "mass_kg must be 25–250 kg, got 24.9"),
        ({"mass_kg": math.inf}, "mass_kg must be 25–250 kg, got inf"),
    ],
)
def test_impossible_values_are_refused_and_named(changes: dict[str, Any], message: str) -> None:
    bad = healthy(0, **changes)
    with pytest.raises(ValueError, match=f"^{message}$"):
        validate_checkin(bad)
    with pytest.raises(ValueError, match=message):
        assess_day(day(0), [bad])


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"fatigue": 1, "mood": 5},
        {"sleep_hours": 0.0},
        {"sleep_hours": 16.0},
        {"resting_hr": 25},
        {"resting_hr": 150},
        {"hrv_rmssd_ms": 1.0},
        {"hrv_rmssd_ms": 300.0},
        {"mass_kg": 25.0},
        {"mass_kg": 250.0},
    ],
)
def test_limits_are_accepted(changes: dict[str, Any]) -> None:
    validate_checkin(healthy(0, **changes))
    validate_checkin(CheckIn(day(0)))  # nothing reported


def test_bad_efficiency_points_are_refused() -> None:
    with pytest.raises(ValueError, match="efficiency factor on 2026-01-05"):
        assess_day(day(0), [], efficiency=[(day(0), math.nan)])


# --- properties ----------------------------------------------------------------------------------

SPAN = 45  # days of data; the last is judged

item_value = st.integers(1, 5)
day_values = st.tuples(
    st.lists(item_value, min_size=6, max_size=6),
    st.integers(40, 130).map(lambda x: x / 10),  # sleep hours 4.0–13.0
    st.integers(40, 70),  # resting HR
    st.integers(20, 150).map(float),  # rMSSD
    st.booleans(),  # present (sparse data)
)


def checkins_from(rows: list[tuple[list[int], float, int, float, bool]]) -> list[CheckIn]:
    out = []
    for k, (items, sleep, hr, hrv, present) in enumerate(rows):
        if present or k == len(rows) - 1:
            fields = dict(zip(ITEMS, items, strict=True))
            out.append(
                CheckIn(day(k), sleep_hours=sleep, resting_hr=hr, hrv_rmssd_ms=hrv, **fields)
            )
    return out


@given(
    rows=st.lists(day_values, min_size=SPAN, max_size=SPAN),
    drops=st.lists(st.integers(0, 4), min_size=6, max_size=6),
    less_sleep=st.integers(0, 40).map(lambda x: x / 10),
    more_hr=st.integers(0, 30),
    hrv_factor=st.floats(0.2, 1.0),
    ill=st.booleans(),
    injured=st.booleans(),
)
@settings(deadline=None, max_examples=150)
def test_worse_values_today_never_improve_the_status(
    rows: list[tuple[list[int], float, int, float, bool]],
    drops: list[int],
    less_sleep: float,
    more_hr: int,
    hrv_factor: float,
    ill: bool,
    injured: bool,
) -> None:
    checkins = checkins_from(rows)
    today = checkins[-1]
    assert today.day == day(SPAN - 1)
    worse_items = {
        name: max(1, value - drop)
        for name, value, drop in zip(
            ITEMS, (getattr(today, name) for name in ITEMS), drops, strict=True
        )
    }
    worse = replace(
        today,
        sleep_hours=max(0.0, (today.sleep_hours or 0) - less_sleep),
        resting_hr=min(150, (today.resting_hr or 0) + more_hr),
        hrv_rmssd_ms=max(1.0, (today.hrv_rmssd_ms or 0) * hrv_factor),
        ill=ill,
        injured=injured,
        **worse_items,
    )
    before = assess_day(today.day, checkins)
    after = assess_day(today.day, [*checkins[:-1], worse])
    assert level_rank(after.level) >= level_rank(before.level)
    assert set(rules(before)) <= set(rules(after))


@given(rows=st.lists(day_values, min_size=SPAN, max_size=SPAN))
@settings(deadline=None, max_examples=40)
def test_a_range_equals_its_days_one_by_one(
    rows: list[tuple[list[int], float, int, float, bool]],
) -> None:
    checkins = checkins_from(rows)
    report = load_report([WEEK[k % 7] * (1 + (k % 11) / 5) for k in range(SPAN)], D0)
    runs = [(day(k), 1.3 - 0.004 * k + 0.01 * (k % 3)) for k in range(0, SPAN, 2)]
    statuses = assess_range(day(0), day(SPAN - 1), checkins, load=report, efficiency=runs)
    assert [s.day for s in statuses] == [day(k) for k in range(SPAN)]
    for status in statuses:
        assert status == assess_day(status.day, checkins, load=report, efficiency=runs)
        assert status.level is status_level(status.findings)


def naive_ready(by_day: dict[date, CheckIn], on: date) -> bool:
    return sum(1 for k in range(1, 29) if on - timedelta(days=k) in by_day) >= 14


def naive_below_baseline(checkins: list[CheckIn], on: date, item: str) -> bool | None:
    """The standard item rule written out with sorted lists; None on a float tie."""
    by_day = {c.day: c for c in checkins}
    if not naive_ready(by_day, on):
        return False

    def value(k: int) -> int | None:
        c = by_day.get(on - timedelta(days=k))
        return None if c is None else getattr(c, item)

    recent = [v for k in (2, 1, 0) if (v := value(k)) is not None]
    base = sorted(v for k in range(3, 31) if (v := value(k)) is not None)
    if not recent or len(base) < 10:
        return False
    cut = int(0.2 * len(base))
    kept = base[cut : len(base) - cut]
    usual = statistics.mean(kept)
    wins = [kept[0]] * cut + kept + [kept[-1]] * cut
    spread = max(statistics.stdev(wins), 0.5)
    mean = statistics.mean(recent)
    low = sum(1 for v in recent if v <= usual - 1)
    for edge in (usual - mean - 1, usual - 1 - round(usual - 1)):
        if abs(edge) < 1e-9:
            return None
    if low >= 2 and usual - mean >= 1:
        return True
    today = value(0)
    if today is None:
        return False
    if abs(usual - today - 2) < 1e-9 or abs(usual - today - 3 * spread) < 1e-9:
        return None
    return usual - today >= 2 and usual - today >= 3 * spread


def naive_hrv_low(checkins: list[CheckIn], on: date) -> bool | None:
    """The standard HRV rule written out with the statistics module; None near the line."""
    by_day = {c.day: c for c in checkins}
    if not naive_ready(by_day, on):
        return False

    def logs(first: int, last: int) -> list[float]:
        return [
            math.log(h)
            for k in range(first, last + 1)
            if (c := by_day.get(on - timedelta(days=k))) is not None
            and (h := c.hrv_rmssd_ms) is not None
        ]

    week, base = logs(0, 6), logs(7, 34)
    if len(week) < 4 or len(base) < 14:
        return False
    sd = statistics.stdev(base)
    # the smallest worthwhile change (0.5 SD) plus one typical error of a 7-day mean
    margin = statistics.mean(base) - 0.5 * sd - sd / math.sqrt(len(week)) - statistics.mean(week)
    return None if abs(margin) < 1e-5 else margin > 0 and sd > 0


@given(rows=st.lists(day_values, min_size=SPAN, max_size=SPAN))
@settings(deadline=None, max_examples=60)
def test_exact_integer_baselines_agree_with_a_direct_computation(
    rows: list[tuple[list[int], float, int, float, bool]],
) -> None:
    checkins = checkins_from(rows)
    for status in assess_range(day(30), day(SPAN - 1), checkins):
        fired = set(rules(status))
        for item in ITEMS:
            expected = naive_below_baseline(checkins, status.day, item)
            if expected is not None:
                assert (item_rule(item) in fired) == expected, (item, status.day)
        expected_hrv = naive_hrv_low(checkins, status.day)
        if expected_hrv is not None:
            assert ("hrv-low" in fired) == expected_hrv, status.day
