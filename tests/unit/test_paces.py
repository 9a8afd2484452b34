"""Running paces, race equivalents and HR zones against published numbers (docs/science.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runlift.domain.paces import (
    EFFORT_RPE,
    RACE_DISTANCE_M,
    estimated_max_hr,
    format_duration,
    format_pace,
    hr_zones,
    parse_distance,
    parse_duration,
    race_time_s,
    riegel_time_s,
    training_paces,
    vdot_from_race,
    velocity_for_vo2,
)

MARATHON = 42195.0

# Daniels' table (docs/science.md §2): VDOT → 5K and marathon times.
REFERENCE = [
    (40, 24 * 60 + 8, 3 * 3600 + 49 * 60 + 45),
    (50, 19 * 60 + 57, 3 * 3600 + 10 * 60 + 49),
    (60, 17 * 60 + 3, 2 * 3600 + 43 * 60 + 25),
]


@pytest.mark.parametrize(("vdot", "five_k_s", "marathon_s"), REFERENCE)
def test_race_times_match_daniels_table(vdot: float, five_k_s: int, marathon_s: int) -> None:
    assert race_time_s(vdot, 5000) == pytest.approx(five_k_s, abs=3)
    assert race_time_s(vdot, MARATHON) == pytest.approx(marathon_s, rel=0.005)


@pytest.mark.parametrize(
    ("vdot", "threshold_s_per_km", "text"), [(40, 306, "5:06/km"), (50, 255, "4:15/km")]
)
def test_threshold_pace_matches_daniels_table(
    vdot: float, threshold_s_per_km: int, text: str
) -> None:
    paces = training_paces(vdot)
    assert paces.threshold_s_per_km == pytest.approx(threshold_s_per_km, abs=2)
    assert paces.as_strings()["threshold"] == text


def test_vdot_from_a_19_57_5k_is_50() -> None:
    assert vdot_from_race(5000, 19 * 60 + 57) == pytest.approx(50, abs=0.3)


@given(
    distance=st.floats(min_value=1500, max_value=42195),
    speed_m_per_s=st.floats(min_value=2.0, max_value=6.0),
)
def test_race_time_inverts_vdot(distance: float, speed_m_per_s: float) -> None:
    time_s = distance / speed_m_per_s
    vdot = vdot_from_race(distance, time_s)
    assert race_time_s(vdot, distance) == pytest.approx(time_s, rel=1e-6)


@given(vdot=st.floats(min_value=30, max_value=85))
def test_race_times_grow_with_distance_and_paces_are_ordered(vdot: float) -> None:
    times = [race_time_s(vdot, d) for d in sorted(RACE_DISTANCE_M.values())]
    assert times == sorted(times)
    assert race_time_s(vdot + 1, 10000) < race_time_s(vdot, 10000)
    p = training_paces(vdot)
    assert p.easy_slow_s_per_km > p.easy_fast_s_per_km > p.marathon_s_per_km
    assert p.marathon_s_per_km > p.threshold_s_per_km > p.interval_s_per_km
    assert p.interval_s_per_km > p.repetition_s_per_km


def test_training_paces_definitions() -> None:
    p = training_paces(50)
    assert p.repetition_s_per_400m == pytest.approx(p.interval_s_per_km * 0.4 - 6)
    assert p.repetition_s_per_km == pytest.approx(p.repetition_s_per_400m * 2.5)
    assert p.marathon_s_per_km == pytest.approx(race_time_s(50, MARATHON) / 42.195)
    assert p.easy_s_per_km == (p.easy_slow_s_per_km, p.easy_fast_s_per_km)
    # Daniels' table at VDOT 50: I ≈ 94 s per 400 m (3:55/km), R ≈ 88 s per 400 m.
    strings = p.as_strings()
    assert strings["interval"] == "3:55/km"
    assert strings["repetition"] == "1:28/400m"
    assert set(strings) == {"easy", "marathon", "threshold", "interval", "repetition"}
    fast, slow = strings["easy"].removesuffix("/km").split("–")
    assert parse_duration(fast) < parse_duration(slow)


def test_velocity_for_vo2_inverts_the_oxygen_cost() -> None:
    v = velocity_for_vo2(44.0)
    assert -4.60 + 0.182258 * v + 0.000104 * v * v == pytest.approx(44.0)
    with pytest.raises(ValueError, match="vo2"):
        velocity_for_vo2(-10)


def test_riegel_10k_to_half() -> None:
    # 48:30 = 2910 s; 2910 · (21097.5 / 10000)^1.06 = 2910 · 2.10975^1.06
    #   = 2910 · e^(1.06 · ln 2.10975) = 2910 · e^(1.06 · 0.74657) = 2910 · 2.20641 ≈ 6420.6 s
    predicted = riegel_time_s(2910, 10000, 21097.5)
    assert predicted == pytest.approx(6420.6, abs=0.5)
    assert format_duration(predicted) == "1:47:01"
    assert riegel_time_s(2910, 10000, 10000) == pytest.approx(2910)


def test_hr_zones_with_resting_hr_use_heart_rate_reserve() -> None:
    # reserve = 188 − 52 = 136; bound = 52 + p · 136, rounded half up
    assert hr_zones(188, 52) == {
        "easy": (132, 153),  # 52 + 80.24 = 132.24; 52 + 100.64 = 152.64
        "marathon": (154, 166),  # 52 + 102.00; 52 + 114.24 = 166.24
        "threshold": (165, 172),  # 52 + 112.88 = 164.88; 52 + 119.68 = 171.68
        "interval": (181, 188),  # 52 + 129.20 = 181.2; 52 + 136
    }


def test_hr_zones_without_resting_hr_use_percent_of_max() -> None:
    assert hr_zones(188, None) == {
        "easy": (122, 149),  # 122.2; 148.52
        "marathon": (150, 167),  # 150.4; 167.32
        "threshold": (165, 173),  # 165.44; 172.96
        "interval": (184, 188),  # 184.24; 188
    }


def test_hr_zone_errors() -> None:
    with pytest.raises(ValueError, match="resting_hr"):
        hr_zones(180, 185)
    with pytest.raises(ValueError, match="max_hr"):
        hr_zones(20, None)


def test_estimated_max_hr_tanaka() -> None:
    assert estimated_max_hr(40) == 180  # 208 − 28
    assert estimated_max_hr(30) == 187  # 208 − 21
    assert estimated_max_hr(45) == 177  # 208 − 31.5 = 176.5, rounded half up
    with pytest.raises(ValueError, match="age"):
        estimated_max_hr(-3)


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("10K", 10000),
        ("half-marathon", 21097.5),
        ("half", 21097.5),
        ("Half Marathon", 21097.5),
        ("marathon", 42195),
        ("15k", 15000),
        ("3000m", 3000),
        ("3000 m", 3000),
        ("10 mi", 16093.44),
        ("1 mile", 1609.344),
        ("21.1 km", 21100),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "far", "10", "10 parsecs", "0k", "-5k", "k"])
def test_parse_distance_errors(text: str) -> None:
    with pytest.raises(ValueError, match="distance"):
        parse_distance(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("48:30", 2910),
        ("1:45:00", 6300),
        ("19:57.5", 1197.5),
        (" 3:10:49 ", 11449),
        ("75:00", 4500),
        ("0:59", 59),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-48:30", "negative"),
        ("abc", "bad duration"),
        ("1:75", "below 60"),
        ("1:60:00", "below 60"),
        ("48", "bad duration"),
        ("48:5", "bad duration"),
        ("1:2:3:4", "bad duration"),
        ("48:30.", "bad duration"),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(text)


def test_format_duration_and_pace() -> None:
    assert format_duration(6300) == "1:45:00"
    assert format_duration(2910) == "48:30"
    assert format_duration(59.6) == "1:00"
    assert format_duration(3599.5) == "1:00:00"
    assert format_pace(305.55) == "5:06/km"
    assert format_pace(112, unit="400m") == "1:52/400m"
    with pytest.raises(ValueError, match="non-negative"):
        format_duration(-1)


@given(st.integers(min_value=0, max_value=30 * 3600))
def test_format_then_parse_duration_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_input_errors() -> None:
    with pytest.raises(ValueError, match="time_s"):
        vdot_from_race(5000, 0)
    with pytest.raises(ValueError, match="vdot"):
        race_time_s(-1, 5000)
    with pytest.raises(ValueError, match="distance_m"):
        race_time_s(50, 0)


def test_effort_guidance_covers_every_run_kind() -> None:
    assert set(EFFORT_RPE) == {"easy", "long", "tempo", "intervals", "hills", "recovery"}
    assert EFFORT_RPE["easy"] == "RPE 3–4, conversational"
    assert EFFORT_RPE["tempo"] == "RPE 6–7, comfortably hard"
    assert EFFORT_RPE["intervals"].startswith("RPE 8–9")
