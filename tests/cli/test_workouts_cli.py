"""`runlift export workouts` and `runlift plan --workouts` as a user runs them."""

from __future__ import annotations

import io
from pathlib import Path

import fitdecode
import fitparse

from runlift.domain.plan import TrainingPlan
from tests.cli.test_plan_cli import run, write_profile


def decoded_by_both(path: Path) -> None:
    data = path.read_bytes()
    fitparse.FitFile(io.BytesIO(data), check_crc=True).parse()
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        types = [
            frame.get_value("type")
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "file_id"
        ]
    assert types == ["workout"]


def test_plan_workouts_writes_one_file_per_session_named_by_its_id(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    code, _ = run("plan", str(profile), "--out", str(tmp_path / "plans"))
    assert code == 0
    plan = TrainingPlan.from_json((tmp_path / "plans" / "maya.json").read_text("utf-8"))
    code, output = run("plan", str(profile), "--brief", "--workouts", str(tmp_path / "w"))
    assert code == 0, output
    names = sorted(p.name for p in (tmp_path / "w").iterdir())
    assert names == sorted(f"{s.id}.fit" for s in plan.sessions)
    assert f"Wrote {len(plan.sessions)} workout file(s)" in output
    for path in (tmp_path / "w").iterdir():
        decoded_by_both(path)
    # the same plan again: the same names, nothing added
    run("plan", str(profile), "--brief", "--workouts", str(tmp_path / "w"))
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == names


def test_export_workouts_for_a_stored_athlete_and_a_date_range(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    assert run("athlete", "add", str(profile))[0] == 0
    code, output = run(
        "export",
        "workouts",
        "--athlete",
        "Maya Chen",
        "--from",
        "2026-12-07",
        "--to",
        "2026-12-13",
        "--out",
        str(tmp_path / "week1"),
    )
    assert code == 0, output
    files = sorted((tmp_path / "week1").iterdir())
    assert len(files) == 6  # 4 runs and 2 lifts in the first week
    assert "Wrote 6 workout file(s) for Maya Chen" in output
    for path in files:
        decoded_by_both(path)


def test_export_workouts_refuses_bad_input_with_one_line(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    run("athlete", "add", str(profile))
    out = str(tmp_path / "x")
    code, output = run(
        "export", "workouts", "--from", "2026-12-13", "--to", "2026-12-07", "--out", out
    )
    assert code == 2
    assert "--to 2026-12-07 is before --from 2026-12-13" in output
    code, output = run("export", "workouts", "--from", "13/12/2026", "--out", out)
    assert code == 2
    assert "--from must be a day as YYYY-MM-DD" in output
    code, output = run("export", "workouts", "--athlete", "Nobody", "--out", out)
    assert code == 2
    assert "Nobody" in output
    assert not (tmp_path / "x").exists()
