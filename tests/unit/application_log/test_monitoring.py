"""The load report and compliance use cases over stored activities, checked by hand.

Formulas (docs/science.md §3, docs/training-load.md): CTL_t = CTL_{t−1} + (1 − e^(−1/42))·(load_t −
CTL_{t−1}) from 0, so a constant load L gives CTL_n = L·(1 − e^(−n/42)); ATL the same with 7;
TSB_t = CTL_{t−1} − ATL_{t−1}; ACWR (EWMA, λ = 2/(N+1), seeded with the first day's load, and
coupled rolling 7/28) only from the 28th day of data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.dto import StoredAthlete
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.monitoring import compliance_report, flag_rule, load_overview
from runlift.domain.activities import CompletedActivity, StrengthSet
from tests.plan_builders import a_valid_plan

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
BERLIN = EXAMPLE.replace("max_hr = 188", 'max_hr = 188\ntimezone = "Europe/Berlin"', 1)
D0 = date(2026, 10, 5)  # a Monday: the first day of data


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def store(profile: str = EXAMPLE, *, plan: bool = False) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(profile, created_at=datetime.now(UTC)))
        if plan:
            uow.plans.add_version(athlete_id, a_valid_plan(4), "plan", datetime.now(UTC))
        uow.commit()
    return uow


def add(
    uow: InMemoryUnitOfWork,
    start: datetime | None,
    load: float | None,
    *,
    sport: str = "run",
    minutes: float = 30,
    km: float | None = None,
    avg_hr: float | None = None,
    planned: str | None = None,
    sets: int = 0,
) -> None:
    activity = CompletedActivity(
        sport=sport,
        start=start,
        elapsed_s=minutes * 60,
        distance_m=None if km is None else km * 1000,
        avg_hr=avg_hr,
        strength_sets=tuple(StrengthSet("Back squat", 5, 80.0) for _ in range(sets)),
    )
    with uow:
        uow.activities.add(1, activity, load=load, planned_session_id=planned, content_hash=None)
        uow.commit()


def daily(uow: InMemoryUnitOfWork, loads: list[float], first: date = D0) -> None:
    for offset, load in enumerate(loads):
        day = first + timedelta(days=offset)
        add(uow, datetime.combine(day, time(7), UTC), load)


def clock_on(day: date) -> FixedClock:
    return FixedClock(datetime.combine(day, time(20), UTC))


def test_a_constant_load_follows_the_fitness_fatigue_formulas() -> None:
    # 28 days at 100, then 32 days at 200. CTL and ATL start at the mean of the first 28
    # days (100), so the first 28 days are flat and the step follows science §3's recurrence:
    # X_t = X_{t-1} + k(200 − X_{t-1}) → X_{28+n} = 200 − 100·(1 − k)^n, (1 − k) = e^(−1/N).
    uow = store()
    daily(uow, [100.0] * 28 + [200.0] * 32)
    report = load_overview(uow, clock_on(D0), "Maya Chen", first=D0, last=D0 + timedelta(days=59))
    assert len(report.days) == 60
    assert report.days[27].ctl == pytest.approx(100.0)
    assert report.days[27].tsb == pytest.approx(0.0)
    day41, day42 = report.days[41], report.days[42]
    # day index 41 is the 14th day at 200: CTL = 200 − 100·e^(−14/42) = 128.347;
    # ATL = 200 − 100·e^(−14/7) = 186.466
    assert day41.ctl == pytest.approx(128.347, abs=1e-3)
    assert day41.atl == pytest.approx(186.466, abs=1e-3)
    # TSB_42 = CTL_41 − ATL_41 = −58.119
    assert day42.tsb == pytest.approx(-58.119, abs=1e-3)
    # ramp_41 = CTL_41 − CTL_34 = 100·(e^(−7/42) − e^(−14/42)) = 100·(0.84648 − 0.71653) = 12.995
    assert day41.ramp == pytest.approx(12.995, abs=1e-3)
    # a constant load over 7 days: SD 0 → monotony 10, strain 1400 × 10
    assert day41.monotony == 10.0
    assert day41.strain == pytest.approx(14000.0)


def test_fitness_starts_from_the_athletes_own_early_mean_not_zero() -> None:
    # 60 days at 100: seeded at 100, a steady athlete shows steady fitness and fresh form
    # instead of two months of "deep fatigue" while CTL climbs from zero.
    uow = store()
    daily(uow, [100.0] * 60)
    report = load_overview(uow, clock_on(D0), "Maya Chen", first=D0, last=D0 + timedelta(days=59))
    assert all(day.ctl == pytest.approx(100.0) for day in report.days)
    assert all(day.tsb == pytest.approx(0.0) for day in report.days)
    assert not [flag for flag in report.flags if flag.kind == "tsb_low"]


def test_acwr_is_absent_before_28_days_of_data() -> None:
    uow = store()
    daily(uow, [100.0] * 30)
    report = load_overview(uow, clock_on(D0), "Maya Chen", first=D0, last=D0 + timedelta(days=29))
    assert report.acwr_from == D0 + timedelta(days=27)
    assert all(day.acwr_ewma is None and day.acwr_rolling is None for day in report.days[:27])
    assert report.days[27].acwr_ewma == pytest.approx(1.0)
    short = store()
    daily(short, [100.0] * 20)
    early = load_overview(short, clock_on(D0), "Maya Chen", first=D0, last=D0 + timedelta(days=19))
    assert all(day.acwr_ewma is None for day in early.days)


def test_a_sudden_load_jump_is_flagged_as_an_acwr_spike() -> None:
    uow = store()
    daily(uow, [100.0] * 28 + [300.0] * 7)
    report = load_overview(uow, clock_on(D0), "Maya Chen", first=D0, last=D0 + timedelta(days=34))
    # EWMA with acute λ = 1/4 and chronic λ = 2/29, both from 100:
    # day 29: 150.0 / 113.79 = 1.318; day 30: 187.5 / 126.63 = 1.481;
    # day 31: 215.6 / 138.59 = 1.556 > 1.5 (rolling: 185.71 / 121.43 = 1.529 > 1.5 too)
    assert report.days[29].acwr_ewma == pytest.approx(1.4806, abs=1e-4)
    assert report.days[30].acwr_ewma == pytest.approx(1.5558, abs=1e-4)
    spikes = [flag for flag in report.flags if flag.kind == "acwr_spike"]
    assert len(spikes) == 1
    assert spikes[0].start == D0 + timedelta(days=30)
    assert "1.5" in flag_rule("acwr_spike").rule
    assert "Williams" in flag_rule("acwr_spike").source


def test_the_default_window_is_42_days_to_today_with_fitness_warmed_up_from_the_first_day() -> None:
    uow = store()
    daily(uow, [100.0] * 28 + [0.0] * 32)
    today = D0 + timedelta(days=59)
    report = load_overview(uow, clock_on(today), "Maya Chen")
    assert (report.first, report.last) == (today - timedelta(days=41), today)
    assert len(report.days) == 42
    assert report.data_from == D0
    # Computed from the first day of data (seeded at the 28-day mean, 100): the first day
    # shown is index 18, still in the 100 block, CTL 100; index 27 is the last day at 100;
    # then rest: CTL on index 59 = 100·e^(−32/42) = 100·0.466776 = 46.678, not what a
    # series starting at the window would give (0).
    assert report.days[0].ctl == pytest.approx(100.0)
    assert report.days[-1].ctl == pytest.approx(46.678, abs=1e-3)


def test_daily_loads_are_summed_on_the_athletes_local_days() -> None:
    uow = store(BERLIN)
    # 23:30 UTC on Tuesday is 00:30 on Wednesday in Berlin
    add(uow, datetime(2026, 12, 8, 23, 30, tzinfo=UTC), 200.0)
    add(uow, datetime(2026, 12, 9, 17, 0, tzinfo=UTC), 150.0)
    report = load_overview(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 8), last=date(2026, 12, 10)
    )
    assert report.data_from == date(2026, 12, 9)
    assert [(day.date, day.load) for day in report.days] == [
        (date(2026, 12, 9), 350.0),
        (date(2026, 12, 10), 0.0),
    ]
    assert report.timezone == "Europe/Berlin"


def test_weeks_show_load_km_and_sets_against_the_plan() -> None:
    uow = store(plan=True)
    tue, wed = date(2026, 12, 8), date(2026, 12, 9)
    add(uow, datetime.combine(tue, time(6), UTC), 400.0, km=8.0, planned="w1-tue-run")
    add(
        uow,
        datetime.combine(wed, time(17), UTC),
        600.0,
        sport="strength",
        sets=20,
        planned="w1-wed-strength",
    )
    report = load_overview(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 7), last=date(2026, 12, 13)
    )
    [week] = report.weeks
    assert (week.load, week.run_km, week.strength_sets) == (1000.0, 8.0, 20)
    assert (week.planned_load, week.planned_km, week.planned_sets) == (1802, 32.0, 28)
    assert (week.sessions_done, week.sessions_planned) == (2, 6)
    assert report.plan_version == 1
    assert compliance_report(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 7), last=date(2026, 12, 13)
    ) == [week]


def test_efficiency_factor_counts_easy_runs_only_and_trends_over_21_days() -> None:
    uow = store(plan=True)  # the plan's easy zone is 132–153 bpm: "easy" when unmatched

    def at(day: int) -> datetime:
        return datetime(2026, 12, day, 7, tzinfo=UTC)

    add(uow, at(8), 400.0, minutes=50, km=8.0, avg_hr=130, planned="w1-tue-run")  # intervals
    add(uow, at(10), 192.0, minutes=48, km=8.0, avg_hr=140, planned="w1-thu-run")  # easy
    add(uow, at(12), 160.0, minutes=40, km=6.5, avg_hr=135)  # unmatched, in the easy zone
    add(uow, at(13), 160.0, minutes=40, km=6.5, avg_hr=158)  # unmatched, above it
    add(uow, at(14), 20.0, minutes=5, km=1.0, avg_hr=120)  # under 10 minutes
    add(uow, at(16), 100.0, minutes=30, km=5.0)  # no heart rate
    add(uow, at(17), 204.0, minutes=51, km=8.5, avg_hr=138, planned="w2-thu-run")  # easy
    report = load_overview(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 1), last=date(2026, 12, 20)
    )
    runs = report.efficiency.runs
    assert [run.on.day for run in runs] == [10, 12, 17]
    # EF = speed (m/min) / HR: 8000/48 = 166.67 / 140 = 1.1905; 6500/40 = 162.5 / 135 =
    # 1.2037; 8500/51 = 166.67 / 138 = 1.2077
    assert [run.efficiency for run in runs] == [
        pytest.approx(1.19048, abs=1e-5),
        pytest.approx(1.20370, abs=1e-5),
        pytest.approx(1.20773, abs=1e-5),
    ]
    zone = "HR in the easy zone 132–153 bpm"
    assert [run.why for run in runs] == ["planned easy", zone, "planned easy"]
    # least squares over days 10, 12, 17 (from Nov 30): slope 0.0021456/day = 0.01502/week;
    # fitted line from day 10 to day 17: +1.26 %
    trend = report.efficiency.trend
    assert trend is not None
    assert trend.slope_per_week == pytest.approx(0.01502, abs=1e-5)
    assert trend.percent_change == pytest.approx(1.258, abs=1e-3)
    assert trend.n == 3


def test_an_easy_run_is_judged_by_the_athletes_own_easy_zone_not_a_share_of_max_hr() -> None:
    # Maya's plan prescribes easy runs at 132–153 bpm (Karvonen 59–74 % of the reserve from
    # resting 52 and max 188). A run at 150 bpm is easy for her, though above 75 % of max HR
    # (141 bpm); at 154 bpm it is not.
    uow = store(plan=True)
    add(uow, datetime(2026, 12, 12, 7, tzinfo=UTC), 160.0, minutes=40, km=6.5, avg_hr=150)
    add(uow, datetime(2026, 12, 13, 7, tzinfo=UTC), 160.0, minutes=40, km=6.5, avg_hr=154)
    report = load_overview(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 1), last=date(2026, 12, 20)
    )
    assert [run.on.day for run in report.efficiency.runs] == [12]
    # without a plan the zone comes from the profile, by the same Karvonen bands
    no_plan = store()
    add(no_plan, datetime(2026, 12, 12, 7, tzinfo=UTC), 160.0, minutes=40, km=6.5, avg_hr=150)
    report = load_overview(
        no_plan, clock_on(D0), "Maya Chen", first=date(2026, 12, 1), last=date(2026, 12, 20)
    )
    assert [run.why for run in report.efficiency.runs] == ["HR in the easy zone 132–153 bpm"]


def test_activities_without_load_or_start_are_counted_and_reported() -> None:
    uow = store()
    add(uow, datetime.combine(D0, time(7), UTC), None)
    add(uow, None, 300.0)
    add(uow, datetime.combine(D0, time(18), UTC), 100.0)
    report = load_overview(uow, clock_on(D0), "Maya Chen", first=D0, last=D0)
    assert (report.activities, report.without_load, report.undated) == (2, 1, 1)
    assert report.days[0].load == 100.0


def test_without_activities_the_report_is_empty_but_valid() -> None:
    uow = store(plan=True)
    report = load_overview(
        uow, clock_on(D0), "Maya Chen", first=date(2026, 12, 7), last=date(2026, 12, 20)
    )
    assert report.days == ()
    assert report.data_from is None
    assert [w.plan_week for w in report.weeks] == [1, 2]
    assert report.efficiency.trend is None


def test_a_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="starts on 2026-12-10, after its end 2026-12-01"):
        load_overview(
            store(), clock_on(D0), "Maya Chen", first=date(2026, 12, 10), last=date(2026, 12, 1)
        )


def test_an_unknown_athlete_is_refused() -> None:
    with pytest.raises(NotFound, match="known: Maya Chen"):
        load_overview(store(), clock_on(D0), "Nobody")
