"""`runlift athlete add|list|plans` and `runlift plan --athlete` as a user runs them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from runlift.cli import app

runner = CliRunner()

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")


def write_profile(tmp_path: Path, text: str = MAYA_TOML, name: str = "maya.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, everything printed (stdout and stderr), and stdout alone."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output, result.stdout


def run_json(*args: str) -> Any:
    code, out, stdout = run(*args)
    assert code == 0, out
    return json.loads(stdout)


# ------------------------------------------------------------------------ athlete add/list


def test_add_stores_the_athlete_and_list_shows_them(tmp_path: Path) -> None:
    code, out, _ = run("athlete", "add", str(write_profile(tmp_path)))
    assert code == 0, out
    assert "Added athlete Maya Chen" in out
    assert "half-marathon on Sun 2027-04-18" in out
    assert "from 2026-12-07: 4 runs and 2 strength sessions a week" in out

    [row] = run_json("athlete", "list", "--format", "json")
    assert row["name"] == "Maya Chen"
    assert row["event"] == "half-marathon"
    assert row["goal_date"] == "2027-04-18"
    assert row["plan_version"] is None
    assert row["activities"] == 0

    code, out, _ = run("athlete", "list")
    assert code == 0, out
    assert "Maya Chen" in out
    assert "2027-04-18" in out


def test_the_same_name_again_is_refused(tmp_path: Path) -> None:
    assert run("athlete", "add", str(write_profile(tmp_path)))[0] == 0
    # Case and runs of blanks do not make another athlete.
    again = write_profile(
        tmp_path, edit(MAYA_TOML, 'name = "Maya Chen"', 'name = "maya   CHEN"'), "again.toml"
    )
    code, out, _ = run("athlete", "add", str(again))
    assert code == 2
    assert "again.toml" in out
    assert "an athlete named 'Maya Chen' already exists" in out
    assert "Traceback" not in out
    assert len(run_json("athlete", "list", "--format", "json")) == 1


def test_a_bad_profile_is_refused_naming_the_file_and_key(tmp_path: Path) -> None:
    bad = write_profile(tmp_path, edit(MAYA_TOML, "weight_kg = 61.0", "weight_kg = 0"), "bad.toml")
    code, out, _ = run("athlete", "add", str(bad))
    assert code == 2
    assert "bad.toml" in out
    assert "[athlete.weight_kg]" in out
    assert run_json("athlete", "list", "--format", "json") == []


def test_a_missing_profile_file_is_named(tmp_path: Path) -> None:
    code, out, _ = run("athlete", "add", str(tmp_path / "nobody.toml"))
    assert code == 2
    assert "nobody.toml: no such file" in out


# ------------------------------------------------------------------------ stored plans


def test_plan_versions_first_shown_then_regenerated(tmp_path: Path) -> None:
    run("athlete", "add", str(write_profile(tmp_path)))

    code, out, _ = run("plan", "--athlete", "maya chen", "--brief")
    assert code == 0, out
    assert "Stored plan version 1 of Maya Chen (first plan)." in out
    assert "Week 1 · 07 Dec" in out
    assert "Week 19 · 12 Apr – 18 Apr 2027" in out

    # Asking again shows the stored version 1 and stores nothing new.
    code, out, _ = run("plan", "--athlete", "Maya Chen", "--brief")
    assert code == 0, out
    assert "Plan version 1 of Maya Chen (first plan, stored" in out
    assert [v["version"] for v in run_json("athlete", "plans", "Maya Chen", "-f", "json")] == [1]

    code, out, _ = run("plan", "--athlete", "Maya Chen", "--regenerate", "--brief")
    assert code == 0, out
    assert "Stored plan version 2 of Maya Chen (regenerated)." in out

    versions = run_json("athlete", "plans", "Maya Chen", "--format", "json")
    assert [(v["version"], v["reason"]) for v in versions] == [
        (1, "first plan"),
        (2, "regenerated"),
    ]
    assert versions[1]["start"] == "2026-12-07"
    assert versions[1]["end"] == "2027-04-18"
    assert versions[1]["weeks"] == 19
    [row] = run_json("athlete", "list", "--format", "json")
    assert row["plan_version"] == 2

    code, out, _ = run("athlete", "plans", "maya chen")
    assert code == 0, out
    assert "regenerated" in out


def test_the_stored_plan_as_json(tmp_path: Path) -> None:
    run("athlete", "add", str(write_profile(tmp_path)))
    document = run_json("plan", "--athlete", "Maya Chen", "--format", "json")
    assert document["athlete"]["name"] == "Maya Chen"
    assert document["start"] == "2026-12-07"
    assert len(document["weeks"]) == 19
    # The same plan the second time: the stored one, not a new one.
    assert run_json("plan", "--athlete", "Maya Chen", "--format", "json") == document


def test_plan_needs_exactly_one_of_profiles_and_athlete(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    run("athlete", "add", str(profile))

    code, out, _ = run("plan")
    assert code == 2
    assert "give a profile file" in out

    code, out, _ = run("plan", str(profile), "--athlete", "Maya Chen")
    assert code == 2
    assert "either profile files or --athlete NAME, not both" in out

    code, out, _ = run("plan", str(profile), "--regenerate")
    assert code == 2
    assert "--regenerate needs --athlete NAME" in out


def test_an_unknown_athlete_is_named_with_the_known_ones(tmp_path: Path) -> None:
    run("athlete", "add", str(write_profile(tmp_path)))
    for args in (("plan", "--athlete", "Sam"), ("athlete", "plans", "Sam")):
        code, out, _ = run(*args)
        assert code == 2, args
        assert "no athlete named 'Sam'; known: Maya Chen" in out
        assert "Traceback" not in out
