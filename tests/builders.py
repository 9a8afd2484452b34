"""Test builders: valid values with only the fields a test cares about overridden."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from datetime import date, timedelta
from importlib import resources
from typing import Any

from runlift.domain.profile import AthleteProfile
from runlift.domain.wellness import CheckIn


def maya_mapping() -> dict[str, Any]:
    """The example profile shipped with runlift, as a mutable mapping."""
    text = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
    return copy.deepcopy(tomllib.loads(text))


def maya_profile(**sections: dict[str, Any]) -> AthleteProfile:
    """Maya's profile with ``section={key: value}`` overrides."""
    data = maya_mapping()
    for name, values in sections.items():
        data[name].update(values)
    return AthleteProfile.from_mapping(data)


def normal(day: date, **changes: Any) -> CheckIn:
    """A healthy morning: 8 h of sleep, every item 4, resting HR 50, rMSSD 60 ms."""
    checkin = CheckIn(
        day,
        sleep_hours=8.0,
        sleep_quality=4,
        fatigue=4,
        soreness=4,
        stress=4,
        mood=4,
        motivation=4,
        resting_hr=50,
        hrv_rmssd_ms=60.0,
    )
    return dataclasses.replace(checkin, **changes)


def rhr_up_hrv_down(monday: date) -> list[CheckIn]:
    """Five settled weeks (rMSSD 58–64 ms), then a week to ``monday`` of rMSSD falling 52 → 42 ms
    and resting HR up from 50 to 57–58 bpm on the last two days: the pattern of accumulating
    fatigue (docs/science.md, Plews 2012/2013)."""
    baseline = [
        normal(monday - timedelta(days=d), hrv_rmssd_ms=58.0 if d % 2 else 64.0)
        for d in range(40, 6, -1)
    ]
    last_week = [
        normal(monday - timedelta(days=d), hrv_rmssd_ms=hrv, resting_hr=hr)
        for d, hrv, hr in [
            (6, 52.0, 50),
            (5, 50.0, 51),
            (4, 48.0, 50),
            (3, 46.0, 51),
            (2, 45.0, 50),
            (1, 44.0, 57),
            (0, 42.0, 58),
        ]
    ]
    return [*baseline, *last_week]
