"""Training-load numbers: worked examples a reader can check by hand, and properties.

Rounded hand values are compared with ``pytest.approx`` at the precision they are written to.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runlift.domain.activities import ActivitySport, CompletedActivity, Streams
from runlift.domain.load import (
    MAX_SAMPLE_GAP_S,
    LoadReport,
    acwr_ewma,
    acwr_rolling,
    banister_trimp,
    daily_loads,
    efficiency_factor,
    efficiency_trend,
    fitness_fatigue,
    grade_adjustment,
    load_report,
    minetti_cost_factor,
    monotony_strain,
    ramp_rate,
    rtss,
    session_rpe_load,
    trimp_from_activity,
)

D0 = date(2026, 1, 5)  # a Monday


def days(n: int) -> list[date]:
    return [D0 + timedelta(days=i) for i in range(n)]


# --- session RPE ---------------------------------------------------------------------------------


def test_session_rpe_is_rpe_times_minutes() -> None:
    # an hour at RPE 7 ("very hard") = 7 × 60 = 420; a 45-min lift at RPE 6.5 = 292.5
    assert session_rpe_load(7, 60) == 420
    assert session_rpe_load(6.5, 45) == 292.5
    assert session_rpe_load(0, 30) == 0
    assert session_rpe_load(10, 0) == 0


@pytest.mark.parametrize(
    ("rpe", "minutes", "named"),
    [(11, 30, "11"), (-1, 30, "-1"), (math.nan, 30, "nan"), (5, -10, "-10"), (5, math.inf, "inf")],
)
def test_session_rpe_rejects_impossible_values_and_names_them(
    rpe: float, minutes: float, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        session_rpe_load(rpe, minutes)


# --- fitness, fatigue, form ----------------------------------------------------------------------


def test_one_hundred_load_day_worked_example() -> None:
    # k42 = 1 − e^(−1/42) = 0.0235283, k7 = 1 − e^(−1/7) = 0.1331221
    # day 1: CTL = 0 + k42·(100 − 0) = 2.3528, ATL = 13.3122, TSB = CTL0 − ATL0 = 0
    # day 2 (rest): CTL = 2.3528·e^(−1/42) = 2.2975, ATL = 13.3122·e^(−1/7) = 11.5401,
    #               TSB = yesterday's 2.3528 − 13.3122 = −10.9594
    day1, day2 = fitness_fatigue([100, 0])
    assert day1.ctl == pytest.approx(2.3528, abs=5e-5)
    assert day1.atl == pytest.approx(13.3122, abs=5e-5)
    assert day1.tsb == 0
    assert day2.ctl == pytest.approx(2.2975, abs=5e-5)
    assert day2.atl == pytest.approx(11.5401, abs=5e-5)
    assert day2.tsb == pytest.approx(-10.9594, abs=5e-5)


def test_constant_load_converges_to_the_load() -> None:
    # From 0, CTL after t days of load L is L·(1 − e^(−t/42)): after 42 days 0.6321·L ...
    points = fitness_fatigue([80.0] * 1000)
    assert points[41].ctl == pytest.approx(80 * 0.63212, abs=1e-3)
    # ... and after 1000 days L·(1 − e^(−23.8)) ≈ L; ATL too, and TSB → 0.
    assert points[-1].ctl == pytest.approx(80, abs=1e-6)
    assert points[-1].atl == pytest.approx(80, abs=1e-9)
    assert points[-1].tsb == pytest.approx(0, abs=1e-6)


def test_seeds_set_the_first_days_form() -> None:
    # TSB on day 1 is the seeds' difference: 60 − 80 = −20
    first = fitness_fatigue([0.0], ctl0=60, atl0=80)[0]
    assert first.tsb == -20
    assert first.ctl == pytest.approx(60 * math.exp(-1 / 42))


def test_time_constants_can_change() -> None:
    # N = 1: k = 1 − e^(−1) = 0.63212
    assert fitness_fatigue([10.0], ctl_days=1)[0].ctl == pytest.approx(6.3212, abs=5e-5)
    with pytest.raises(ValueError, match="ctl_days"):
        fitness_fatigue([10.0], ctl_days=0)


def test_ramp_rate_is_the_ctl_change_over_seven_days() -> None:
    ctl = [float(i) for i in range(10)]  # CTL rising by 1 a day
    assert ramp_rate(ctl) == [None] * 7 + [7.0, 7.0, 7.0]
    assert ramp_rate(ctl, days=2)[2] == 2.0


# --- ACWR ----------------------------------------------------------------------------------------


def test_acwr_is_none_until_day_28() -> None:
    loads = [100.0] * 40
    for series in (acwr_ewma(loads), acwr_rolling(loads)):
        assert series[:27] == [None] * 27
        assert series[27] == pytest.approx(1.0)  # constant load: acute = chronic
    assert acwr_ewma([100.0] * 27) == [None] * 27


def test_acwr_worked_example_day_29() -> None:
    # 28 days at 100, then 200 on day 29.
    # EWMA (seeded at the first day's 100, so both stay 100 through day 28):
    #   acute   = 100 + 2/8 ·(200 − 100) = 125
    #   chronic = 100 + 2/29·(200 − 100) = 106.8966     ratio = 125 / 106.8966 = 1.16935
    # rolling: 7-day mean (6·100 + 200)/7 = 114.2857, 28-day mean (27·100 + 200)/28 = 103.5714
    #   ratio = 114.2857 / 103.5714 = 1.10345
    loads = [100.0] * 28 + [200.0]
    assert acwr_ewma(loads)[28] == pytest.approx(1.16935, abs=5e-6)
    assert acwr_rolling(loads)[28] == pytest.approx(1.10345, abs=5e-6)


def test_a_week_at_triple_load_is_a_spike() -> None:
    # 28 days at 100, then 7 days at 300.
    # rolling on the 7th day: 300 / ((21·100 + 7·300)/28 = 150) = 2.0
    # EWMA: acute = 300 − 200·0.75^7 = 273.3032; chronic = 300 − 200·(27/29)^7 = 178.7197;
    #   ratio = 1.5292
    loads = [100.0] * 28 + [300.0] * 7
    assert acwr_rolling(loads)[-1] == pytest.approx(2.0)
    assert acwr_ewma(loads)[-1] == pytest.approx(1.5292, abs=5e-5)
    # The rolling ratio passes 1.5 on the 3rd day at 300: 4·(4·100 + 3·300)/(25·100 + 3·300)
    # = 5200/3400 = 1.529 (the 2nd day: 4400/3200 = 1.375), so the flag runs days 31-35.
    report = load_report(loads, D0)
    spikes = [f for f in report.flags if f.kind == "acwr_spike"]
    assert len(spikes) == 1
    assert (spikes[0].start, spikes[0].end) == (D0 + timedelta(30), D0 + timedelta(34))
    assert spikes[0].peak == pytest.approx(2.0)
    assert "Williams 2017" in spikes[0].message
    assert "Impellizzeri 2020" in spikes[0].message


# --- monotony and strain -------------------------------------------------------------------------


def test_monotony_worked_example() -> None:
    # loads 300, 0, 450, 0, 300, 600, 0: weekly load 1650, mean 1650/7 = 235.7143
    # Σx² = 90000 + 202500 + 90000 + 360000 = 742500; Σx²/7 = 106071.4286
    # population variance = 106071.4286 − 235.7143² (55561.2245) = 50510.2041, SD = 224.7448
    # monotony = 235.7143 / 224.7448 = 1.0488; strain = 1650 × 1.0488 = 1730.53
    points = monotony_strain([300, 0, 450, 0, 300, 600, 0])
    assert points[:6] == [None] * 6
    week = points[6]
    assert week is not None
    assert week.weekly_load == 1650
    assert week.mean == pytest.approx(235.7143, abs=5e-5)
    assert week.sd == pytest.approx(224.7448, abs=5e-5)
    assert week.monotony == pytest.approx(1.0488, abs=5e-5)
    assert week.strain == pytest.approx(1730.53, abs=5e-3)
    assert week.level == "ok"


def test_monotony_of_a_constant_week_is_ten_and_of_a_rest_week_zero() -> None:
    # SD = 0 with mean > 0 → monotony 10, strain = 7·60 × 10 = 4200; all zero → 0 and 0
    constant = monotony_strain([60.0] * 7)[-1]
    assert constant is not None
    assert (constant.sd, constant.monotony, constant.strain) == (0.0, 10.0, 4200.0)
    assert constant.level == "high"
    rest = monotony_strain([0.0] * 7)[-1]
    assert rest is not None
    assert (rest.monotony, rest.strain) == (0.0, 0.0)


def test_monotony_levels() -> None:
    # 100 ×6 and 0: mean 85.714, SD = 34.993 → monotony 2.449 (high)
    # 100 ×5 and 0 ×2: mean 71.429, SD = 45.175 → 1.581 (warn)
    high = monotony_strain([100.0] * 6 + [0.0])[-1]
    warn = monotony_strain([100.0] * 5 + [0.0] * 2)[-1]
    assert high is not None
    assert warn is not None
    assert high.monotony == pytest.approx(2.449, abs=5e-4)
    assert high.level == "high"
    assert warn.monotony == pytest.approx(1.581, abs=5e-4)
    assert warn.level == "warn"


def test_a_quiet_week_after_years_of_heavy_ones_keeps_its_precision() -> None:
    # 1 … 7 has mean 4 and population SD 2 → monotony 2 exactly; a constant week → 10.
    history = [1e6] * 1000
    quiet = monotony_strain([*history, 1, 2, 3, 4, 5, 6, 7])[-1]
    flat = monotony_strain([*history, 3, 3, 3, 3, 3, 3, 3])[-1]
    rest = acwr_rolling([*history, *([0.0] * 27), 5.0])[-1]
    assert quiet is not None
    assert flat is not None
    assert quiet.monotony == pytest.approx(2.0, rel=1e-12)
    assert flat.monotony == 10.0
    assert rest == pytest.approx(4.0, rel=1e-12)  # (5/7) / (5/28)


# --- TRIMP ---------------------------------------------------------------------------------------

# HRrest 60, HRmax 190, HR 151: x = (151 − 60)/(190 − 60) = 91/130 = 0.7
# men:   30 min × 0.7 × 0.64·e^(1.92·0.7 = 1.344) = 30 × 0.7 × 0.64 × 3.83435 = 51.5337
# women: 30 min × 0.7 × 0.86·e^(1.67·0.7 = 1.169) = 30 × 0.7 × 0.86 × 3.21877 = 58.1310
MALE_30 = 51.5337
FEMALE_30 = 58.1310


def steady(seconds: int, hr: float, step: int = 1) -> tuple[list[float], list[float | None]]:
    t = [float(s) for s in range(0, seconds + 1, step)]
    return t, [hr] * len(t)


@pytest.mark.parametrize(("sex", "expected"), [("male", MALE_30), ("female", FEMALE_30)])
def test_trimp_thirty_minutes_at_constant_heart_rate(sex: str, expected: float) -> None:
    t, hr = steady(1800, 151)  # 1801 samples, 1800 one-second intervals = 30 min
    trimp = banister_trimp(t, hr, hr_rest=60, hr_max=190, sex=sex)
    assert trimp == pytest.approx(expected, abs=5e-5)
    t5, hr5 = steady(1800, 151, step=5)
    assert banister_trimp(t5, hr5, hr_rest=60, hr_max=190, sex=sex) == pytest.approx(trimp)


def test_trimp_gaps_count_thirty_seconds_and_none_nothing() -> None:
    # A 60 s gap counts as 30 s: 0.5 min × 0.7 × 0.64·e^1.344 = 0.5 × 1.71779 = 0.85889
    assert MAX_SAMPLE_GAP_S == 30
    gap = banister_trimp([0, 60], [151, 151], hr_rest=60, hr_max=190, sex="male")
    assert gap == pytest.approx(0.85889, abs=5e-6)
    # A None sample contributes nothing for its interval: 2 of 3 minutes count.
    dropped = banister_trimp(
        [0, 30, 60, 90, 120, 150, 180],
        [151, 151, None, None, 151, 151, 151],
        hr_rest=60,
        hr_max=190,
        sex="m",
    )
    assert dropped == pytest.approx(4 * gap, abs=5e-6)


def test_trimp_clamps_the_heart_rate_reserve() -> None:
    # Above HRmax, x = 1: 1 min × 0.64·e^1.92 = 4.36541; below HRrest, x = 0
    above = banister_trimp([0, 60], [200, 200], hr_rest=60, hr_max=190, sex="male")
    assert above == pytest.approx(0.5 * 4.36541, abs=5e-6)  # a 60 s gap is 30 s
    assert banister_trimp([0, 30], [50, 50], hr_rest=60, hr_max=190, sex="male") == 0


def test_trimp_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="same length"):
        banister_trimp([0, 1], [150], hr_rest=60, hr_max=190, sex="male")
    with pytest.raises(ValueError, match="hr_max"):
        banister_trimp([0, 1], [150, 150], hr_rest=60, hr_max=55, sex="male")
    with pytest.raises(ValueError, match="'x'"):
        banister_trimp([0, 1], [150, 150], hr_rest=60, hr_max=190, sex="x")


def test_trimp_from_activity_prefers_the_stream_then_the_average() -> None:
    start = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    t, hr = steady(1800, 151)
    with_stream = CompletedActivity(
        ActivitySport.RUN, start, 1800, streams=Streams(t_s=tuple(t), hr=tuple(hr))
    )
    averaged = CompletedActivity(ActivitySport.RUN, start, 2400, timer_s=1800, avg_hr=151)
    no_hr = CompletedActivity(ActivitySport.STRENGTH, start, 1800)
    assert trimp_from_activity(with_stream, 60, 190, "male") == pytest.approx(MALE_30, abs=5e-5)
    # moving time (timer) 30 min at an average of 151 bpm: the same 51.5337
    assert trimp_from_activity(averaged, 60, 190, "male") == pytest.approx(MALE_30, abs=5e-5)
    assert trimp_from_activity(no_hr, 60, 190, "female") is None


# --- rTSS ----------------------------------------------------------------------------------------


def test_rtss_one_hour_at_threshold_is_100() -> None:
    assert rtss(3600, 3600 * 4.0, 4.0) == pytest.approx(100)


def test_rtss_thirty_minutes_at_110_percent() -> None:
    # 0.5 h × 1.1² × 100 = 60.5
    assert rtss(1800, 1800 * 3.3, 3.0) == pytest.approx(60.5)
    assert rtss(0, 0, 3.0) == 0


def test_minetti_cost_factors() -> None:
    # C(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6
    # C(0.1) = 0.001554 − 0.00304 − 0.0433 + 0.463 + 1.95 + 3.6 = 5.968214 → /3.6 = 1.657837
    # C(−0.1) = −0.001554 − 0.00304 + 0.0433 + 0.463 − 1.95 + 3.6 = 2.151706 → /3.6 = 0.597696
    assert minetti_cost_factor(0) == 1
    assert minetti_cost_factor(0.1) == pytest.approx(1.657837, abs=5e-7)
    assert minetti_cost_factor(-0.1) == pytest.approx(0.597696, abs=5e-7)
    assert minetti_cost_factor(0.9) == minetti_cost_factor(0.45)  # clamped to the data


def test_rtss_grade_adjusted_on_a_steady_climb() -> None:
    # 1 h at 1 m/s up a 10 % grade: speed × 1.657837 → IF = 1.657837 at a 1 m/s threshold,
    # rTSS = 1 × 1.657837² × 100 = 274.842
    distance = [float(d) for d in range(0, 3601, 10)]
    altitude: list[float | None] = [0.1 * d for d in distance]
    stream: list[float | None] = list(distance)
    hilly = rtss(3600, 3600, 1.0, altitude=altitude, distance_stream=stream)
    assert hilly == pytest.approx(274.842, abs=5e-4)
    # on the flat the streams change nothing
    flat = rtss(3600, 3600, 1.0, altitude=[5.0] * len(stream), distance_stream=stream)
    assert flat == pytest.approx(100)


def test_grade_adjustment_skips_missing_samples_and_weights_by_distance() -> None:
    # 100 m up at 10 % then 100 m down at 10 %: (1.657837 + 0.597696)/2 = 1.127767
    d: list[float | None] = [0, 50, 100, None, 150, 200]
    h: list[float | None] = [0, 5, 10, 99, 5, 0]
    assert grade_adjustment(h, d) == pytest.approx(1.127767, abs=5e-7)
    assert grade_adjustment([None, None], [None, None]) == 1.0
    with pytest.raises(ValueError, match="together"):
        rtss(3600, 3600, 1.0, altitude=[0.0])
    with pytest.raises(ValueError, match="threshold_speed_mps"):
        rtss(3600, 3600, 0.0)


# --- daily loads, efficiency ---------------------------------------------------------------------


def test_daily_loads_sums_per_day_with_rest_days_zero() -> None:
    # a run (300) and a lift (250) on day 1, nothing on day 2, 400 on day 3; day 9 is outside
    entries = [(D0, 300.0), (D0, 250.0), (D0 + timedelta(2), 400.0), (D0 + timedelta(9), 1.0)]
    assert daily_loads(entries, D0, D0 + timedelta(3)) == [550.0, 0.0, 400.0, 0.0]
    with pytest.raises(ValueError, match="before start"):
        daily_loads([], D0, D0 - timedelta(1))
    with pytest.raises(ValueError, match="-5"):
        daily_loads([(D0, -5.0)], D0, D0)


def test_efficiency_factor_and_its_trend() -> None:
    # 3 m/s = 180 m/min at 150 bpm → 1.2
    assert efficiency_factor(3.0, 150) == pytest.approx(1.2)
    # EF 1.00, 1.02, 1.04 a week apart: slope 0.02 a week, 1.00 → 1.04 = +4.0 %
    end = D0 + timedelta(20)
    points = [(D0 + timedelta(6), 1.00), (D0 + timedelta(13), 1.02), (end, 1.04)]
    trend = efficiency_trend([(D0 - timedelta(30), 9.0), *points], end)  # the first is too old
    assert trend is not None
    assert trend.n == 3
    assert trend.slope_per_week == pytest.approx(0.02)
    assert trend.percent_change == pytest.approx(4.0)
    assert efficiency_trend(points[:2], end) is None  # fewer than 3 runs


# --- the report ----------------------------------------------------------------------------------


def test_report_columns_match_the_single_functions() -> None:
    loads = [(i * 37 % 11) * 40.0 for i in range(90)]  # an irregular but repeatable pattern
    report = load_report(loads, D0)
    series = report.series
    pmc = fitness_fatigue(loads)
    assert series.ctl == tuple(p.ctl for p in pmc)
    assert series.atl == tuple(p.atl for p in pmc)
    assert series.tsb == tuple(p.tsb for p in pmc)
    assert series.acwr_ewma == tuple(acwr_ewma(loads))
    assert series.acwr_rolling == tuple(acwr_rolling(loads))
    assert series.monotony == tuple(p and p.monotony for p in monotony_strain(loads))
    assert series.strain == tuple(p and p.strain for p in monotony_strain(loads))
    assert series.ramp == tuple(ramp_rate(series.ctl))
    assert len(series) == 90
    assert series.end == D0 + timedelta(89)
    row = series.at(D0 + timedelta(40))
    assert row == series[40]
    assert (row.date, row.load, row.ctl) == (D0 + timedelta(40), loads[40], pmc[40].ctl)
    assert [r.date for r in series] == days(90)


def test_report_from_a_mapping_equals_the_list() -> None:
    loads = [0.0, 300.0, 0.0, 450.0] * 10
    by_date = {d: v for d, v in zip(days(40), loads, strict=True) if v}
    from_map = load_report(by_date, D0, D0 + timedelta(39))
    assert from_map == load_report(loads, D0)
    assert load_report(by_date, D0).series.end == D0 + timedelta(39)  # the last date
    with pytest.raises(ValueError, match="3 daily loads given for 2 days"):
        load_report([1.0, 2.0, 3.0], D0, D0 + timedelta(1))


def test_report_flags_deep_fatigue_as_form_below_30_percent_of_fitness() -> None:
    # 42 days at 100 a day, then 6 days at 400: recompute the PMC by docs/science.md §3's recurrence
    # X_t = X_{t-1} + k(load_t − X_{t-1}), k = 1 − e^(−1/N), TSB_t = CTL_{t−1} − ATL_{t−1},
    # and flag the days (after day 28) whose TSB is below −30 % of CTL_{t−1}.
    loads = [100.0] * 42 + [400.0] * 6 + [0.0] * 4
    k_ctl, k_atl = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    ctl = atl = 0.0
    expected = []
    for day, load in enumerate(loads):
        tsb = ctl - atl
        if day >= 28 and tsb < -0.30 * ctl:
            expected.append(day)
        ctl += k_ctl * (load - ctl)
        atl += k_atl * (load - atl)
    assert expected, "the heavy block must drive form below −30 % of fitness"
    report = load_report(loads, D0)
    flags = [f for f in report.flags if f.kind == "tsb_low"]
    flagged = [day for day in range(len(loads)) for f in flags if f.covers(D0 + timedelta(day))]
    assert flagged == expected
    assert "% of fitness" in flags[0].message
    assert "Coggan" in flags[0].message


def test_deep_fatigue_is_not_judged_in_the_first_28_days() -> None:
    # One 300 session on day 1: TSB on day 2 = −32.9 (hand: 300·(0.0235 − 0.1331)), far below
    # −30 % of a fitness of 7; too early to judge form.
    assert [f for f in load_report([300.0, 0.0, 0.0], D0).flags if f.kind == "tsb_low"] == []


def test_report_flags_monotony_with_high_strain() -> None:
    # 35 days alternating 200 and rest (monotony about 1.1), then a week at 300 every day:
    # the week ends with monotony 10 and strain 2100 × 10 = 21000, far above its 28-day mean.
    loads = [200.0, 0.0] * 17 + [0.0] + [300.0] * 7
    report = load_report(loads, D0, form_floor_pct=-1e9)
    flags = [f for f in report.flags if f.kind == "monotony_strain"]
    assert len(flags) == 1
    assert flags[0].end == D0 + timedelta(len(loads) - 1)
    assert flags[0].peak == 10.0
    assert "Foster 1998" in flags[0].message


def test_all_zero_loads_give_zeros_and_no_flags() -> None:
    report = load_report([0.0] * 60, D0)
    series = report.series
    assert set(series.ctl) == set(series.atl) == set(series.tsb) == {0.0}
    assert set(series.acwr_ewma[27:]) == set(series.acwr_rolling[27:]) == {0.0}
    assert set(series.monotony[6:]) == set(series.strain[6:]) == {0.0}
    assert report.flags == ()
    assert isinstance(report, LoadReport)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_daily_loads_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="daily load"):
        load_report([1.0, bad, 2.0], D0)
    with pytest.raises(ValueError, match="daily load"):
        fitness_fatigue([bad])


def test_empty_inputs() -> None:
    assert fitness_fatigue([]) == []
    assert acwr_ewma([]) == acwr_rolling([]) == []
    assert monotony_strain([]) == []
    with pytest.raises(ValueError, match="no daily loads"):
        load_report([], D0)


# --- properties ----------------------------------------------------------------------------------

# Session-RPE loads: RPE × minutes, kept to one decimal (0 … 2000 AU; rest days common).
realistic_load = st.one_of(st.just(0.0), st.integers(0, 20_000).map(lambda x: x / 10))
load_lists = st.lists(realistic_load, min_size=1, max_size=150)
scale = st.floats(0.01, 100.0)


def close(a: float | None, b: float | None, rel: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


@given(loads=st.lists(st.floats(0, 5000), min_size=1, max_size=200), data=st.data())
@settings(deadline=None)
def test_ewma_stays_within_the_loads_when_seeded_inside(
    loads: list[float], data: st.DataObject
) -> None:
    lo, hi = min(loads), max(loads)
    ctl0 = data.draw(st.floats(lo, hi))
    atl0 = data.draw(st.floats(lo, hi))
    for point in fitness_fatigue(loads, ctl0=ctl0, atl0=atl0):
        assert lo <= point.ctl <= hi
        assert lo <= point.atl <= hi


@given(loads=st.lists(realistic_load, min_size=28, max_size=150), c=scale)
@settings(deadline=None)
def test_acwr_is_scale_invariant(loads: list[float], c: float) -> None:
    scaled = [c * x for x in loads]
    for f in (acwr_ewma, acwr_rolling):
        assert all(close(a, b) for a, b in zip(f(loads), f(scaled), strict=True))


@given(loads=load_lists, c=scale)
@settings(deadline=None)
def test_monotony_is_scale_invariant(loads: list[float], c: float) -> None:
    plain = monotony_strain(loads)
    scaled = monotony_strain([c * x for x in loads])
    for a, b in zip(plain, scaled, strict=True):
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert close(a.monotony, b.monotony, rel=1e-6)


@given(n=st.integers(0, 120))
def test_all_zero_loads_never_crash(n: int) -> None:
    zeros = [0.0] * n
    assert all(p.ctl == p.atl == p.tsb == 0 for p in fitness_fatigue(zeros))
    assert all(r in (None, 0.0) for r in acwr_ewma(zeros) + acwr_rolling(zeros))
    assert all(p is None or p.monotony == p.strain == 0 for p in monotony_strain(zeros))
    if n:
        assert load_report(zeros, D0).flags == ()


@given(loads=load_lists)
@settings(deadline=None)
def test_monotony_matches_a_direct_two_pass_computation(loads: list[float]) -> None:
    for i, point in enumerate(monotony_strain(loads)):
        if point is None:
            continue
        week = loads[i - 6 : i + 1]
        mean = math.fsum(week) / 7
        sd = math.sqrt(math.fsum((x - mean) ** 2 for x in week) / 7)
        expected = mean / sd if sd > 0 else (10.0 if mean > 0 else 0.0)
        assert close(point.monotony, expected, rel=1e-6)


@given(loads=st.lists(st.floats(0, 1e12), min_size=1, max_size=80))
@settings(deadline=None)
def test_any_finite_loads_give_finite_numbers(loads: list[float]) -> None:
    series = load_report(loads, D0).series
    columns = (series.ctl, series.atl, series.tsb, series.acwr_ewma, series.acwr_rolling)
    for column in (*columns, series.monotony, series.strain, series.ramp):
        assert all(v is None or math.isfinite(v) for v in column)
