"""`runlift plan` with availability windows and in batches: exit codes, messages, files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_plan_cli import MAYA_TOML, edit, run, write_profile

MORNINGS = """availability = { monday = ["06:00-09:00"], tuesday = ["06:00-09:00"], \
wednesday = ["06:00-09:00"], thursday = ["06:00-09:00"], saturday = ["06:00-09:00"], \
sunday = ["06:00-09:00"] }
"""


def test_windows_that_cannot_hold_the_week_exit_3_naming_them(tmp_path: Path) -> None:
    text = edit(MAYA_TOML, "run_days = 4 ", "run_days = 5 ")
    text = edit(text, "strength_sessions = 2", "strength_sessions = 3")
    text += MORNINGS
    out_dir = tmp_path / "plans"
    code, out = run("plan", str(write_profile(tmp_path, text)), "--out", str(out_dir))
    assert code == 3, out
    flat = " ".join(out.split())
    assert "no plan keeps every rule" in flat
    # The conflict table wraps its cells; every window and the key to change are named.
    assert "06:00-09:00" in flat
    assert all(day in flat for day in ("monday", "thursday", "sunday"))
    assert "schedule.availability" in flat
    assert "Traceback" not in out
    assert not out_dir.exists()


def test_a_bad_window_exits_2_naming_the_key(tmp_path: Path) -> None:
    text = MAYA_TOML + 'availability = { monday = ["18:00-17:00"] }\n'
    code, out = run("plan", str(write_profile(tmp_path, text)))
    assert code == 2
    flat = " ".join(out.split())
    assert "schedule.availability.monday" in flat
    assert "does not end after it starts" in flat
    assert "Traceback" not in out


def test_lift_preferred_before_the_run_still_plans(tmp_path: Path) -> None:
    text = edit(MAYA_TOML, 'run_time = "07:00"', 'run_time = "18:30"')
    text = edit(text, 'strength_time = "18:00"', 'strength_time = "12:30"')
    text = edit(text, "run_days = 4 ", "run_days = 5 ")
    text = edit(text, "strength_sessions = 2", "strength_sessions = 3")
    code, out = run("plan", str(write_profile(tmp_path, text)), "--format", "json")
    assert code == 0, out
    sessions = [s for w in json.loads(out)["weeks"] for s in w["sessions"]]
    by_day: dict[str, list[dict[str, object]]] = {}
    for session in sessions:
        by_day.setdefault(str(session["start"])[:10], []).append(session)
    shared = [day for day in by_day.values() if {s["sport"] for s in day} == {"run", "strength"}]
    assert shared
    for day in shared:
        run_ = next(s for s in day if s["sport"] == "run")
        lift = next(s for s in day if s["sport"] == "strength")
        assert str(run_["start"]) < str(lift["start"])


def test_batch_json_writes_one_file_per_profile_and_stdout_stays_valid(tmp_path: Path) -> None:
    paths = []
    for n, day in enumerate(["sunday", "saturday", "thursday"]):
        text = edit(MAYA_TOML, 'name = "Maya Chen"', f'name = "Athlete {n}"')
        text = edit(text, 'long_run_day = "sunday"', f'long_run_day = "{day}"')
        paths.append(str(write_profile(tmp_path, text, name=f"a{n}.toml")))
    out_dir = tmp_path / "plans"
    code, out = run("plan", *paths, "--format", "json", "--out", str(out_dir))
    assert code == 0, out
    assert sorted(p.name for p in out_dir.iterdir()) == ["a0.json", "a1.json", "a2.json"]
    names = {json.loads(p.read_text())["athlete"]["name"] for p in out_dir.iterdir()}
    assert names == {"Athlete 0", "Athlete 1", "Athlete 2"}
    assert "[3/3]" in out
    # Without --out the plans stream to stdout as one JSON array.
    code, out = run("plan", *paths, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert [plan["athlete"]["name"] for plan in document] == ["Athlete 0", "Athlete 1", "Athlete 2"]
