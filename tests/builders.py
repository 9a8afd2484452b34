"""Test builders: valid values with only the fields a test cares about overridden."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from datetime import date
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
