"""Hypothesis strategies for valid athlete profiles (as the TOML mapping a user would write)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from hypothesis import strategies as st

from runlift.domain.paces import format_duration, race_time_s
from runlift.domain.plan import WEEKDAYS

EVENTS = ("5k", "10k", "half-marathon", "marathon", "general")
RACE_M = {"5k": 5000.0, "10k": 10000.0, "half-marathon": 21097.5}


@st.composite
def profile_mappings(draw: st.DrawFn) -> dict[str, Any]:
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 730)))
    age = draw(st.integers(16, 75))
    birth = date(start.year - age, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    event = draw(st.sampled_from(EVENTS))
    goal: dict[str, Any] = {"event": event}
    if event == "general":
        goal["weeks"] = draw(st.integers(4, 52))
    else:
        goal["date"] = start + timedelta(days=draw(st.integers(13, 7 * 40)))
    weekly = draw(st.sampled_from([0.0, 5.0, 12.0, 20.0, 32.0, 45.0, 60.0, 80.0, 110.0]))
    weekly = round(weekly * draw(st.floats(0.8, 1.2)), 1)
    shortest = weekly / 7
    long_run = round(shortest + (min(2 * weekly, 35.0) - shortest) * draw(st.floats(0, 0.6)), 1)
    long_run = max(long_run, round(shortest + 0.05, 1))
    fitness: dict[str, Any] = {"weekly_km": weekly, "long_run_km": long_run}
    if draw(st.booleans()):
        distance = draw(st.sampled_from(sorted(RACE_M)))
        vdot = draw(st.floats(30.0, 70.0))
        fitness["recent_race"] = {
            "distance": distance,
            "time": format_duration(race_time_s(vdot, RACE_M[distance])),
        }
    if draw(st.booleans()):
        fitness["one_rep_max_kg"] = {
            "squat": draw(st.sampled_from([40.0, 80.0, 140.0])),
            "deadlift": draw(st.sampled_from([60.0, 100.0, 180.0])),
        }
    long_day = draw(st.sampled_from(WEEKDAYS))
    others = [d for d in WEEKDAYS if d != long_day]
    unavailable = draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
    run_clock = time(draw(st.integers(5, 12)), draw(st.sampled_from([0, 30])))
    lift_clock = time(draw(st.integers(6, 21)), draw(st.sampled_from([0, 30])))
    athlete: dict[str, Any] = {
        "name": "Test Athlete",
        "sex": draw(st.sampled_from(["female", "male"])),
        "birth_date": birth,
        "weight_kg": draw(st.floats(45, 110)),
        "height_cm": draw(st.floats(150, 200)),
        "experience": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
    }
    if draw(st.booleans()):
        athlete["resting_hr"] = draw(st.integers(40, 75))
        athlete["max_hr"] = draw(st.integers(160, 205))
    return {
        "athlete": athlete,
        "goal": goal,
        "fitness": fitness,
        "schedule": {
            "start": start,
            "run_days": draw(st.integers(2, 6)),
            "strength_sessions": draw(st.integers(2, 3)),
            "long_run_day": long_day,
            "unavailable": unavailable,
            "run_time": run_clock.strftime("%H:%M"),
            "strength_time": lift_clock.strftime("%H:%M"),
        },
    }
