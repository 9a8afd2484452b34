"""`runlift plan`, `check`, `demo` as a user runs them: exit codes, messages, files."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from runlift.cli import app
from tests.builders import maya_mapping

runner = CliRunner()

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
SCHEMA = json.loads((resources.files("runlift") / "data" / "plan.schema.json").read_text("utf-8"))


def write_profile(tmp_path: Path, text: str = MAYA_TOML, name: str = "maya.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


# ------------------------------------------------------------------------------- plan


def test_plan_shows_every_week_through_race_day(tmp_path: Path) -> None:
    code, out = run("plan", str(write_profile(tmp_path)))
    assert code == 0, out
    assert "Week 1 · 07 Dec" in out
    assert "Week 19 · 12 Apr – 18 Apr 2027" in out
    assert "Race: half marathon" in out
    assert "DE-LOAD" in out
    # Paces from the 10K in 48:30 (VDOT ≈ 41.5, Daniels' table: T ≈ 4:57/km).
    assert "VDOT 41.5" in out
    assert "threshold 4:57/km" in out


def test_plan_json_matches_the_documented_schema(tmp_path: Path) -> None:
    code, out = run("plan", str(write_profile(tmp_path)), "--format", "json")
    assert code == 0, out
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert document["athlete"]["name"] == "Maya Chen"
    assert document["goal"] == {
        "event": "half-marathon",
        "date": "2027-04-18",
        "target_time": "1:45:00",
    }
    assert document["start"] == "2026-12-07"
    first = document["weeks"][0]
    assert first["start"] == "2026-12-07"
    # Week 1 starts at the current 32 km/week and never above +10 %.
    assert 28.8 <= first["run_km"] <= 35.2
    session = first["sessions"][0]
    assert session["load"] == round(session["rpe"] * session["duration_min"])


def test_out_writes_one_json_per_profile_and_skips_a_bad_one(tmp_path: Path) -> None:
    good = write_profile(tmp_path, name="maya.toml")
    sam = write_profile(
        tmp_path, edit(MAYA_TOML, 'name = "Maya Chen"', 'name = "Sam Ortiz"'), name="sam.toml"
    )
    bad = write_profile(tmp_path, edit(MAYA_TOML, "weight_kg = 61.0", "weight_kg = 0"), "bad.toml")
    out_dir = tmp_path / "plans"
    code, out = run("plan", str(good), str(sam), str(bad), "--out", str(out_dir))
    assert code == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["maya.json", "sam.json"]
    assert "bad.toml" in out
    assert "athlete.weight_kg" in out
    assert json.loads((out_dir / "sam.json").read_text())["athlete"]["name"] == "Sam Ortiz"


def test_ics_has_one_event_per_session_with_stable_uids(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run("plan", str(profile), "--ics", str(first))[0] == 0
    assert run("plan", str(profile), "--ics", str(second))[0] == 0
    _code, out = run("plan", str(profile), "--format", "json")
    sessions = [s for w in json.loads(out)["weeks"] for s in w["sessions"]]

    def events(path: Path) -> list[Calendar]:
        return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))

    a, b = events(first), events(second)
    assert sessions
    assert len(a) == len(sessions)
    assert [e["UID"] for e in a] == [e["UID"] for e in b]
    assert len({str(e["UID"]) for e in a}) == len(a)
    for event, session in zip(a, sessions, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert end > start
        assert (end - start).total_seconds() == session["duration_min"] * 60
        assert start.strftime("%Y-%m-%dT%H:%M") == session["start"]
        assert str(event["UID"]) == f"{session['id']}@runlift"
    race = a[-1]
    assert str(race["SUMMARY"]) == "Race: half marathon"


@pytest.mark.parametrize(
    ("old", "new", "key", "says"),
    [
        ('sex = "female"              # female | male\n', "", "athlete.sex", "is missing"),
        ("weight_kg = 61.0", "weigth_kg = 61.0", "athlete.weigth_kg", "did you mean 'weight_kg'"),
        ("weight_kg = 61.0", 'weight_kg = "sixty"', "athlete.weight_kg", "must be a number"),
        ("weight_kg = 61.0", "weight_kg = 0", "athlete.weight_kg", "≥ 25"),
        ("date = 2027-04-18", "date = 2026-11-01", "goal.date", "is not after the plan start"),
        (
            'unavailable = ["friday"]',
            'unavailable = ["monday", "tuesday", "wednesday", '
            '"thursday", "friday", "saturday", "sunday"]',
            "schedule.unavailable",
            "leaves no day",
        ),
        (
            'unavailable = ["friday"]',
            'unavailable = ["fryday"]',
            "schedule.unavailable",
            "'fryday' is not a weekday (did you mean 'friday'?)",
        ),
        ('event = "half-marathon"', 'event = "ultra"', "goal.event", "must be one of"),
        ("run_days = 4", "run_days = 9", "schedule.run_days", "between 2 and 6"),
        (
            "strength_sessions = 2",
            "strength_sessions = 1",
            "schedule.strength_sessions",
            "between 2 and 3",
        ),
        (
            'long_run_day = "sunday"',
            'long_run_day = "friday"',
            "schedule.long_run_day",
            "also listed as unavailable",
        ),
        ('time = "48:30"', 'time = "8:30"', "fitness.recent_race.time", "not a possible"),
        ("[goal]", "[goal\n", "(file)", "not valid TOML"),
    ],
)
def test_a_bad_profile_names_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, key: str, says: str
) -> None:
    path = write_profile(tmp_path, edit(MAYA_TOML, old, new))
    code, out = run("plan", str(path))
    assert code == 2
    assert str(path) in out
    assert f"[{key}]" in out
    assert says in out
    assert "Traceback" not in out


def test_a_missing_profile_file_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("plan", str(tmp_path / "nobody.toml"))
    assert code == 2
    assert "nobody.toml" in out
    assert "does not exist" in out
    assert "Traceback" not in out


def test_too_few_free_days_reports_the_conflict_and_writes_nothing(tmp_path: Path) -> None:
    text = edit(
        MAYA_TOML,
        'unavailable = ["friday"]',
        'unavailable = ["monday", "tuesday", "wednesday", "thursday", "friday"]',
    )
    text = edit(text, "strength_sessions = 2", "strength_sessions = 3")
    out_dir = tmp_path / "plans"
    code, out = run("plan", str(write_profile(tmp_path, text)), "--out", str(out_dir))
    assert code == 3
    flat = " ".join(out.split())
    assert "4 runs a week" in flat
    assert "no training on unavailable days" in flat
    assert "lower schedule.run_days" in flat
    assert not out_dir.exists()


def test_an_unsafe_goal_is_planned_within_the_caps_with_a_warning(tmp_path: Path) -> None:
    text = edit(MAYA_TOML, 'event = "half-marathon"', 'event = "marathon"')
    text = edit(text, "date = 2027-04-18", "date = 2027-01-31")  # 8 weeks
    text = edit(text, "weekly_km = 32.0", "weekly_km = 10.0")
    text = edit(text, "long_run_km = 14.0", "long_run_km = 6.0")
    text = edit(text, 'target_time = "1:45:00"     # optional\n', "")
    code, out = run("plan", str(write_profile(tmp_path, text)), "--format", "json")
    assert code == 0, out
    document = json.loads(out)
    unsafe = [w for w in document["warnings"] if w.startswith("Unsafe goal")]
    assert len(unsafe) == 1
    assert re.search(r"race on \d{4}-\d{2}-\d{2} or later", unsafe[0])
    # Still within the +10 %/week rule: never above 10 × 1.1^n.
    loading = [w["run_km"] for w in document["weeks"] if w["phase"] != "taper"]
    assert max(loading) <= 10 * 1.1**8


# ------------------------------------------------------------------------------- check


def test_check_passes_a_generated_plan(tmp_path: Path) -> None:
    out_dir = tmp_path / "plans"
    assert run("plan", str(write_profile(tmp_path)), "--out", str(out_dir))[0] == 0
    code, out = run("check", str(out_dir / "maya.json"))
    assert code == 0
    assert "all 16 rules hold" in out


def test_check_reports_a_hand_broken_plan_with_rule_and_exit_4(tmp_path: Path) -> None:
    out_dir = tmp_path / "plans"
    run("plan", str(write_profile(tmp_path)), "--out", str(out_dir))
    document = json.loads((out_dir / "maya.json").read_text())
    # Move week 1's Monday heavy lift to Saturday, the day before the long run (R4).
    session = document["weeks"][0]["sessions"][0]
    assert session["sport"] == "strength"
    assert session["hard"]
    session["date"] = "2026-12-12"
    session["start"] = "2026-12-12T18:00"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    code, out = run("check", str(broken), "--format", "json")
    assert code == 4
    report = json.loads(out)
    assert report["ok"] is False
    assert {"R4"} <= {v["rule"] for v in report["violations"]}
    r4 = next(v for v in report["violations"] if v["rule"] == "R4")
    assert session["id"] in r4["sessions"]


def test_check_warns_of_shape_findings_without_failing(tmp_path: Path) -> None:
    out_dir = tmp_path / "plans"
    run("plan", str(write_profile(tmp_path)), "--out", str(out_dir))
    document = json.loads((out_dir / "maya.json").read_text())
    assert document["shape"] == []  # Maya's plan: the long run leads and starts at her 14 km
    # Make week 2's first easy run as long as the long run: every rule still holds, but the
    # long run no longer leads.
    week = document["weeks"][1]
    long_km = next(s["distance_km"] for s in week["sessions"] if s["kind"] == "long")
    easy = next(s for s in week["sessions"] if s["kind"] == "easy")
    easy["distance_km"] = long_km
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(document))
    code, out = run("check", str(path), "--format", "json")
    report = json.loads(out)
    leads = [f for f in report["shape"] if f["id"] == "LONG-LEADS"]
    assert leads
    assert leads[0]["week"] == 2
    assert easy["id"] in leads[0]["sessions"]
    assert "80 %" in leads[0]["message"]
    if code == 0:  # the shape finding alone never fails the check
        assert report["ok"] is True
    code, out = run("check", str(path))
    assert "LONG-LEADS" in out
    assert "Shape" in out


def test_check_rejects_a_week_longer_than_seven_days(tmp_path: Path) -> None:
    out_dir = tmp_path / "plans"
    run("plan", str(write_profile(tmp_path)), "--out", str(out_dir))
    document = json.loads((out_dir / "maya.json").read_text())
    assert all(week["days"] == 7 for week in document["weeks"][:-1])
    assert 1 <= document["weeks"][-1]["days"] <= 7
    document["weeks"][-1]["days"] = 9
    path = tmp_path / "long-week.json"
    path.write_text(json.dumps(document))
    code, out = run("check", str(path), "--format", "json")
    assert code == 4
    assert "WEEK-DAYS" in {v["rule"] for v in json.loads(out)["violations"]}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not JSON"),
        ('{"runlift_plan": 2}', "expected 1"),
        ("[]", "JSON object"),
        ('{"runlift_plan": 1}', "missing field"),
    ],
)
def test_check_refuses_a_file_that_is_not_a_plan(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    code, out = run("check", str(path))
    assert code == 2
    assert says in out
    assert "Traceback" not in out


def test_rules_lists_every_rule_id() -> None:
    code, out = run("rules")
    assert code == 0
    for rule in ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "VOLUME", "LONGEST", "EASY-80"):
        assert rule in out


# ------------------------------------------------------------------------------- demo


def test_demo_writes_the_example_profile_plan_json_and_ics(tmp_path: Path) -> None:
    code, out = run("demo", "--dir", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / "example-profile.toml").read_text() == MAYA_TOML
    plan = json.loads((tmp_path / "plan.json").read_text())
    jsonschema.validate(plan, SCHEMA)
    assert b"BEGIN:VCALENDAR" in (tmp_path / "plan.ics").read_bytes()
    assert maya_mapping()["athlete"]["name"] in out


def test_demo_stores_the_athlete_and_a_new_version_when_the_profile_changes(
    tmp_path: Path,
) -> None:
    assert run("demo", "--dir", str(tmp_path))[0] == 0
    assert run("demo", "--dir", str(tmp_path))[0] == 0  # unchanged: still version 1
    code, out = run("athlete", "plans", "Maya Chen", "--format", "json")
    assert code == 0, out
    assert [v["version"] for v in json.loads(out)] == [1]
    profile = tmp_path / "example-profile.toml"
    profile.write_text(edit(profile.read_text(), "run_days = 4", "run_days = 5"))
    code, out = run("demo", "--dir", str(tmp_path))
    assert code == 0, out
    assert "plan version 2" in " ".join(out.split())
    runs = [
        s
        for w in json.loads((tmp_path / "plan.json").read_text())["weeks"][:1]
        for s in w["sessions"]
        if s["sport"] == "run"
    ]
    assert len(runs) == 5


def test_a_bad_value_does_not_ask_for_an_athlete_name_that_was_not_missing(
    tmp_path: Path,
) -> None:
    assert run("demo", "--dir", str(tmp_path))[0] == 0
    code, out = run("log", "run", "--date", "2026-11-20", "--minutes", "0", "--rpe", "5")
    assert code == 2
    assert "minutes must be above 0" in out
    assert "--athlete" not in out
    sam = write_profile(tmp_path, edit(MAYA_TOML, 'name = "Maya Chen"', 'name = "Sam Ortiz"'))
    assert run("athlete", "add", str(sam))[0] == 0
    code, out = run("log", "run", "--date", "2026-11-20", "--minutes", "30", "--rpe", "5")
    assert code == 2
    assert "2 athletes are stored" in out
    assert "with --athlete NAME" in out
