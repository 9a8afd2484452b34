"""Odd input on the command line ends in one clear error line, never a traceback.

Before: a day in year 1 or 9999 on a date option ended in ``OverflowError: date value out of
range``; a profile nested deeper than the TOML parser can follow ended in a RecursionError;
``runlift import`` stopped at a file starting in year 9999 and never imported the rest.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runlift.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
PROFILE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")

DATE_OPTIONS = [
    ["activities", "--from"],
    ["activities", "--to"],
    ["load", "--from"],
    ["load", "--to"],
    ["status", "--date"],
    ["status", "--from"],
    ["status", "--from", "2026-12-01", "--to"],
    ["adjust", "--date"],
    ["checkin", "--fatigue", "3", "--date"],
    ["today", "--date"],
    ["log", "run", "-m", "30", "-r", "5", "--date"],
    ["log", "strength", "-m", "30", "-r", "5", "--date"],
    ["export", "workouts", "--from"],
    ["export", "workouts", "--to"],
]


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    return result.exit_code, result.output


@pytest.fixture
def maya(tmp_path: Path) -> None:
    profile = tmp_path / "maya.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    code, out = run("athlete", "add", str(profile))
    assert code == 0, out


@pytest.mark.usefixtures("maya")
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1969-12-31", "2100-01-01"])
@pytest.mark.parametrize("command", DATE_OPTIONS, ids=lambda c: " ".join(c))
def test_a_day_outside_1970_to_2099_is_refused_naming_the_option(
    command: list[str], day: str
) -> None:
    code, out = run(*command, day)
    assert code == 2, out
    option = command[-1]
    assert f"error: {option} must be a day from 1970-01-01 to 2099-12-31, not '{day}'" in out
    assert "Traceback" not in out


@pytest.mark.usefixtures("maya")
def test_the_edges_of_the_range_are_taken() -> None:
    code, out = run("log", "run", "-m", "30", "-r", "5", "--date", "1970-01-01")
    assert code == 0, out
    code, out = run("activities", "--from", "1970-01-01", "--to", "2099-12-31")
    assert code == 0, out


@pytest.mark.parametrize(
    "nesting",
    [
        "v = " + "[" * 5000 + "]" * 5000,
        "v = " + "{a = " * 3000 + "1" + "}" * 3000,
    ],
    ids=["arrays", "inline tables"],
)
@pytest.mark.parametrize("command", [["athlete", "add"], ["plan"]])
def test_a_profile_nested_too_deeply_is_a_clear_error(
    tmp_path: Path, nesting: str, command: list[str]
) -> None:
    profile = tmp_path / "deep.toml"
    profile.write_text(PROFILE.replace("[athlete]", nesting + "\n[athlete]", 1), encoding="utf-8")
    code, out = run(*command, str(profile))
    assert code == 2, out
    assert "is not valid TOML: arrays or tables are nested too deeply" in out


@pytest.mark.usefixtures("maya")
def test_a_set_file_nested_too_deeply_is_a_clear_error(tmp_path: Path) -> None:
    sets = tmp_path / "sets.toml"
    sets.write_text("v = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    code, out = run(
        "log", "strength", "-d", "2026-12-01", "-m", "30", "-r", "6", "--sets-file", str(sets)
    )
    assert code == 2, out
    assert "nested too deeply" in out


@pytest.mark.usefixtures("maya")
def test_import_goes_on_past_impossible_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "activities" / "gpx" / "togeojson__run.gpx", folder / "a.gpx")
    for name in ("year-9999.gpx", "year-0001.tcx", "distance-infinite.tcx"):
        shutil.copy(ROOT / "data" / "fuzz" / name, folder / f"b-{name}")
    shutil.copy(ROOT / "data" / "activities" / "tcx" / "tcxparser__test.tcx", folder / "c.tcx")
    code, out = run("import", str(folder))
    assert "Traceback" not in out
    assert "holds impossible values" in out
    assert code == 1, out  # some files failed
    code, out = run("activities", "--format", "json")
    assert code == 0, out
    stored = json.loads(out)
    assert sorted(item["file"] for item in stored) == ["a.gpx", "c.tcx"]
    assert "Infinity" not in out
