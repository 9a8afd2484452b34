"""The documented Python API works as the README shows."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import runlift


def test_readme_example(tmp_path: Path) -> None:
    source = resources.files("runlift") / "data" / "example-profile.toml"
    path = tmp_path / "maya.toml"
    path.write_text(source.read_text("utf-8"), encoding="utf-8")

    profile = runlift.load_profile(path)
    plan = runlift.generate_plan(profile)
    assert runlift.check_plan(plan) == []
    out = tmp_path / "maya.json"
    out.write_text(plan.to_json())
    assert runlift.load_plan(out) == plan


def test_errors_are_importable_and_clear(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[athlete]\nname = 'x'\n")
    with pytest.raises(runlift.ProfileError) as caught:
        runlift.load_profile(path)
    assert "broken.toml" in str(caught.value)
    assert isinstance(caught.value, runlift.RunliftError)
