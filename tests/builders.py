"""Test builders: valid values with only the fields a test cares about overridden."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

from runlift.domain.profile import AthleteProfile


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
