"""TRIMP and rTSS of one session from the athlete's profile: hand-computed examples."""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, date, datetime

import pytest

from runlift.domain.activities import CompletedActivity, Streams
from runlift.domain.profile import AthleteProfile, RecentRace, Sex
from runlift.domain.session_metrics import max_hr_on, session_metrics, threshold_speed_mps
from tests.builders import maya_profile

DAY = date(2027, 1, 12)
START = datetime(2027, 1, 12, 7, 0, tzinfo=UTC)
#: A 5 km race in 19:57 is VDOT 50, whose Daniels threshold pace is 4:15/km (255 s/km).
SUB_20_5K = RecentRace("5k", 19 * 60 + 57)


def a_profile(**changes: object) -> AthleteProfile:
    """A man with resting HR 60, maximum 190 and no recent race, unless changed."""
    base = dataclasses.replace(
        maya_profile(), sex=Sex.MALE, resting_hr=60, max_hr=190, recent_race=None
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def steady_run(minutes: float, hr: float | None, **changes: object) -> CompletedActivity:
    """A run sampled every 10 s at a constant heart rate (no sample holds past the end)."""
    t_s = tuple(float(t) for t in range(0, int(minutes * 60) + 1, 10))
    run = CompletedActivity(
        sport="run",
        start=START,
        elapsed_s=minutes * 60,
        timer_s=minutes * 60,
        distance_m=minutes * 200.0,
        streams=Streams(t_s=t_s, hr=tuple(hr for _ in t_s)),
    )
    return dataclasses.replace(run, **changes)  # type: ignore[arg-type]


def test_trimp_of_30_minutes_at_a_constant_heart_rate() -> None:
    # x = (151 − 60) / (190 − 60) = 0.7; TRIMP = 30 × 0.7 × 0.64·e^(1.92 × 0.7) = 51.53
    trimp, _ = session_metrics(steady_run(30, 151.0), a_profile(), DAY)
    assert trimp == pytest.approx(51.53, abs=0.005)


def test_trimp_from_the_mean_heart_rate_with_the_womens_constants() -> None:
    # no stream: 30 moving minutes at the mean; x = 0.7; 30 × 0.7 × 0.86·e^(1.67 × 0.7) = 58.13
    run = steady_run(30, None, streams=Streams(), avg_hr=151.0)
    trimp, _ = session_metrics(run, a_profile(sex=Sex.FEMALE), DAY)
    assert trimp == pytest.approx(30 * 0.7 * 0.86 * math.exp(1.67 * 0.7))
    assert trimp == pytest.approx(58.13, abs=0.005)


def test_without_a_maximum_the_age_gives_one() -> None:
    # born 1990-04-12: 36 on 2027-01-12, so 208 − 0.7 × 36 = 182.8
    profile = a_profile(max_hr=None, birth_date=date(1990, 4, 12))
    assert max_hr_on(profile, DAY) == pytest.approx(182.8)
    x = (151 - 60) / (182.8 - 60)
    trimp, _ = session_metrics(steady_run(30, 151.0), profile, DAY)
    assert trimp == pytest.approx(30 * x * 0.64 * math.exp(1.92 * x))


def test_no_trimp_without_a_resting_heart_rate_or_any_heart_rate() -> None:
    assert session_metrics(steady_run(30, 151.0), a_profile(resting_hr=None), DAY)[0] is None
    assert session_metrics(steady_run(30, None), a_profile(), DAY)[0] is None
    # a maximum at or below the resting heart rate is no error, just no TRIMP
    assert session_metrics(steady_run(30, 151.0), a_profile(max_hr=55), DAY)[0] is None


def test_threshold_speed_comes_from_the_recent_race() -> None:
    speed = threshold_speed_mps(a_profile(recent_race=SUB_20_5K))
    assert speed is not None
    assert 1000 / speed == pytest.approx(255.0, abs=1.0)
    assert threshold_speed_mps(a_profile()) is None


def test_an_hour_at_threshold_speed_is_100_rtss() -> None:
    profile = a_profile(recent_race=SUB_20_5K)
    speed = threshold_speed_mps(profile)
    assert speed is not None
    hour = steady_run(60, 150.0, distance_m=speed * 3600)
    assert session_metrics(hour, profile, DAY)[1] == pytest.approx(100.0)
    # half an hour at 90 % of it: 0.5 × 0.9² × 100 = 40.5; moving (timer) time is used
    half = steady_run(30, None, elapsed_s=2400.0, distance_m=0.9 * speed * 1800)
    assert session_metrics(half, profile, DAY)[1] == pytest.approx(40.5)


def test_rtss_is_grade_adjusted_with_altitude_and_distance_streams() -> None:
    profile = a_profile(recent_race=SUB_20_5K)
    flat = steady_run(40, None, distance_m=8000.0)
    n = len(flat.streams.t_s)
    distance = tuple(8000.0 * i / (n - 1) for i in range(n))
    climbing = dataclasses.replace(
        flat,
        streams=dataclasses.replace(
            flat.streams, distance_m=distance, altitude_m=tuple(0.05 * d for d in distance)
        ),
    )
    flat_rtss = session_metrics(flat, profile, DAY)[1]
    climbing_rtss = session_metrics(climbing, profile, DAY)[1]
    assert flat_rtss is not None
    assert climbing_rtss is not None
    assert climbing_rtss > flat_rtss


def test_no_rtss_without_a_threshold_a_distance_or_for_other_sports() -> None:
    race = a_profile(recent_race=SUB_20_5K)
    assert session_metrics(steady_run(30, None), a_profile(), DAY)[1] is None
    assert session_metrics(steady_run(30, None, distance_m=None), race, DAY)[1] is None
    assert session_metrics(steady_run(30, None, sport="cross"), race, DAY)[1] is None
    assert session_metrics(steady_run(30, None, timer_s=0.0), race, DAY)[1] is None
