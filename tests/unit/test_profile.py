"""Profile validation: every bad value is refused with the key that holds it."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from runlift.domain.errors import ProfileError
from runlift.domain.profile import AthleteProfile, Event
from tests.builders import maya_mapping


def profile_with(**sections: dict[str, Any]) -> AthleteProfile:
    data = maya_mapping()
    for name, values in sections.items():
        for key, value in values.items():
            if value is None:
                data[name].pop(key, None)
            else:
                data[name][key] = value
    return AthleteProfile.from_mapping(data)


def test_the_example_profile_reads_as_written() -> None:
    profile = profile_with()
    assert profile.name == "Maya Chen"
    assert profile.event is Event.HALF
    assert profile.goal_date == date(2027, 4, 18)
    assert profile.target_time_s == 6300
    assert profile.recent_race is not None
    assert profile.recent_race.time_s == 2910
    assert profile.one_rep_max_kg == {"squat": 80.0, "deadlift": 100.0}
    assert profile.unavailable == ("friday",)
    assert (profile.run_time, profile.strength_time) == (time(7), time(18))
    assert profile.age_on(profile.start) == 36


def test_a_general_goal_runs_for_its_weeks() -> None:
    profile = profile_with(
        goal={"event": "general", "date": None, "target_time": None, "weeks": 12}
    )
    assert profile.goal_date is None
    assert profile.end == date(2027, 2, 28)  # 12 weeks from Mon 2026-12-07


@pytest.mark.parametrize(
    ("sections", "key", "says"),
    [
        (
            {"goal": {"event": "general", "date": None, "target_time": None}},
            "goal.weeks",
            "is missing",
        ),
        (
            {"goal": {"event": "general", "date": None, "target_time": None, "weeks": 60}},
            "goal.weeks",
            "between 4 and 52",
        ),
        ({"goal": {"event": "general", "target_time": None, "weeks": 8}}, "goal.date", "general"),
        ({"goal": {"date": None}}, "goal.date", "is missing"),
        ({"goal": {"date": date(2026, 12, 10)}}, "goal.date", "less than two weeks"),
        ({"goal": {"date": date(2028, 12, 10)}}, "goal.date", "more than 52 weeks"),
        ({"goal": {"target_time": "1:75:00"}}, "goal.target_time", "like"),
        ({"fitness": {"long_run_km": 2.0}}, "fitness.long_run_km", "at least 4.6 km"),
        ({"fitness": {"weekly_km": -1.0}}, "fitness.weekly_km", "≥ 0"),
        (
            {
                "fitness": {
                    "recent_race": {"distance": "10k", "time": "48:30", "date": date(2027, 1, 1)}
                }
            },
            "fitness.recent_race.date",
            "after the plan start",
        ),
        (
            {"fitness": {"recent_race": {"distance": "banana", "time": "48:30"}}},
            "fitness.recent_race.distance",
            "like",
        ),
        (
            {"fitness": {"one_rep_max_kg": {"squatt": 80.0}}},
            "fitness.one_rep_max_kg.squatt",
            "did you mean 'squat'",
        ),
        ({"athlete": {"resting_hr": 150}}, "athlete.resting_hr", "between 25 and 120"),
        ({"athlete": {"max_hr": 80}}, "athlete.max_hr", "between 100 and 230"),
        ({"athlete": {"birth_date": "yesterday"}}, "athlete.birth_date", "must be a date"),
        ({"athlete": {"timezone": "Mars/Olympus"}}, "athlete.timezone", "not a time zone"),
        ({"schedule": {"run_time": "7 am"}}, "schedule.run_time", 'like "07:00"'),
        ({"schedule": {"run_days": True}}, "schedule.run_days", "whole number"),
    ],
)
def test_a_bad_value_is_refused_with_its_key(
    sections: dict[str, dict[str, Any]], key: str, says: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_with(**sections)
    assert caught.value.key == key
    assert says in caught.value.message


def test_an_unknown_section_is_named() -> None:
    data = maya_mapping()
    data["sheduel"] = data.pop("schedule")
    with pytest.raises(ProfileError) as caught:
        AthleteProfile.from_mapping(data)
    assert caught.value.key == "sheduel"
    assert "did you mean 'schedule'" in caught.value.message
